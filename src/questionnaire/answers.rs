//! A respondent's submitted form, checked against the questionnaire: either
//! answers ready to store, or what is wrong with each question.

use std::collections::BTreeMap;

use super::protocol::{LANGUAGE_FIELD, SWITCH_LANGUAGE_FIELD};
use super::{Choice, OTHER, QuestionKind, Questionnaire};

/// The longest "Something else:" text, in characters.
pub const OTHER_MAX_LENGTH: usize = 500;

/// The raw fields of a submitted form, by name: a question's id holds its
/// chosen options or its text; `{id}.other` holds a "Something else:" text.
/// Names starting with `_` belong to the form itself (language, version).
#[derive(Debug, Clone, Default)]
pub struct FormInput {
    fields: BTreeMap<String, Vec<String>>,
}

/// A form field that belongs to no question of the questionnaire.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the form has a field `{0}` that is not part of the questionnaire")]
pub struct UnknownField(pub String);

impl FormInput {
    /// Accepts the fields of a form posted for `questionnaire`, refusing any
    /// field that is not one of its questions.
    pub fn new(questionnaire: &Questionnaire, pairs: Vec<(String, String)>) -> Result<FormInput, UnknownField> {
        let mut fields: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (name, value) in pairs {
            let known = name.starts_with('_')
                || questionnaire.question(&name).is_some()
                || name
                    .strip_suffix(".other")
                    .and_then(|id| questionnaire.question(id))
                    .is_some_and(|question| question.kind.has_other());
            if !known {
                return Err(UnknownField(name));
            }
            fields.entry(name).or_default().push(value);
        }
        Ok(FormInput { fields })
    }

    /// The same form with `value` as the only value of `name`, a field of
    /// the form itself (starting with `_`), whatever was sent for it.
    pub fn with_form_field(mut self, name: &str, value: String) -> FormInput {
        debug_assert!(name.starts_with('_'), "a question's answer is never set by the service");
        self.fields.insert(name.to_owned(), vec![value]);
        self
    }

    /// Every value given for a field, in form order.
    pub fn values(&self, name: &str) -> &[String] {
        self.fields.get(name).map_or(&[], Vec::as_slice)
    }

    /// The first value of a field, or "" when it was not sent.
    pub fn value(&self, name: &str) -> &str {
        self.values(name).first().map_or("", String::as_str)
    }

    /// The language the form asks for: one a language button chose
    /// (`SWITCH_LANGUAGE_FIELD`), or else the one it was shown in. Checked
    /// against the questionnaire's languages by the caller.
    pub fn language(&self) -> &str {
        match self.value(SWITCH_LANGUAGE_FIELD) {
            "" => self.value(LANGUAGE_FIELD),
            chosen => chosen,
        }
    }

    /// Whether `option` was chosen in question `question`.
    pub fn is_chosen(&self, question: &str, option: &str) -> bool {
        self.values(question).iter().any(|value| value == option)
    }

    /// Whether anything was given for a question: an option, a text, or a
    /// "Something else:" text.
    pub fn has_answer(&self, question: &str) -> bool {
        self.values(question).iter().any(|value| !value.trim().is_empty())
            || !self.value(&FormInput::other_field(question)).trim().is_empty()
    }

    /// The name of a question's "Something else:" text field.
    pub fn other_field(question: &str) -> String {
        format!("{question}.other")
    }
}

/// One stored answer: a chosen option, a text, or both ("Something else:").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub question_id: String,
    pub option_id: Option<String>,
    pub text: Option<String>,
}

/// How a response came in. A paper form typed in by staff goes through the
/// same checks and conditions as the web form; only the channel tells them
/// apart, and it is reported like a language (a small channel is protected
/// as a small language is).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Channel {
    #[default]
    Web,
    Paper,
}

impl Channel {
    pub const ALL: [Channel; 2] = [Channel::Web, Channel::Paper];

    /// Whether a `required` question must be answered. Not on paper: a
    /// paper form cannot force an answer, so a question left blank there is
    /// stored as unanswered rather than keeping the whole form out.
    pub fn enforces_required(self) -> bool {
        self == Channel::Web
    }

    /// Whether an answer to a question the form says to skip is a
    /// contradiction for the person entering it to resolve (paper: the
    /// respondent saw the question printed and answered it anyway), rather
    /// than dropped (web: the question was never shown, so a carried answer
    /// is stale, see `Questionnaire::shown`).
    pub fn refuses_skipped_answers(self) -> bool {
        self == Channel::Paper
    }

    /// As stored and as written in URLs and exports.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Web => "web",
            Channel::Paper => "paper",
        }
    }

    /// The channel stored as `stored`, if it is one.
    pub fn parse(stored: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|channel| channel.as_str() == stored)
    }

    /// The channel's name for staff, in Swedish.
    pub fn label(self) -> &'static str {
        match self {
            Channel::Web => "Webb",
            Channel::Paper => "Papper",
        }
    }
}

impl std::fmt::Display for Channel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What is wrong with the answer to one question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerError {
    pub question_id: String,
    pub problem: AnswerProblem,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerProblem {
    /// A required question was not answered.
    Required,
    /// A value that is not one of the question's options.
    UnknownOption,
    /// More than one value where one is allowed.
    OneOnly,
    /// An exclusive option combined with others; holds the option's id.
    Exclusive(String),
    /// A text longer than allowed; holds the limit in characters.
    TooLong(usize),
    /// "Something else" chosen without saying what.
    OtherMissing,
    /// Only on paper: an answer to a question the form says to skip, given
    /// the answer to the question with this id (see `validate_from`).
    Skipped(String),
    /// Only on paper: an option of a question offering only those chosen
    /// in the question with this id (`options_chosen_in`), not chosen there.
    NotChosenIn(String),
}

/// Checks a whole submitted form against the questionnaire it was posted
/// to: the answers to store, or what is wrong. Only questions shown (see
/// `Questionnaire::shown`) count: an answer to a question whose condition is
/// false is discarded, and such a question is not required.
pub fn validate(questionnaire: &Questionnaire, input: &FormInput) -> Result<Vec<Answer>, Vec<AnswerError>> {
    validate_until(questionnaire, input, questionnaire.pages.len().saturating_sub(1))
}

/// `validate` for a whole form that came in by `channel`: the same
/// conditions, options and contradictions, with the channel's differences
/// (`Channel::enforces_required`, `Channel::refuses_skipped_answers`). A
/// paper form is never changed to fit: what contradicts the form's own
/// rules is refused, for the person typing it in to resolve.
pub fn validate_from(
    channel: Channel,
    questionnaire: &Questionnaire,
    input: &FormInput,
) -> Result<Vec<Answer>, Vec<AnswerError>> {
    check(channel, questionnaire, input, questionnaire.pages.len().saturating_sub(1))
}

/// `validate`, for the questions on pages up to and including `last_page`:
/// each step between pages checks everything answered so far, so an answer
/// altered in an earlier page's carried fields is caught at once.
pub fn validate_until(
    questionnaire: &Questionnaire,
    input: &FormInput,
    last_page: usize,
) -> Result<Vec<Answer>, Vec<AnswerError>> {
    check(Channel::Web, questionnaire, input, last_page)
}

fn check(
    channel: Channel,
    questionnaire: &Questionnaire,
    input: &FormInput,
    last_page: usize,
) -> Result<Vec<Answer>, Vec<AnswerError>> {
    let shown = questionnaire.shown(input);
    let until = questionnaire.pages.get(last_page).map_or(questionnaire.questions.len(), |page| page.questions.end);
    let mut answers = Vec::new();
    let mut errors = Vec::new();
    for (index, question) in questionnaire.questions.iter().enumerate().take(until) {
        let refuse = |problem| AnswerError { question_id: question.id.clone(), problem };
        if !shown.question(index) {
            if channel.refuses_skipped_answers() && input.has_answer(&question.id) {
                errors.push(refuse(questionnaire.why_not_shown(index, input, &shown)));
            }
            continue;
        }
        let offered = questionnaire.offered_with(question, input, &shown);
        match answer_question(&question.id, &question.kind, &offered, input) {
            Ok(given) if given.is_empty() && question.required && channel.enforces_required() => {
                errors.push(refuse(AnswerProblem::Required));
            }
            Ok(given) => answers.extend(given),
            // An option of the question, but not one chosen in the answer
            // its options follow: on paper every option is printed, so say why.
            Err(AnswerProblem::UnknownOption) if channel.refuses_skipped_answers() => {
                errors.push(refuse(match &question.options_chosen_in {
                    Some(source) if only_its_options(question, input) => AnswerProblem::NotChosenIn(source.clone()),
                    _ => AnswerProblem::UnknownOption,
                }));
            }
            Err(problem) => errors.push(refuse(problem)),
        }
    }
    if errors.is_empty() { Ok(answers) } else { Err(errors) }
}

/// Whether every value given for `question` is one of its options.
fn only_its_options(question: &super::Question, input: &FormInput) -> bool {
    let choices = question.kind.choices();
    input
        .values(&question.id)
        .iter()
        .map(|value| value.trim())
        .all(|value| value.is_empty() || choices.iter().any(|choice| choice.id == value))
}

/// The answers given to one question (none if it was skipped), or what is
/// wrong with them; only the options `offered` (see `offered_choices`) count.
fn answer_question(
    id: &str,
    kind: &QuestionKind,
    offered: &[Choice],
    input: &FormInput,
) -> Result<Vec<Answer>, AnswerProblem> {
    let values: Vec<&str> =
        input.values(id).iter().map(|value| value.trim()).filter(|value| !value.is_empty()).collect();
    let answer = |option_id: Option<&str>, text: Option<String>| Answer {
        question_id: id.to_owned(),
        option_id: option_id.map(str::to_owned),
        text,
    };

    if let QuestionKind::Text { max_length } = kind {
        if values.len() > 1 {
            return Err(AnswerProblem::OneOnly);
        }
        let text = normalise(input.value(id));
        if text.chars().count() > *max_length {
            return Err(AnswerProblem::TooLong(*max_length));
        }
        return Ok(if text.is_empty() { Vec::new() } else { vec![answer(None, Some(text))] });
    }

    let choices = offered;
    let mut chosen: Vec<&str> = Vec::new();
    for value in values {
        let exists = choices.iter().any(|choice| choice.id == value) || (kind.has_other() && value == OTHER);
        if !exists {
            return Err(AnswerProblem::UnknownOption);
        }
        if !chosen.contains(&value) {
            chosen.push(value);
        }
    }
    let other_text = normalise(input.value(&FormInput::other_field(id)));
    // Writing in the "Something else" field is choosing it.
    if kind.has_other() && !other_text.is_empty() && !chosen.contains(&OTHER) {
        chosen.push(OTHER);
    }
    if !matches!(kind, QuestionKind::Multi { .. }) && chosen.len() > 1 {
        return Err(AnswerProblem::OneOnly);
    }
    if chosen.len() > 1
        && let Some(exclusive) = choices.iter().find(|choice| choice.exclusive && chosen.contains(&choice.id.as_str()))
    {
        return Err(AnswerProblem::Exclusive(exclusive.id.clone()));
    }
    if chosen.contains(&OTHER) {
        if other_text.is_empty() {
            return Err(AnswerProblem::OtherMissing);
        }
        if other_text.chars().count() > OTHER_MAX_LENGTH {
            return Err(AnswerProblem::TooLong(OTHER_MAX_LENGTH));
        }
    }
    Ok(chosen.into_iter().map(|option| answer(Some(option), (option == OTHER).then(|| other_text.clone()))).collect())
}

/// Trims a text answer and gives it one kind of line break, so that length
/// limits count what the person wrote, not how their browser encoded it.
fn normalise(text: &str) -> String {
    text.trim().replace("\r\n", "\n")
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::questionnaire::parse;

    const SOURCE: &str = r#"
id = "t"
languages = ["en"]
title = { en = "T" }

[scales.yes2]
options = [ { id = "yes", en = "Yes" }, { id = "no", en = "No" } ]
positive = ["yes"]
dont_know = { en = "Don't know" }

[[question]]
id = "overall"
type = "scale"
scale = "yes2"
role = "satisfaction"
area = "helhet"
required = true
text = { en = "Good?" }

[[question]]
id = "lacked"
type = "multi"
other = true
text = { en = "Lacked?" }
options = [ { id = "move", en = "Move" }, { id = "home", en = "Home" }, { id = "none", en = "Nothing", exclusive = true } ]

[[question]]
id = "comment"
type = "text"
max_length = 10
text = { en = "Comment" }
"#;

    fn check(pairs: &[(&str, &str)]) -> Result<Vec<Answer>, Vec<AnswerError>> {
        let questionnaire = parse(Path::new("t.toml"), SOURCE).expect("valid test questionnaire");
        let pairs = pairs.iter().map(|(name, value)| (name.to_string(), value.to_string())).collect();
        let input = FormInput::new(&questionnaire, pairs).expect("known fields");
        validate(&questionnaire, &input)
    }

    fn problems(pairs: &[(&str, &str)]) -> Vec<(String, AnswerProblem)> {
        check(pairs)
            .expect_err("should be refused")
            .into_iter()
            .map(|error| (error.question_id, error.problem))
            .collect()
    }

    #[test]
    fn a_complete_answer_becomes_one_row_per_choice() {
        let answers =
            check(&[("overall", "yes"), ("lacked", "move"), ("lacked", "home"), ("comment", " ok ")]).unwrap();
        let rows: Vec<(&str, Option<&str>, Option<&str>)> =
            answers.iter().map(|a| (a.question_id.as_str(), a.option_id.as_deref(), a.text.as_deref())).collect();
        assert_eq!(
            rows,
            vec![
                ("overall", Some("yes"), None),
                ("lacked", Some("move"), None),
                ("lacked", Some("home"), None),
                ("comment", None, Some("ok")),
            ]
        );
    }

    #[test]
    fn dont_know_is_an_answer_to_a_required_scale_question() {
        assert!(check(&[("overall", "dont_know")]).is_ok());
    }

    #[test]
    fn each_mistake_is_named_at_its_question() {
        assert_eq!(problems(&[]), vec![("overall".into(), AnswerProblem::Required)]);
        assert_eq!(problems(&[("overall", "maybe")]), vec![("overall".into(), AnswerProblem::UnknownOption)]);
        assert_eq!(
            problems(&[("overall", "yes"), ("overall", "no")]),
            vec![("overall".into(), AnswerProblem::OneOnly)]
        );
        assert_eq!(
            problems(&[("overall", "yes"), ("lacked", "none"), ("lacked", "move")]),
            vec![("lacked".into(), AnswerProblem::Exclusive("none".into()))]
        );
        assert_eq!(
            problems(&[("overall", "yes"), ("comment", "eleven char")]),
            vec![("comment".into(), AnswerProblem::TooLong(10))]
        );
        assert_eq!(
            problems(&[("overall", "yes"), ("lacked", "other"), ("lacked.other", "  ")]),
            vec![("lacked".into(), AnswerProblem::OtherMissing)]
        );
    }

    #[test]
    fn writing_something_else_chooses_it() {
        let answers = check(&[("overall", "no"), ("lacked", "move"), ("lacked.other", "A lawyer")]).unwrap();
        assert!(answers.contains(&Answer {
            question_id: "lacked".into(),
            option_id: Some("other".into()),
            text: Some("A lawyer".into()),
        }));
    }

    #[test]
    fn on_paper_a_blank_required_question_is_unanswered_and_contradictions_are_still_refused() {
        let questionnaire = parse(Path::new("t.toml"), SOURCE).unwrap();
        let input = |pairs: &[(&str, &str)]| {
            let pairs = pairs.iter().map(|(name, value)| (name.to_string(), value.to_string())).collect();
            FormInput::new(&questionnaire, pairs).unwrap()
        };
        assert_eq!(validate_from(Channel::Paper, &questionnaire, &input(&[])), Ok(Vec::new()), "stored unanswered");
        assert!(validate_from(Channel::Web, &questionnaire, &input(&[])).is_err(), "required on the web");
        let contradiction = input(&[("lacked", "none"), ("lacked", "move")]);
        let refused = validate_from(Channel::Paper, &questionnaire, &contradiction).unwrap_err();
        assert_eq!(refused[0].problem, AnswerProblem::Exclusive("none".into()));
    }

    #[test]
    fn fields_outside_the_questionnaire_are_refused() {
        let questionnaire = parse(Path::new("t.toml"), SOURCE).unwrap();
        let refused = FormInput::new(&questionnaire, vec![("ip".into(), "1.2.3.4".into())]);
        assert_eq!(refused.unwrap_err(), UnknownField("ip".into()));
        let refused = FormInput::new(&questionnaire, vec![("overall.other".into(), "x".into())]);
        assert_eq!(refused.unwrap_err(), UnknownField("overall.other".into()));
    }
}
