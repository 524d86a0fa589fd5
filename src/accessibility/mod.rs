//! The accessibility statement (tillgänglighetsredogörelse) that the law on
//! accessibility of digital public services (DOS-lagen) asks for, with the
//! facts only the organisation knows read from a TOML file, and the reports
//! of accessibility problems people send from it (`feedback`). No IO here:
//! the caller reads the file, the store keeps the reports.

pub mod feedback;

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::LazyLock;

use serde::Deserialize;
use time::Date;
use toml::Spanned;

use crate::locale;

/// Where the shipped statement is named in problems.
pub const DEFAULT_FILE: &str = "src/accessibility/default.toml";

/// enkat's own statement, used when the operator gives none: the real
/// known gaps of the service and the date of its last assessment.
pub static DEFAULT: LazyLock<Statement> =
    LazyLock::new(|| parse(DEFAULT_FILE, include_str!("default.toml")).unwrap_or_else(|problem| panic!("{problem}")));

/// How far the service meets WCAG 2.1 AA / EN 301 549, in Digg's three words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Compliance {
    /// Helt förenlig: every requirement is met.
    Full,
    /// Delvis förenlig: most are, the gaps are listed.
    Partial,
    /// Inte förenlig: most are not.
    None,
}

/// A text written by the organisation in one or more of enkat's languages,
/// Swedish always among them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnText(BTreeMap<String, String>);

impl OwnText {
    /// The text in `language`, or in Swedish when it was not written in it,
    /// with the language it is in (for `lang` on the element).
    pub fn get(&self, language: &str) -> (&str, &str) {
        match self.0.get_key_value(language).or_else(|| self.0.get_key_value("sv")) {
            Some((language, text)) => (language, text),
            None => ("sv", ""),
        }
    }
}

/// Content known not to be accessible, and the day it will be fixed by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    pub text: OwnText,
    pub fixed_by: Date,
}

/// A checked accessibility statement: the organisation's facts. The fixed
/// wording around them is the interface text's (`locale::StatementTexts`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// Who offers the service and answers for its accessibility.
    pub organisation: String,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub status: Compliance,
    /// The day of the last assessment.
    pub assessed_on: Date,
    /// The day the statement was last updated (at least `assessed_on`).
    pub updated_on: Date,
    /// How the service was assessed; `None`: the standard wording.
    pub method: Option<OwnText>,
    /// Known gaps, in the order written.
    pub gaps: Vec<Gap>,
}

impl Default for Statement {
    fn default() -> Statement {
        DEFAULT.clone()
    }
}

/// A mistake in a statement file, where it is and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct StatementProblem {
    pub file: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, counted in characters.
    pub column: usize,
    pub message: String,
}

/// The file as written, with where each value is for problems.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStatement {
    organisation: Spanned<String>,
    contact_email: Option<Spanned<String>>,
    contact_phone: Option<Spanned<String>>,
    status: Spanned<Compliance>,
    assessed_on: Spanned<toml::value::Datetime>,
    updated_on: Option<Spanned<toml::value::Datetime>>,
    method: Option<Spanned<BTreeMap<String, String>>>,
    #[serde(default)]
    gaps: Vec<Spanned<RawGap>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGap {
    text: Spanned<BTreeMap<String, String>>,
    fixed_by: Spanned<toml::value::Datetime>,
}

/// Reads and checks a statement file; `file` only names where a problem is.
/// The first problem found is returned: the service refuses to start on it.
pub fn parse(file: &str, source: &str) -> Result<Statement, StatementProblem> {
    let problem = |span: Range<usize>, message: String| at(file, source, span, message);
    let raw: RawStatement = toml::from_str(source).map_err(|error| {
        let message = error.message().trim().to_owned();
        problem(error.span().unwrap_or(0..0), message)
    })?;
    let organisation = raw.organisation.as_ref().trim();
    if organisation.is_empty() {
        return Err(problem(raw.organisation.span(), "`organisation` is empty: name who offers the service".into()));
    }
    let contact = |value: &Option<Spanned<String>>| {
        value.as_ref().map(|value| value.as_ref().trim().to_owned()).filter(|value| !value.is_empty())
    };
    let (contact_email, contact_phone) = (contact(&raw.contact_email), contact(&raw.contact_phone));
    if contact_email.is_none() && contact_phone.is_none() {
        return Err(problem(
            raw.organisation.span(),
            "no contact: give contact_email or contact_phone (or both), how people reach you about accessibility"
                .into(),
        ));
    }
    let assessed_on = date(&raw.assessed_on, "assessed_on").map_err(|(span, message)| problem(span, message))?;
    let updated_on = match &raw.updated_on {
        Some(written) => date(written, "updated_on").map_err(|(span, message)| problem(span, message))?,
        None => assessed_on,
    };
    if updated_on < assessed_on {
        let span = raw.updated_on.as_ref().map_or(0..0, Spanned::span);
        return Err(problem(span, format!("`updated_on` ({updated_on}) is before `assessed_on` ({assessed_on})")));
    }
    let method = match &raw.method {
        Some(texts) => Some(own_text(texts, "method").map_err(|(span, message)| problem(span, message))?),
        None => None,
    };
    let mut gaps = Vec::new();
    for gap in &raw.gaps {
        let text = own_text(&gap.as_ref().text, "text").map_err(|(span, message)| problem(span, message))?;
        let fixed_by = date(&gap.as_ref().fixed_by, "fixed_by").map_err(|(span, message)| problem(span, message))?;
        gaps.push(Gap { text, fixed_by });
    }
    // Digg's statement must list what is not accessible: a partial or no
    // compliance without gaps, or full compliance with some, contradicts itself.
    match (*raw.status.as_ref(), gaps.is_empty()) {
        (Compliance::Full, false) => {
            return Err(problem(
                raw.status.span(),
                "status = \"full\", yet gaps are listed: write status = \"partial\" or remove the [[gaps]]".into(),
            ));
        }
        (Compliance::Partial | Compliance::None, true) => {
            return Err(problem(
                raw.status.span(),
                "the service is not fully accessible, yet no gap is listed: add a [[gaps]] for each, with fixed_by"
                    .into(),
            ));
        }
        _ => {}
    }
    Ok(Statement {
        organisation: organisation.to_owned(),
        contact_email,
        contact_phone,
        status: *raw.status.as_ref(),
        assessed_on,
        updated_on,
        method,
        gaps,
    })
}

/// A text in enkat's languages: Swedish at least, no other key, none empty.
fn own_text(texts: &Spanned<BTreeMap<String, String>>, key: &str) -> Result<OwnText, (Range<usize>, String)> {
    let known: Vec<&str> = locale::LOCALES.iter().map(|locale| locale.code.as_str()).collect();
    for (language, text) in texts.as_ref() {
        if !known.contains(&language.as_str()) {
            return Err((
                texts.span(),
                format!("`{key}` has a text in `{language}`, which enkat does not speak: use {}", known.join(", ")),
            ));
        }
        if text.trim().is_empty() {
            return Err((texts.span(), format!("`{key}.{language}` is empty")));
        }
    }
    if !texts.as_ref().contains_key("sv") {
        return Err((texts.span(), format!("`{key}` needs a Swedish text: sv = \"...\"")));
    }
    let trimmed = texts.as_ref().iter().map(|(language, text)| (language.clone(), text.trim().to_owned()));
    Ok(OwnText(trimmed.collect()))
}

/// A TOML date (`2026-12-03`, no quotes, no time).
fn date(value: &Spanned<toml::value::Datetime>, key: &str) -> Result<Date, (Range<usize>, String)> {
    let written = value.as_ref();
    let date = match (written.date, written.time, written.offset) {
        (Some(date), None, None) => time::Month::try_from(date.month)
            .ok()
            .and_then(|month| Date::from_calendar_date(i32::from(date.year), month, date.day).ok()),
        _ => None,
    };
    date.ok_or_else(|| (value.span(), format!("`{key}` must be a date only, without quotes or time, like 2026-12-03")))
}

fn at(file: &str, source: &str, span: Range<usize>, message: String) -> StatementProblem {
    let before = &source[..span.start.min(source.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or_default().chars().count() + 1;
    StatementProblem { file: file.to_owned(), line, column, message }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    const MINIMAL: &str = "organisation = \"Storby kommun\"\ncontact_email = \"a11y@storby.se\"\n\
        status = \"full\"\nassessed_on = 2026-10-01\n";

    #[test]
    fn the_shipped_statement_reads_and_lists_its_gaps() {
        let statement = &*DEFAULT;
        assert_eq!(statement.status, Compliance::Partial);
        assert!(statement.gaps.len() >= 2, "the Arabic translation and the screen readers");
        assert!(statement.gaps.iter().all(|gap| gap.text.get("ar").0 == "ar"), "each gap in Arabic too");
        assert!(statement.method.as_ref().is_some_and(|method| method.get("en").0 == "en"));
    }

    #[test]
    fn a_municipality_file_needs_only_its_facts() {
        let statement = parse("a.toml", MINIMAL).unwrap();
        assert_eq!(statement.organisation, "Storby kommun");
        assert_eq!(statement.assessed_on, date!(2026 - 10 - 01));
        assert_eq!(statement.updated_on, statement.assessed_on, "updated when assessed, unless said");
        assert_eq!(statement.method, None);
    }

    #[test]
    fn a_text_missing_in_a_language_is_shown_in_swedish_and_said_to_be() {
        let text = OwnText([("sv".to_owned(), "Text".to_owned())].into());
        assert_eq!(text.get("ar"), ("sv", "Text"));
        assert_eq!(text.get("sv"), ("sv", "Text"));
    }

    #[test]
    fn problems_are_reported_with_file_line_and_column() {
        let cases = [
            (MINIMAL.replace("2026-10-01", "\"2026-10-01\""), 4, 15, "invalid type"),
            (MINIMAL.replace("full", "mostly"), 3, 10, "unknown variant"),
            (MINIMAL.replace("contact_email", "contact_mail"), 2, 1, "unknown field"),
            (MINIMAL.replace("contact_email = \"a11y@storby.se\"", "contact_email = \" \""), 1, 16, "no contact"),
            (MINIMAL.replace("full", "partial"), 3, 10, "no gap is listed"),
            (
                format!("{MINIMAL}[[gaps]]\nfixed_by = 2027-01-01\ntext = {{ sv = \"Bara svenska\" }}\n"),
                3,
                10,
                "yet gaps are listed",
            ),
            (format!("{MINIMAL}updated_on = 2026-01-01\n[method]\nen = \"x\"\n"), 5, 14, "is before"),
            (format!("{MINIMAL}[method]\nen = \"x\"\n"), 5, 1, "needs a Swedish text"),
            (format!("{MINIMAL}[method]\nsv = \"x\"\nfi = \"x\"\n"), 5, 1, "does not speak"),
        ];
        for (source, line, column, message) in cases {
            let problem = parse("kommun.toml", &source).expect_err(&source);
            assert_eq!(
                (problem.file.as_str(), problem.line, problem.column),
                ("kommun.toml", line, column),
                "{problem}"
            );
            assert!(problem.message.contains(message), "{problem}");
        }
    }
}
