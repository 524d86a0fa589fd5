//! Options that follow an earlier answer (`options_chosen_in`): "which of
//! these would have made the biggest difference" offers only the supports
//! the person said they lacked. The earlier question is on an earlier page,
//! so its answer travels with the form and the page is built from it, with
//! or without JavaScript; validation offers the same options, so a forged
//! post with another one is refused.

use super::flow::is_chosen;
use super::{Choice, FormInput, Question, Questionnaire, Shown};

impl Questionnaire {
    /// The options offered for `question` given the form's answers: all of
    /// them, or, with `options_chosen_in`, those chosen in that earlier
    /// answer (none if it was not shown: its carried answer does not count).
    pub fn offered_choices(&self, question: &Question, input: &FormInput) -> Vec<Choice> {
        self.offered_with(question, input, &self.shown(input))
    }

    pub(super) fn offered_with(&self, question: &Question, input: &FormInput, shown: &Shown) -> Vec<Choice> {
        let choices = question.kind.choices();
        let Some(source) = &question.options_chosen_in else { return choices };
        let source_shown = self.question_index(source).is_some_and(|index| shown.question(index));
        // The options are the earlier question's own, never "Something else".
        choices.into_iter().filter(|choice| source_shown && is_chosen(input, source, &choice.id)).collect()
    }

    /// Whether `question` has something to offer: a question whose options
    /// follow an earlier answer is not shown when none was chosen there.
    pub(super) fn offers_any(&self, question: &Question, input: &FormInput, shown: &Shown) -> bool {
        question.options_chosen_in.is_none() || !self.offered_with(question, input, shown).is_empty()
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::questionnaire::protocol::PAGE_FIELD;
    use crate::questionnaire::{AnswerProblem, Screen, Step, next_step, parse, validate};

    /// `lacked` on page 1 (three supports, an exclusive "none" and "other"),
    /// `biggest` on page 2 offering the supports chosen there, `comment` on page 3.
    const SOURCE: &str = r#"
id = "f"
languages = ["en"]
title = { en = "F" }

[lists.support]
options = [ { id = "a", en = "A" }, { id = "b", en = "B" }, { id = "c", en = "C" } ]

[[page]]
title = { en = "Lacked" }

[[page.question]]
id = "lacked"
type = "multi"
text = { en = "Lacked?" }
options_from = "support"
options = [ { id = "none", en = "Nothing", exclusive = true } ]
other = true

[[page]]
title = { en = "Biggest" }

[[page.question]]
id = "biggest"
type = "single"
text = { en = "Biggest difference?" }
options_from = "support"
options_chosen_in = "lacked"

[[page]]
title = { en = "Comment" }

[[page.question]]
id = "comment"
type = "text"
text = { en = "Anything else?" }
"#;

    const SUPPORTS: [&str; 3] = ["a", "b", "c"];

    /// Every earlier answer worth trying: each subset of the three supports,
    /// alone, with "none" (refused when combined, valid alone), with "other".
    fn earlier_answers() -> Vec<Vec<&'static str>> {
        let mut answers = Vec::new();
        for mask in 0..8u8 {
            let subset: Vec<&str> =
                SUPPORTS.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, s)| *s).collect();
            answers.push(subset.clone());
            answers.push([subset.as_slice(), &["other"]].concat());
        }
        answers.push(vec!["none"]);
        answers
    }

    fn input(questionnaire: &Questionnaire, lacked: &[&str], extra: &[(&str, &str)]) -> FormInput {
        let mut pairs: Vec<(String, String)> =
            lacked.iter().map(|option| ("lacked".to_owned(), option.to_string())).collect();
        if lacked.contains(&"other") {
            pairs.push(("lacked.other".to_owned(), "A lawyer".to_owned()));
        }
        pairs.extend(extra.iter().map(|(name, value)| (name.to_string(), value.to_string())));
        FormInput::new(questionnaire, pairs).expect("known fields")
    }

    #[test]
    fn only_the_chosen_options_are_offered_and_accepted_for_every_earlier_answer() {
        let questionnaire = parse(Path::new("f.toml"), SOURCE).expect("the example is valid");
        let biggest = questionnaire.question("biggest").unwrap();
        for lacked in earlier_answers() {
            let offered: Vec<String> = questionnaire
                .offered_choices(biggest, &input(&questionnaire, &lacked, &[]))
                .into_iter()
                .map(|c| c.id)
                .collect();
            let expected: Vec<&str> = SUPPORTS.into_iter().filter(|s| lacked.contains(s)).collect();
            assert_eq!(offered, expected, "offered after {lacked:?}");
            let shown = questionnaire.shown(&input(&questionnaire, &lacked, &[]));
            assert_eq!(
                shown.page(1),
                !expected.is_empty(),
                "the page is shown only with something to offer: {lacked:?}"
            );
            for option in SUPPORTS {
                let result = validate(&questionnaire, &input(&questionnaire, &lacked, &[("biggest", option)]));
                if expected.contains(&option) {
                    let answers = result.unwrap_or_else(|e| panic!("{option} after {lacked:?} is valid: {e:?}"));
                    assert!(
                        answers.iter().any(|a| a.question_id == "biggest" && a.option_id.as_deref() == Some(option))
                    );
                } else if expected.is_empty() {
                    // Not shown: the forged answer is dropped, not stored.
                    let answers = result.unwrap_or_else(|e| panic!("after {lacked:?} the answer is dropped: {e:?}"));
                    assert!(answers.iter().all(|a| a.question_id != "biggest"), "dropped after {lacked:?}");
                } else {
                    let errors = result.expect_err("an option not chosen earlier is refused");
                    assert_eq!(errors[0].question_id, "biggest");
                    assert_eq!(errors[0].problem, AnswerProblem::UnknownOption, "{option} after {lacked:?}");
                }
            }
        }
    }

    #[test]
    fn the_flow_goes_to_the_follow_page_only_when_it_has_options() {
        let questionnaire = parse(Path::new("f.toml"), SOURCE).expect("the example is valid");
        for lacked in earlier_answers() {
            let offers = SUPPORTS.iter().any(|s| lacked.contains(s));
            let step = next_step(&questionnaire, &input(&questionnaire, &lacked, &[(PAGE_FIELD, "0")])).unwrap();
            let expected = if offers { 1 } else { 2 };
            assert_eq!(step, Step::Show(Screen::Page { index: expected, problems: Vec::new() }), "after {lacked:?}");
            // A forged choice on page 2 is caught at once, on page 2.
            let forged = SUPPORTS.iter().find(|s| !lacked.contains(s));
            if let (true, Some(forged)) = (offers, forged) {
                let step = next_step(
                    &questionnaire,
                    &input(&questionnaire, &lacked, &[(PAGE_FIELD, "1"), ("biggest", forged)]),
                );
                let Ok(Step::Show(Screen::Page { index: 1, problems })) = step else {
                    panic!("page 2 again: {step:?}")
                };
                assert_eq!(problems[0].problem, AnswerProblem::UnknownOption);
            }
        }
    }

    #[test]
    fn a_hidden_earlier_answer_offers_nothing() {
        // `lacked` is shown here; a carried answer to a question not shown
        // is covered by `shown` (its page hidden), as for conditions.
        let questionnaire = parse(Path::new("f.toml"), SOURCE).expect("the example is valid");
        let biggest = questionnaire.question("biggest").unwrap();
        assert!(
            questionnaire.offered_choices(biggest, &input(&questionnaire, &[" a "], &[])).iter().any(|c| c.id == "a")
        );
    }

    #[test]
    fn mistakes_in_options_chosen_in_are_explained() {
        let cases = [
            (
                "options_chosen_in = \"lacked\"",
                "options_chosen_in = \"missing\"",
                "not a question of this questionnaire",
            ),
            ("options_chosen_in = \"lacked\"", "options_chosen_in = \"comment\"", "not on an earlier page"),
            ("options_chosen_in = \"lacked\"", "options_chosen_in = \"biggest\"", "not on an earlier page"),
            (
                "type = \"multi\"\ntext = { en = \"Lacked?\" }",
                "type = \"single\"\ntext = { en = \"Lacked?\" }",
                "not a \"multi\" question",
            ),
            (
                "options_from = \"support\"\noptions_chosen_in",
                "options = [ { id = \"d\", en = \"D\" } ]\noptions_chosen_in",
                "which `lacked` does not have",
            ),
            ("options_chosen_in = \"lacked\"", "options_chosen_in = \"lacked\"\nother = true", "does not go with"),
        ];
        for (from, to, expected) in cases {
            assert!(SOURCE.contains(from), "{from}");
            let source = SOURCE.replacen(from, to, 1);
            let problems = parse(Path::new("f.toml"), &source).expect_err(expected);
            assert!(problems.iter().any(|problem| problem.message.contains(expected)), "{expected}: {problems:?}");
        }
    }
}
