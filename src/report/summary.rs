//! The summary: every question's figures for one set of responses, with
//! small-group protection applied. Definitions in `docs/export-formats.md`.

use crate::locale;
use crate::questionnaire::{Area, DONT_KNOW, OTHER, Question, QuestionKind, Questionnaire, Role};

use super::Tally;
use super::counts::Counts;
use super::figure::{Figure, Suppression, protected_count};

/// Every question's figures for the responses a [`Tally`] counted.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub questionnaire_id: String,
    /// The questionnaire's default language, in which every text is given.
    pub language: String,
    /// The fewest answers a figure is computed from; fewer are suppressed.
    pub min_report_n: u64,
    /// How many responses match the filter ("färre än 5" when suppressed).
    pub responses: Figure<u64>,
    /// Every question, in questionnaire order.
    pub questions: Vec<QuestionSummary>,
    /// The share of positive answers per SKR quality area, in the order the
    /// questionnaire first uses each area.
    pub areas: Vec<AreaLine>,
}

impl Summary {
    /// The summary of one question.
    pub fn question(&self, id: &str) -> Option<&QuestionSummary> {
        self.questions.iter().find(|question| question.id == id)
    }
}

/// One question of a summary: what was asked and its figures.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionSummary {
    pub id: String,
    /// The question in the questionnaire's default language.
    pub text: String,
    pub kind: AnswerKind,
    pub role: Option<Role>,
    /// The SKR quality area of a satisfaction question.
    pub area: Option<Area>,
    pub figures: QuestionFigures,
}

/// What kind of answer a question takes, without its options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerKind {
    /// One step of an answer scale, or "don't know".
    Scale,
    /// One option.
    Single,
    /// Any number of options.
    Multi,
    /// Free text: only the number who wrote is reported.
    Text,
}

impl AnswerKind {
    pub(crate) fn of(kind: &QuestionKind) -> AnswerKind {
        match kind {
            QuestionKind::Scale(_) => AnswerKind::Scale,
            QuestionKind::Single { .. } => AnswerKind::Single,
            QuestionKind::Multi { .. } => AnswerKind::Multi,
            QuestionKind::Text { .. } => AnswerKind::Text,
        }
    }
}

/// The figures of one question for one set of responses (all of them, or
/// one group of a breakdown). When `suppressed` is set, every figure is
/// [`Figure::Suppressed`]; the options are still listed, with their labels.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionFigures {
    /// Why the figures are withheld, if they are.
    pub suppressed: Option<Suppression>,
    /// Responses that answered the question at all (a scale's "don't know"
    /// included). For a text question this is its only figure.
    pub respondents: Figure<u64>,
    /// What shares are computed over: a scale's answers without "don't
    /// know", a single question's answers, a multi question's respondents.
    pub n: Figure<u64>,
    /// A scale question's "don't know" answers, never part of `n`; `None`
    /// for other kinds of question.
    pub dont_know: Option<Figure<u64>>,
    /// One entry per option in form order: a scale's steps, then its "don't
    /// know"; a question's "something else" last.
    pub options: Vec<OptionFigures>,
    /// Satisfaction questions only: the share of answers in the scale's
    /// positive steps, SKR's *andel positiva svar*.
    pub share_positive: Option<Figure<f64>>,
    /// Satisfaction questions only: the mean step, most positive step valued
    /// k (the number of steps) down to 1 for the least positive.
    pub mean: Option<Figure<f64>>,
}

impl QuestionFigures {
    /// Withholds every figure, keeping the options and their labels.
    pub(crate) fn suppress(&mut self, reason: Suppression) {
        self.suppressed = Some(reason);
        self.respondents = Figure::Suppressed;
        self.n = Figure::Suppressed;
        if let Some(dont_know) = &mut self.dont_know {
            *dont_know = Figure::Suppressed;
        }
        for option in &mut self.options {
            option.count = Figure::Suppressed;
            if let Some(share) = &mut option.share {
                *share = Figure::Suppressed;
            }
        }
        if let Some(share_positive) = &mut self.share_positive {
            *share_positive = Figure::Suppressed;
        }
        if let Some(mean) = &mut self.mean {
            *mean = Figure::Suppressed;
        }
    }

    /// The question's figures with small-group protection: all withheld when
    /// `n` is below `min_report_n`.
    pub(crate) fn protected(question: &Question, counts: &Counts, language: &str, min_report_n: u64) -> Self {
        let (mut figures, n) = QuestionFigures::unprotected(question, counts, language);
        if protected_count(n, min_report_n).is_suppressed() {
            figures.suppress(Suppression::TooFewAnswers);
        }
        figures
    }

    /// The question's figures before any protection, and its `n`. Callers
    /// must protect them before they leave this module tree.
    pub(crate) fn unprotected(question: &Question, counts: &Counts, language: &str) -> (Self, u64) {
        let id = question.id.as_str();
        let count_of = |option: &str| counts.answers(id, option);
        let satisfaction = question.role == Some(Role::Satisfaction);
        match &question.kind {
            QuestionKind::Scale(scale) => {
                let steps = scale.options.len();
                let mut options = Vec::with_capacity(steps + 1);
                let (mut n, mut positive, mut weighted) = (0, 0, 0);
                for (index, step) in scale.options.iter().enumerate() {
                    let value = (steps - index) as u32;
                    let is_positive = scale.positive.contains(&step.id);
                    let count = count_of(&step.id);
                    n += count;
                    weighted += u64::from(value) * count;
                    if is_positive {
                        positive += count;
                    }
                    options.push((
                        step.id.clone(),
                        step.text.get(language),
                        OptionKind::Step { value, positive: is_positive },
                        count,
                    ));
                }
                let dont_know = scale.dont_know.as_ref().map(|text| (text.get(language), count_of(DONT_KNOW)));
                let mut options: Vec<OptionFigures> = options
                    .into_iter()
                    .map(|(id, label, kind, count)| OptionFigures::counted(id, label, kind, count, n))
                    .collect();
                if let Some((label, count)) = dont_know {
                    options.push(OptionFigures {
                        id: DONT_KNOW.to_owned(),
                        label: label.to_owned(),
                        kind: OptionKind::DontKnow,
                        count: Figure::Shown(count),
                        share: None,
                    });
                }
                let dont_know_count = dont_know.map_or(0, |(_, count)| count);
                let figures = QuestionFigures {
                    suppressed: None,
                    respondents: Figure::Shown(n + dont_know_count),
                    n: Figure::Shown(n),
                    // A scale without "don't know" still reports it, as 0.
                    dont_know: Some(Figure::Shown(dont_know_count)),
                    options,
                    share_positive: satisfaction.then(|| ratio(positive, n)),
                    mean: satisfaction.then(|| ratio(weighted, n)),
                };
                (figures, n)
            }
            QuestionKind::Single { options, other } | QuestionKind::Multi { options, other } => {
                let multi = matches!(question.kind, QuestionKind::Multi { .. });
                let mut counted: Vec<(String, String, OptionKind, u64)> = options
                    .iter()
                    .map(|choice| {
                        let kind = OptionKind::Choice { exclusive: choice.exclusive };
                        (choice.id.clone(), choice.text.get(language).to_owned(), kind, count_of(&choice.id))
                    })
                    .collect();
                if *other {
                    counted.push((OTHER.to_owned(), other_label(language), OptionKind::Other, count_of(OTHER)));
                }
                // One answer per response in a single question, so its
                // answers are its respondents; a multi question has more
                // answers than respondents, and the store counts those.
                let n = if multi { counts.respondents(id) } else { counted.iter().map(|option| option.3).sum() };
                let figures = QuestionFigures {
                    suppressed: None,
                    respondents: Figure::Shown(n),
                    n: Figure::Shown(n),
                    dont_know: None,
                    options: counted
                        .into_iter()
                        .map(|(id, label, kind, count)| OptionFigures::counted(id, label, kind, count, n))
                        .collect(),
                    share_positive: None,
                    mean: None,
                };
                (figures, n)
            }
            QuestionKind::Text { .. } => {
                let respondents = counts.respondents(id);
                let figures = QuestionFigures {
                    suppressed: None,
                    respondents: Figure::Shown(respondents),
                    n: Figure::Shown(respondents),
                    dont_know: None,
                    options: Vec::new(),
                    share_positive: None,
                    mean: None,
                };
                (figures, respondents)
            }
        }
    }
}

/// One option of a question, with how many chose it.
#[derive(Debug, Clone, PartialEq)]
pub struct OptionFigures {
    /// The option id as stored (`dont_know`, `other` for the extra answers).
    pub id: String,
    /// The option in the questionnaire's default language.
    pub label: String,
    pub kind: OptionKind,
    pub count: Figure<u64>,
    /// `count / n`; `None` for "don't know", which is not part of `n`.
    pub share: Option<Figure<f64>>,
}

impl OptionFigures {
    fn counted(id: String, label: impl Into<String>, kind: OptionKind, count: u64, n: u64) -> OptionFigures {
        OptionFigures { id, label: label.into(), kind, count: Figure::Shown(count), share: Some(ratio(count, n)) }
    }
}

/// What an option is, for the figures that treat options differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionKind {
    /// A step of a scale, valued for the mean (the most positive step has
    /// the highest value); `positive` steps count in the share positive.
    Step {
        /// k for the most positive of k steps, down to 1.
        value: u32,
        /// Whether the step is one of the scale's `positive` steps.
        positive: bool,
    },
    /// A scale's "don't know / not applicable".
    DontKnow,
    /// An option of a single or multi question; an exclusive one (like
    /// "I got no practical support") stands alone.
    Choice { exclusive: bool },
    /// "Something else:", with a text.
    Other,
}

/// The share of positive answers in one SKR quality area.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaLine {
    pub area: Area,
    /// The area's satisfaction questions counted in this line.
    pub question_ids: Vec<String>,
    /// The area's questions left out because their own figures are
    /// suppressed; otherwise the area line minus the shown questions would
    /// reveal them.
    pub left_out: Vec<String>,
    /// Σ n over the counted questions (answers, not people: one response
    /// answers every question of the area).
    pub n: Figure<u64>,
    /// Σ positive answers / Σ n over the counted questions.
    pub share_positive: Figure<f64>,
}

/// The figures of every question for the responses `tally` counted; its
/// rows must not be split (rows with a group are not part of a summary and
/// are left out).
pub fn summarize(questionnaire: &Questionnaire, tally: &Tally) -> Summary {
    let language = questionnaire.language(None);
    let min_report_n = questionnaire.min_report_n;
    let counts = Counts::of_group(tally, None);
    let questions: Vec<QuestionSummary> = questionnaire
        .questions
        .iter()
        .map(|question| {
            let figures = QuestionFigures::protected(question, &counts, language, min_report_n);
            QuestionSummary::new(question, language, figures)
        })
        .collect();
    Summary {
        questionnaire_id: questionnaire.id.clone(),
        language: language.to_owned(),
        min_report_n,
        responses: protected_count(counts.responses, min_report_n),
        areas: area_lines(&questions, min_report_n),
        questions,
    }
}

impl QuestionSummary {
    fn new(question: &Question, language: &str, figures: QuestionFigures) -> Self {
        QuestionSummary {
            id: question.id.clone(),
            text: question.text.get(language).to_owned(),
            kind: AnswerKind::of(&question.kind),
            role: question.role,
            area: question.area,
            figures,
        }
    }
}

/// One line per area used by a satisfaction question, in order of first use
/// (for Nexus: the form's order, one area after another).
fn area_lines(questions: &[QuestionSummary], min_report_n: u64) -> Vec<AreaLine> {
    let mut used: Vec<Area> = Vec::new();
    for question in questions.iter().filter(|question| question.role == Some(Role::Satisfaction)) {
        if let Some(area) = question.area
            && !used.contains(&area)
        {
            used.push(area);
        }
    }
    used.into_iter()
        .map(|area| {
            let mut line = AreaLine {
                area,
                question_ids: Vec::new(),
                left_out: Vec::new(),
                n: Figure::Suppressed,
                share_positive: Figure::Suppressed,
            };
            let (mut n, mut positive) = (0, 0);
            let in_area = questions
                .iter()
                .filter(|question| question.role == Some(Role::Satisfaction) && question.area == Some(area));
            for question in in_area {
                // Only shown figures are summed, so a suppressed question
                // can never be worked back out of its area's line.
                let Figure::Shown(question_n) = question.figures.n else {
                    line.left_out.push(question.id.clone());
                    continue;
                };
                n += question_n;
                positive += question
                    .figures
                    .options
                    .iter()
                    .filter(|option| matches!(option.kind, OptionKind::Step { positive: true, .. }))
                    .filter_map(|option| option.count.shown())
                    .sum::<u64>();
                line.question_ids.push(question.id.clone());
            }
            line.n = protected_count(n, min_report_n);
            if !line.n.is_suppressed() {
                line.share_positive = ratio(positive, n);
            }
            line
        })
        .collect()
}

/// `part / whole`, or withheld when there is nothing to divide by.
pub(crate) fn ratio(part: u64, whole: u64) -> Figure<f64> {
    if whole == 0 { Figure::Suppressed } else { Figure::Shown(part as f64 / whole as f64) }
}

/// The label of "something else" in reports: the form's label without its
/// trailing colon ("Annat, nämligen").
pub(crate) fn other_label(language: &str) -> String {
    locale::get(language).other_label.trim_end_matches(':').to_owned()
}

/// A role as spelled in the questionnaire file (`satisfaction`, ...).
pub fn role_id(role: Role) -> &'static str {
    match role {
        Role::Satisfaction => "satisfaction",
        Role::UnmetSupport => "unmet_support",
        Role::ReceivedSupport => "received_support",
        Role::Background => "background",
    }
}

/// An area as spelled in the questionnaire file (`tillgänglighet`, ...).
pub fn area_id(area: Area) -> &'static str {
    match area {
        Area::Tillganglighet => "tillgänglighet",
        Area::Information => "information",
        Area::Bemotande => "bemötande",
        Area::Delaktighet => "delaktighet",
        Area::Forandring => "förändring",
        Area::Helhet => "helhet",
        Area::Trygghet => "trygghet",
    }
}

/// One row of the summary export: one option of one question, with the
/// question's figures repeated. Shared by the CSV and XLSX writers; a
/// suppressed figure is `None`.
pub(crate) struct SummaryRow<'s> {
    pub question: &'s QuestionSummary,
    pub option: &'s OptionFigures,
    pub count: Option<u64>,
    pub share: Option<f64>,
    pub n: Option<u64>,
    pub dont_know: Option<u64>,
    pub share_positive: Option<f64>,
    pub mean: Option<f64>,
    pub suppressed: bool,
}

/// The summary export's rows: every option of every question that has
/// options, in order. Text questions have none, so they get no rows.
pub(crate) fn summary_rows(summary: &Summary) -> impl Iterator<Item = SummaryRow<'_>> {
    summary.questions.iter().flat_map(|question| {
        let figures = &question.figures;
        figures.options.iter().map(move |option| SummaryRow {
            question,
            option,
            count: option.count.shown(),
            share: option.share.and_then(Figure::shown),
            n: figures.n.shown(),
            dont_know: figures.dont_know.and_then(Figure::shown),
            share_positive: figures.share_positive.and_then(Figure::shown),
            mean: figures.mean.and_then(Figure::shown),
            suppressed: figures.suppressed.is_some(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::{assert_close, questionnaire, questionnaire_with_min, tally, ten_responses};

    fn summary() -> Summary {
        summarize(&questionnaire(), &ten_responses())
    }

    fn shown<T: Copy + std::fmt::Debug>(figure: Option<Figure<T>>) -> T {
        match figure {
            Some(Figure::Shown(value)) => value,
            other => panic!("expected a shown figure, got {other:?}"),
        }
    }

    fn counts(question: &QuestionSummary) -> Vec<(&str, Figure<u64>)> {
        question.figures.options.iter().map(|option| (option.id.as_str(), option.count)).collect()
    }

    fn ids(ids: &[String]) -> Vec<&str> {
        ids.iter().map(String::as_str).collect()
    }

    fn shares(question: &QuestionSummary) -> Vec<f64> {
        question.figures.options.iter().filter_map(|option| option.share).map(|share| shown(Some(share))).collect()
    }

    #[test]
    fn a_scale_question_counts_each_step_and_leaves_dont_know_out_of_n() {
        let summary = summary();
        let reach = summary.question("reach").unwrap();
        // Steps in form order, then "don't know"; a step nobody chose is 0.
        assert_eq!(
            counts(reach),
            [
                ("very_easy", Figure::Shown(3)),
                ("fairly_easy", Figure::Shown(2)),
                ("fairly_difficult", Figure::Shown(1)),
                ("very_difficult", Figure::Shown(0)),
                ("dont_know", Figure::Shown(2)),
            ]
        );
        // n = 3+2+1+0 = 6; dont_know = 2; respondents = 6+2 = 8
        assert_eq!(reach.figures.n, Figure::Shown(6));
        assert_eq!(reach.figures.dont_know, Some(Figure::Shown(2)));
        assert_eq!(reach.figures.respondents, Figure::Shown(8));
        // shares 3/6, 2/6, 1/6, 0/6; the "don't know" row has no share
        let expected = [0.5, 2.0 / 6.0, 1.0 / 6.0, 0.0];
        assert_eq!(shares(reach).len(), 4);
        for (actual, expected) in shares(reach).into_iter().zip(expected) {
            assert_close(actual, expected);
        }
        assert_eq!(reach.figures.options[4].share, None);
        // share_positive = (3+2)/6 = 0.8333
        assert_close(shown(reach.figures.share_positive), 5.0 / 6.0);
        // mean = (4·3 + 3·2 + 2·1 + 1·0)/6 = 20/6 = 3.3333
        assert_close(shown(reach.figures.mean), 20.0 / 6.0);
        assert_eq!(reach.figures.suppressed, None);
        assert_eq!((reach.role, reach.area), (Some(Role::Satisfaction), Some(Area::Tillganglighet)));
        assert_eq!(reach.text, "Hur lätt var det att nå oss?", "texts are in the default language");
    }

    #[test]
    fn dont_know_is_never_counted_in_n_even_when_it_is_the_most_common_answer() {
        let summary = summary();
        let listened = summary.question("listened").unwrap();
        // n = 2+1+1+1 = 5 (the 5 "don't know" are not in it)
        assert_eq!(listened.figures.n, Figure::Shown(5));
        assert_eq!(listened.figures.dont_know, Some(Figure::Shown(5)));
        // share_positive = (2+1)/5 = 0.6; mean = (4·2 + 3·1 + 2·1 + 1·1)/5 = 14/5 = 2.8
        assert_close(shown(listened.figures.share_positive), 0.6);
        assert_close(shown(listened.figures.mean), 2.8);

        let respect = summary.question("respect").unwrap();
        // n = 4+3+2+1 = 10; share_positive = 7/10; mean = (16+9+4+1)/10 = 3.0
        assert_eq!(respect.figures.n, Figure::Shown(10));
        assert_eq!(respect.figures.dont_know, Some(Figure::Shown(0)));
        assert_close(shown(respect.figures.share_positive), 0.7);
        assert_close(shown(respect.figures.mean), 3.0);
    }

    #[test]
    fn a_question_answered_by_four_is_suppressed_and_by_five_is_shown() {
        let summary = summary();
        // improved: n = 2+1+1 = 4 < 5, although 4+6 = 10 responses answered it
        let improved = summary.question("improved").unwrap();
        assert_eq!(improved.figures.suppressed, Some(Suppression::TooFewAnswers));
        assert_eq!(improved.figures.n, Figure::Suppressed);
        assert_eq!(improved.figures.respondents, Figure::Suppressed);
        assert_eq!(improved.figures.dont_know, Some(Figure::Suppressed));
        assert_eq!(improved.figures.share_positive, Some(Figure::Suppressed));
        assert_eq!(improved.figures.mean, Some(Figure::Suppressed));
        assert_eq!(improved.figures.options.len(), 6, "the rows stay, with their labels");
        assert_eq!(improved.figures.options[0].label, "Mycket bättre");
        assert!(improved.figures.options.iter().all(|option| option.count.is_suppressed()));
        assert!(improved.figures.options[..5].iter().all(|option| option.share == Some(Figure::Suppressed)));

        // listened (scale) and most_needed (single): n = 5, shown
        assert_eq!(summary.question("listened").unwrap().figures.suppressed, None);
        assert_eq!(summary.question("most_needed").unwrap().figures.n, Figure::Shown(5));
    }

    #[test]
    fn a_multi_question_shares_are_of_its_respondents_and_may_add_up_to_more_than_one() {
        let summary = summary();
        let received = summary.question("received").unwrap();
        // n = respondents = 8 (from the store, not the sum of choices 5+3+0+2 = 10)
        assert_eq!(received.figures.n, Figure::Shown(8));
        assert_eq!(
            counts(received),
            [
                ("move", Figure::Shown(5)),
                ("housing", Figure::Shown(3)),
                ("school", Figure::Shown(0)),
                ("none", Figure::Shown(2))
            ]
        );
        // shares 5/8 = 0.625, 3/8 = 0.375, 0/8, 2/8 = 0.25; together 1.25
        let shares = shares(received);
        for (actual, expected) in shares.iter().zip([0.625, 0.375, 0.0, 0.25]) {
            assert_close(*actual, expected);
        }
        assert_close(shares.iter().sum(), 1.25);
        assert_eq!(received.figures.share_positive, None, "only satisfaction questions have a share positive");
        assert_eq!(received.figures.mean, None);
        assert_eq!(received.figures.dont_know, None);
    }

    #[test]
    fn a_single_question_with_something_else_counts_it_last_and_in_n() {
        let summary = summary();
        let most_needed = summary.question("most_needed").unwrap();
        // n = 1+3+0+1 = 5 (the store's respondents row is not needed)
        assert_eq!(
            counts(most_needed),
            [
                ("move", Figure::Shown(1)),
                ("housing", Figure::Shown(3)),
                ("school", Figure::Shown(0)),
                ("other", Figure::Shown(1))
            ]
        );
        assert_eq!(most_needed.figures.options[3].kind, OptionKind::Other);
        assert_eq!(most_needed.figures.options[3].label, "Annat, nämligen");
        // shares 1/5, 3/5, 0/5, 1/5
        for (actual, expected) in shares(most_needed).into_iter().zip([0.2, 0.6, 0.0, 0.2]) {
            assert_close(actual, expected);
        }
    }

    #[test]
    fn a_text_question_reports_only_how_many_wrote_and_three_is_too_few() {
        let summary = summary();
        let comment = summary.question("comment").unwrap();
        assert_eq!(comment.kind, AnswerKind::Text);
        assert!(comment.figures.options.is_empty());
        assert_eq!(comment.figures.respondents, Figure::Suppressed);
        assert_eq!(comment.figures.suppressed, Some(Suppression::TooFewAnswers));

        let six_wrote = summarize(&questionnaire(), &tally(10, &[], &[("comment", 6)]));
        assert_eq!(six_wrote.question("comment").unwrap().figures.respondents, Figure::Shown(6));
    }

    #[test]
    fn area_lines_add_up_the_positive_answers_of_their_shown_questions() {
        let summary = summary();
        type Line<'s> = (Area, Vec<&'s str>, Vec<&'s str>, Figure<u64>);
        let lines: Vec<Line> = summary
            .areas
            .iter()
            .map(|line| (line.area, ids(&line.question_ids), ids(&line.left_out), line.n))
            .collect();
        assert_eq!(
            lines,
            [
                (Area::Tillganglighet, vec!["reach"], vec![], Figure::Shown(6)),
                (Area::Bemotande, vec!["respect", "listened"], vec![], Figure::Shown(15)),
                // improved (n = 4) is suppressed, so it is left out of its area
                (Area::Forandring, vec!["helped"], vec!["improved"], Figure::Shown(6)),
            ],
            "areas in order of first use"
        );
        // tillgänglighet: (3+2)/6 = 0.8333
        assert_close(summary.areas[0].share_positive.shown().unwrap(), 5.0 / 6.0);
        // bemötande: (4+3 + 2+1)/(10+5) = 10/15 = 0.6667
        assert_close(summary.areas[1].share_positive.shown().unwrap(), 10.0 / 15.0);
        // förändring: helped only, (2+2)/6 = 0.6667; with improved it would be (4+3+... ) and reveal it
        assert_close(summary.areas[2].share_positive.shown().unwrap(), 4.0 / 6.0);
    }

    #[test]
    fn an_area_with_fewer_than_five_answers_is_suppressed() {
        // förändring: improved n = 2+2 = 4, helped n = 0: Σn = 4 < 5
        let only_improved = tally(6, &[("improved", "much_better", 2), ("improved", "neither", 2)], &[]);
        let summary = summarize(&questionnaire(), &only_improved);
        let forandring = summary.areas.iter().find(|line| line.area == Area::Forandring).unwrap();
        assert_eq!((forandring.n, forandring.share_positive), (Figure::Suppressed, Figure::Suppressed));
        assert_eq!(forandring.left_out, ["improved", "helped"]);
    }

    #[test]
    fn the_number_of_responses_is_suppressed_below_five() {
        let four = summarize(&questionnaire(), &tally(4, &[], &[]));
        let five = summarize(&questionnaire(), &tally(5, &[], &[]));
        assert_eq!((four.responses, five.responses), (Figure::Suppressed, Figure::Shown(5)));
        assert_eq!(four.min_report_n, 5, "for the page to say \"färre än 5\"");
    }

    #[test]
    fn no_answers_at_all_is_suppressed_never_shown_as_zero() {
        let summary = summarize(&questionnaire(), &Tally::default());
        assert_eq!(summary.responses, Figure::Suppressed);
        for question in &summary.questions {
            assert_eq!(question.figures.suppressed, Some(Suppression::TooFewAnswers), "{}", question.id);
            assert!(question.figures.options.iter().all(|option| option.count.is_suppressed()), "{}", question.id);
        }
        assert!(summary.areas.iter().all(|line| line.share_positive.is_suppressed()));
    }

    #[test]
    fn min_report_n_comes_from_the_questionnaire() {
        // most_needed: n = 5, shown with min 5, suppressed with min 6
        let summary = summarize(&questionnaire_with_min(6), &ten_responses());
        assert!(summary.question("most_needed").unwrap().figures.n.is_suppressed());
        assert_eq!(summary.question("respect").unwrap().figures.n, Figure::Shown(10));
    }

    #[test]
    fn rows_with_a_group_are_not_part_of_a_summary() {
        let mut split = Tally::default();
        crate::report::fixture::add_group(&mut split, Some("young"), 20, &[("respect", "yes_always", 20)], &[]);
        let summary = summarize(&questionnaire(), &split);
        assert_eq!(summary.responses, Figure::Suppressed);
        assert!(summary.question("respect").unwrap().figures.n.is_suppressed());
    }

    #[test]
    fn roles_and_areas_are_spelled_as_in_the_questionnaire_file() {
        assert_eq!(role_id(Role::UnmetSupport), "unmet_support");
        assert_eq!(role_id(Role::ReceivedSupport), "received_support");
        assert_eq!(area_id(Area::Tillganglighet), "tillgänglighet");
        assert_eq!(area_id(Area::Forandring), "förändring");
        assert_eq!(area_id(Area::Bemotande), "bemötande");
    }
}
