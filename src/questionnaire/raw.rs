//! The questionnaire file exactly as written, with the position of every
//! value, so that validation can point at the line and column to fix.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::{Access, Area, DatePrecision, Role};

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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQuestionnaire {
    pub id: Spanned<String>,
    pub languages: Spanned<Vec<Spanned<String>>>,
    pub title: Spanned<RawText>,
    pub intro: Option<Spanned<RawText>>,
    pub thanks: Option<Spanned<RawText>>,
    pub help: Option<Spanned<RawText>>,
    pub date_precision: Option<Spanned<DatePrecision>>,
    pub min_report_n: Option<Spanned<i64>>,
    pub access: Option<Spanned<Access>>,
    pub opens: Option<Spanned<toml::value::Datetime>>,
    pub closes: Option<Spanned<toml::value::Datetime>>,
    #[serde(default)]
    pub kiosk: bool,
    #[serde(default)]
    pub neutral_title: bool,
    #[serde(default)]
    pub check_answers: bool,
    #[serde(default)]
    pub scales: BTreeMap<Spanned<String>, Spanned<RawScale>>,
    #[serde(default)]
    pub lists: BTreeMap<Spanned<String>, Spanned<RawList>>,
    #[serde(default, rename = "question")]
    pub questions: Vec<Spanned<RawQuestion>>,
    #[serde(default, rename = "page")]
    pub pages: Vec<Spanned<RawPage>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPage {
    pub title: Spanned<RawText>,
    pub show_if: Option<Spanned<RawCondition>>,
    #[serde(default, rename = "question")]
    pub questions: Vec<Spanned<RawQuestion>>,
}

/// `show_if = { question = "...", any_of = [...] }`: exactly one of
/// `any_of`, `none_of` and `answered`, which validation insists on.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCondition {
    pub question: Spanned<String>,
    pub any_of: Option<Spanned<Vec<Spanned<String>>>>,
    pub none_of: Option<Spanned<Vec<Spanned<String>>>>,
    pub answered: Option<Spanned<bool>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScale {
    pub options: RawOptions,
    pub positive: Spanned<Vec<Spanned<String>>>,
    pub dont_know: Option<Spanned<RawText>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawList {
    pub options: RawOptions,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RawKind {
    Scale,
    Single,
    Multi,
    Text,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQuestion {
    pub id: Spanned<String>,
    #[serde(rename = "type")]
    pub kind: Spanned<RawKind>,
    pub text: Spanned<RawText>,
    pub hint: Option<Spanned<RawText>>,
    pub section: Option<Spanned<RawText>>,
    #[serde(default)]
    pub required: bool,
    pub role: Option<Spanned<Role>>,
    pub area: Option<Spanned<Area>>,
    pub scale: Option<Spanned<String>>,
    pub options: Option<RawOptions>,
    pub options_from: Option<Spanned<String>>,
    pub other: Option<Spanned<bool>>,
    pub max_length: Option<Spanned<i64>>,
    pub show_if: Option<Spanned<RawCondition>>,
}
