//! Results: figures computed from counted answers, with small-group
//! protection, and the export formats. Pure functions over rows: the store
//! counts (SQL `GROUP BY`), this module turns counts into evidence.
//!
//! - [`summarize`]: every question's figures for one set of responses;
//! - [`break_down`]: the same figures per group (a background question's
//!   options, or languages), with complementary suppression;
//! - [`practical_support`]: received and unmet support, ranked and compared;
//! - [`trend`]: every closed period's shares over time, and two ranges compared;
//! - [`microdata`]: whole responses made k-anonymous, and free texts listed
//!   apart from them;
//! - [`csv`] and [`xlsx`]: the export files, whose columns are a contract
//!   documented in `docs/export-formats.md`.

mod breakdown;
mod counts;
pub mod csv;
mod figure;
pub mod microdata;
pub mod note;
mod overview;
pub mod period;
pub mod rate;
pub mod release;
mod responses;
pub mod stats;
mod summary;
mod support;
pub mod trend;
mod versions;
pub mod xlsx;

#[cfg(test)]
mod fixture;

use std::collections::BTreeMap;

use time::Date;

use crate::questionnaire::{Answer, Channel};

pub use breakdown::{Breakdown, Group, GroupSize, TargetBreakdown, TargetRow, break_down};
pub use figure::{Figure, Suppression};
pub use overview::{AreaShare, Lacked, Overview, overview};
pub use release::{Disclosure, FreeText, Scope, ScopeError};
pub use responses::{Notes, ResponsesCounter, ResponsesPlan, is_background};
pub use summary::{
    AnswerKind, AreaLine, OptionFigures, OptionKind, QuestionFigures, QuestionSummary, Summary, area_id, role_id,
    summarize,
};
pub use support::{
    CountAndShare, PracticalSupport, SupportComparison, SupportLine, SupportPair, SupportRanking, practical_support,
};
pub use versions::{VersionPlan, combine};

/// Why an export could not be written. The figures themselves cannot fail;
/// only writing them out can.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The CSV writer failed, usually because its output did.
    #[error("could not write the CSV file: {0}")]
    Csv(#[from] ::csv::Error),
    /// The output failed (a closed connection, a full disk).
    #[error("could not write the export: {0}")]
    Io(#[from] std::io::Error),
    /// The workbook could not be built (for example more rows than Excel
    /// allows).
    #[error("could not build the spreadsheet: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
}

/// Which responses a report covers. Every part is optional; all given parts
/// must hold. Kept in the URL so a view can be bookmarked and shared.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// First stored (coarsened) date included.
    pub from: Option<Date>,
    /// Last stored (coarsened) date included.
    pub to: Option<Date>,
    /// Only responses given in this language.
    pub language: Option<String>,
    /// Only responses to this version of the questionnaire.
    pub version: Option<String>,
    /// Only responses that came in by this channel (web or paper).
    pub channel: Option<Channel>,
}

/// The group of the responses that skipped the question a breakdown splits
/// by. It is a group like the others, protected like them: without it, the
/// summary minus the breakdown's total would reveal the answers of the few
/// who skipped. (Option ids start with a letter, so none can clash.)
pub const UNANSWERED: &str = "_unanswered";

/// What a breakdown splits the figures by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Split {
    /// The option each response chose in a background question. A response
    /// that chose several options (a multi question) counts in each group;
    /// one that skipped the question is in the group [`UNANSWERED`].
    Question(String),
    /// The language the response was given in.
    Language,
    /// The channel the response came in by: the web form or paper.
    Channel,
}

/// Answers counted by the store for one set of responses. `group` is `None`
/// when the counts are not split, otherwise the group's option id (or
/// language code).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// How many responses match the filter, per group.
    pub responses: Vec<GroupCount>,
    /// How many responses chose each option of each question. A text answer
    /// is counted with `option_id: None`; "Something else" as option `other`
    /// and a scale's "don't know" as option `dont_know`.
    pub answers: Vec<AnswerCount>,
    /// How many responses answered each question at all (chose at least one
    /// option, or wrote a text).
    pub respondents: Vec<QuestionCount>,
}

impl Tally {
    /// The same counts with the rows of one group and question (and option)
    /// added into one, in the order of those keys: for counts gathered from
    /// several tallies, or one row at a time.
    pub fn summed(self) -> Tally {
        let mut responses: BTreeMap<Option<String>, u64> = BTreeMap::new();
        let mut answers: BTreeMap<(Option<String>, String, Option<String>), u64> = BTreeMap::new();
        let mut respondents: BTreeMap<(Option<String>, String), u64> = BTreeMap::new();
        for count in self.responses {
            *responses.entry(count.group).or_default() += count.count;
        }
        for count in self.answers {
            *answers.entry((count.group, count.question_id, count.option_id)).or_default() += count.count;
        }
        for count in self.respondents {
            *respondents.entry((count.group, count.question_id)).or_default() += count.count;
        }
        Tally {
            responses: responses.into_iter().map(|(group, count)| GroupCount { group, count }).collect(),
            answers: answers
                .into_iter()
                .map(|((group, question_id, option_id), count)| AnswerCount { group, question_id, option_id, count })
                .collect(),
            respondents: respondents
                .into_iter()
                .map(|((group, question_id), count)| QuestionCount { group, question_id, count })
                .collect(),
        }
    }
}

/// How many responses one group has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupCount {
    pub group: Option<String>,
    pub count: u64,
}

/// How many responses in one group chose one option of one question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerCount {
    pub group: Option<String>,
    pub question_id: String,
    pub option_id: Option<String>,
    pub count: u64,
}

/// How many responses in one group answered one question at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionCount {
    pub group: Option<String>,
    pub question_id: String,
    pub count: u64,
}

/// One whole response, for the response-level export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseRecord {
    pub submitted_on: Date,
    pub language: String,
    pub version: String,
    pub channel: Channel,
    /// In form order, as validated when it was stored.
    pub answers: Vec<Answer>,
}
