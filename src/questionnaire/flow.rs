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
        let Some(index) = self.questions.iter().position(|question| question.id == condition.question) else {
            return false;
        };
        let answered = shown.question(index) && is_answered(input, &condition.question);
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
}

/// Whether anything was given for a question: an option, a text, or a
/// "Something else:" text.
fn is_answered(input: &FormInput, question: &str) -> bool {
    input.values(question).iter().any(|value| !value.trim().is_empty())
        || !input.value(&FormInput::other_field(question)).trim().is_empty()
}

/// Writing in the "Something else:" field is choosing it, as in validation.
fn is_chosen(input: &FormInput, question: &str, option: &str) -> bool {
    input.values(question).iter().any(|value| value.trim() == option)
        || (option == OTHER && !input.value(&FormInput::other_field(question)).trim().is_empty())
}
