//! Versions of one questionnaire: what changed between two of them, whether
//! the answers to a question in both can be counted together, and which
//! edits would break a promise made to the people who already answered.

use std::fmt;

use super::{Access, DatePrecision, Question, QuestionKind, Questionnaire, ReportPeriod};

/// One difference between two versions, as staff read it in the version list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    QuestionAdded {
        question: String,
    },
    QuestionRemoved {
        question: String,
    },
    /// The question's text (in some language) is different; its answers still combine.
    QuestionReworded {
        question: String,
    },
    QuestionTypeChanged {
        question: String,
    },
    OptionAdded {
        question: String,
        option: String,
    },
    OptionRemoved {
        question: String,
        option: String,
    },
    OptionReworded {
        question: String,
        option: String,
    },
    /// A scale question's set of positive steps is different.
    PositiveChanged {
        question: String,
    },
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::QuestionAdded { question } => write!(f, "question `{question}` added"),
            Change::QuestionRemoved { question } => write!(f, "question `{question}` removed"),
            Change::QuestionReworded { question } => write!(f, "question `{question}` reworded"),
            Change::QuestionTypeChanged { question } => write!(f, "question `{question}` changed its type"),
            Change::OptionAdded { question, option } => write!(f, "option `{option}` added to `{question}`"),
            Change::OptionRemoved { question, option } => write!(f, "option `{option}` removed from `{question}`"),
            Change::OptionReworded { question, option } => write!(f, "option `{option}` of `{question}` reworded"),
            Change::PositiveChanged { question } => {
                write!(f, "the answers counted as positive for `{question}` changed")
            }
        }
    }
}

impl Change {
    /// Whether this change keeps the answers of the two versions apart in
    /// results (rewording and adding or removing a question do not).
    pub fn splits_results(&self) -> bool {
        matches!(
            self,
            Change::QuestionTypeChanged { .. }
                | Change::OptionAdded { .. }
                | Change::OptionRemoved { .. }
                | Change::PositiveChanged { .. }
        )
    }
}

/// Every difference between `old` and `new`, in the order of the questions
/// (removed questions where they were in `old`, then the rest in `new`'s order).
pub fn changes(old: &Questionnaire, new: &Questionnaire) -> Vec<Change> {
    let mut found = Vec::new();
    for question in &old.questions {
        if new.question(&question.id).is_none() {
            found.push(Change::QuestionRemoved { question: question.id.clone() });
        }
    }
    for question in &new.questions {
        match old.question(&question.id) {
            None => found.push(Change::QuestionAdded { question: question.id.clone() }),
            Some(before) => found.extend(question_changes(before, question)),
        }
    }
    found
}

fn question_changes(old: &Question, new: &Question) -> Vec<Change> {
    let question = || new.id.clone();
    if kind_name(&old.kind) != kind_name(&new.kind) {
        return vec![Change::QuestionTypeChanged { question: question() }];
    }
    let mut found = Vec::new();
    if old.text != new.text {
        found.push(Change::QuestionReworded { question: question() });
    }
    let (before, after) = (option_ids(old), option_ids(new));
    for option in before.iter().filter(|option| !after.contains(option)) {
        found.push(Change::OptionRemoved { question: question(), option: option.clone() });
    }
    for choice in new.kind.choices() {
        match old.kind.choices().into_iter().find(|earlier| earlier.id == choice.id) {
            None => found.push(Change::OptionAdded { question: question(), option: choice.id.clone() }),
            Some(earlier) if earlier.text != choice.text => {
                found.push(Change::OptionReworded { question: question(), option: choice.id.clone() });
            }
            Some(_) => {}
        }
    }
    if new.kind.has_other() && !old.kind.has_other() {
        found.push(Change::OptionAdded { question: question(), option: super::OTHER.to_owned() });
    }
    if let (QuestionKind::Scale(before), QuestionKind::Scale(after)) = (&old.kind, &new.kind) {
        let mut before_positive = before.positive.clone();
        let mut after_positive = after.positive.clone();
        before_positive.sort();
        after_positive.sort();
        if before_positive != after_positive {
            found.push(Change::PositiveChanged { question: question() });
        }
    }
    found
}

/// Whether the answers to a question in two versions may be counted as one:
/// the same type, the same option ids (a scale's steps and "don't know"
/// included, "Something else" too) and, for a scale, the same positive
/// steps. Its wording may differ.
pub fn comparable(old: &Question, new: &Question) -> bool {
    question_changes(old, new).iter().all(|change| !change.splits_results())
}

/// The word for a question's type in the questionnaire file.
pub fn kind_name(kind: &QuestionKind) -> &'static str {
    match kind {
        QuestionKind::Scale(_) => "scale",
        QuestionKind::Single { .. } => "single",
        QuestionKind::Multi { .. } => "multi",
        QuestionKind::Text { .. } => "text",
    }
}

fn option_ids(question: &Question) -> Vec<String> {
    let mut ids: Vec<String> = question.kind.choices().into_iter().map(|choice| choice.id).collect();
    if question.kind.has_other() {
        ids.push(super::OTHER.to_owned());
    }
    ids
}

/// A privacy setting made weaker than what the people who already answered
/// were promised. Refused once a questionnaire has answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Loosening {
    MinReportNLowered { from: u64, to: u64 },
    DatePrecisionFiner { from: DatePrecision, to: DatePrecision },
    CodesDropped,
    ReportPeriodChanged { from: ReportPeriod, to: ReportPeriod },
}

impl fmt::Display for Loosening {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Loosening::MinReportNLowered { from, to } => write!(
                f,
                "`min_report_n` is lowered from {from} to {to}: figures from smaller groups would be shown than those who answered were promised; keep it at {from} or higher"
            ),
            Loosening::DatePrecisionFiner { from, to } => write!(
                f,
                "`date_precision` is made finer, from {} to {}: the stored dates of those who answered were promised to be no finer than a {}; keep \"{}\" or coarser",
                from.name(),
                to.name(),
                from.name(),
                from.name()
            ),
            Loosening::ReportPeriodChanged { from, to } => write!(
                f,
                "`report_period` is changed from \"{}\" to \"{}\": figures already shown by {} could be subtracted from figures by {} to reveal a few people's answers; keep \"{}\", or start a new questionnaire with its own id",
                from.name(),
                to.name(),
                from.name(),
                to.name(),
                from.name()
            ),
            Loosening::CodesDropped => write!(
                f,
                "`access` is changed from \"code\" to \"open\": those who answered were promised that only people with a one-time code could answer; keep access = \"code\", or start a new questionnaire with its own id"
            ),
        }
    }
}

/// The privacy settings `new` weakens compared with `old`.
pub fn loosenings(old: &Questionnaire, new: &Questionnaire) -> Vec<Loosening> {
    let mut found = Vec::new();
    if new.min_report_n < old.min_report_n {
        found.push(Loosening::MinReportNLowered { from: old.min_report_n, to: new.min_report_n });
    }
    if new.date_precision.coarseness() < old.date_precision.coarseness() {
        found.push(Loosening::DatePrecisionFiner { from: old.date_precision, to: new.date_precision });
    }
    if old.access == Access::Code && new.access == Access::Open {
        found.push(Loosening::CodesDropped);
    }
    if new.report_period != old.report_period {
        found.push(Loosening::ReportPeriodChanged { from: old.report_period, to: new.report_period });
    }
    found
}

impl ReportPeriod {
    /// The word used in the questionnaire file.
    pub fn name(self) -> &'static str {
        match self {
            ReportPeriod::Month => "month",
            ReportPeriod::Quarter => "quarter",
            ReportPeriod::HalfYear => "half_year",
            ReportPeriod::Year => "year",
        }
    }
}

impl DatePrecision {
    /// Day < week < month.
    fn coarseness(self) -> u8 {
        match self {
            DatePrecision::Day => 0,
            DatePrecision::Week => 1,
            DatePrecision::Month => 2,
        }
    }

    /// The word used in the questionnaire file.
    pub fn name(self) -> &'static str {
        match self {
            DatePrecision::Day => "day",
            DatePrecision::Week => "week",
            DatePrecision::Month => "month",
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::questionnaire::parse;

    const BASE: &str = r#"
id = "v"
languages = ["en"]
title = { en = "T" }
min_report_n = 5
date_precision = "week"

[scales.agree]
options = [ { id = "yes", en = "Yes" }, { id = "partly", en = "Partly" }, { id = "no", en = "No" } ]
positive = ["yes"]

[[question]]
id = "overall"
type = "scale"
scale = "agree"
role = "satisfaction"
area = "helhet"
text = { en = "Good?" }

[[question]]
id = "got"
type = "multi"
text = { en = "Got?" }
options = [ { id = "move", en = "Move" }, { id = "things", en = "Things" } ]

[[question]]
id = "comment"
type = "text"
text = { en = "Comment" }
"#;

    fn version(edit: impl Fn(&str) -> String) -> Questionnaire {
        parse(Path::new("v.toml"), &edit(BASE)).expect("the edited example is valid")
    }

    fn changed(edit: impl Fn(&str) -> String) -> Vec<String> {
        changes(&version(|s| s.to_owned()), &version(edit)).iter().map(ToString::to_string).collect()
    }

    #[test]
    fn the_same_text_has_no_changes() {
        assert!(changed(|s| s.to_owned()).is_empty());
    }

    #[test]
    fn rewording_is_a_change_that_keeps_results_together() {
        let old = version(|s| s.to_owned());
        let new = version(|s| s.replace("Good?", "Was it good?").replace("\"Things\"", "\"Belongings\""));
        let found = changes(&old, &new);
        assert_eq!(
            found.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ["question `overall` reworded", "option `things` of `got` reworded"]
        );
        assert!(found.iter().all(|change| !change.splits_results()));
        assert!(comparable(old.question("overall").unwrap(), new.question("overall").unwrap()));
    }

    #[test]
    fn added_and_removed_questions_and_options() {
        assert_eq!(
            changed(|s| s.replace("id = \"comment\"", "id = \"remarks\"").replace(
                "{ id = \"things\", en = \"Things\" }",
                "{ id = \"things\", en = \"Things\" }, { id = \"money\", en = \"Money\" }"
            )),
            ["question `comment` removed", "option `money` added to `got`", "question `remarks` added"]
        );
        assert_eq!(
            changed(|s| s.replace(", { id = \"things\", en = \"Things\" }", "")),
            ["option `things` removed from `got`"]
        );
    }

    #[test]
    fn a_changed_scale_or_positive_set_splits_results() {
        let old = version(|s| s.to_owned());
        let positive = version(|s| s.replace("positive = [\"yes\"]", "positive = [\"yes\", \"partly\"]"));
        assert_eq!(changes(&old, &positive), [Change::PositiveChanged { question: "overall".into() }]);
        assert!(!comparable(old.question("overall").unwrap(), positive.question("overall").unwrap()));
        let steps = version(|s| s.replace("{ id = \"partly\", en = \"Partly\" }, ", ""));
        assert!(!comparable(old.question("overall").unwrap(), steps.question("overall").unwrap()));
        let kind = version(|s| s.replace("type = \"multi\"", "type = \"single\""));
        assert_eq!(changes(&old, &kind), [Change::QuestionTypeChanged { question: "got".into() }]);
    }

    #[test]
    fn privacy_settings_may_tighten_but_not_loosen() {
        let old = version(|s| s.to_owned());
        let tighter = version(|s| s.replace("min_report_n = 5", "min_report_n = 8").replace("\"week\"", "\"month\""));
        assert!(loosenings(&old, &tighter).is_empty());
        let looser = version(|s| s.replace("min_report_n = 5", "min_report_n = 3").replace("\"week\"", "\"day\""));
        assert_eq!(
            loosenings(&old, &looser),
            [
                Loosening::MinReportNLowered { from: 5, to: 3 },
                Loosening::DatePrecisionFiner { from: DatePrecision::Week, to: DatePrecision::Day }
            ]
        );
        let coded = version(|s| s.replace("min_report_n = 5", "min_report_n = 5\naccess = \"code\""));
        assert_eq!(loosenings(&coded, &old), [Loosening::CodesDropped]);
        assert!(loosenings(&old, &coded).is_empty());
    }
}
