//! Results across versions of a questionnaire: answers to a question are
//! counted together across the versions where it stayed comparable (same
//! type, options and positive steps; rewording is fine), and kept apart for
//! the versions where it did not, so figures are never mixed.

use std::collections::{BTreeMap, BTreeSet};

use super::Tally;
use crate::questionnaire::Questionnaire;
use crate::questionnaire::versions::comparable;

/// For each question of the questionnaire served now, the stored versions
/// whose answers to it are kept apart.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VersionPlan {
    apart: BTreeMap<String, BTreeSet<String>>,
}

impl VersionPlan {
    /// Compares `current` with every stored version (`(version, questionnaire)`).
    pub fn new(current: &Questionnaire, stored: &[(String, Questionnaire)]) -> VersionPlan {
        let mut apart: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for question in &current.questions {
            for (version, older) in stored {
                if let Some(before) = older.question(&question.id)
                    && !comparable(before, question)
                {
                    apart.entry(question.id.clone()).or_default().insert(version.clone());
                }
            }
        }
        VersionPlan { apart }
    }

    /// Whether every version counts for every question: one tally will do.
    pub fn is_uniform(&self) -> bool {
        self.apart.is_empty()
    }

    /// Whether answers to `question` given to `version` count with today's figures.
    pub fn counts(&self, question: &str, version: &str) -> bool {
        self.apart.get(question).is_none_or(|versions| !versions.contains(version))
    }

    /// The questions with versions kept apart, and those versions.
    pub fn apart(&self) -> &BTreeMap<String, BTreeSet<String>> {
        &self.apart
    }
}

/// One tally out of a tally per version: every response counts in the
/// response totals, and each question's answers only from the versions that
/// count for it.
pub fn combine(per_version: Vec<(String, Tally)>, plan: &VersionPlan) -> Tally {
    let mut combined = Tally::default();
    for (version, tally) in per_version {
        combined.responses.extend(tally.responses);
        combined.answers.extend(tally.answers.into_iter().filter(|count| plan.counts(&count.question_id, &version)));
        combined
            .respondents
            .extend(tally.respondents.into_iter().filter(|count| plan.counts(&count.question_id, &version)));
    }
    combined.summed()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::questionnaire::parse;
    use crate::report::{AnswerCount, GroupCount, QuestionCount};

    const V1: &str = include_str!("../../tests/fixtures/small/v.toml");

    fn answer(question: &str, option: &str, count: u64) -> AnswerCount {
        AnswerCount { group: None, question_id: question.into(), option_id: Some(option.into()), count }
    }

    fn tally(yes: u64, comments: u64) -> Tally {
        Tally {
            responses: vec![GroupCount { group: None, count: yes + comments }],
            answers: vec![answer("overall", "yes", yes)],
            respondents: vec![
                QuestionCount { group: None, question_id: "overall".into(), count: yes },
                QuestionCount { group: None, question_id: "comment".into(), count: comments },
            ],
        }
    }

    #[test]
    fn a_reworded_question_counts_across_versions_and_a_changed_scale_does_not() {
        let v1 = parse(Path::new("v1"), V1).unwrap();
        let reworded = parse(Path::new("v2"), &V1.replace("Good?", "Was it good?")).unwrap();
        let plan = VersionPlan::new(&reworded, &[("v1".into(), v1.clone())]);
        assert!(plan.is_uniform());

        let rescaled =
            parse(Path::new("v3"), &V1.replace("positive = [\"yes\"]", "positive = [\"yes\", \"no\"]")).unwrap();
        let plan = VersionPlan::new(&rescaled, &[("v1".into(), v1), ("v3".into(), rescaled.clone())]);
        assert!(!plan.is_uniform());
        assert!(!plan.counts("overall", "v1") && plan.counts("overall", "v3"));
        assert!(plan.counts("comment", "v1"), "the comment question did not change");

        let combined = combine(vec![("v1".into(), tally(4, 1)), ("v3".into(), tally(2, 3))], &plan);
        assert_eq!(combined.responses, [GroupCount { group: None, count: 10 }], "every response counts in the total");
        assert_eq!(combined.answers, [answer("overall", "yes", 2)], "only the new version's answers to `overall`");
        assert_eq!(
            combined.respondents,
            [
                QuestionCount { group: None, question_id: "comment".into(), count: 4 },
                QuestionCount { group: None, question_id: "overall".into(), count: 2 },
            ]
        );
    }
}
