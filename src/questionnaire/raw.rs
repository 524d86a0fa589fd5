//! The questionnaire file exactly as written, with the position of every
//! value, so that validation can point at the line and column to fix.
//!
//! The same types describe the file to editors: `enkat schema` derives a JSON
//! Schema from them (`JsonSchema`), and their doc comments become the hints
//! an editor shows while typing, so they are written for administrators.
//! `Spanned<T>` has no schema of its own, so each field names the plain type
//! it stands for (`#[schemars(with = ...)]`); serde reads the file as before.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;

use super::{Access, Area, DatePrecision, ReportPeriod, Role};

/// What an id may look like; `load` checks the same rule and says why.
const ID_PATTERN: &str = "^[a-z][a-z0-9_-]{0,63}$";

/// A text: one string per language.
pub type RawText = BTreeMap<Spanned<String>, Spanned<String>>;

/// An option is a flat table (`{ id = "x", sv = "...", en = "..." }`), so its
/// keys are read one by one: which are languages depends on the file.
pub type RawOption = BTreeMap<Spanned<String>, Spanned<OptionValue>>;

pub type RawOptions = Spanned<Vec<Spanned<RawOption>>>;

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum OptionValue {
    Text(String),
    Flag(bool),
}

// The shape of a `RawText`, for the schema only: never built.
/// A text, one version per language of the survey: `{ sv = "Ja", en = "Yes" }`,
/// or a section with one key per language. Every language in `languages`,
/// and no other.
#[derive(JsonSchema)]
#[schemars(rename = "Text")]
#[expect(dead_code, reason = "only its schema is used")]
struct TextShape(BTreeMap<String, String>);

// The shape of a `RawOption`, for the schema only: never built.
/// One answer people can choose, on one line:
/// `{ id = "very_satisfied", sv = "Mycket nöjd", en = "Very satisfied" }`.
/// An `id`, and the answer's text under each language code of the survey.
#[derive(JsonSchema)]
#[schemars(rename = "Option")]
#[expect(dead_code, reason = "only its schema is used")]
struct OptionShape {
    /// The option's id, unique within its question (counting options from a
    /// list). Not `dont_know` or `other`. Answers are stored under it: do not
    /// change it once the survey is in use.
    #[schemars(pattern(ID_PATTERN))]
    id: String,
    /// Only in `multi` questions: `true` if this answer cannot be combined with
    /// others, such as "I got no practical support". At most one per question.
    #[schemars(default)]
    exclusive: bool,
    /// The answer's text in each language of the survey, keyed by language code.
    #[schemars(flatten)]
    texts: BTreeMap<String, String>,
}

/// A questionnaire file for enkat: one survey, its questions and every text
/// in every language it uses. Format: docs/questionnaire-format.md. Check
/// it with `enkat check questionnaires/`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Questionnaire")]
pub struct RawQuestionnaire {
    /// The survey's id; it is part of the address, `/s/{id}`. Lowercase
    /// letters a-z, digits, `-` and `_`, starting with a letter, at most 64
    /// characters. Do not change it once the survey is in use.
    #[schemars(with = "String", pattern(ID_PATTERN))]
    pub id: Spanned<String>,
    /// The unit of the organisation the survey belongs to (`unit = "nexus"`),
    /// written like an id; the survey's id by default. Staff are granted a
    /// role per unit (`enkat staff grant NAME --unit nexus --role viewer`)
    /// and never see another unit's surveys.
    #[schemars(with = "Option<String>", pattern(ID_PATTERN))]
    pub unit: Option<Spanned<String>>,
    /// The languages of the survey, the default first: `["sv", "en"]`. enkat
    /// speaks `sv`, `en` and `ar`. Every text must be written in each of them.
    #[schemars(with = "Vec<String>", length(min = 1))]
    pub languages: Spanned<Vec<Spanned<String>>>,
    /// The title at the top of the form.
    #[schemars(with = "TextShape")]
    pub title: Spanned<RawText>,
    /// Text under the title, before the first question: what the survey is
    /// for, that it is anonymous, how long it takes.
    #[schemars(with = "Option<TextShape>")]
    pub intro: Option<Spanned<RawText>>,
    /// Shown on the thank-you page after sending. Without it, a standard
    /// "Thank you for your answers!".
    #[schemars(with = "Option<TextShape>")]
    pub thanks: Option<Spanned<RawText>>,
    /// Shown on the thank-you page under the thanks: where to get help now
    /// (emergency numbers, helplines).
    #[schemars(with = "Option<TextShape>")]
    pub help: Option<Spanned<RawText>>,
    /// Which translations a translator has checked, per language other than
    /// the first in `languages` (the original): `[translations]`, then
    /// `ar = { reviewed = 2026-12-01 }`. A language without it is shown to
    /// respondents as not yet checked; a later change to the original makes
    /// the translation's texts stale again until the date is updated.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, RawTranslation>")]
    pub translations: BTreeMap<Spanned<String>, Spanned<RawTranslation>>,
    /// How exactly the date of each answer is stored: "day", "week" (the
    /// default: its Monday) or "month" (its first day). With few answers,
    /// choose "month".
    #[schemars(with = "Option<DatePrecision>")]
    pub date_precision: Option<Spanned<DatePrecision>>,
    /// The periods results are reported in: "month" (the default),
    /// "quarter", "half_year" or "year". Only whole periods that have ended
    /// are shown. With few answers a month, choose a longer period.
    #[schemars(with = "Option<ReportPeriod>")]
    pub report_period: Option<Spanned<ReportPeriod>>,
    /// Small-group protection: a figure in the results computed from fewer
    /// answers than this is not shown. Default 5; between 3 and 100.
    #[schemars(with = "Option<i64>", range(min = 3, max = 100))]
    pub min_report_n: Option<Spanned<i64>>,
    /// Who may answer: "open" (the default, anyone with the link) or "code"
    /// (one answer per one-time code).
    #[schemars(with = "Option<Access>")]
    pub access: Option<Spanned<Access>>,
    /// The first day the survey takes answers, a date without quotes:
    /// `opens = 2026-12-01`. Leave out for a survey that is always open.
    #[schemars(with = "Option<String>", extend("format" = "date"))]
    pub opens: Option<Spanned<toml::value::Datetime>>,
    /// The last day the survey takes answers, a date without quotes:
    /// `closes = 2027-01-31`. Not before `opens`.
    #[schemars(with = "Option<String>", extend("format" = "date"))]
    pub closes: Option<Spanned<toml::value::Datetime>>,
    /// For a shared tablet: the form starts afresh after every answer, and a
    /// form left untouched is cleared.
    #[serde(default)]
    pub kiosk: bool,
    /// The browser tab and history show "Enkät" / "Survey" instead of the
    /// title. Use it whenever the title names violence, a shelter or the service.
    #[serde(default)]
    pub neutral_title: bool,
    /// A public page, `/s/{id}/resultat`, linked from the start page, shows
    /// the people who answer the latest closed period's summary (the number
    /// of responses, the share positive per area, the support lacked most)
    /// and what the unit does about it. Never free texts.
    #[serde(default)]
    pub publish_results: bool,
    /// Before the answers are sent, a last page lists every answer with a
    /// way to change it.
    #[serde(default)]
    pub check_answers: bool,
    /// Graded answers that questions share, each under its id:
    /// `[scales.satisfied4]`. Questions name one with `scale = "satisfied4"`.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, RawScale>")]
    pub scales: BTreeMap<Spanned<String>, Spanned<RawScale>>,
    /// Options that several questions share, each under its id:
    /// `[lists.practical]`. Questions name one with `options_from = "practical"`.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, RawList>")]
    pub lists: BTreeMap<Spanned<String>, Spanned<RawList>>,
    /// The questions, each starting with `[[question]]`, in the order of the
    /// form. A survey in several steps uses `[[page]]` instead.
    #[serde(default, rename = "question")]
    #[schemars(with = "Vec<RawQuestion>")]
    pub questions: Vec<Spanned<RawQuestion>>,
    /// The steps of a form in several pages: each `[[page]]` with a `title`,
    /// followed by its questions as `[[page.question]]`.
    #[serde(default, rename = "page")]
    #[schemars(with = "Vec<RawPage>")]
    pub pages: Vec<Spanned<RawPage>>,
}

/// What is known about one translation: `{ reviewed = 2026-12-01 }`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Translation")]
pub struct RawTranslation {
    /// The day a translator last checked every text of this language against
    /// the original, a date without quotes: `reviewed = 2026-12-01`. Write
    /// the day of each new check: a change to the original after the version
    /// in which this date was last written makes the translation stale again.
    #[schemars(with = "String", extend("format" = "date"))]
    pub reviewed: Spanned<toml::value::Datetime>,
}

/// One step of a form in several pages: `[[page]]`, followed by its
/// questions as `[[page.question]]`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Page")]
pub struct RawPage {
    /// The page's heading.
    #[schemars(with = "TextShape")]
    pub title: Spanned<RawText>,
    /// Show the whole page only after a certain answer to a question on an
    /// earlier page.
    #[schemars(with = "Option<RawCondition>")]
    pub show_if: Option<Spanned<RawCondition>>,
    /// The page's questions, each starting with `[[page.question]]`. At least one.
    #[serde(default, rename = "question")]
    #[schemars(with = "Vec<RawQuestion>")]
    pub questions: Vec<Spanned<RawQuestion>>,
}

// Exactly one of `any_of`, `none_of` and `answered`: validation insists
// on it, the schema does not.
/// Shown only after a certain answer to an earlier question:
/// `{ question = "ID", any_of = ["a", "b"] }`, with exactly one of `any_of`,
/// `none_of` and `answered`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Condition")]
pub struct RawCondition {
    /// The id of the earlier question whose answer decides.
    #[schemars(with = "String")]
    pub question: Spanned<String>,
    /// Shown when at least one of these options was chosen. `other` and
    /// `dont_know` can be named too.
    #[schemars(with = "Option<Vec<String>>", length(min = 1))]
    pub any_of: Option<Spanned<Vec<Spanned<String>>>>,
    /// Shown when the question was answered, and with none of these options.
    #[schemars(with = "Option<Vec<String>>", length(min = 1))]
    pub none_of: Option<Spanned<Vec<Spanned<String>>>>,
    /// `true`: shown when the question was answered; `false`: when it was left
    /// unanswered. A question that was not shown counts as unanswered.
    #[schemars(with = "Option<bool>")]
    pub answered: Option<Spanned<bool>>,
}

/// A set of graded answers that several questions share, such as "Very
/// satisfied ... Very dissatisfied". Questions name it with `scale = "ID"`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Scale")]
pub struct RawScale {
    /// The steps of the scale, most positive first. At least one.
    #[schemars(with = "Vec<OptionShape>", length(min = 1))]
    pub options: RawOptions,
    /// The ids of the steps that count as positive in reports, usually the
    /// two most positive. At least one.
    #[schemars(with = "Vec<String>", length(min = 1))]
    pub positive: Spanned<Vec<Spanned<String>>>,
    /// The text of an extra answer such as "Don't know / not applicable",
    /// stored as `dont_know` and never counted in a share.
    #[schemars(with = "Option<TextShape>")]
    pub dont_know: Option<Spanned<RawText>>,
}

/// Options that several `single` or `multi` questions share, so that their
/// answers can be compared. Questions name it with `options_from = "ID"`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "List")]
pub struct RawList {
    /// The options, in the order shown. At least one.
    #[schemars(with = "Vec<OptionShape>", length(min = 1))]
    pub options: RawOptions,
}

/// The kind of answer a question takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[schemars(rename = "QuestionType")]
pub enum RawKind {
    /// One step of a scale (plus "don't know", if the scale has it); needs `scale`.
    Scale,
    /// One option; needs `options` and/or `options_from`.
    Single,
    /// Any number of options; needs `options` and/or `options_from`.
    Multi,
    /// Free text.
    Text,
}

/// One question, starting with `[[question]]` (or `[[page.question]]`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Question")]
pub struct RawQuestion {
    /// The question's id, unique within the survey. Answers are stored under
    /// it: do not change it once the survey is in use.
    #[schemars(with = "String", pattern(ID_PATTERN))]
    pub id: Spanned<String>,
    /// "scale", "single", "multi" or "text".
    #[serde(rename = "type")]
    #[schemars(with = "RawKind")]
    pub kind: Spanned<RawKind>,
    /// The question.
    #[schemars(with = "TextShape")]
    pub text: Spanned<RawText>,
    /// A short help text shown under the question.
    #[schemars(with = "Option<TextShape>")]
    pub hint: Option<Spanned<RawText>>,
    /// A heading shown before this question, starting a new part of the form.
    #[schemars(with = "Option<TextShape>")]
    pub section: Option<Spanned<RawText>>,
    /// `true`: the form cannot be sent without an answer.
    #[serde(default)]
    pub required: bool,
    /// What the question measures, for the reports.
    #[schemars(with = "Option<Role>")]
    pub role: Option<Spanned<Role>>,
    /// The quality area of a question with role = "satisfaction" (and only
    /// of those), written with å, ä, ö.
    #[schemars(with = "Option<Area>")]
    pub area: Option<Spanned<Area>>,
    /// Only for type "scale", and required there: the id of a scale under
    /// `[scales.ID]`.
    #[schemars(with = "Option<String>")]
    pub scale: Option<Spanned<String>>,
    /// Only for "single" and "multi": the question's own options, after any
    /// from `options_from`.
    #[schemars(with = "Option<Vec<OptionShape>>", length(min = 1))]
    pub options: Option<RawOptions>,
    /// Only for "single" and "multi": the id of a list under `[lists.ID]`
    /// whose options come first.
    #[schemars(with = "Option<String>")]
    pub options_from: Option<Spanned<String>>,
    /// Only for "single" and "multi": the id of a "multi" question on an
    /// earlier page. Only the options the person chose there are offered,
    /// and the question is not shown when none of them was.
    #[schemars(with = "Option<String>")]
    pub options_chosen_in: Option<Spanned<String>>,
    /// Only for "single" and "multi": `true` adds "Something else:" with a
    /// text field, stored as `other`.
    #[schemars(with = "Option<bool>")]
    pub other: Option<Spanned<bool>>,
    /// Only for type "text": the longest answer allowed, in characters.
    /// Default 2000, at most 10000.
    #[schemars(with = "Option<i64>", range(min = 1, max = 10000))]
    pub max_length: Option<Spanned<i64>>,
    /// Show the question only after a certain answer to an earlier question.
    #[schemars(with = "Option<RawCondition>")]
    pub show_if: Option<Spanned<RawCondition>>,
}
