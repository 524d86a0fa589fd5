//! Figures per group: the options of a background question, or the
//! languages responses were given in, with complementary suppression so
//! that no group's hidden figures can be worked out from the others.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use crate::locale;
use crate::questionnaire::{Area, Channel, OTHER, Question, QuestionKind, Questionnaire, Role};

use super::counts::Counts;
use super::figure::{Figure, Suppression, protected_count};
use super::release::{ReleasedGroups, WithheldBecause};
use super::summary::{AnswerKind, QuestionFigures, other_label};
use super::{GroupCount, Split, Tally, UNANSWERED};

/// The figures of every satisfaction and unmet-support question, split into
/// groups. The results page shows one target question at a time
/// ([`Breakdown::target`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Breakdown {
    pub split: Split,
    /// The questionnaire's default language, in which every text is given.
    pub language: String,
    pub min_report_n: u64,
    /// Every group, in order, with how many responses it has.
    pub groups: Vec<GroupSize>,
    /// Every question with role satisfaction or unmet_support, in
    /// questionnaire order.
    pub targets: Vec<TargetBreakdown>,
}

impl Breakdown {
    /// The breakdown of one question, when it is a target.
    pub fn target(&self, question_id: &str) -> Option<&TargetBreakdown> {
        self.targets.iter().find(|target| target.question_id == question_id)
    }
}

/// One group of a breakdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The option id of the background question, or the language code.
    pub id: String,
    /// The option in the default language, or "sv – Svenska" for a language.
    pub label: String,
}

/// How many responses a group has, protected like any other figure.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupSize {
    pub group: Group,
    pub responses: Figure<u64>,
    pub suppressed: Option<Suppression>,
}

/// One question's figures, group by group.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetBreakdown {
    pub question_id: String,
    /// The question in the default language.
    pub text: String,
    pub kind: AnswerKind,
    pub role: Option<Role>,
    pub area: Option<Area>,
    /// One row per group, in the order of [`Breakdown::groups`].
    pub rows: Vec<TargetRow>,
    /// The figures over every group together; `None` when the split is a
    /// multi question, whose groups overlap, so no total can be added up.
    pub total: Option<QuestionFigures>,
}

impl TargetBreakdown {
    /// One question's rows, with the total over every group when the groups
    /// add up to it (`total`), protected like the summary's figures.
    fn new(
        question: &Question,
        language: &str,
        rows: Vec<TargetRow>,
        total: Option<&Counts>,
        min_report_n: u64,
    ) -> TargetBreakdown {
        TargetBreakdown {
            question_id: question.id.clone(),
            text: question.text.get(language).to_owned(),
            kind: AnswerKind::of(&question.kind),
            role: question.role,
            area: question.area,
            rows,
            total: total.map(|total| QuestionFigures::protected(question, total, language, min_report_n)),
        }
    }
}

/// One group's figures for one question.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetRow {
    pub group: Group,
    pub figures: QuestionFigures,
}

/// The figures of every satisfaction and unmet-support question for each
/// group that `split` divides the responses into. `tally` must be split the
/// same way (every row's `group` is an option id or a language code).
///
/// Groups come in the background question's option order (or the
/// questionnaire's language order); groups in the tally that the
/// questionnaire no longer has (an option or language since removed) follow,
/// labelled by their id, so that no response drops out of the breakdown.
pub fn break_down(questionnaire: &Questionnaire, tally: &Tally, split: &Split) -> Breakdown {
    let language = questionnaire.language(None);
    let min_report_n = questionnaire.min_report_n;
    let groups = groups(questionnaire, tally, split, language);
    let counts: Vec<Counts> = groups.iter().map(|group| Counts::of_group(tally, Some(&group.id))).collect();
    let total = total_is_known(questionnaire, split).then(|| Counts::of_all_groups(tally));

    let sizes: Vec<u64> = counts.iter().map(|group| group.responses).collect();
    let group_sizes = groups
        .iter()
        .zip(protect_groups(&sizes, min_report_n))
        .zip(&sizes)
        .map(|((group, suppressed), &responses)| GroupSize {
            group: group.clone(),
            responses: if suppressed.is_some() { Figure::Suppressed } else { Figure::Shown(responses) },
            suppressed,
        })
        .collect();

    let targets = questionnaire
        .questions
        .iter()
        .filter(|question| matches!(question.role, Some(Role::Satisfaction | Role::UnmetSupport)))
        .map(|question| {
            let (mut figures, ns): (Vec<QuestionFigures>, Vec<u64>) = counts
                .iter()
                .map(|group_counts| QuestionFigures::unprotected(question, group_counts, language))
                .unzip();
            for (group_figures, suppressed) in figures.iter_mut().zip(protect_groups(&ns, min_report_n)) {
                if let Some(reason) = suppressed {
                    group_figures.suppress(reason);
                }
            }
            let rows = groups
                .iter()
                .zip(figures)
                .map(|(group, figures)| TargetRow { group: group.clone(), figures })
                .collect();
            TargetBreakdown::new(question, language, rows, total.as_ref(), min_report_n)
        })
        .collect();

    Breakdown { split: split.clone(), language: language.to_owned(), min_report_n, groups: group_sizes, targets }
}

/// The breakdown of released counts (`report::release`): the group sizes
/// and each target's figures come from counts in which every group is
/// either shown over whole units or withheld (`withheld`), so nothing here
/// suppresses on its own; `total` is the unsplit released tally, whose
/// figures are the summary's.
pub(crate) fn break_down_released(
    questionnaire: &Questionnaire,
    split: &Split,
    sizes: &ReleasedGroups,
    targets: &BTreeMap<String, ReleasedGroups>,
    total: &Tally,
) -> Breakdown {
    let language = questionnaire.language(None);
    let min_report_n = questionnaire.min_report_n;
    let mut seen = sizes.tally.clone();
    let withheld_ids = sizes.withheld.keys().chain(targets.values().flat_map(|target| target.withheld.keys()));
    seen.responses.extend(withheld_ids.map(|id| GroupCount { group: Some(id.clone()), count: 0 }));
    for target in targets.values() {
        seen.responses.extend(target.tally.responses.iter().cloned());
        seen.respondents.extend(target.tally.respondents.iter().cloned());
    }
    let groups = groups(questionnaire, &seen, split, language);
    let reason = |withheld: &BTreeMap<String, WithheldBecause>, id: &str| {
        withheld.get(id).map(|because| match because {
            WithheldBecause::TooFew => Suppression::TooFewAnswers,
            WithheldBecause::ProtectsAnother => Suppression::ProtectsAnotherGroup,
        })
    };
    let group_sizes = groups
        .iter()
        .map(|group| {
            let suppressed = reason(&sizes.withheld, &group.id);
            let responses = Counts::of_group(&sizes.tally, Some(&group.id)).responses;
            GroupSize {
                group: group.clone(),
                responses: if suppressed.is_some() { Figure::Suppressed } else { protected_count(responses, 1) },
                suppressed,
            }
        })
        .collect();
    let totals = total_is_known(questionnaire, split).then(|| Counts::of_group(total, None));
    let targets = questionnaire
        .questions
        .iter()
        .filter(|question| matches!(question.role, Some(Role::Satisfaction | Role::UnmetSupport)))
        .map(|question| {
            let empty = ReleasedGroups::default();
            let released = targets.get(&question.id).unwrap_or(&empty);
            let rows = groups
                .iter()
                .map(|group| {
                    let counts = Counts::of_group(&released.tally, Some(&group.id));
                    let (mut figures, n) = QuestionFigures::unprotected(question, &counts, language);
                    match reason(&released.withheld, &group.id) {
                        Some(reason) => figures.suppress(reason),
                        // Nobody in the group: nothing to show, but nothing hidden.
                        None if n == 0 => figures.suppress(Suppression::TooFewAnswers),
                        None => {}
                    }
                    TargetRow { group: group.clone(), figures }
                })
                .collect();
            TargetBreakdown::new(question, language, rows, totals.as_ref(), min_report_n)
        })
        .collect();
    Breakdown { split: split.clone(), language: language.to_owned(), min_report_n, groups: group_sizes, targets }
}

/// Which groups are suppressed, given each group's `n`: those below
/// `min_report_n`, and then, while exactly one is, the smallest shown group
/// as well (on a tie the later one), so that the total minus the shown
/// groups never reveals a single suppressed group.
///
/// A group with no answers at all counts like any other small group: the
/// pattern of suppression must not tell an empty group from a small one.
fn protect_groups(ns: &[u64], min_report_n: u64) -> Vec<Option<Suppression>> {
    let mut suppressed: Vec<Option<Suppression>> = ns
        .iter()
        .map(|&n| protected_count(n, min_report_n).is_suppressed().then_some(Suppression::TooFewAnswers))
        .collect();
    while suppressed.iter().filter(|reason| reason.is_some()).count() == 1 {
        let smallest_shown =
            (0..ns.len()).filter(|&index| suppressed[index].is_none()).min_by_key(|&index| (ns[index], Reverse(index)));
        match smallest_shown {
            Some(index) => suppressed[index] = Some(Suppression::ProtectsAnotherGroup),
            // The only group there is: nothing else to hide it behind.
            None => break,
        }
    }
    suppressed
}

/// The groups `split` divides responses into, in the questionnaire's order,
/// then any the tally has that the questionnaire does not.
fn groups(questionnaire: &Questionnaire, tally: &Tally, split: &Split, language: &str) -> Vec<Group> {
    let mut groups: Vec<Group> = match split {
        Split::Language => {
            questionnaire.languages.iter().map(|code| Group { id: code.clone(), label: language_label(code) }).collect()
        }
        Split::Channel => Channel::ALL
            .into_iter()
            .map(|channel| Group { id: channel.as_str().to_owned(), label: channel.label().to_owned() })
            .collect(),
        Split::Question(id) => match questionnaire.question(id) {
            Some(question) => {
                let mut groups: Vec<Group> = question
                    .kind
                    .choices()
                    .into_iter()
                    .map(|choice| Group { label: choice.text.get(language).to_owned(), id: choice.id })
                    .collect();
                if question.kind.has_other() {
                    groups.push(Group { id: OTHER.to_owned(), label: other_label(language) });
                }
                groups
            }
            None => Vec::new(),
        },
    };
    let in_tally = tally
        .responses
        .iter()
        .map(|row| &row.group)
        .chain(tally.answers.iter().map(|row| &row.group))
        .chain(tally.respondents.iter().map(|row| &row.group))
        .flatten();
    // Those who skipped the question, when there are any, and groups the
    // questionnaire no longer has, follow the known groups.
    for id in in_tally {
        if !groups.iter().any(|group| group.id == *id) {
            let label = if id == UNANSWERED { locale::get(language).no_answer.to_owned() } else { id.clone() };
            groups.push(Group { id: id.clone(), label });
        }
    }
    groups
}

/// Whether adding up the groups gives the total: not when a response can be
/// in several groups (a multi question), nor for a question the
/// questionnaire does not have (its kind is unknown).
fn total_is_known(questionnaire: &Questionnaire, split: &Split) -> bool {
    match split {
        Split::Language | Split::Channel => true,
        Split::Question(id) => {
            questionnaire.question(id).is_some_and(|question| !matches!(question.kind, QuestionKind::Multi { .. }))
        }
    }
}

/// "sv – Svenska" for a language enkat knows, else the bare code.
fn language_label(code: &str) -> String {
    match locale::find(code) {
        Some(locale) => format!("{code} – {}", locale.name),
        None => code.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::{add_group, assert_close, questionnaire};

    /// A tally split by age, with `respect` answered as given per group
    /// (yes_always, yes_mostly, no_rarely, no_never).
    fn respect_by_age(groups: &[(&str, [u64; 4])]) -> Tally {
        let mut tally = Tally::default();
        for (group, [always, mostly, rarely, never]) in groups {
            let answers = [
                ("respect", "yes_always", *always),
                ("respect", "yes_mostly", *mostly),
                ("respect", "no_rarely", *rarely),
                ("respect", "no_never", *never),
            ];
            let answers: Vec<_> = answers.into_iter().filter(|(_, _, count)| *count > 0).collect();
            add_group(&mut tally, Some(group), always + mostly + rarely + never, &answers, &[]);
        }
        tally
    }

    fn suppression(breakdown: &Breakdown, question: &str) -> Vec<(String, Option<Suppression>)> {
        let target = breakdown.target(question).expect("a target question");
        target.rows.iter().map(|row| (row.group.id.clone(), row.figures.suppressed)).collect()
    }

    fn by_age(tally: &Tally) -> Breakdown {
        break_down(&questionnaire(), tally, &Split::Question("age".to_owned()))
    }

    fn reasons(expected: [(&str, Option<Suppression>); 3]) -> Vec<(String, Option<Suppression>)> {
        expected.into_iter().map(|(group, reason)| (group.to_owned(), reason)).collect()
    }

    #[test]
    fn each_group_gets_the_summary_figures_and_the_total_adds_them_up() {
        // young: n = 6+3+2+1 = 12; middle: n = 3+2+1+0 = 6; older: n = 4+1+0+0 = 5
        let tally = respect_by_age(&[("young", [6, 3, 2, 1]), ("middle", [3, 2, 1, 0]), ("older", [4, 1, 0, 0])]);
        let breakdown = by_age(&tally);
        let respect = breakdown.target("respect").unwrap();
        let labels: Vec<&str> = respect.rows.iter().map(|row| row.group.label.as_str()).collect();
        assert_eq!(labels, ["18–29", "30–64", "65 eller äldre"], "groups in option order, labels in Swedish");

        let young = &respect.rows[0].figures;
        assert_eq!(young.n, Figure::Shown(12));
        // share_positive = (6+3)/12 = 0.75; mean = (4·6 + 3·3 + 2·2 + 1·1)/12 = 38/12 = 3.1667
        assert_close(young.share_positive.unwrap().shown().unwrap(), 0.75);
        assert_close(young.mean.unwrap().shown().unwrap(), 38.0 / 12.0);
        // older: n = 5, shown; share_positive = (4+1)/5 = 1.0
        assert_close(respect.rows[2].figures.share_positive.unwrap().shown().unwrap(), 1.0);

        // total: n = 12+6+5 = 23; positive = 9+5+5 = 19; share_positive = 19/23 = 0.8261
        let total = respect.total.as_ref().expect("age is a single question, so the groups add up");
        assert_eq!(total.n, Figure::Shown(23));
        assert_close(total.share_positive.unwrap().shown().unwrap(), 19.0 / 23.0);
        let sizes: Vec<Figure<u64>> = breakdown.groups.iter().map(|size| size.responses).collect();
        assert_eq!(sizes, [Figure::Shown(12), Figure::Shown(6), Figure::Shown(5)]);
    }

    #[test]
    fn one_small_group_gets_the_next_smallest_suppressed_with_it() {
        // older: n = 3 < 5; otherwise 23 − 12 − 8 would reveal it
        let tally = respect_by_age(&[("young", [6, 3, 2, 1]), ("middle", [3, 2, 2, 1]), ("older", [1, 1, 1, 0])]);
        let breakdown = by_age(&tally);
        assert_eq!(
            suppression(&breakdown, "respect"),
            reasons([
                ("young", None),
                ("middle", Some(Suppression::ProtectsAnotherGroup)),
                ("older", Some(Suppression::TooFewAnswers)),
            ])
        );
        let middle = &breakdown.target("respect").unwrap().rows[1].figures;
        assert_eq!((middle.n, middle.share_positive), (Figure::Suppressed, Some(Figure::Suppressed)));
        assert!(middle.options.iter().all(|option| option.count.is_suppressed()));
        // The total (n = 12+8+3 = 23) is still shown: it hides two groups now.
        assert_eq!(breakdown.target("respect").unwrap().total.as_ref().unwrap().n, Figure::Shown(23));
    }

    #[test]
    fn two_small_groups_protect_each_other_and_nothing_more_is_suppressed() {
        // middle: n = 3, older: n = 4, both < 5; young (n = 12) stays shown
        let tally = respect_by_age(&[("young", [6, 3, 2, 1]), ("middle", [1, 1, 1, 0]), ("older", [2, 1, 1, 0])]);
        assert_eq!(
            suppression(&by_age(&tally), "respect"),
            reasons([
                ("young", None),
                ("middle", Some(Suppression::TooFewAnswers)),
                ("older", Some(Suppression::TooFewAnswers)),
            ])
        );
    }

    #[test]
    fn on_a_tie_for_next_smallest_the_later_group_is_suppressed() {
        // young and middle both n = 6; older n = 2
        let tally = respect_by_age(&[("young", [3, 1, 1, 1]), ("middle", [2, 2, 1, 1]), ("older", [1, 1, 0, 0])]);
        assert_eq!(
            suppression(&by_age(&tally), "respect"),
            reasons([
                ("young", None),
                ("middle", Some(Suppression::ProtectsAnotherGroup)),
                ("older", Some(Suppression::TooFewAnswers)),
            ])
        );
    }

    #[test]
    fn a_group_with_no_answers_is_suppressed_and_counts_like_a_small_one() {
        // older has no responses at all: suppressed, and the smallest other
        // group (middle, n = 8) goes with it, exactly as if older had 1 to 4.
        let tally = respect_by_age(&[("young", [6, 3, 2, 1]), ("middle", [3, 2, 2, 1])]);
        let breakdown = by_age(&tally);
        assert_eq!(
            suppression(&breakdown, "respect"),
            reasons([
                ("young", None),
                ("middle", Some(Suppression::ProtectsAnotherGroup)),
                ("older", Some(Suppression::TooFewAnswers)),
            ])
        );
        let older = &breakdown.groups[2];
        assert_eq!((older.group.id.as_str(), older.responses), ("older", Figure::Suppressed));
    }

    #[test]
    fn a_group_of_five_is_shown_and_four_is_not() {
        let five = respect_by_age(&[("young", [6, 3, 2, 1]), ("middle", [3, 2, 2, 1]), ("older", [2, 1, 1, 1])]);
        assert!(suppression(&by_age(&five), "respect").iter().all(|(_, reason)| reason.is_none()));
        let four = respect_by_age(&[("young", [6, 3, 2, 1]), ("middle", [3, 2, 2, 1]), ("older", [2, 1, 1, 0])]);
        assert_eq!(suppression(&by_age(&four), "respect")[2].1, Some(Suppression::TooFewAnswers));
    }

    #[test]
    fn dont_know_answers_do_not_make_a_group_big_enough() {
        // older: 3 steps answered + 7 "don't know": n = 3, suppressed
        let mut tally = respect_by_age(&[("young", [6, 3, 2, 1]), ("middle", [3, 2, 2, 1])]);
        add_group(&mut tally, Some("older"), 10, &[("respect", "yes_always", 3), ("respect", "dont_know", 7)], &[]);
        assert_eq!(suppression(&by_age(&tally), "respect")[2].1, Some(Suppression::TooFewAnswers));
    }

    #[test]
    fn unmet_support_is_broken_down_with_shares_of_each_groups_respondents() {
        let mut tally = Tally::default();
        // young: 6 answered missing, 3 lacked housing: 3/6 = 0.5
        add_group(
            &mut tally,
            Some("young"),
            8,
            &[("missing", "housing", 3), ("missing", "move", 4)],
            &[("missing", 6)],
        );
        // middle: 10 answered, 2 lacked housing: 2/10 = 0.2
        add_group(
            &mut tally,
            Some("middle"),
            12,
            &[("missing", "housing", 2), ("missing", "none_missing", 8)],
            &[("missing", 10)],
        );
        // older: 5 answered, 5 lacked housing: 5/5 = 1.0
        add_group(&mut tally, Some("older"), 5, &[("missing", "housing", 5)], &[("missing", 5)]);
        let breakdown = by_age(&tally);
        let missing = breakdown.target("missing").expect("unmet support is a target");
        let housing: Vec<f64> = missing
            .rows
            .iter()
            .map(|row| row.figures.options.iter().find(|option| option.id == "housing").unwrap())
            .map(|option| option.share.unwrap().shown().unwrap())
            .collect();
        for (actual, expected) in housing.into_iter().zip([0.5, 0.2, 1.0]) {
            assert_close(actual, expected);
        }
        // total: respondents 6+10+5 = 21, housing 3+2+5 = 10: 10/21
        let total = missing.total.as_ref().unwrap();
        assert_eq!(total.n, Figure::Shown(21));
        assert_close(total.options[1].share.unwrap().shown().unwrap(), 10.0 / 21.0);
    }

    #[test]
    fn only_satisfaction_and_unmet_support_questions_are_targets() {
        let breakdown = by_age(&Tally::default());
        let targets: Vec<&str> = breakdown.targets.iter().map(|target| target.question_id.as_str()).collect();
        assert_eq!(targets, ["reach", "respect", "listened", "improved", "helped", "missing", "most_needed"]);
    }

    #[test]
    fn a_language_split_has_a_group_per_language_labelled_with_its_name() {
        let mut tally = Tally::default();
        add_group(&mut tally, Some("sv"), 12, &[("respect", "yes_always", 12)], &[]);
        add_group(&mut tally, Some("en"), 6, &[("respect", "no_never", 6)], &[]);
        let breakdown = break_down(&questionnaire(), &tally, &Split::Language);
        let groups: Vec<(&str, &str)> =
            breakdown.groups.iter().map(|size| (size.group.id.as_str(), size.group.label.as_str())).collect();
        assert_eq!(groups, [("sv", "sv – Svenska"), ("en", "en – English")]);
        // total share_positive = 12/(12+6) = 0.6667
        let total = breakdown.target("respect").unwrap().total.as_ref().unwrap();
        assert_close(total.share_positive.unwrap().shown().unwrap(), 12.0 / 18.0);
    }

    #[test]
    fn a_split_by_a_multi_question_has_no_total_because_its_groups_overlap() {
        let mut tally = Tally::default();
        add_group(&mut tally, Some("move"), 10, &[("respect", "yes_always", 10)], &[]);
        add_group(&mut tally, Some("housing"), 10, &[("respect", "yes_always", 10)], &[]);
        let breakdown = break_down(&questionnaire(), &tally, &Split::Question("received".to_owned()));
        assert_eq!(breakdown.target("respect").unwrap().total, None);
    }

    #[test]
    fn a_group_the_questionnaire_no_longer_has_is_kept_under_its_id() {
        let mut tally = respect_by_age(&[("young", [6, 3, 2, 1]), ("middle", [3, 2, 2, 1]), ("older", [3, 2, 0, 0])]);
        add_group(&mut tally, Some("age_gone"), 6, &[("respect", "yes_always", 6)], &[]);
        let breakdown = by_age(&tally);
        let last = breakdown.groups.last().unwrap();
        assert_eq!((last.group.id.as_str(), last.group.label.as_str()), ("age_gone", "age_gone"));
        // total: 12 + 8 + 5 + 6 = 31, so no response drops out of it
        assert_eq!(breakdown.target("respect").unwrap().total.as_ref().unwrap().n, Figure::Shown(31));
    }

    #[test]
    fn group_sizes_are_protected_like_any_figure() {
        // responses: young 12, middle 8, older 2
        let tally = respect_by_age(&[("young", [6, 3, 2, 1]), ("middle", [3, 2, 2, 1]), ("older", [1, 1, 0, 0])]);
        let sizes: Vec<(Figure<u64>, Option<Suppression>)> =
            by_age(&tally).groups.iter().map(|size| (size.responses, size.suppressed)).collect();
        assert_eq!(
            sizes,
            [
                (Figure::Shown(12), None),
                (Figure::Suppressed, Some(Suppression::ProtectsAnotherGroup)),
                (Figure::Suppressed, Some(Suppression::TooFewAnswers)),
            ]
        );
    }
}
