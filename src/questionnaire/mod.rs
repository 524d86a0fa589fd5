//! Questionnaires: the model administrators write as TOML, its validation
//! (`load`), and the checking of a respondent's answers against it (`answers`).
//!
//! The format is documented for administrators in `docs/questionnaire-format.md`.

mod answers;
mod availability;
mod check;
pub mod compat;
mod flow;
mod follow;
mod live;
mod load;
pub mod protocol;
mod raw;
mod schema;
pub mod translations;
pub mod versions;

use std::collections::BTreeMap;
use std::fmt;

use schemars::JsonSchema;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use time::{Date, Duration};

pub use answers::{
    Answer, AnswerError, AnswerProblem, Channel, FormInput, OTHER_MAX_LENGTH, UnknownField, validate, validate_from,
    validate_until,
};
pub use availability::Availability;
pub use flow::{Aside, Condition, NoSuchPage, Page, Resume, Screen, Shown, Step, Test, next_step};
pub use live::{LiveCatalog, Reload};
pub use load::{Catalog, Problem, load_dir, load_paths, parse};
pub use schema::json_schema;

/// A questionnaire as the service serves it: validated, with every text
/// present in every declared language.
#[derive(Debug, Clone)]
pub struct Questionnaire {
    /// Used in the URL `/s/{id}` and in every stored response.
    pub id: String,
    /// Hash of the file's content; stored with every response.
    pub version: Version,
    /// The file's full text, stored once per version so old answers can
    /// always be read against the exact questions they answered.
    pub source: String,
    /// Declared languages, the default first.
    pub languages: Vec<String>,
    pub title: Text,
    pub intro: Option<Text>,
    pub thanks: Option<Text>,
    pub help: Option<Text>,
    /// The day a translator last checked each translated language, from
    /// `[translations]`; a language not here has not been checked.
    pub reviewed: BTreeMap<String, Date>,
    pub date_precision: DatePrecision,
    /// The closed periods figures are reported in (`report::period`).
    pub report_period: ReportPeriod,
    /// Figures computed from fewer answers than this are suppressed in
    /// reports and aggregated exports, so no one can be singled out.
    pub min_report_n: u64,
    /// Who may answer: anyone with the link, or only with a one-time code.
    pub access: Access,
    /// The first day the survey takes answers, in the service's time zone.
    pub opens: Option<Date>,
    /// The last day the survey takes answers, in the service's time zone.
    pub closes: Option<Date>,
    /// The unit of the organisation it belongs to: staff hold roles per
    /// unit (`crate::staff::roles`). The id when the file names none.
    pub unit: String,
    /// For a shared tablet: the form starts afresh after each response.
    pub kiosk: bool,
    /// For a survey whose title tells of violence or of the service: the tab
    /// title (and so the history) shows a neutral word instead.
    pub neutral_title: bool,
    /// The people who answer may see the latest closed period's summary on
    /// `/s/{id}/resultat`, as staff see it, with what the unit does now.
    pub publish_results: bool,
    /// Before the final send, a page lists every answer with a way to change it.
    pub check_answers: bool,
    /// Every question, in file order, whatever page it is on.
    pub questions: Vec<Question>,
    /// The form's pages, each a range of `questions`; one page without `[[page]]`.
    pub pages: Vec<Page>,
}

/// Who may answer a questionnaire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Access {
    /// Anyone with the link `/s/{id}`.
    #[default]
    Open,
    /// One answer per one-time code, handed out on cards or by SMS.
    Code,
}

impl Questionnaire {
    /// The language a respondent sees when they ask for none, or for one
    /// this questionnaire does not have.
    pub fn language<'a>(&'a self, requested: Option<&str>) -> &'a str {
        requested.and_then(|wanted| self.languages.iter().find(|lang| *lang == wanted)).unwrap_or(&self.languages[0])
    }

    /// Whether `language` is a translation no translator has checked: any
    /// language but the original (the first) without a `reviewed` marker.
    pub fn unreviewed_translation(&self, language: &str) -> bool {
        language != self.languages[0] && !self.reviewed.contains_key(language)
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|question| question.id == id)
    }
}

/// The hash of a questionnaire file's content: a short, stable name for
/// exactly that text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Version(String);

impl Version {
    /// 16 hex digits of SHA-256: short enough for a URL, long enough that two
    /// versions of one questionnaire never collide.
    pub fn of(source: &str) -> Version {
        let digest = Sha256::digest(source.as_bytes());
        Version(hex::encode(&digest[..8]))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One text in every language of its questionnaire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text(BTreeMap<String, String>);

impl Text {
    /// The text in `language`. Validation guarantees every declared language
    /// is present; an undeclared one falls back to any text rather than panic.
    pub fn get(&self, language: &str) -> &str {
        self.0.get(language).or_else(|| self.0.values().next()).map(String::as_str).unwrap_or_default()
    }
}

/// How coarsely the date of a response is stored, so that someone who knows
/// when a person answered cannot pick out their response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum DatePrecision {
    /// The day the answer was sent: only if many people answer every day.
    Day,
    /// The Monday of the ISO week.
    #[default]
    Week,
    /// The first day of the month.
    Month,
}

impl DatePrecision {
    /// The date that is stored for a response given on `date`.
    pub fn coarsen(self, date: Date) -> Date {
        match self {
            DatePrecision::Day => date,
            DatePrecision::Week => date - Duration::days(i64::from(date.weekday().number_days_from_monday())),
            DatePrecision::Month => date.replace_day(1).expect("every month has a first day"),
        }
    }

    /// The earliest stored date on or after `first_day`: what a response
    /// dated in a period starting `first_day` is stored as. Not simply
    /// `coarsen(first_day)`, which for weeks may be the Monday before, in
    /// the period before.
    pub fn first_within(self, first_day: Date) -> Date {
        let mut day = first_day;
        while self.coarsen(day) < first_day {
            day += Duration::days(1);
        }
        self.coarsen(day)
    }
}

/// The periods results are reported in. Figures only ever cover whole
/// periods that have ended, so a figure once shown never changes and two
/// figures never differ by a few people (see `docs/privacy.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Default, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportPeriod {
    /// Calendar months (the default).
    #[default]
    Month,
    /// Calendar quarters.
    Quarter,
    /// January–June and July–December.
    HalfYear,
    /// Calendar years.
    Year,
}

/// One question on the form.
#[derive(Debug, Clone)]
pub struct Question {
    pub id: String,
    pub text: Text,
    pub hint: Option<Text>,
    /// A heading shown before this question, starting a new part of the form.
    pub section: Option<Text>,
    pub required: bool,
    /// What the answers are evidence of, for reports.
    pub role: Option<Role>,
    /// The SKR quality area of a satisfaction question.
    pub area: Option<Area>,
    /// Shown only when an earlier answer allows (`show_if`).
    pub condition: Option<Condition>,
    /// `options_chosen_in`: the id of a multi question on an earlier page;
    /// only the options chosen there are offered (`offered_choices`).
    pub options_chosen_in: Option<String>,
    pub kind: QuestionKind,
}

/// What kind of answer a question takes.
#[derive(Debug, Clone)]
pub enum QuestionKind {
    /// One step of a shared answer scale.
    Scale(Scale),
    /// One option.
    Single { options: Vec<Choice>, other: bool },
    /// Any number of options; an exclusive option stands alone.
    Multi { options: Vec<Choice>, other: bool },
    /// Free text.
    Text { max_length: usize },
}

impl QuestionKind {
    /// The options a respondent can pick, in form order (a scale's "don't
    /// know" last); empty for text questions.
    pub fn choices(&self) -> Vec<Choice> {
        match self {
            QuestionKind::Scale(scale) => {
                let mut choices = scale.options.clone();
                if let Some(text) = &scale.dont_know {
                    choices.push(Choice { id: DONT_KNOW.to_owned(), text: text.clone(), exclusive: false });
                }
                choices
            }
            QuestionKind::Single { options, .. } | QuestionKind::Multi { options, .. } => options.clone(),
            QuestionKind::Text { .. } => Vec::new(),
        }
    }

    /// Whether the question offers "Something else:" with a text field.
    pub fn has_other(&self) -> bool {
        matches!(self, QuestionKind::Single { other: true, .. } | QuestionKind::Multi { other: true, .. })
    }
}

/// The option id a scale's "don't know" answer is stored as.
pub const DONT_KNOW: &str = "dont_know";
/// The option id "Something else:" is stored as, with its text.
pub const OTHER: &str = "other";

/// A reusable answer scale, most positive step first.
#[derive(Debug, Clone)]
pub struct Scale {
    pub id: String,
    pub options: Vec<Choice>,
    /// Option ids that count as positive in reports.
    pub positive: Vec<String>,
    /// The extra answer "don't know", never counted in n.
    pub dont_know: Option<Text>,
}

/// One option of a question or scale.
#[derive(Debug, Clone)]
pub struct Choice {
    pub id: String,
    pub text: Text,
    /// An answer like "I got no practical support" that excludes all others.
    pub exclusive: bool,
}

/// What a question's answers are evidence of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// How satisfied people were; reported as the share of positive answers,
    /// per question and per quality area. Type "scale", with an `area`.
    Satisfaction,
    /// Practical support people needed but did not get. Type "single" or "multi".
    UnmetSupport,
    /// Practical support people received. Type "single" or "multi".
    ReceivedSupport,
    /// About the person or their situation, for breakdowns. Type "single" or "multi".
    Background,
}

/// The quality areas of SKR's national user surveys, plus safety.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum Area {
    /// Accessibility: how easy it was to get in touch.
    #[serde(rename = "tillgänglighet")]
    Tillganglighet,
    /// Information: whether people understood what they were told.
    #[serde(rename = "information")]
    Information,
    /// How people were treated: respect, being listened to.
    #[serde(rename = "bemötande")]
    Bemotande,
    /// Participation: influence over one's own support.
    #[serde(rename = "delaktighet")]
    Delaktighet,
    /// Change: whether the situation got better.
    #[serde(rename = "förändring")]
    Forandring,
    /// Overall satisfaction.
    #[serde(rename = "helhet")]
    Helhet,
    /// Feeling safe.
    #[serde(rename = "trygghet")]
    Trygghet,
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_period_s_first_stored_date_is_inside_it() {
        // Tuesday 1 December 2026: its week's Monday is in November.
        assert_eq!(DatePrecision::Week.first_within(date!(2026 - 12 - 01)), date!(2026 - 12 - 07));
        assert_eq!(DatePrecision::Week.first_within(date!(2026 - 06 - 01)), date!(2026 - 06 - 01), "a Monday");
        assert_eq!(DatePrecision::Month.first_within(date!(2026 - 12 - 01)), date!(2026 - 12 - 01));
        assert_eq!(DatePrecision::Day.first_within(date!(2026 - 12 - 01)), date!(2026 - 12 - 01));
    }

    #[test]
    fn week_precision_stores_the_monday_of_the_iso_week() {
        // 2026-11-26 is a Thursday; 2027-01-01 a Friday in ISO week 53 of 2026.
        assert_eq!(DatePrecision::Week.coarsen(date!(2026 - 11 - 26)), date!(2026 - 11 - 23));
        assert_eq!(DatePrecision::Week.coarsen(date!(2026 - 11 - 23)), date!(2026 - 11 - 23));
        assert_eq!(DatePrecision::Week.coarsen(date!(2026 - 11 - 29)), date!(2026 - 11 - 23));
        assert_eq!(DatePrecision::Week.coarsen(date!(2027 - 01 - 01)), date!(2026 - 12 - 28));
    }

    #[test]
    fn month_and_day_precision() {
        assert_eq!(DatePrecision::Month.coarsen(date!(2026 - 11 - 26)), date!(2026 - 11 - 01));
        assert_eq!(DatePrecision::Day.coarsen(date!(2026 - 11 - 26)), date!(2026 - 11 - 26));
    }

    #[test]
    fn version_is_a_short_content_hash() {
        let version = Version::of("id = \"a\"");
        assert_eq!(version.as_str().len(), 16);
        assert_eq!(version, Version::of("id = \"a\""));
        assert_ne!(version, Version::of("id = \"b\""));
    }
}
