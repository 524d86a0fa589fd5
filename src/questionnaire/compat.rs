//! Whether an edited questionnaire file fits the answers already stored for
//! it (`enkat check --against`): which edits split or hide results (warnings:
//! the edit may go ahead, knowingly), and which break a privacy promise made
//! to those who answered (refused). Pure: the caller reads the stored
//! versions and the answer counts from the database.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use time::Date;

use super::load::{Problem, at, option_span};
use super::raw::{RawQuestion, RawQuestionnaire};
use super::versions::{Change, Loosening, changes, kind_name, loosenings};
use super::{OTHER, QuestionKind, Questionnaire};

/// How many answers are stored for one questionnaire, across all its versions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnswerCounts {
    /// Responses stored.
    pub responses: u64,
    /// Per question id: the responses that answered it at all.
    pub questions: BTreeMap<String, u64>,
    /// Per (question id, option id): the responses that chose it.
    pub options: BTreeMap<(String, String), u64>,
}

impl AnswerCounts {
    fn question(&self, question: &str) -> u64 {
        self.questions.get(question).copied().unwrap_or_default()
    }

    fn option(&self, question: &str, option: &str) -> u64 {
        self.options.get(&(question.to_owned(), option.to_owned())).copied().unwrap_or_default()
    }
}

/// Which stored versions a file is compared with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Baseline {
    /// Nothing is stored for this questionnaire: it is new.
    New,
    /// The file is one of the latest stored versions: nothing new to deploy.
    Unchanged { version: String },
    /// The versions first seen on the latest day. A stored date is a day, so
    /// when a questionnaire changed several times that day, nothing tells
    /// which was served last: the file is compared with each of them.
    Latest { versions: Vec<String>, first_seen: Date },
}

impl Baseline {
    /// Picks the versions to compare with from every stored version and the
    /// day it was first seen; `file` is the file's version.
    pub fn choose(stored: &[(String, Date)], file: &str) -> Baseline {
        let Some(latest) = stored.iter().map(|(_, first_seen)| *first_seen).max() else { return Baseline::New };
        let versions: Vec<String> =
            stored.iter().filter(|(_, first_seen)| *first_seen == latest).map(|(version, _)| version.clone()).collect();
        if versions.iter().any(|version| version == file) {
            return Baseline::Unchanged { version: file.to_owned() };
        }
        Baseline::Latest { versions, first_seen: latest }
    }
}

/// What comparing a file with the stored versions found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verdict {
    /// Edits that split or hide stored results; each message starts with
    /// `warning: `. The check still passes.
    pub warnings: Vec<Problem>,
    /// Privacy settings loosened although people have answered: the check fails.
    pub refusals: Vec<Problem>,
    /// Edits that need no attention (a question added, a text reworded).
    pub notes: Vec<String>,
}

impl Verdict {
    fn warn(&mut self, problem: Problem) {
        if !self.warnings.contains(&problem) {
            self.warnings.push(problem);
        }
    }

    fn note(&mut self, note: String) {
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }
}

/// Compares `new`, read from `file`, with each of the stored versions `old`
/// (see `Baseline`), given the answers stored so far; a finding that several
/// of them give is reported once.
pub fn compare(file: &Path, new: &Questionnaire, old: &[Questionnaire], answers: &AnswerCounts) -> Verdict {
    let places = Places::of(file, &new.source);
    let mut verdict = Verdict::default();
    for old in old {
        judge_changes(&places, old, new, answers, &mut verdict);
        if answers.responses > 0 {
            for loosening in loosenings(old, new) {
                let span = match loosening {
                    Loosening::MinReportNLowered { .. } => {
                        places.setting(|raw| raw.min_report_n.as_ref().map(|n| n.span()))
                    }
                    Loosening::DatePrecisionFiner { .. } => {
                        places.setting(|raw| raw.date_precision.as_ref().map(|precision| precision.span()))
                    }
                    Loosening::CodesDropped => places.setting(|raw| raw.access.as_ref().map(|access| access.span())),
                    Loosening::ReportPeriodChanged { .. } => {
                        places.setting(|raw| raw.report_period.as_ref().map(|period| period.span()))
                    }
                };
                let problem = places.at(span, loosening.to_string());
                if !verdict.refusals.contains(&problem) {
                    verdict.refusals.push(problem);
                }
            }
        }
    }
    verdict
}

/// Sorts the changes from `old` to `new` into warnings and notes.
fn judge_changes(
    places: &Places,
    old: &Questionnaire,
    new: &Questionnaire,
    answers: &AnswerCounts,
    verdict: &mut Verdict,
) {
    let mut judge = Judge { places, old, new, answers, verdict };
    // A scale's steps come as options added and removed: one warning per question.
    let mut steps: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let all = changes(old, new);
    for change in &all {
        match change {
            Change::QuestionRemoved { question } => judge.question_removed(question),
            Change::QuestionAdded { .. } | Change::QuestionReworded { .. } | Change::OptionReworded { .. } => {
                judge.verdict.note(change.to_string());
            }
            Change::QuestionTypeChanged { question } => judge.type_changed(change, question),
            Change::OptionAdded { question, option } | Change::OptionRemoved { question, option }
                if is_scale(new, question) =>
            {
                let sign = if matches!(change, Change::OptionAdded { .. }) { "added" } else { "removed" };
                steps.entry(question).or_default().push(format!("`{option}` {sign}"));
            }
            Change::OptionAdded { question, option } => judge.option_added(change, question, option),
            Change::OptionRemoved { question, option } => judge.option_removed(change, question, option),
            Change::PositiveChanged { question } => judge.positive_changed(change, question),
        }
    }
    for (question, changed) in steps {
        judge.scale_steps_changed(question, &changed);
    }
}

/// Writes the verdict on each change between two versions: a note where no
/// stored answer is touched, a warning saying what results will do where
/// one is.
struct Judge<'a> {
    places: &'a Places<'a>,
    old: &'a Questionnaire,
    new: &'a Questionnaire,
    answers: &'a AnswerCounts,
    verdict: &'a mut Verdict,
}

impl Judge<'_> {
    fn question_removed(&mut self, question: &str) {
        match self.answers.question(question) {
            0 => self.verdict.note(format!("question `{question}` removed (no answers to it are stored)")),
            answered => self.verdict.warn(self.places.warning(
                self.places.file_id(),
                format!(
                    "question `{question}` is not in the file any more, but {}: they stay in the database, but results and exports, which follow the file, will no longer show them (to change its text, keep its id)",
                    responses_answered(answered)
                ),
            )),
        }
    }

    fn type_changed(&mut self, change: &Change, question: &str) {
        let answered = self.answers.question(question);
        if answered == 0 {
            return self.verdict.note(format!("{change} (no answers to it are stored)"));
        }
        let before = self.old.question(question).map_or("?", |q| kind_name(&q.kind));
        let after = self.new.question(question).map_or("?", |q| kind_name(&q.kind));
        self.verdict.warn(self.places.warning(
            self.places.question(question, |raw| Some(raw.kind.span())),
            format!(
                "results for `{question}` will be shown separately for the old and new version, because its type changes from \"{before}\" to \"{after}\" ({} in the old)",
                responses_answered(answered)
            ),
        ));
    }

    fn option_added(&mut self, change: &Change, question: &str, option: &str) {
        let answered = self.answers.question(question);
        if answered == 0 {
            return self.verdict.note(format!("{change} (no answers to `{question}` are stored)"));
        }
        self.verdict.warn(self.places.warning(
            self.places.added_option(self.new, question, option),
            format!(
                "results for `{question}` will be shown separately for the old and new version, because option `{option}` is added, which the {} to it so far could not choose",
                count(answered, "response", "responses")
            ),
        ));
    }

    fn option_removed(&mut self, change: &Change, question: &str, option: &str) {
        match self.answers.option(question, option) {
            0 => self.verdict.note(format!("{change} (no one chose it)")),
            chosen => self.verdict.warn(self.places.warning(
                self.places.question(question, |raw| Some(raw.id.span())),
                format!(
                    "option `{option}` is removed from `{question}`, but {} chose it: results for `{question}` will be shown separately for the old and new version, because the new one no longer offers `{option}`",
                    count(chosen, "response", "responses")
                ),
            )),
        }
    }

    fn positive_changed(&mut self, change: &Change, question: &str) {
        let answered = self.answers.question(question);
        if answered == 0 {
            return self.verdict.note(format!("{change} (no answers to it are stored)"));
        }
        self.verdict.warn(self.places.warning(
            self.places.question(question, |raw| raw.scale.as_ref().map(|scale| scale.span())),
            format!(
                "results for `{question}` will be shown separately for the old and new version, because the answers counted as positive change from {} to {} ({} in the old)",
                positive(self.old, question),
                positive(self.new, question),
                responses_answered(answered)
            ),
        ));
    }

    fn scale_steps_changed(&mut self, question: &str, changed: &[String]) {
        let answered = self.answers.question(question);
        if answered == 0 {
            return self
                .verdict
                .note(format!("the steps of the scale of `{question}` changed (no answers to it are stored)"));
        }
        self.verdict.warn(self.places.warning(
            self.places.question(question, |raw| raw.scale.as_ref().map(|scale| scale.span())),
            format!(
                "results for `{question}` will be shown separately for the old and new version, because the steps of its scale change ({}; {} in the old)",
                changed.join(", "),
                responses_answered(answered)
            ),
        ));
    }
}

fn is_scale(questionnaire: &Questionnaire, question: &str) -> bool {
    questionnaire.question(question).is_some_and(|question| matches!(question.kind, QuestionKind::Scale(_)))
}

/// A scale question's positive steps, as `a`, `b`.
fn positive(questionnaire: &Questionnaire, question: &str) -> String {
    match questionnaire.question(question).map(|question| &question.kind) {
        Some(QuestionKind::Scale(scale)) => {
            scale.positive.iter().map(|step| format!("`{step}`")).collect::<Vec<_>>().join(", ")
        }
        _ => "(none)".to_owned(),
    }
}

fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn responses_answered(n: u64) -> String {
    format!("{} answered it", count(n, "response", "responses"))
}

/// Where things are in the file, to point at them: the raw TOML keeps the
/// span of every value. Anything not found points at the top of the file.
struct Places<'a> {
    file: &'a Path,
    source: &'a str,
    raw: Option<RawQuestionnaire>,
}

impl<'a> Places<'a> {
    fn of(file: &'a Path, source: &'a str) -> Places<'a> {
        Places { file, source, raw: toml::from_str(source).ok() }
    }

    fn at(&self, span: Range<usize>, message: String) -> Problem {
        at(self.file, self.source, span, message)
    }

    fn warning(&self, span: Range<usize>, message: String) -> Problem {
        self.at(span, format!("warning: {message}"))
    }

    fn file_id(&self) -> Range<usize> {
        self.raw.as_ref().map_or(0..0, |raw| raw.id.span())
    }

    fn setting(&self, span: impl Fn(&RawQuestionnaire) -> Option<Range<usize>>) -> Range<usize> {
        self.raw.as_ref().and_then(span).unwrap_or(0..0)
    }

    fn raw_question(&self, id: &str) -> Option<&RawQuestion> {
        let raw = self.raw.as_ref()?;
        raw.questions
            .iter()
            .chain(raw.pages.iter().flat_map(|page| page.as_ref().questions.iter()))
            .map(|question| question.as_ref())
            .find(|question| question.id.as_ref() == id)
    }

    /// A key of question `id`, or its id when the key is not written.
    fn question(&self, id: &str, key: impl Fn(&RawQuestion) -> Option<Range<usize>>) -> Range<usize> {
        self.raw_question(id).map_or(0..0, |question| key(question).unwrap_or_else(|| question.id.span()))
    }

    /// An option added to a question: in its own options, in the list it
    /// takes options from, or its `other` key.
    fn added_option(&self, new: &Questionnaire, question: &str, option: &str) -> Range<usize> {
        let (Some(raw), Some(raw_question)) = (self.raw.as_ref(), self.raw_question(question)) else { return 0..0 };
        if option == OTHER && new.question(question).is_some_and(|question| question.kind.has_other()) {
            return self.question(question, |raw| raw.other.as_ref().map(|other| other.span()));
        }
        let own = raw_question.options.as_ref().filter(|own| {
            own.as_ref().iter().any(|choice| {
                choice.as_ref().iter().any(|(key, value)| {
                    key.as_ref() == "id" && matches!(value.as_ref(), super::raw::OptionValue::Text(id) if id == option)
                })
            })
        });
        if let Some(own) = own {
            return option_span(own, option);
        }
        let list = raw_question.options_from.as_ref().and_then(|name| {
            raw.lists.iter().find(|(id, _)| id.as_ref() == name.as_ref()).map(|(_, list)| &list.as_ref().options)
        });
        list.map_or_else(|| raw_question.id.span(), |options| option_span(options, option))
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use time::macros::date;

    use super::*;
    use crate::questionnaire::parse;

    /// The shared small questionnaire (`tests/fixtures/small/v.toml`), coded,
    /// with `got`'s options from a list and an exclusive `none`.
    fn base() -> String {
        include_str!("../../tests/fixtures/small/v.toml")
            .replace("date_precision = \"week\"\n", "date_precision = \"week\"\naccess = \"code\"\n")
            .replace(
                "options = [ { id = \"move\", en = \"Move\" }, { id = \"things\", en = \"Things\" } ]",
                "options_from = \"support\"\noptions = [ { id = \"none\", en = \"None\", exclusive = true } ]",
            )
            .replace(
                "positive = [\"yes\"]\n",
                "positive = [\"yes\"]\n\n[lists.support]\noptions = [ { id = \"move\", en = \"Move\" }, { id = \"things\", en = \"Things\" } ]\n",
            )
    }

    fn version(text: &str) -> Questionnaire {
        parse(Path::new("v.toml"), text).expect("the edited example is valid")
    }

    /// Some answers to every question and option but `got`'s `things`.
    fn answered() -> AnswerCounts {
        let mut answers = AnswerCounts { responses: 12, ..AnswerCounts::default() };
        for (question, n) in [("overall", 12), ("got", 10), ("comment", 4)] {
            answers.questions.insert(question.to_owned(), n);
        }
        for (question, option, n) in
            [("overall", "yes", 7), ("overall", "partly", 5), ("got", "move", 6), ("got", "none", 4)]
        {
            answers.options.insert((question.to_owned(), option.to_owned()), n);
        }
        answers
    }

    fn verdict(edit: impl Fn(&str) -> String, answers: &AnswerCounts) -> Verdict {
        compare(Path::new("v.toml"), &version(&edit(&base())), &[version(&base())], answers)
    }

    /// The verdict on `new(base())` after `old(base())`.
    fn verdict_from(old: impl Fn(&str) -> String, new: impl Fn(&str) -> String, answers: &AnswerCounts) -> Verdict {
        compare(Path::new("v.toml"), &version(&new(&base())), &[version(&old(&base()))], answers)
    }

    fn lines(problems: &[Problem]) -> Vec<String> {
        problems.iter().map(ToString::to_string).collect()
    }

    #[track_caller]
    fn warns(edit: impl Fn(&str) -> String, expected: &[&str]) {
        let found = verdict(edit, &answered());
        assert_eq!(lines(&found.warnings), expected);
        assert!(found.refusals.is_empty(), "{:?}", found.refusals);
    }

    #[test]
    fn the_same_file_has_nothing_to_say() {
        assert_eq!(verdict(|s| s.to_owned(), &answered()), Verdict::default());
    }

    #[test]
    fn a_removed_question_with_answers_is_warned_about_at_the_id() {
        warns(
            |s| s.replace("[[question]]\nid = \"comment\"\ntype = \"text\"\ntext = { en = \"Comment\" }\n", ""),
            &[
                "v.toml:1:6: warning: question `comment` is not in the file any more, but 4 responses answered it: they stay in the database, but results and exports, which follow the file, will no longer show them (to change its text, keep its id)",
            ],
        );
    }

    #[test]
    fn a_removed_question_without_answers_is_only_noted() {
        let mut answers = answered();
        answers.questions.remove("comment");
        let found = verdict(|s| s.replace("id = \"comment\"", "id = \"remarks\""), &answers);
        assert!(found.warnings.is_empty());
        assert_eq!(
            found.notes,
            ["question `comment` removed (no answers to it are stored)", "question `remarks` added"]
        );
    }

    #[test]
    fn a_removed_option_with_answers_is_warned_about_at_the_question() {
        warns(
            |s| s.replace("{ id = \"move\", en = \"Move\" }, ", ""),
            &[
                "v.toml:24:6: warning: option `move` is removed from `got`, but 6 responses chose it: results for `got` will be shown separately for the old and new version, because the new one no longer offers `move`",
            ],
        );
        let unchosen = verdict(|s| s.replace(", { id = \"things\", en = \"Things\" }", ""), &answered());
        assert!(unchosen.warnings.is_empty());
        assert_eq!(unchosen.notes, ["option `things` removed from `got` (no one chose it)"]);
    }

    #[test]
    fn an_added_option_splits_the_results_of_an_answered_question() {
        warns(
            |s| {
                s.replace(
                    "{ id = \"things\", en = \"Things\" }",
                    "{ id = \"things\", en = \"Things\" }, { id = \"money\", en = \"Money\" }",
                )
            },
            &[
                "v.toml:13:77: warning: results for `got` will be shown separately for the old and new version, because option `money` is added, which the 10 responses to it so far could not choose",
            ],
        );
        warns(
            |s| s.replace("options_from = \"support\"", "options_from = \"support\"\nother = true"),
            &[
                "v.toml:28:9: warning: results for `got` will be shown separately for the old and new version, because option `other` is added, which the 10 responses to it so far could not choose",
            ],
        );
    }

    #[test]
    fn changed_scale_steps_are_one_warning_at_the_scale_key() {
        warns(
            |s| s.replace("{ id = \"partly\", en = \"Partly\" }", "{ id = \"mostly\", en = \"Mostly\" }"),
            &[
                "v.toml:18:9: warning: results for `overall` will be shown separately for the old and new version, because the steps of its scale change (`partly` removed, `mostly` added; 12 responses answered it in the old)",
            ],
        );
    }

    #[test]
    fn a_changed_positive_set_is_warned_about() {
        warns(
            |s| s.replace("positive = [\"yes\"]", "positive = [\"yes\", \"partly\"]"),
            &[
                "v.toml:18:9: warning: results for `overall` will be shown separately for the old and new version, because the answers counted as positive change from `yes` to `yes`, `partly` (12 responses answered it in the old)",
            ],
        );
    }

    #[test]
    fn a_changed_type_is_warned_about_at_the_type() {
        warns(
            |s| s.replace("type = \"multi\"", "type = \"single\"").replace(", exclusive = true", ""),
            &[
                "v.toml:25:8: warning: results for `got` will be shown separately for the old and new version, because its type changes from \"multi\" to \"single\" (10 responses answered it in the old)",
            ],
        );
    }

    #[test]
    fn changes_to_a_question_nobody_answered_are_only_noted() {
        let answers = AnswerCounts { responses: 3, ..AnswerCounts::default() };
        let found =
            verdict(|s| s.replace("type = \"multi\"", "type = \"single\"").replace(", exclusive = true", ""), &answers);
        assert!(found.warnings.is_empty());
        assert_eq!(found.notes, ["question `got` changed its type (no answers to it are stored)"]);
    }

    #[test]
    fn adding_and_rewording_are_notes() {
        let found = verdict(
            |s| {
                format!(
                    "{}\n[[question]]\nid = \"more\"\ntype = \"text\"\ntext = {{ en = \"More\" }}\n",
                    s.replace("Good?", "Was it good?")
                )
            },
            &answered(),
        );
        assert!(found.warnings.is_empty() && found.refusals.is_empty());
        assert_eq!(found.notes, ["question `overall` reworded", "question `more` added"]);
    }

    #[test]
    fn loosened_privacy_settings_are_refused_at_their_keys_once_answered() {
        let found = verdict(
            |s| {
                s.replace("min_report_n = 5", "min_report_n = 3")
                    .replace("\"week\"", "\"day\"")
                    .replace("access = \"code\"", "access = \"open\"")
            },
            &answered(),
        );
        let refused = lines(&found.refusals);
        assert_eq!(refused.len(), 3);
        assert!(refused[0].starts_with("v.toml:4:16: `min_report_n` is lowered from 5 to 3"), "{}", refused[0]);
        assert!(
            refused[1].starts_with("v.toml:5:18: `date_precision` is made finer, from week to day"),
            "{}",
            refused[1]
        );
        assert!(refused[2].starts_with("v.toml:6:10: `access` is changed from \"code\" to \"open\""), "{}", refused[2]);
        // A removed key loosens too; it is pointed at the top of the file.
        let removed = verdict(|s| s.replace("access = \"code\"\n", ""), &answered());
        assert!(lines(&removed.refusals)[0].starts_with("v.toml:1:1: `access`"));
        // Before anyone answered, a setting may change either way.
        let unanswered = verdict(|s| s.replace("min_report_n = 5", "min_report_n = 3"), &AnswerCounts::default());
        assert!(unanswered.refusals.is_empty());
    }

    #[test]
    fn a_changed_report_period_is_refused_once_answered_either_way() {
        for (before, after) in [("month", "quarter"), ("year", "month")] {
            let old =
                |s: &str| s.replace("min_report_n = 5", &format!("min_report_n = 5\nreport_period = \"{before}\""));
            let found = verdict_from(old, |s| old(s).replace(before, after), &answered());
            let refused = lines(&found.refusals);
            assert_eq!(refused.len(), 1, "{refused:?}");
            assert!(
                refused[0]
                    .starts_with(&format!("v.toml:5:17: `report_period` is changed from \"{before}\" to \"{after}\"")),
                "{}",
                refused[0]
            );
        }
    }

    #[test]
    fn several_versions_of_the_latest_day_give_each_finding_once() {
        let edited = base().replace("positive = [\"yes\"]", "positive = [\"yes\", \"partly\"]");
        let other_same_day = version(&base().replace("Good?", "Good at all?"));
        let found = compare(Path::new("v.toml"), &version(&edited), &[version(&base()), other_same_day], &answered());
        assert_eq!(found.warnings.len(), 1);
        assert_eq!(found.notes, ["question `overall` reworded"]);
    }

    #[test]
    fn the_baseline_is_the_latest_day_unless_the_file_is_stored_that_day() {
        let stored = vec![
            ("a".to_owned(), date!(2026 - 01 - 05)),
            ("b".to_owned(), date!(2026 - 02 - 02)),
            ("c".to_owned(), date!(2026 - 02 - 02)),
        ];
        assert_eq!(Baseline::choose(&[], "x"), Baseline::New);
        assert_eq!(
            Baseline::choose(&stored, "x"),
            Baseline::Latest { versions: vec!["b".into(), "c".into()], first_seen: date!(2026 - 02 - 02) }
        );
        assert_eq!(Baseline::choose(&stored, "c"), Baseline::Unchanged { version: "c".into() });
        // Going back to an older version is a change like any other.
        assert!(matches!(Baseline::choose(&stored, "a"), Baseline::Latest { .. }));
    }
}
