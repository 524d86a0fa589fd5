//! Pages and conditions: which parts of a questionnaire a respondent is
//! shown, given what they have answered so far.
//!
//! Conditions only look back (at questions earlier in the file, and for a
//! page at questions on earlier pages), so one pass in file order decides
//! every question. The same evaluation serves the form, each step between
//! pages and the final submission, so what was shown is what is validated
//! and stored: an answer to a question that was not shown is discarded.

use std::ops::Range;

use super::{FormInput, OTHER, Questionnaire};

/// A part of the form shown on its own: a title, its questions (a range of
/// `Questionnaire::questions`) and, optionally, a condition.
#[derive(Debug, Clone)]
pub struct Page {
    /// `None` only for the single page of a questionnaire without `[[page]]`.
    pub title: Option<super::Text>,
    pub condition: Option<Condition>,
    pub questions: Range<usize>,
}

/// `show_if = { question = "...", any_of = [...] }` and its siblings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// The id of an earlier question.
    pub question: String,
    pub test: Test,
}

/// What a condition asks of the earlier question's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Test {
    /// At least one of these options was chosen.
    AnyOf(Vec<String>),
    /// The question was answered, and with none of these options.
    NoneOf(Vec<String>),
    /// The question was answered (`true`) or left unanswered (`false`).
    Answered(bool),
}

/// Which pages and questions are shown, given a form's answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    pages: Vec<bool>,
    questions: Vec<bool>,
}

impl Shown {
    pub fn page(&self, index: usize) -> bool {
        self.pages.get(index).copied().unwrap_or(false)
    }

    pub fn question(&self, index: usize) -> bool {
        self.questions.get(index).copied().unwrap_or(false)
    }

    /// The shown pages, in order.
    pub fn pages(&self) -> impl Iterator<Item = usize> + '_ {
        self.pages.iter().enumerate().filter(|(_, shown)| **shown).map(|(index, _)| index)
    }

    /// The first shown page after `page`, if any.
    pub fn next_page(&self, page: usize) -> Option<usize> {
        self.pages().find(|index| *index > page)
    }

    /// The last shown page before `page`, if any.
    pub fn previous_page(&self, page: usize) -> Option<usize> {
        self.pages().filter(|index| *index < page).last()
    }
}

impl Questionnaire {
    /// Evaluates every condition against `input`. A question is shown when
    /// its page is and its own condition holds; a condition on a question
    /// that was not shown holds only for `answered = false`.
    pub fn shown(&self, input: &FormInput) -> Shown {
        let mut shown = Shown { pages: vec![false; self.pages.len()], questions: vec![false; self.questions.len()] };
        for (page_index, page) in self.pages.iter().enumerate() {
            let page_shown = page.condition.as_ref().is_none_or(|condition| self.holds(condition, input, &shown));
            shown.pages[page_index] = page_shown;
            for index in page.questions.clone() {
                let question = &self.questions[index];
                shown.questions[index] = page_shown
                    && question.condition.as_ref().is_none_or(|condition| self.holds(condition, input, &shown));
            }
        }
        shown
    }

    fn holds(&self, condition: &Condition, input: &FormInput, shown: &Shown) -> bool {
        let Some(index) = self.question_index(&condition.question) else {
            return false;
        };
        let answered = shown.question(index) && input.has_answer(&condition.question);
        let chose_any = |options: &[String]| options.iter().any(|option| is_chosen(input, &condition.question, option));
        match &condition.test {
            Test::AnyOf(options) => answered && chose_any(options),
            Test::NoneOf(options) => answered && !chose_any(options),
            Test::Answered(wanted) => answered == *wanted,
        }
    }

    /// The page a question is on.
    pub fn page_of(&self, question_index: usize) -> usize {
        self.pages.iter().position(|page| page.questions.contains(&question_index)).unwrap_or(0)
    }

    /// Where the question `id` is in `questions`.
    pub fn question_index(&self, id: &str) -> Option<usize> {
        self.questions.iter().position(|question| question.id == id)
    }

    /// The page the question `id` is on.
    pub fn page_of_question(&self, id: &str) -> Option<usize> {
        self.question_index(id).map(|index| self.page_of(index))
    }
}

/// Writing in the "Something else:" field is choosing it, as in validation.
fn is_chosen(input: &FormInput, question: &str, option: &str) -> bool {
    input.values(question).iter().any(|value| value.trim() == option)
        || (option == OTHER && !input.value(&FormInput::other_field(question)).trim().is_empty())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::questionnaire::parse;

    /// `got` decides four follow-ups, one per test; `why` follows `helped`,
    /// which is itself conditional.
    const SOURCE: &str = r#"
id = "t"
languages = ["en"]
title = { en = "T" }

[[question]]
id = "got"
type = "multi"
text = { en = "Got?" }
options = [ { id = "a", en = "A" }, { id = "b", en = "B" }, { id = "none", en = "None", exclusive = true } ]
other = true

[[question]]
id = "any"
type = "text"
show_if = { question = "got", any_of = ["a", "other"] }
text = { en = "Any" }

[[question]]
id = "helped"
type = "text"
show_if = { question = "got", none_of = ["none"] }
text = { en = "Helped?" }

[[question]]
id = "answered"
type = "text"
show_if = { question = "got", answered = true }
text = { en = "Answered" }

[[question]]
id = "skipped"
type = "text"
show_if = { question = "got", answered = false }
text = { en = "Skipped" }

[[question]]
id = "why"
type = "text"
show_if = { question = "helped", answered = true }
text = { en = "Why?" }
"#;

    fn shown_for(fields: &[(&str, &str)]) -> Vec<&'static str> {
        let questionnaire = parse(Path::new("t.toml"), SOURCE).expect("the example is valid");
        let pairs = fields.iter().map(|(name, value)| (name.to_string(), value.to_string())).collect();
        let input = FormInput::new(&questionnaire, pairs).expect("known fields");
        let shown = questionnaire.shown(&input);
        ["got", "any", "helped", "answered", "skipped", "why"]
            .into_iter()
            .enumerate()
            .filter(|(index, _)| shown.question(*index))
            .map(|(_, id)| id)
            .collect()
    }

    #[test]
    fn any_of_holds_when_one_of_the_options_is_chosen() {
        assert_eq!(shown_for(&[("got", "a")]), ["got", "any", "helped", "answered"]);
        assert_eq!(shown_for(&[("got", "b")]), ["got", "helped", "answered"]);
        // Writing in "Something else:" is choosing it.
        assert_eq!(shown_for(&[("got.other", "C")]), ["got", "any", "helped", "answered"]);
    }

    #[test]
    fn none_of_needs_an_answer_without_those_options() {
        assert_eq!(shown_for(&[("got", "none")]), ["got", "answered"]);
        assert_eq!(shown_for(&[]), ["got", "skipped"], "unanswered is not `none_of`");
    }

    #[test]
    fn answered_true_and_false() {
        assert_eq!(shown_for(&[("got", " ")]), ["got", "skipped"], "blank is not an answer");
        assert!(shown_for(&[("got", "b")]).contains(&"answered"));
    }

    #[test]
    fn a_condition_on_a_hidden_question_sees_no_answer() {
        assert_eq!(shown_for(&[("got", "b"), ("helped", "Yes")]), ["got", "helped", "answered", "why"]);
        // `helped` is hidden by "none", so its carried answer does not count.
        assert_eq!(shown_for(&[("got", "none"), ("helped", "Yes")]), ["got", "answered"]);
    }
}
