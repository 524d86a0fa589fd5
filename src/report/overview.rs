//! What the top of the results page (and the report) answers first: how
//! many responded, the share positive per SKR area, and the practical
//! support people lacked most, each with its 95 % interval and whether it
//! changed since the previous periods of the same length.

use crate::questionnaire::Area;

use super::figure::Figure;
use super::stats::{Change, Interval, compare, wilson};
use super::summary::{AreaLine, Summary};
use super::support::{SupportLine, SupportRanking, practical_support};

/// How many lacked supports the overview names.
const LACKED_NAMED: usize = 3;

/// The answers-first summary of the chosen periods.
#[derive(Debug, Clone, PartialEq)]
pub struct Overview {
    pub responses: Figure<u64>,
    /// The responses of the previous periods, when those are compared.
    pub previous_responses: Option<Figure<u64>>,
    pub areas: Vec<AreaShare>,
    /// The question the lacked supports come from (the first with role
    /// unmet_support), in the default language.
    pub lacked_question: Option<String>,
    /// The most lacked practical supports, most lacked first; at most three,
    /// only those whose figures are shown.
    pub lacked: Vec<Lacked>,
}

/// The share positive in one SKR area.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaShare {
    pub area: Area,
    pub share: Figure<f64>,
    /// From the number of responses, not answers (`docs/statistics.md`).
    pub interval: Option<Interval>,
    /// Since the previous periods; `None` when none are compared.
    pub change: Option<Change>,
}

/// One practical support people lacked.
#[derive(Debug, Clone, PartialEq)]
pub struct Lacked {
    pub option_id: String,
    pub label: String,
    pub count: u64,
    /// Of the responses that answered the question.
    pub share: f64,
    pub interval: Option<Interval>,
    pub change: Option<Change>,
}

/// The overview of `current`, compared with `previous` (the same number of
/// periods just before) when given.
pub fn overview(current: &Summary, previous: Option<&Summary>) -> Overview {
    let areas = current
        .areas
        .iter()
        .map(|line| {
            let now = area_counts(line);
            let before = previous.map(|previous| previous.areas.iter().find(|old| old.area == line.area));
            AreaShare {
                area: line.area,
                share: line.share_positive,
                interval: now.and_then(|(positive, n)| wilson(positive, n)),
                change: before.map(|old| changed(old.and_then(area_counts), now)),
            }
        })
        .collect();
    let unmet = practical_support(current).unmet.into_iter().next();
    let unmet_before = previous.and_then(|previous| practical_support(previous).unmet.into_iter().next());
    let lacked = unmet.as_ref().map_or_else(Vec::new, |ranking| {
        let Some(respondents) = ranking.respondents.shown() else { return Vec::new() };
        ranking
            .ranked
            .iter()
            .filter_map(|line| Some((line, line.count.shown()?, line.share.shown()?)))
            .take(LACKED_NAMED)
            .map(|(line, count, share)| Lacked {
                option_id: line.option_id.clone(),
                label: line.label.clone(),
                count,
                share,
                interval: wilson(count, respondents),
                change: previous.map(|_| {
                    let before = unmet_before.as_ref().and_then(|old| option_counts(old, &line.option_id));
                    changed(before, Some((count, respondents)))
                }),
            })
            .collect()
    });
    Overview {
        responses: current.responses,
        previous_responses: previous.map(|previous| previous.responses),
        areas,
        lacked_question: unmet.map(|ranking| ranking.text),
        lacked,
    }
}

/// An area's positive answers and answers, scaled to responses: the
/// answers over the number of questions pooled, since one person's answers
/// to an area's questions go together.
pub(super) fn area_counts(line: &AreaLine) -> Option<(u64, u64)> {
    let answers = line.n.shown()?;
    let share = line.share_positive.shown()?;
    let questions = line.question_ids.len().max(1) as u64;
    let responses = answers / questions;
    Some(((share * responses as f64).round() as u64, responses))
}

/// An option's count and the question's respondents, when both are shown.
pub(super) fn option_counts(ranking: &SupportRanking, option_id: &str) -> Option<(u64, u64)> {
    let line: &SupportLine = ranking.ranked.iter().find(|line| line.option_id == option_id)?;
    Some((line.count.shown()?, ranking.respondents.shown()?))
}

/// Whether a share changed; too few to say when either side is withheld.
pub(super) fn changed(before: Option<(u64, u64)>, now: Option<(u64, u64)>) -> Change {
    match (before, now) {
        (Some(before), Some(now)) => compare(before, now),
        _ => Change::TooFewToSay,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::{assert_close, questionnaire, tally, ten_responses};
    use crate::report::summarize;

    #[test]
    fn the_three_most_lacked_supports_come_first_with_their_intervals() {
        let current = summarize(&questionnaire(), &ten_responses());
        let overview = overview(&current, None);
        assert_eq!(overview.responses, Figure::Shown(10));
        assert_eq!(overview.lacked_question.as_deref(), Some("Vilket stöd saknade du?"));
        let named: Vec<(&str, u64)> = overview.lacked.iter().map(|l| (l.option_id.as_str(), l.count)).collect();
        // housing 4 of 7, then school and "something else" (2 each, form
        // order); move (1) is the fourth and not named.
        assert_eq!(named, [("housing", 4), ("school", 2), ("other", 2)]);
        // Wilson for 4 of 7: centre (0.5714 + 0.2744) / 1.5488 = 0.5461,
        // half-width 1.96 · √(0.03499 + 0.01960) / 1.5488 = 0.2957.
        let interval = overview.lacked[0].interval.unwrap();
        assert!((interval.low - 0.2504).abs() < 0.0005 && (interval.high - 0.8418).abs() < 0.0005, "{interval:?}");
        assert_close(overview.lacked[0].share, 4.0 / 7.0);
        assert!(overview.lacked.iter().all(|lacked| lacked.change.is_none()), "nothing compared");
        assert!(overview.areas.iter().all(|area| area.change.is_none()));
    }

    #[test]
    fn a_support_lacked_by_fewer_is_said_to_have_fallen_only_with_enough_answers() {
        let before = |housing: u64, responses: u64| {
            summarize(
                &questionnaire(),
                &tally(
                    responses,
                    &[("missing", "housing", housing), ("missing", "school", responses / 5)],
                    &[("missing", responses)],
                ),
            )
        };
        let now = before(30, 100);
        // 60 of 100, then 30 of 100: z = (0.30 − 0.01) / 0.0707 = 4.1.
        let fell = overview(&now, Some(&before(60, 100)));
        assert_eq!(fell.lacked[0].option_id, "housing");
        assert_eq!(fell.lacked[0].change, Some(Change::Fell));
        assert_eq!(fell.previous_responses, Some(Figure::Shown(100)));
        // 33 of 100 then 30 of 100: no clear change.
        assert_eq!(overview(&now, Some(&before(33, 100))).lacked[0].change, Some(Change::NoClearChange));
        // 4 of 6 before: too few to say.
        assert_eq!(overview(&now, Some(&before(4, 6))).lacked[0].change, Some(Change::TooFewToSay));
        // Not asked at all before (a withheld or missing figure): too few to say.
        let empty = summarize(&questionnaire(), &tally(0, &[], &[]));
        assert_eq!(overview(&now, Some(&empty)).lacked[0].change, Some(Change::TooFewToSay));
    }

    #[test]
    fn an_area_interval_is_computed_from_responses_not_answers() {
        // bemötande pools two questions: 10 answers to each is 20 answers
        // from 10 people, so the interval is that of 10, not 20.
        let answers = [
            ("respect", "yes_always", 8),
            ("respect", "no_never", 2),
            ("listened", "yes_always", 8),
            ("listened", "no_never", 2),
        ];
        let summary = summarize(&questionnaire(), &tally(10, &answers, &[("respect", 10), ("listened", 10)]));
        let area = overview(&summary, None).areas.into_iter().find(|area| area.area == Area::Bemotande).unwrap();
        assert_eq!(area.interval, wilson(8, 10));
    }
}
