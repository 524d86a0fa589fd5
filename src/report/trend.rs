//! The evidence over time: the share positive per SKR area and per
//! satisfaction question, and the share lacking each practical support,
//! for every closed period on its own (the trend) and for two ranges of
//! closed periods side by side (the comparison).
//!
//! Every figure comes from [`Disclosure::summary`], so the disclosure rules
//! and the versions kept apart hold here as everywhere: a period too thin to
//! show is withheld, never estimated. Intervals and the test of a change are
//! those of [`super::stats`] (`docs/statistics.md`).

use crate::questionnaire::Role;

use super::figure::Figure;
use super::overview::{area_counts, changed, option_counts};
use super::period::Period;
use super::release::{Disclosure, Scope};
use super::stats::{Change, Interval, wilson};
use super::summary::{OptionKind, Summary, area_id};
use super::support::practical_support;

/// What the lines of a group measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// The share positive in each SKR area, pooled over its questions.
    AreaPositive,
    /// The share positive of each satisfaction question.
    QuestionPositive,
    /// The share of a support question's respondents who lacked each kind
    /// of practical support (a question with role unmet_support).
    Lacking,
}

/// One share as released, with what its interval and test rest on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Share {
    /// The share, or withheld by the disclosure rules.
    pub share: Figure<f64>,
    /// Positive (or lacking) and the number the share is of; for an area,
    /// scaled to responses (`docs/statistics.md`). `None` when withheld.
    pub counts: Option<(u64, u64)>,
    /// The 95 % Wilson interval of `counts`.
    pub interval: Option<Interval>,
}

impl Share {
    fn new(share: Figure<f64>, counts: Option<(u64, u64)>) -> Share {
        // A share shown without counts to test (or the reverse) is treated
        // as withheld, so that nothing is drawn that cannot be tested.
        match (share, counts) {
            (Figure::Shown(share), Some(counts)) => {
                Share { share: Figure::Shown(share), counts: Some(counts), interval: wilson(counts.0, counts.1) }
            }
            _ => Share::withheld(),
        }
    }

    fn withheld() -> Share {
        Share { share: Figure::Suppressed, counts: None, interval: None }
    }

    /// How many the share is of, when shown.
    pub fn n(&self) -> Option<u64> {
        self.counts.map(|(_, n)| n)
    }
}

/// One line of a group: an area, a question, or a support option.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// Stable across periods: an area id, a question id, or an option id.
    pub id: String,
    /// In the questionnaire's default language.
    pub label: String,
    pub share: Share,
}

/// The lines of one measure, in questionnaire order.
#[derive(Debug, Clone, PartialEq)]
pub struct LineGroup {
    pub measure: Measure,
    /// For [`Measure::Lacking`], the support question; otherwise empty.
    pub question_id: String,
    /// For [`Measure::Lacking`], the question's text; otherwise empty.
    pub question: String,
    pub lines: Vec<Line>,
}

/// Every line of one summary: areas, satisfaction questions, then each
/// unmet-support question's options in form order (an exclusive answer
/// such as "nothing was missing" is not a kind of support and is left out).
pub fn lines(summary: &Summary) -> Vec<LineGroup> {
    let mut groups = Vec::new();
    let areas: Vec<Line> = summary
        .areas
        .iter()
        .map(|line| Line {
            id: area_id(line.area).to_owned(),
            label: capitalised(area_id(line.area)),
            share: Share::new(line.share_positive, area_counts(line)),
        })
        .collect();
    if !areas.is_empty() {
        groups.push(LineGroup {
            measure: Measure::AreaPositive,
            question_id: String::new(),
            question: String::new(),
            lines: areas,
        });
    }
    let questions: Vec<Line> = summary
        .questions
        .iter()
        .filter(|question| question.role == Some(Role::Satisfaction))
        .map(|question| {
            let figures = &question.figures;
            // The positive steps' counts, exactly, rather than the share
            // multiplied back.
            let positive: Option<u64> = figures
                .options
                .iter()
                .filter(|option| matches!(option.kind, OptionKind::Step { positive: true, .. }))
                .map(|option| option.count.shown())
                .sum();
            let counts = positive.zip(figures.n.shown());
            Line {
                id: question.id.clone(),
                label: question.text.clone(),
                share: Share::new(figures.share_positive.unwrap_or(Figure::Suppressed), counts),
            }
        })
        .collect();
    if !questions.is_empty() {
        groups.push(LineGroup {
            measure: Measure::QuestionPositive,
            question_id: String::new(),
            question: String::new(),
            lines: questions,
        });
    }
    for ranking in practical_support(summary).unmet {
        let Some(question) = summary.question(&ranking.question_id) else { continue };
        let lines = question
            .figures
            .options
            .iter()
            .filter(|option| !matches!(option.kind, OptionKind::Choice { exclusive: true }))
            .filter_map(|option| ranking.ranked.iter().find(|line| line.option_id == option.id))
            .map(|line| Line {
                id: line.option_id.clone(),
                label: line.label.clone(),
                share: Share::new(line.share, option_counts(&ranking, &line.option_id)),
            })
            .collect();
        groups.push(LineGroup {
            measure: Measure::Lacking,
            question_id: ranking.question_id.clone(),
            question: ranking.text.clone(),
            lines,
        });
    }
    groups
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// Every closed period's figures, each period on its own.
#[derive(Debug, Clone, PartialEq)]
pub struct Trend {
    /// Every closed period from the first with responses, oldest first.
    pub periods: Vec<Period>,
    /// The responses of each period, as released.
    pub responses: Vec<Figure<u64>>,
    pub min_report_n: u64,
    pub groups: Vec<SeriesGroup>,
}

/// The series of one measure.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesGroup {
    pub measure: Measure,
    pub question_id: String,
    pub question: String,
    pub series: Vec<Series>,
}

/// One line over time: a share per period, in the order of
/// [`Trend::periods`].
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub id: String,
    pub label: String,
    pub points: Vec<Share>,
}

/// The trend over every closed period, each its own scope, for one
/// language and version (or all). A period whose answers are too few on
/// their own is withheld for that period, however many it has elsewhere.
pub fn trend(disclosure: &Disclosure, language: Option<String>, version: Option<String>) -> Trend {
    let periods = disclosure.periods();
    let summaries: Vec<Summary> = periods
        .iter()
        .map(|&period| {
            disclosure.summary(&Scope {
                from: period,
                to: period,
                language: language.clone(),
                version: version.clone(),
                channel: None,
            })
        })
        .collect();
    let per_period: Vec<Vec<LineGroup>> = summaries.iter().map(lines).collect();
    // Every summary of one questionnaire has the same groups and lines; the
    // shape is taken from a summary and each point found by id.
    let shape = per_period.first().cloned().unwrap_or_default();
    let groups = shape
        .into_iter()
        .map(|group| SeriesGroup {
            measure: group.measure,
            question_id: group.question_id.clone(),
            question: group.question.clone(),
            series: group
                .lines
                .iter()
                .map(|line| Series {
                    id: line.id.clone(),
                    label: line.label.clone(),
                    points: per_period.iter().map(|groups| find(groups, &group, &line.id)).collect(),
                })
                .collect(),
        })
        .collect();
    Trend {
        periods,
        responses: summaries.iter().map(|summary| summary.responses).collect(),
        min_report_n: summaries.first().map_or(0, |summary| summary.min_report_n),
        groups,
    }
}

/// The share of the line `id` in the group like `like`; withheld if absent.
fn find(groups: &[LineGroup], like: &LineGroup, id: &str) -> Share {
    groups
        .iter()
        .find(|group| group.measure == like.measure && group.question_id == like.question_id)
        .and_then(|group| group.lines.iter().find(|line| line.id == id))
        .map_or_else(Share::withheld, |line| line.share)
}

/// Two ranges of closed periods side by side.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub a: Scope,
    pub b: Scope,
    pub responses: (Figure<u64>, Figure<u64>),
    pub min_report_n: u64,
    pub groups: Vec<ComparedGroup>,
}

/// The compared lines of one measure.
#[derive(Debug, Clone, PartialEq)]
pub struct ComparedGroup {
    pub measure: Measure,
    pub question_id: String,
    pub question: String,
    pub lines: Vec<ComparedLine>,
}

/// One line in both ranges, and whether it changed from A to B.
#[derive(Debug, Clone, PartialEq)]
pub struct ComparedLine {
    pub id: String,
    pub label: String,
    pub a: Share,
    pub b: Share,
    /// From A to B: rose or fell only when the test says so.
    pub change: Change,
}

/// Ranges A and B compared line by line. The test assumes two separate
/// sets of responses: check the ranges with [`apart`] first.
pub fn comparison(disclosure: &Disclosure, a: &Scope, b: &Scope) -> Comparison {
    let (summary_a, summary_b) = (disclosure.summary(a), disclosure.summary(b));
    let lines_b = lines(&summary_b);
    let groups = lines(&summary_a)
        .into_iter()
        .map(|group| ComparedGroup {
            measure: group.measure,
            question_id: group.question_id.clone(),
            question: group.question.clone(),
            lines: group
                .lines
                .iter()
                .map(|line| {
                    let after = find(&lines_b, &group, &line.id);
                    ComparedLine {
                        id: line.id.clone(),
                        label: line.label.clone(),
                        a: line.share,
                        b: after,
                        change: changed(line.share.counts, after.counts),
                    }
                })
                .collect(),
        })
        .collect();
    Comparison {
        a: a.clone(),
        b: b.clone(),
        responses: (summary_a.responses, summary_b.responses),
        min_report_n: summary_a.min_report_n,
        groups,
    }
}

/// Two ranges that share a period cannot be compared: the test of a change
/// is for two separate sets of responses, and the shared answers would
/// make any difference look smaller than it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "Period A ({a}) och period B ({b}) har perioder gemensamma. Välj två urval som inte överlappar, \
     så att inget svar räknas i båda."
)]
pub struct Overlap {
    pub a: String,
    pub b: String,
}

/// Whether A and B lie apart (in either order).
pub fn apart(a: &Scope, b: &Scope) -> Result<(), Overlap> {
    if a.from <= b.to && b.from <= a.to {
        return Err(Overlap { a: range_label(a), b: range_label(b) });
    }
    Ok(())
}

/// "oktober 2026" or "oktober 2026 – december 2026".
pub fn range_label(scope: &Scope) -> String {
    if scope.from == scope.to {
        scope.from.label()
    } else {
        format!("{} \u{2013} {}", scope.from.label(), scope.to.label())
    }
}

#[cfg(test)]
mod tests {
    use time::Date;
    use time::macros::date;

    use super::*;
    use crate::questionnaire::{Questionnaire, ReportPeriod};
    use crate::report::Tally;
    use crate::report::fixture::{questionnaire, tally};
    use crate::report::release::Stream;

    fn month(id: &str) -> Period {
        Period::parse(ReportPeriod::Month, id).unwrap()
    }

    fn months(from: &str, to: &str) -> Scope {
        Scope { from: month(from), to: month(to), language: None, version: None, channel: None }
    }

    /// `responses` in Swedish on `day`: `reach_positive` of them found us
    /// easy to reach (the others very difficult), and `housing` of them
    /// lacked contact with a landlord (the others help with the move).
    fn responses(
        questionnaire: &Questionnaire,
        day: Date,
        responses: u64,
        reach_positive: u64,
        housing: u64,
    ) -> (Stream, Date, Tally) {
        let tally = tally(
            responses,
            &[
                ("reach", "very_easy", reach_positive),
                ("reach", "very_difficult", responses - reach_positive),
                ("missing", "housing", housing),
                ("missing", "move", responses - housing),
            ],
            &[("reach", responses), ("missing", responses)],
        );
        let stream = Stream {
            version: questionnaire.version.as_str().to_owned(),
            language: "sv".to_owned(),
            channel: "web".to_owned(),
        };
        (stream, day, tally)
    }

    /// September: 10 responses, 8 easy to reach, 6 lacking housing;
    /// October: 3 (too few, and the quarter has not closed to pool them);
    /// November: 10, 2 easy to reach, 1 lacking housing. On 15 December,
    /// November has closed and December runs.
    fn three_months(questionnaire: &Questionnaire) -> Disclosure<'_> {
        let rows = vec![
            responses(questionnaire, date!(2026 - 09 - 07), 10, 8, 6),
            responses(questionnaire, date!(2026 - 10 - 05), 3, 3, 1),
            responses(questionnaire, date!(2026 - 11 - 09), 10, 2, 1),
        ];
        Disclosure::new(questionnaire, date!(2026 - 12 - 15), rows, &[], None)
    }

    fn close(actual: f64, expected: f64) -> bool {
        (actual - expected).abs() < 0.00005
    }

    fn group(groups: &[SeriesGroup], measure: Measure) -> &SeriesGroup {
        groups.iter().find(|group| group.measure == measure).expect("the group")
    }

    #[test]
    fn the_trend_has_every_closed_period_with_a_gap_where_a_period_is_withheld() {
        let questionnaire = questionnaire();
        let disclosure = three_months(&questionnaire);
        let trend = trend(&disclosure, None, None);
        assert_eq!(trend.periods, [month("2026-09"), month("2026-10"), month("2026-11")], "December runs");
        assert_eq!(trend.responses, [Figure::Shown(10), Figure::Suppressed, Figure::Shown(10)]);
        assert_eq!(trend.min_report_n, 5);

        let reach = &group(&trend.groups, Measure::QuestionPositive).series[0];
        assert_eq!((reach.id.as_str(), reach.label.as_str()), ("reach", "Hur lätt var det att nå oss?"));
        let shares: Vec<Figure<f64>> = reach.points.iter().map(|point| point.share).collect();
        assert_eq!(shares, [Figure::Shown(0.8), Figure::Suppressed, Figure::Shown(0.2)]);
        assert_eq!(reach.points[1].interval, None, "nothing to draw for a withheld period");
        // Wilson for 8 of 10: centre (0.8 + 0.19207) / 1.38415 = 0.71674,
        // half-width 1.96 · √(0.016 + 0.0096037) / 1.38415 = 0.22658.
        let eight = reach.points[0].interval.unwrap();
        assert!(close(eight.low, 0.4902) && close(eight.high, 0.9433), "{eight:?}");
        // 2 of 10 is its mirror image.
        let two = reach.points[2].interval.unwrap();
        assert!(close(two.low, 0.0567) && close(two.high, 0.5098), "{two:?}");

        // The area tillgänglighet has the one question: the same figures.
        let area = &group(&trend.groups, Measure::AreaPositive).series[0];
        assert_eq!((area.id.as_str(), area.label.as_str()), ("tillgänglighet", "Tillgänglighet"));
        assert_eq!(area.points, reach.points);

        // Lacked, of the 10 who answered: housing 6 then 1; in form order,
        // without "nothing was missing".
        let lacking: Vec<&SeriesGroup> = trend.groups.iter().filter(|g| g.measure == Measure::Lacking).collect();
        assert_eq!(lacking[0].question_id, "missing");
        let ids: Vec<&str> = lacking[0].series.iter().map(|series| series.id.as_str()).collect();
        assert_eq!(ids, ["move", "housing", "school", "other"]);
        let housing = &lacking[0].series[1];
        assert_eq!(housing.points[0].counts, Some((6, 10)));
        assert_eq!(housing.points[2].counts, Some((1, 10)));
        assert_eq!(housing.points[1].share, Figure::Suppressed);
    }

    #[test]
    fn two_ranges_are_compared_and_a_change_is_called_one_only_when_the_test_says_so() {
        let questionnaire = questionnaire();
        let disclosure = three_months(&questionnaire);
        let compared = comparison(&disclosure, &months("2026-09", "2026-09"), &months("2026-11", "2026-11"));
        assert_eq!(compared.responses, (Figure::Shown(10), Figure::Shown(10)));
        let line = |measure: Measure, id: &str| -> ComparedLine {
            let group = compared.groups.iter().find(|group| group.measure == measure).unwrap();
            group.lines.iter().find(|line| line.id == id).unwrap().clone()
        };
        // 8 of 10, then 2 of 10: pooled 0.5, every expected cell 5, so the
        // test applies: z = (0.6 − 0.1) / √(0.25 · 0.2) = 2.24 > 1.96: fell.
        let reach = line(Measure::QuestionPositive, "reach");
        assert_eq!((reach.a.counts, reach.b.counts, reach.change), (Some((8, 10)), Some((2, 10)), Change::Fell));
        assert_eq!(line(Measure::AreaPositive, "tillgänglighet").change, Change::Fell);
        // Housing 6 of 10, then 1 of 10: pooled 0.35, 3.5 expected: too few.
        assert_eq!(line(Measure::Lacking, "housing").change, Change::TooFewToSay);
        // Move 4 of 10, then 9 of 10: pooled 0.65, 3.5 expected: too few.
        assert_eq!(line(Measure::Lacking, "move").change, Change::TooFewToSay);

        // October is withheld: nothing to test against.
        let october = comparison(&disclosure, &months("2026-09", "2026-09"), &months("2026-10", "2026-10"));
        let reach = &october.groups.iter().find(|g| g.measure == Measure::QuestionPositive).unwrap().lines[0];
        assert_eq!((reach.b.share, reach.change), (Figure::Suppressed, Change::TooFewToSay));
    }

    #[test]
    fn ranges_that_share_a_period_are_refused() {
        assert!(apart(&months("2026-09", "2026-09"), &months("2026-10", "2026-11")).is_ok());
        assert!(apart(&months("2026-10", "2026-11"), &months("2026-09", "2026-09")).is_ok(), "either order");
        let overlap = apart(&months("2026-09", "2026-10"), &months("2026-10", "2026-11")).unwrap_err();
        assert_eq!(
            overlap.to_string(),
            "Period A (september 2026 \u{2013} oktober 2026) och period B (oktober 2026 \u{2013} november 2026) \
             har perioder gemensamma. Välj två urval som inte överlappar, så att inget svar räknas i båda."
        );
        assert!(apart(&months("2026-09", "2026-11"), &months("2026-10", "2026-10")).is_err(), "one inside the other");
    }
}
