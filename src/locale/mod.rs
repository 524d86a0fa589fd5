//! Interface text in each language enkat speaks: the words around a
//! questionnaire (buttons, error messages, the thank-you page), as opposed to
//! the questionnaire's own texts, which its administrator writes.
//!
//! Each language is one TOML file beside this one (`sv.toml` is the
//! reference, with a comment on what each key is for), embedded in the
//! binary and read once. Every file must have every key and no other:
//! `enkat check` and the tests refuse one that does not, with its line and
//! column, so a missing translation never reaches a respondent.

mod negotiate;

use std::ops::Range;
use std::sync::LazyLock;

use serde::Deserialize;

pub use negotiate::preferred;

/// Which way a language's script runs, for `<html dir>` and the layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Left to right, as Swedish and English.
    Ltr,
    /// Right to left, as Arabic: the page mirrors.
    Rtl,
}

impl Direction {
    /// The value of the HTML `dir` attribute.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }
}

/// The interface strings of one language. What each is for: `sv.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Locale {
    /// BCP 47 code, as used in `languages` and `<html lang>`.
    pub code: String,
    /// The language's own name for itself, for language links.
    pub name: String,
    pub direction: Direction,
    pub leave_page: String,
    pub required: String,
    pub optional: String,
    pub choose_any: String,
    pub submit: String,
    pub other_label: String,
    pub error_prefix: String,
    pub error_summary_title: String,
    /// A required choice question without a "don't know": choose an answer.
    pub error_choose: String,
    /// A required question with a "don't know" (`{option}`): choose, or that.
    pub error_choose_or_dont_know: String,
    /// A required free-text question: write an answer.
    pub error_write: String,
    pub error_unknown_option: String,
    pub error_one_only: String,
    /// `{option}` is replaced by the exclusive option's text.
    pub error_exclusive: String,
    /// `{max}` is replaced by the limit in characters.
    pub error_too_long: String,
    pub error_other_missing: String,
    /// `{max}` is replaced by the limit in characters.
    pub max_characters: String,
    pub thanks_title: String,
    pub thanks_default: String,
    pub not_found_title: String,
    pub not_found_text: String,
    pub bad_request_title: String,
    pub bad_request_text: String,
    pub unavailable_title: String,
    pub unavailable_text: String,
    /// A form over the size limit (413).
    pub too_large_title: String,
    pub too_large_text: String,
    /// A request that did not arrive in time (408).
    pub timeout_title: String,
    pub timeout_text: String,
    /// A known address asked with the wrong method (405).
    pub method_not_allowed_title: String,
    pub method_not_allowed_text: String,
    pub language_choice: String,
    /// The group of those who skipped a question, in reports.
    pub no_answer: String,
    /// Before `opens` and after `closes`: the survey takes no answers.
    pub not_open: String,
    /// `{date}` is replaced by the opening day, written out (`long_date`).
    pub opens_on: String,
    /// `{date}` is replaced by the last day, written out (`long_date`).
    pub closed_on: String,
    /// A form sent from a version replaced too long ago: nothing was stored.
    pub version_changed_title: String,
    pub version_changed_text: String,
    /// The link to the start page of the questionnaire as it is now.
    pub version_changed_start_again: String,
    /// Month names as written inside a sentence, January first.
    pub months: [String; 12],
    /// On a kiosk's thank-you page, before it returns to an empty form.
    pub kiosk_restarting: String,
    /// The thank-you page's link to an empty form at once, in kiosk mode.
    pub kiosk_restart_now: String,
    /// The form's link to start afresh, discarding the answers, in kiosk mode.
    pub kiosk_restart: String,
    /// The second, visually hidden exit link, the second Tab stop.
    pub leave_page_quickly: String,
    /// The link past the exit bar to the page's content.
    pub skip_to_content: String,
    /// Announced after the first press of Shift (the script reads it).
    pub shift_two_more: String,
    /// Announced after the second press of Shift.
    pub shift_one_more: String,
    /// Announced as the page is left.
    pub leaving: String,
    /// The tab title of a questionnaire with `neutral_title`: what someone
    /// looking at the tabs or the history sees.
    pub neutral_title: String,
    /// The safety and privacy pages' link back to the questionnaire.
    pub back_to_survey: String,
    /// The name of the footer's group of links, for screen readers.
    pub footer_label: String,
    /// The start page's button to the first page of questions.
    pub start: String,
    /// On the start page, in a questionnaire's translation no translator
    /// has checked yet (no `reviewed` marker for the language).
    pub unreviewed_translation: String,
    /// The button to the next page of a questionnaire split into pages.
    pub next_page: String,
    /// The button back to the previous page; the answers are kept.
    pub previous_page: String,
    /// Where the person is; `{n}` and `{total}` are replaced by numbers.
    pub page_progress: String,
    /// The heading of the "check your answers" page.
    pub check_title: String,
    /// Under that heading.
    pub check_lead: String,
    /// The button beside an answer on the check page.
    pub change: String,
    /// On the check page, for a question left unanswered.
    pub not_answered: String,
    /// An option's text inside a sentence; `{text}` is the text.
    pub quoted: String,
    /// Under a question shown only after a certain answer, for those without
    /// JavaScript (with it, the question appears and disappears): `{question}`
    /// is the earlier question, `{options}` its options, each `quoted`.
    pub shown_if_any_of: String,
    /// The same, for `none_of`.
    pub shown_if_none_of: String,
    /// The same, for `answered = true`.
    pub shown_if_answered: String,
    /// The same, for `answered = false`.
    pub shown_if_unanswered: String,
    /// Between the last two options in `{options}`.
    pub or: String,
    /// Announced politely when a question appears; `{question}` is its text.
    pub question_shown: String,
    /// Announced politely when a question disappears.
    pub question_hidden: String,
    /// The pages of a questionnaire answered with one-time codes.
    pub codes: CodeTexts,
    /// The "Using this safely" page.
    pub safety: InfoPage,
    /// The privacy page; `{contact}` is replaced by who is responsible.
    pub privacy: InfoPage,
    /// The results page for respondents (`publish_results`).
    pub results: ResultsTexts,
    /// The accessibility statement and its form for reporting problems.
    pub statement: StatementTexts,
    /// The questionnaire printed on paper.
    pub print: PrintTexts,
}

/// The words of a questionnaire printed on paper, around its own texts.
/// What each is for: `sv.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrintTexts {
    pub how_to: String,
    pub tick_one: String,
    pub tick_several: String,
    pub exclusive: String,
    pub write_here: String,
    /// `{n}` is the earlier question's number, `{options}` its options.
    pub answer_if_any_of: String,
    pub answer_if_none_of: String,
    pub answer_if_answered: String,
    pub answer_if_unanswered: String,
    /// The same for a page with a condition.
    pub skip_unless_any_of: String,
    pub skip_unless_none_of: String,
    pub skip_unless_answered: String,
    pub skip_unless_unanswered: String,
    /// `{n}` is the number of the question the options were ticked in.
    pub chosen_in: String,
    pub code_label: String,
    pub code_once: String,
    pub code_web: String,
}

/// The words of the results page for respondents: the latest closed
/// period's summary and what the unit does now.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultsTexts {
    /// The start page's link to the results page.
    pub link: String,
    /// The page's heading and tab title.
    pub title: String,
    /// `{period}` is replaced by the period's first and last day.
    pub period: String,
    /// `{n}` is replaced by the number of responses.
    pub responses: String,
    /// No figures: fewer than `{min}` responses in the period.
    pub too_few: String,
    /// The caption of the table of areas.
    pub areas_caption: String,
    pub area_column: String,
    pub share_column: String,
    /// In place of a share withheld for too few answers.
    pub too_few_short: String,
    pub lacked_heading: String,
    /// Under that heading: what the shares are of.
    pub lacked_lead: String,
    /// The heading of the staff's text about what they do now.
    pub now_heading: String,
    /// What the page leaves out and why; `{min}` is `min_report_n`.
    pub protection: String,
    /// A share; `{n}` is a whole number of percent.
    pub percent: String,
    /// The "something else" answer of a question, in a ranking.
    pub something_else: String,
    /// The names of SKR's quality areas.
    pub areas: AreaNames,
}

/// SKR's quality areas, and safety, as a respondent reads them.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AreaNames {
    pub tillganglighet: String,
    pub information: String,
    pub bemotande: String,
    pub delaktighet: String,
    pub forandring: String,
    pub helhet: String,
    pub trygghet: String,
}

/// The fixed wording of the accessibility statement, around the facts of
/// the organisation's statement file. What each is for: `sv.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatementTexts {
    pub link: String,
    pub title: String,
    pub lead: String,
    pub applies_heading: String,
    pub applies: String,
    pub status_heading: String,
    pub status_full: String,
    pub status_partial: String,
    pub status_none: String,
    pub gaps_heading: String,
    pub gaps_lead: String,
    pub no_gaps: String,
    pub fixed_by: String,
    pub report_heading: String,
    pub report_lead: String,
    pub report_anonymous: String,
    pub contact: String,
    pub email: String,
    pub phone: String,
    pub text_label: String,
    pub text_hint: String,
    pub page_label: String,
    pub send: String,
    pub error_empty: String,
    pub error_too_long: String,
    pub error_page_too_long: String,
    pub enforcement_heading: String,
    pub enforcement: String,
    pub enforcement_link: String,
    pub method_heading: String,
    pub method_default: String,
    pub assessed: String,
    pub updated: String,
    pub thanks_title: String,
    pub thanks_text: String,
    pub back: String,
    pub busy_title: String,
    pub busy_text: String,
    pub cross_site_title: String,
    pub cross_site_text: String,
}

/// The words of a coded questionnaire's start page and refusals.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeTexts {
    /// Above the start page's field.
    pub intro: String,
    pub label: String,
    /// The code's format, under the label.
    pub hint: String,
    pub continue_button: String,
    /// A form sent without its code.
    pub missing: String,
    /// A character no code has.
    pub unknown_symbol: String,
    pub wrong_length: String,
    /// The check symbol does not match.
    pub mistyped: String,
    /// A well-formed code that is used, revoked or unknown.
    pub used_title: String,
    pub used_text: String,
    pub used_advice: String,
    /// The link back to the start page.
    pub try_another: String,
    /// A code attempt held back by the brake on wrong codes (429): the
    /// same for right and wrong codes.
    pub busy_title: String,
    pub busy_text: String,
    pub busy_advice: String,
}

/// A page of plain information: a title, a lead paragraph and sections.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InfoPage {
    /// The page's heading, and the text of the links to it.
    pub title: String,
    /// The paragraph under the heading: what the page is for.
    pub lead: String,
    pub sections: Vec<InfoSection>,
}

/// One section of an `InfoPage`: a heading and its paragraphs.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InfoSection {
    /// An `<h2>`.
    pub heading: String,
    /// Plain text, one `<p>` each.
    pub paragraphs: Vec<String>,
}

/// The built-in locale files, default first: each as named in problems
/// (its path in the repository) and its text. A new language is a new file
/// here and a line in this list.
const FILES: &[(&str, &str)] = &[
    ("src/locale/sv.toml", include_str!("sv.toml")),
    ("src/locale/en.toml", include_str!("en.toml")),
    ("src/locale/ar.toml", include_str!("ar.toml")),
];

/// Every language enkat has interface text for, default first. Read from
/// the embedded files on first use; a broken file panics here with its
/// problem, which the tests (and `enkat check`) make sure never ships.
pub static LOCALES: LazyLock<Vec<Locale>> = LazyLock::new(|| {
    FILES.iter().map(|(file, source)| parse(file, source).unwrap_or_else(|problem| panic!("{problem}"))).collect()
});

/// The interface text for `code`, if enkat speaks that language.
pub fn find(code: &str) -> Option<&'static Locale> {
    LOCALES.iter().find(|locale| locale.code == code)
}

/// The interface text for `code`, or Swedish, the service's home language.
pub fn get(code: &str) -> &'static Locale {
    find(code).unwrap_or(&LOCALES[0])
}

/// A date written out as in a sentence: "1 december 2026", "1 December 2026".
pub fn long_date(locale: &Locale, date: time::Date) -> String {
    let month = &locale.months[usize::from(u8::from(date.month())) - 1];
    format!("{} {month} {}", date.day(), date.year())
}

/// A mistake in a locale file, where it is and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct LocaleProblem {
    pub file: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, counted in characters.
    pub column: usize,
    pub message: String,
}

/// Every problem in the built-in locale files; empty when all is well.
/// Unlike `LOCALES`, it never panics, so `enkat check` can report them.
pub fn check() -> Vec<LocaleProblem> {
    let mut problems = Vec::new();
    for (file, source) in FILES {
        match parse(file, source) {
            Ok(locale) => {
                // `find` goes by `code`: a copied file left with the old code
                // would hide the language it was copied from.
                let named = file.rsplit('/').next().and_then(|name| name.strip_suffix(".toml")).unwrap_or_default();
                if locale.code != named {
                    let span = code_span(source);
                    problems.push(at(
                        file,
                        source,
                        span,
                        format!("the code `{}` does not match the file's name: write code = \"{named}\"", locale.code),
                    ));
                }
            }
            Err(problem) => problems.push(problem),
        }
    }
    problems
}

/// Reads one locale file; `file` only names where a problem is.
pub fn parse(file: &str, source: &str) -> Result<Locale, LocaleProblem> {
    toml::from_str(source).map_err(|error| {
        let span = error.span().unwrap_or(0..0);
        at(file, source, span, explain(error.message()))
    })
}

/// Where `code = ...` is, for a problem about it.
fn code_span(source: &str) -> Range<usize> {
    #[derive(Deserialize)]
    struct Code {
        code: toml::Spanned<String>,
    }
    toml::from_str::<Code>(source).map(|found| found.code.span()).unwrap_or(0..0)
}

fn at(file: &str, source: &str, span: Range<usize>, message: String) -> LocaleProblem {
    let before = &source[..span.start.min(source.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or_default().chars().count() + 1;
    LocaleProblem { file: file.to_owned(), line, column, message }
}

/// serde's wording, turned into what a translator can act on.
fn explain(message: &str) -> String {
    let message = message.trim();
    if let Some(key) = message.strip_prefix("missing field `").and_then(|rest| rest.strip_suffix('`')) {
        return format!("missing key `{key}`: every locale has every key of src/locale/sv.toml; add it, translated");
    }
    if let Some(rest) = message.strip_prefix("unknown field `")
        && let Some((key, _)) = rest.split_once('`')
    {
        return format!(
            "unknown key `{key}`: enkat has no text of that name; correct its spelling or remove it (the keys are those of src/locale/sv.toml)"
        );
    }
    if let Some(rest) = message.strip_prefix("unknown variant `")
        && let Some((value, expected)) = rest.split_once("`, expected ")
    {
        return format!("`{value}` is not allowed here: use {}", expected.replace('`', ""));
    }
    message.to_owned()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn every_shipped_locale_reads_and_has_the_code_of_its_file() {
        assert_eq!(check(), Vec::new());
        let codes: Vec<&str> = LOCALES.iter().map(|locale| locale.code.as_str()).collect();
        assert_eq!(codes, ["sv", "en", "ar"], "Swedish first: it is the default");
        assert_eq!(get("ar").direction, Direction::Rtl);
        assert_eq!(get("en").direction, Direction::Ltr);
        assert_eq!(get("xx").code, "sv", "an unknown language falls back to Swedish");
    }

    /// Every key path of a TOML document, lists of tables and of texts
    /// numbered, each with the `{placeholders}` its text has.
    fn keys(prefix: &str, value: &toml::Value, into: &mut BTreeSet<(String, Vec<String>)>) {
        match value {
            toml::Value::Table(table) => {
                for (key, value) in table {
                    keys(&format!("{prefix}.{key}"), value, into);
                }
            }
            toml::Value::Array(items) => {
                for (n, item) in items.iter().enumerate() {
                    keys(&format!("{prefix}[{n}]"), item, into);
                }
            }
            toml::Value::String(text) => {
                let placeholders = text
                    .split('{')
                    .skip(1)
                    .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_owned()))
                    .collect();
                into.insert((prefix.to_owned(), placeholders));
            }
            _ => {
                into.insert((prefix.to_owned(), Vec::new()));
            }
        }
    }

    #[test]
    fn every_locale_has_the_keys_sections_paragraphs_and_placeholders_of_swedish() {
        let key_set = |source: &str| {
            let mut found = BTreeSet::new();
            keys("", &toml::Value::Table(toml::from_str(source).expect("valid TOML")), &mut found);
            found
        };
        let (reference_file, reference) = FILES[0];
        let expected = key_set(reference);
        for (file, source) in &FILES[1..] {
            let found = key_set(source);
            let missing: Vec<_> = expected.difference(&found).collect();
            let extra: Vec<_> = found.difference(&expected).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{file} differs from {reference_file}:\n  missing or different: {missing:?}\n  extra or different: {extra:?}"
            );
        }
    }

    #[test]
    fn a_missing_key_is_reported_with_file_line_and_column() {
        let source = FILES[0].1.replace("leave_page = \"Lämna sidan\"\n", "");
        let problem = parse("src/locale/ar.toml", &source).unwrap_err();
        assert_eq!(problem.file, "src/locale/ar.toml");
        assert!(problem.message.starts_with("missing key `leave_page`"), "{problem}");
        assert!(problem.to_string().starts_with("src/locale/ar.toml:1:1: missing key `leave_page`"), "{problem}");
    }

    #[test]
    fn a_missing_key_in_a_table_is_reported_at_the_table() {
        let source = FILES[0].1.replace("label = \"Kod från kortet\"\n", "");
        let problem = parse("src/locale/xx.toml", &source).unwrap_err();
        let line = source
            .lines()
            .position(|line| line == "intro = \"Du svarar med en engångskod. Koden står på kortet du fick.\"")
            .unwrap();
        assert!(problem.message.starts_with("missing key `label`"), "{problem}");
        assert!(problem.line >= line - 2 && problem.line <= line + 1, "near [codes] (line {line}): {problem}");
    }

    #[test]
    fn an_unknown_key_is_reported_where_it_is_counted_in_characters() {
        let with_unknown =
            FILES[0].1.replace("footer_label = \"Om sidan\"", "footer_label = \"Om sidan\"\nsidfot = \"Om sidan\"");
        let problem = parse("src/locale/ar.toml", &with_unknown).unwrap_err();
        let line = with_unknown.lines().position(|line| line.starts_with("sidfot")).unwrap() + 1;
        assert_eq!(
            problem.to_string(),
            format!(
                "src/locale/ar.toml:{line}:1: unknown key `sidfot`: enkat has no text of that name; correct its spelling or remove it (the keys are those of src/locale/sv.toml)"
            )
        );
    }

    #[test]
    fn a_direction_is_ltr_or_rtl() {
        let source = FILES[0].1.replace("direction = \"ltr\"", "direction = \"åt höger\"");
        let problem = parse("src/locale/sv.toml", &source).unwrap_err();
        let line = source.lines().position(|line| line.starts_with("direction")).unwrap() + 1;
        assert_eq!((problem.line, problem.column), (line, 13), "{problem}");
        assert!(problem.message.contains("`åt höger` is not allowed here: use ltr or rtl"), "{problem}");
    }

    #[test]
    fn columns_are_counted_in_characters_not_bytes() {
        // `leave_page = "Lämna sidan"` is 26 characters and 27 bytes long.
        let source = FILES[0].1.replace("\"Lämna sidan\"\n", "\"Lämna sidan\", x\n");
        let problem = parse("src/locale/sv.toml", &source).unwrap_err();
        let line = source.lines().position(|line| line.starts_with("leave_page")).unwrap() + 1;
        assert_eq!((problem.line, problem.column), (line, 27), "{problem}");
    }

    #[test]
    fn dates_are_written_out_in_each_language() {
        let date = time::macros::date!(2026 - 12 - 01);
        assert_eq!(long_date(get("sv"), date), "1 december 2026");
        assert_eq!(long_date(get("en"), date), "1 December 2026");
        assert_eq!(long_date(get("ar"), date), "1 ديسمبر 2026");
    }
}
