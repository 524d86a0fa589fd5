//! Choosing a respondent's language from the browser's `Accept-Language`
//! header (RFC 9110 §12.5.4), among the languages a questionnaire offers.
//! Written out rather than taken from a crate: the one maintained parser
//! (`accept-language`) matches tags exactly, so `ar-SE` would not find `ar`,
//! and keeps `q=0`, which means "not this language".

/// The language among `offered` the header prefers, or `None` when it
/// names none of them. The highest `q` wins (1 when not given), and of
/// equal ones the first in the header; `q=0` and `*` choose nothing. A
/// range matches a language when they are equal, or when the range with
/// subtags taken off its end is (RFC 4647 lookup: `ar-SE` finds `ar`),
/// ignoring case.
pub fn preferred<'a, S: AsRef<str>>(header: &str, offered: &'a [S]) -> Option<&'a str> {
    let mut best: Option<(f32, &'a str)> = None;
    for item in header.split(',') {
        let mut parts = item.split(';');
        let range = parts.next().unwrap_or_default().trim();
        if range.is_empty() || range == "*" {
            continue;
        }
        let quality = match parts.map(str::trim).find_map(|part| part.strip_prefix("q=").or(part.strip_prefix("Q="))) {
            None => 1.0,
            // An unreadable weight says nothing usable: the range is skipped.
            Some(weight) => match weight.trim().parse::<f32>() {
                Ok(quality) if (0.0..=1.0).contains(&quality) => quality,
                _ => continue,
            },
        };
        if quality <= 0.0 || best.is_some_and(|(best_quality, _)| quality <= best_quality) {
            continue;
        }
        if let Some(language) = lookup(range, offered) {
            best = Some((quality, language));
        }
    }
    best.map(|(_, language)| language)
}

/// The offered language `range` finds, trying it whole and then shorter.
fn lookup<'a, S: AsRef<str>>(range: &str, offered: &'a [S]) -> Option<&'a str> {
    let mut candidate = range;
    loop {
        if let Some(found) = offered.iter().map(AsRef::as_ref).find(|code| code.eq_ignore_ascii_case(candidate)) {
            return Some(found);
        }
        candidate = &candidate[..candidate.rfind('-')?];
    }
}

#[cfg(test)]
mod tests {
    use super::preferred;

    const NEXUS: [&str; 3] = ["sv", "en", "ar"];

    #[test]
    fn the_preferred_offered_language_is_chosen() {
        let cases = [
            ("ar,en;q=0.5", Some("ar"), "the first, at the default weight 1"),
            ("en;q=0.5, ar", Some("ar"), "the highest weight, wherever it stands"),
            ("en-GB,en;q=0.9", Some("en"), "a regional variant finds its language"),
            ("ar-SE", Some("ar"), "Arabic as written in Sweden is Arabic"),
            ("zh-Hant-TW, EN", Some("en"), "case does not matter; unknown ranges are passed over"),
            ("fi", None, "Finnish is not offered: the questionnaire's default applies"),
            ("fi, *;q=0.5", None, "`*` chooses nothing: the default is then the questionnaire's"),
            ("ar;q=0, en;q=0.1", Some("en"), "q=0 means not this language"),
            ("sv;q=0.8, en;q=0.8", Some("sv"), "of equal weights the first"),
            ("ar;q=high, en;q=0.2", Some("en"), "an unreadable weight is skipped"),
            ("ar;q=1.5, sv;q=0.3", Some("sv"), "a weight above 1 is not a weight"),
            ("", None, "an empty header asks for nothing"),
            (" , ;q=1,", None, "nor does one with only empty items"),
            ("ar ; q=0.7 , en ; q=0.6", Some("ar"), "spaces around `;` are allowed"),
        ];
        for (header, expected, why) in cases {
            assert_eq!(preferred(header, &NEXUS), expected, "{header:?}: {why}");
        }
    }

    #[test]
    fn only_the_questionnaires_own_languages_are_chosen() {
        assert_eq!(preferred("ar, en;q=0.5", &["sv", "en"]), Some("en"));
        assert_eq!(preferred("ar", &["sv", "en"]), None);
    }
}
