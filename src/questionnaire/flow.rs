//! Pages, conditions and the steps between them: which parts of a
//! questionnaire a respondent is shown, given what they have answered so
//! far, and what a sent form step leads to (`next_step`), for a respondent
//! and an admin's preview alike. The web layer only renders the step.
//!
//! Conditions only look back (at questions earlier in the file, and for a
//! page at questions on earlier pages), so one pass in file order decides
//! every question. The same evaluation serves the form, each step between
//! pages and the final submission, so what was shown is what is validated
//! and stored: an answer to a question that was not shown is discarded.

use std::ops::Range;

use super::protocol::{
    ACTION_FIELD, ASIDE_FIELD, BACK, CHANGE_FIELD, CHECK_PAGE, PAGE_FIELD, PRIVACY_ASIDE, SAFETY_ASIDE, START_PAGE,
    STAY, SWITCH_LANGUAGE_FIELD,
};
use super::{Answer, AnswerError, AnswerProblem, FormInput, OTHER, Questionnaire, validate, validate_until};

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

/// What follows a sent form step.
#[derive(Debug, PartialEq)]
pub enum Step {
    /// A screen to show the person.
    Show(Screen),
    /// Every answer checked, ready to store.
    Complete(Vec<Answer>),
}

/// A screen of the form.
#[derive(Debug, PartialEq)]
pub enum Screen {
    /// A page of questions, by index, with the problems found on it (none
    /// when the person moves on or back).
    Page { index: usize, problems: Vec<AnswerError> },
    /// The "check your answers" page.
    CheckAnswers,
    /// A page of information opened from the form, carrying every answer
    /// and a way back to the step it was opened from.
    Aside { aside: Aside, from: Resume },
}

/// The pages of information a form page can open without losing answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aside {
    Safety,
    Privacy,
}

/// The step an aside returns to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resume {
    Page(usize),
    Check,
}

/// A form names a page the questionnaire does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("there is no page `{0}` in this questionnaire")]
pub struct NoSuchPage(String);

/// Where in the questionnaire a sent form stood.
#[derive(Debug, Clone, Copy)]
enum Position {
    /// The start page: on to the first page of questions, nothing checked.
    Start,
    /// A page of questions, by index.
    Page(usize),
    /// The "check your answers" page.
    Check,
    /// A form that names no page (a script, or a form from before pages):
    /// everything it holds is checked and, if valid, stored.
    End,
}

impl Position {
    /// The step a form stood at, to show again; none for the start page
    /// (which has no answers to keep) or a form that names no page.
    fn resume(self) -> Option<Resume> {
        match self {
            Position::Page(index) => Some(Resume::Page(index)),
            Position::Check => Some(Resume::Check),
            Position::Start | Position::End => None,
        }
    }

    fn of(questionnaire: &Questionnaire, input: &FormInput) -> Result<Position, NoSuchPage> {
        match input.value(PAGE_FIELD) {
            "" => Ok(Position::End),
            CHECK_PAGE => Ok(Position::Check),
            START_PAGE => Ok(Position::Start),
            page => page
                .parse::<usize>()
                .ok()
                .filter(|page| *page < questionnaire.pages.len())
                .map(Position::Page)
                .ok_or_else(|| NoSuchPage(page.to_owned())),
        }
    }
}

/// Decides the next step of a form: Back, Change, the next page, the check
/// page, or the end.
pub fn next_step(questionnaire: &Questionnaire, input: &FormInput) -> Result<Step, NoSuchPage> {
    let position = Position::of(questionnaire, input)?;
    let shown = questionnaire.shown(input);
    let page = |index: usize| Step::Show(Screen::Page { index, problems: Vec::new() });
    if let Position::Start = position {
        return Ok(page(shown.pages().next().unwrap_or_default()));
    }
    // A page of information, a way back from it and another language show
    // a step without checking anything: the answers travel along as they are.
    if let Some(resume) = position.resume() {
        let aside = match input.value(ASIDE_FIELD) {
            SAFETY_ASIDE => Some(Aside::Safety),
            PRIVACY_ASIDE => Some(Aside::Privacy),
            _ => None,
        };
        if let Some(aside) = aside {
            return Ok(Step::Show(Screen::Aside { aside, from: resume }));
        }
        if input.value(ACTION_FIELD) == STAY || !input.value(SWITCH_LANGUAGE_FIELD).is_empty() {
            return Ok(Step::Show(match resume {
                Resume::Page(index) => Screen::Page { index, problems: Vec::new() },
                Resume::Check => Screen::CheckAnswers,
            }));
        }
    }
    // Back and "Change" move between steps without checking anything: the
    // answers travel along as they are, to be checked when the person goes on.
    if input.value(ACTION_FIELD) == BACK {
        return Ok(page(match position {
            Position::Page(index) => shown.previous_page(index).unwrap_or(index),
            Position::Check | Position::End | Position::Start => shown.pages().last().unwrap_or_default(),
        }));
    }
    let change = input.value(CHANGE_FIELD);
    if !change.is_empty() {
        let index = questionnaire.page_of_question(change).filter(|index| shown.page(*index));
        return Ok(page(index.unwrap_or_default()));
    }
    // Everything answered so far is checked at every step; the first page
    // with a problem is shown again, with only its own problems.
    let last_page = match position {
        Position::Page(index) => index,
        Position::Check | Position::End | Position::Start => questionnaire.pages.len() - 1,
    };
    if let Err(errors) = validate_until(questionnaire, input, last_page) {
        return Ok(first_page_with(questionnaire, errors));
    }
    if let Position::Page(index) = position {
        if let Some(next) = shown.next_page(index) {
            return Ok(page(next));
        }
        if questionnaire.check_answers {
            return Ok(Step::Show(Screen::CheckAnswers));
        }
    }
    // Every condition is evaluated again here: an answer to a question that
    // is not shown is dropped, whatever the form carried.
    Ok(match validate(questionnaire, input) {
        Ok(answers) => Step::Complete(answers),
        Err(errors) => first_page_with(questionnaire, errors),
    })
}

/// The first page with a problem, with only the problems on it: the page the
/// person is shown again, with only what they can fix there.
fn first_page_with(questionnaire: &Questionnaire, errors: Vec<AnswerError>) -> Step {
    let page_of = |error: &AnswerError| questionnaire.page_of_question(&error.question_id).unwrap_or_default();
    let index = errors.iter().map(page_of).min().unwrap_or_default();
    let problems = errors.into_iter().filter(|error| page_of(error) == index).collect();
    Step::Show(Screen::Page { index, problems })
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
                    && question.condition.as_ref().is_none_or(|condition| self.holds(condition, input, &shown))
                    && self.offers_any(question, input, &shown);
            }
            // A page with no question to show is skipped: its first question
            // can only look at earlier pages, so no answer on it can change that.
            if !page.questions.clone().any(|index| shown.questions[index]) {
                shown.pages[page_index] = false;
            }
        }
        shown
    }

    /// Why the question at `index` is not shown (`shown` being this
    /// form's): its page's or its own condition on an earlier answer
    /// (`Skipped`, naming that question), or no option chosen in the answer
    /// its options follow (`NotChosenIn`).
    pub(super) fn why_not_shown(&self, index: usize, input: &FormInput, shown: &Shown) -> AnswerProblem {
        let question = &self.questions[index];
        let page = &self.pages[self.page_of(index)];
        let failed = [&page.condition, &question.condition]
            .into_iter()
            .flatten()
            .find(|condition| !self.holds(condition, input, shown));
        match (failed, &question.options_chosen_in) {
            (Some(condition), _) => AnswerProblem::Skipped(condition.question.clone()),
            (None, Some(source)) => AnswerProblem::NotChosenIn(source.clone()),
            // A page left with no question shown is not shown either; each
            // of its questions has a reason of its own, found above.
            (None, None) => AnswerProblem::Skipped(question.id.clone()),
        }
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
pub(super) fn is_chosen(input: &FormInput, question: &str, option: &str) -> bool {
    input.values(question).iter().any(|value| value.trim() == option)
        || (option == OTHER && !input.value(&FormInput::other_field(question)).trim().is_empty())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::questionnaire::parse;
    use crate::questionnaire::protocol::{ACTION_FIELD, BACK, CHANGE_FIELD, CHECK_PAGE, PAGE_FIELD, START_PAGE};

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

    /// Three pages, the second shown only to those who got support, and a
    /// check page at the end.
    const PAGED: &str = r#"
id = "p"
languages = ["en"]
title = { en = "P" }
check_answers = true

[[page]]
title = { en = "One" }

[[page.question]]
id = "got"
type = "single"
required = true
text = { en = "Got support?" }
options = [ { id = "yes", en = "Yes" }, { id = "no", en = "No" } ]

[[page]]
title = { en = "Two" }
show_if = { question = "got", any_of = ["yes"] }

[[page.question]]
id = "good"
type = "single"
required = true
text = { en = "Good?" }
options = [ { id = "yes", en = "Yes" }, { id = "no", en = "No" } ]

[[page]]
title = { en = "Three" }

[[page.question]]
id = "comment"
type = "text"
text = { en = "Anything else?" }
"#;

    fn step(fields: &[(&str, &str)]) -> Result<Step, NoSuchPage> {
        let questionnaire = parse(Path::new("p.toml"), PAGED).expect("the example is valid");
        let pairs = fields.iter().map(|(name, value)| (name.to_string(), value.to_string())).collect();
        next_step(&questionnaire, &FormInput::new(&questionnaire, pairs).expect("known fields"))
    }

    fn page(index: usize) -> Result<Step, NoSuchPage> {
        Ok(Step::Show(Screen::Page { index, problems: Vec::new() }))
    }

    fn problems_on(result: Result<Step, NoSuchPage>) -> (usize, Vec<String>) {
        match result {
            Ok(Step::Show(Screen::Page { index, problems })) => {
                (index, problems.into_iter().map(|problem| problem.question_id).collect())
            }
            other => panic!("a page with problems, not {other:?}"),
        }
    }

    #[test]
    fn each_step_leads_on_back_or_to_the_first_page_with_a_problem() {
        let (yes, no) = (("got", "yes"), ("got", "no"));
        assert_eq!(step(&[(PAGE_FIELD, START_PAGE)]), page(0), "the start page opens the first page");
        assert_eq!(step(&[(PAGE_FIELD, "0"), yes]), page(1), "on to the page its condition shows");
        assert_eq!(step(&[(PAGE_FIELD, "0"), no]), page(2), "past the page its condition hides");
        assert_eq!(problems_on(step(&[(PAGE_FIELD, "0")])), (0, vec!["got".to_owned()]), "a required answer");
        assert_eq!(step(&[(PAGE_FIELD, "0"), (ACTION_FIELD, BACK)]), page(0), "Back from the first page stays");
        assert_eq!(step(&[(PAGE_FIELD, "2"), no, (ACTION_FIELD, BACK)]), page(0), "Back skips the hidden page");
        assert_eq!(step(&[(PAGE_FIELD, "2"), yes, (ACTION_FIELD, BACK)]), page(1), "Back checks nothing");
        assert_eq!(step(&[(PAGE_FIELD, "2"), no]), Ok(Step::Show(Screen::CheckAnswers)), "then the check page");
        assert_eq!(step(&[(PAGE_FIELD, CHECK_PAGE), no, (CHANGE_FIELD, "got")]), page(0), "Change goes to its page");
        assert_eq!(step(&[(PAGE_FIELD, CHECK_PAGE), no, (CHANGE_FIELD, "good")]), page(0), "a hidden question: page 0");
        assert_eq!(step(&[(PAGE_FIELD, CHECK_PAGE), no, (ACTION_FIELD, BACK)]), page(2), "Back to the last page");
        assert_eq!(
            problems_on(step(&[(PAGE_FIELD, "2"), yes])),
            (1, vec!["good".to_owned()]),
            "a later step finds what an earlier page is missing"
        );
        assert_eq!(step(&[(PAGE_FIELD, "7")]), Err(NoSuchPage("7".to_owned())));
        assert_eq!(step(&[(PAGE_FIELD, "one")]), Err(NoSuchPage("one".to_owned())));
    }

    #[test]
    fn only_what_was_shown_is_stored() {
        let Ok(Step::Complete(answers)) = step(&[(PAGE_FIELD, CHECK_PAGE), ("got", "no"), ("good", "yes")]) else {
            panic!("the check page's send completes the form")
        };
        let ids: Vec<&str> = answers.iter().map(|answer| answer.question_id.as_str()).collect();
        assert_eq!(ids, ["got"], "the answer to the hidden page is dropped");
        assert!(matches!(step(&[("got", "yes"), ("good", "no")]), Ok(Step::Complete(_))), "a form without a page");
    }
}
