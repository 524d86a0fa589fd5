//! Versions of one questionnaire: what changed between two of them, whether
//! the answers to a question in both can be counted together, which edits
//! would break a promise made to the people who already answered, and how a
//! form shown in an earlier version is taken.

use std::fmt;

use time::Date;

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

impl Questionnaire {
    /// This version, the one a form was shown in, as a form from it is taken
    /// while `served` is served: its questions and options, to read and
    /// check the answers, under the strictest of both versions' settings. A
    /// form names its version, and anyone with an old copy of the file can
    /// compute an old version's id, so naming one never weakens a setting:
    /// codes if either asks for them, the coarser date, the higher
    /// `min_report_n`, the served `report_period`, only the days both are
    /// open, kiosk mode and the neutral tab title if either has them.
    pub fn with_strictest_settings(&self, served: &Questionnaire) -> Questionnaire {
        let mut taken = self.clone();
        if served.access == Access::Code {
            taken.access = Access::Code;
        }
        if served.date_precision.coarseness() > self.date_precision.coarseness() {
            taken.date_precision = served.date_precision;
        }
        taken.min_report_n = self.min_report_n.max(served.min_report_n);
        taken.report_period = served.report_period;
        // `None` is no limit: the later first day and the earlier last day.
        taken.opens = self.opens.max(served.opens);
        taken.closes = match (self.closes, served.closes) {
            (Some(own), Some(other)) => Some(own.min(other)),
            (own, other) => own.or(other),
        };
        taken.kiosk = self.kiosk || served.kiosk;
        taken.neutral_title = self.neutral_title || served.neutral_title;
        taken
    }
}

/// What a form's version is to the questionnaire it is sent to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormVersion {
    /// The version served now.
    Served,
    /// An earlier version, replaced within the grace period: its form is taken.
    Recent,
    /// An earlier version replaced longer ago: its form is refused, and the
    /// person starts again on the version served now.
    TooOld,
    /// Not a stored version of this questionnaire (a made-up value, a form
    /// from a test): checked against the version served now.
    Unknown,
}

/// What the version `shown`, named by a form sent on `today`, is to a
/// questionnaire serving `served`, whose stored versions are `history`
/// (`(version, first_seen)`, in the order they were first served).
///
/// The grace period: a form shown in an earlier version is taken until the
/// end of the day after the version that replaced it was first seen, and
/// refused from the day after that. `first_seen` is a day, not a moment, so
/// this is at least 24 hours after the switch and at most 48. A version
/// stored last but not served (an earlier file was put back) is counted as
/// replaced on its own first day: when it stopped being served is not stored.
pub fn form_version(history: &[(&str, Date)], shown: &str, served: &str, today: Date) -> FormVersion {
    if shown == served {
        return FormVersion::Served;
    }
    let Some(at) = history.iter().position(|(version, _)| *version == shown) else { return FormVersion::Unknown };
    let replaced_on = history.get(at + 1).unwrap_or(&history[at]).1;
    let last_day = replaced_on.next_day().unwrap_or(Date::MAX);
    if today <= last_day { FormVersion::Recent } else { FormVersion::TooOld }
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

    use time::macros::date;

    use super::*;
    use crate::questionnaire::parse;

    /// The small questionnaire the domain's and the report's tests share.
    const BASE: &str = include_str!("../../tests/fixtures/small/v.toml");

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

    /// A version with `settings` added at the top of the file.
    fn with(settings: &str) -> Questionnaire {
        version(|s| s.replace("min_report_n = 5\n", &format!("min_report_n = 5\n{settings}\n")))
    }

    #[test]
    fn a_form_from_an_earlier_version_is_taken_under_the_strictest_settings_of_both() {
        let taken = |shown: &str, served: &str| with(shown).with_strictest_settings(&with(served));

        for (shown, served) in [("access = \"open\"", "access = \"code\""), ("access = \"code\"", "access = \"open\"")]
        {
            assert_eq!(
                taken(shown, served).access,
                Access::Code,
                "a code is asked for if either asks: {shown}, {served}"
            );
        }
        assert_eq!(taken("", "").access, Access::Open);

        let precision = |shown: &str, served: &str| {
            let line = |precision: &str| format!("date_precision = \"{precision}\"");
            version(|s| s.replace("date_precision = \"week\"", &line(shown)))
                .with_strictest_settings(&version(|s| s.replace("date_precision = \"week\"", &line(served))))
                .date_precision
        };
        assert_eq!(precision("day", "week"), DatePrecision::Week, "the coarser date: the served one");
        assert_eq!(precision("month", "week"), DatePrecision::Month, "the coarser date: the shown one");
        assert_eq!(precision("day", "day"), DatePrecision::Day);

        let smallest_group = |shown: &str, served: &str| {
            let line = |n: &str| format!("min_report_n = {n}\n");
            version(|s| s.replace("min_report_n = 5\n", &line(shown)))
                .with_strictest_settings(&version(|s| s.replace("min_report_n = 5\n", &line(served))))
                .min_report_n
        };
        assert_eq!(smallest_group("3", "5"), 5, "the higher min_report_n: the served one");
        assert_eq!(smallest_group("8", "5"), 8, "the higher min_report_n: the shown one");

        assert_eq!(taken("report_period = \"quarter\"", "").report_period, ReportPeriod::Month, "the served period");
        assert_eq!(taken("", "report_period = \"year\"").report_period, ReportPeriod::Year, "the served period");

        let days = taken("opens = 2026-01-01\ncloses = 2026-06-30", "opens = 2026-02-01");
        assert_eq!((days.opens, days.closes), (Some(date!(2026 - 02 - 01)), Some(date!(2026 - 06 - 30))));
        let days = taken("closes = 2026-06-30", "closes = 2026-05-31");
        assert_eq!((days.opens, days.closes), (None, Some(date!(2026 - 05 - 31))), "open only on days both allow");
        let days = taken("", "");
        assert_eq!((days.opens, days.closes), (None, None));

        for (shown, served) in [("kiosk = true", ""), ("", "kiosk = true")] {
            assert!(taken(shown, served).kiosk, "kiosk mode if either has it: {shown:?}, {served:?}");
        }
        assert!(!taken("", "").kiosk);
        for (shown, served) in [("neutral_title = true", ""), ("", "neutral_title = true")] {
            assert!(taken(shown, served).neutral_title, "the neutral title if either has it: {shown:?}, {served:?}");
        }
        assert!(!taken("", "").neutral_title);
    }

    #[test]
    fn the_answers_are_read_with_the_shown_versions_questions() {
        let shown = version(|s| s.to_owned());
        let served = version(|s| s.replace("id = \"comment\"", "id = \"remarks\"").replace("\"week\"", "\"month\""));
        let taken = shown.with_strictest_settings(&served);
        assert_eq!(taken.version, shown.version, "stored with the version the person saw");
        assert!(taken.question("comment").is_some());
        assert!(taken.question("remarks").is_none());
        assert_eq!(taken.date_precision, DatePrecision::Month);
    }

    #[test]
    fn an_earlier_version_is_taken_until_the_day_after_its_successor_was_first_seen() {
        let history = [("a", date!(2026 - 03 - 01)), ("b", date!(2026 - 03 - 09)), ("c", date!(2026 - 03 - 11))];
        let cases = [
            ("c", date!(2026 - 04 - 30), FormVersion::Served),
            ("b", date!(2026 - 03 - 11), FormVersion::Recent),
            ("b", date!(2026 - 03 - 12), FormVersion::Recent),
            ("b", date!(2026 - 03 - 13), FormVersion::TooOld),
            ("a", date!(2026 - 03 - 10), FormVersion::Recent),
            ("a", date!(2026 - 03 - 11), FormVersion::TooOld),
            ("made-up", date!(2026 - 03 - 11), FormVersion::Unknown),
        ];
        for (shown, today, expected) in cases {
            assert_eq!(form_version(&history, shown, "c", today), expected, "{shown} on {today}");
        }
    }

    #[test]
    fn a_version_replaced_by_an_earlier_file_put_back_counts_from_its_own_first_day() {
        let history = [("a", date!(2026 - 03 - 01)), ("b", date!(2026 - 03 - 09))];
        assert_eq!(form_version(&history, "a", "a", date!(2026 - 04 - 01)), FormVersion::Served);
        assert_eq!(form_version(&history, "b", "a", date!(2026 - 03 - 10)), FormVersion::Recent);
        assert_eq!(form_version(&history, "b", "a", date!(2026 - 03 - 11)), FormVersion::TooOld);
    }
}
