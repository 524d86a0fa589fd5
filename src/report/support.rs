//! Practical support: which support people received and which they lacked,
//! ranked, and compared option by option. The evidence for widening the
//! support Nexus gives.

use crate::questionnaire::{OTHER, Role};

use super::figure::{Figure, Suppression};
use super::summary::{OptionFigures, OptionKind, QuestionSummary, Summary};

/// Received and unmet practical support, from a [`Summary`].
#[derive(Debug, Clone, PartialEq)]
pub struct PracticalSupport {
    /// Every question with role received_support, in questionnaire order.
    pub received: Vec<SupportRanking>,
    /// Every question with role unmet_support, in questionnaire order.
    pub unmet: Vec<SupportRanking>,
    /// The first received-support question beside the first unmet-support
    /// question, when there are both.
    pub comparison: Option<SupportComparison>,
}

/// One support question's options, most chosen first.
#[derive(Debug, Clone, PartialEq)]
pub struct SupportRanking {
    pub question_id: String,
    /// The question in the default language.
    pub text: String,
    /// Responses that answered the question: what every share is of.
    pub respondents: Figure<u64>,
    /// Why the question's figures are withheld, if they are.
    pub suppressed: Option<Suppression>,
    /// The options, "something else" included, from most to least chosen
    /// (ties in form order; suppressed ones last).
    pub ranked: Vec<SupportLine>,
    /// Exclusive options such as "I got no practical support": reported,
    /// but not support, so not ranked.
    pub exclusive: Vec<SupportLine>,
}

/// One option of a support question.
#[derive(Debug, Clone, PartialEq)]
pub struct SupportLine {
    pub option_id: String,
    /// The option in the default language.
    pub label: String,
    pub count: Figure<u64>,
    /// Of the respondents who answered the question.
    pub share: Figure<f64>,
}

/// Received and missed support, one row per option both questions offer.
#[derive(Debug, Clone, PartialEq)]
pub struct SupportComparison {
    pub received_question_id: String,
    pub unmet_question_id: String,
    /// In the received-support question's option order.
    pub rows: Vec<SupportPair>,
}

/// One kind of support: how many got it, and how many lacked it.
#[derive(Debug, Clone, PartialEq)]
pub struct SupportPair {
    pub option_id: String,
    /// The option in the default language, as the received-support
    /// question words it.
    pub label: String,
    pub received: CountAndShare,
    pub missed: CountAndShare,
}

/// A count and its share of the question's respondents.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CountAndShare {
    pub count: Figure<u64>,
    pub share: Figure<f64>,
}

/// Rankings of received and unmet practical support and their comparison,
/// with the summary's small-group protection carried over unchanged.
pub fn practical_support(summary: &Summary) -> PracticalSupport {
    let with_role =
        |role: Role| summary.questions.iter().filter(move |question| question.role == Some(role)).map(ranking);
    let received: Vec<SupportRanking> = with_role(Role::ReceivedSupport).collect();
    let unmet: Vec<SupportRanking> = with_role(Role::UnmetSupport).collect();
    let first = |role: Role| summary.questions.iter().find(|question| question.role == Some(role));
    let comparison = match (first(Role::ReceivedSupport), first(Role::UnmetSupport)) {
        (Some(received), Some(unmet)) => Some(compare(received, unmet)),
        _ => None,
    };
    PracticalSupport { received, unmet, comparison }
}

fn ranking(question: &QuestionSummary) -> SupportRanking {
    let (exclusive, mut ranked): (Vec<&OptionFigures>, Vec<&OptionFigures>) = question
        .figures
        .options
        .iter()
        .partition(|option| matches!(option.kind, OptionKind::Choice { exclusive: true }));
    // A stable sort keeps form order among equal counts.
    ranked.sort_by(|a, b| match (a.count, b.count) {
        (Figure::Shown(a), Figure::Shown(b)) => b.cmp(&a),
        (Figure::Shown(_), Figure::Suppressed) => std::cmp::Ordering::Less,
        (Figure::Suppressed, Figure::Shown(_)) => std::cmp::Ordering::Greater,
        (Figure::Suppressed, Figure::Suppressed) => std::cmp::Ordering::Equal,
    });
    SupportRanking {
        question_id: question.id.clone(),
        text: question.text.clone(),
        respondents: question.figures.respondents,
        suppressed: question.figures.suppressed,
        ranked: ranked.into_iter().map(line).collect(),
        exclusive: exclusive.into_iter().map(line).collect(),
    }
}

fn line(option: &OptionFigures) -> SupportLine {
    let figures = count_and_share(option);
    SupportLine {
        option_id: option.id.clone(),
        label: option.label.clone(),
        count: figures.count,
        share: figures.share,
    }
}

fn count_and_share(option: &OptionFigures) -> CountAndShare {
    // Support questions are single or multi, whose options all have a share.
    CountAndShare { count: option.count, share: option.share.unwrap_or(Figure::Suppressed) }
}

/// Support options both questions offer, by id; exclusive answers ("none")
/// and "something else" are not kinds of support and are left out.
fn compare(received: &QuestionSummary, unmet: &QuestionSummary) -> SupportComparison {
    let is_support =
        |option: &&OptionFigures| matches!(option.kind, OptionKind::Choice { exclusive: false }) && option.id != OTHER;
    let rows = received
        .figures
        .options
        .iter()
        .filter(is_support)
        .filter_map(|got| {
            let lacked = unmet.figures.options.iter().filter(is_support).find(|lacked| lacked.id == got.id)?;
            Some(SupportPair {
                option_id: got.id.clone(),
                label: got.label.clone(),
                received: count_and_share(got),
                missed: count_and_share(lacked),
            })
        })
        .collect();
    SupportComparison { received_question_id: received.id.clone(), unmet_question_id: unmet.id.clone(), rows }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::{assert_close, questionnaire, ten_responses};
    use crate::report::summarize;

    fn support() -> PracticalSupport {
        practical_support(&summarize(&questionnaire(), &ten_responses()))
    }

    fn ranked(ranking: &SupportRanking) -> Vec<(&str, Figure<u64>)> {
        ranking.ranked.iter().map(|line| (line.option_id.as_str(), line.count)).collect()
    }

    #[test]
    fn unmet_support_is_ranked_from_most_to_least_lacked() {
        let support = support();
        let missing = &support.unmet[0];
        assert_eq!(missing.question_id, "missing");
        // housing 4, then school and "something else" tied at 2 (form order), move 1
        assert_eq!(
            ranked(missing),
            [
                ("housing", Figure::Shown(4)),
                ("school", Figure::Shown(2)),
                ("other", Figure::Shown(2)),
                ("move", Figure::Shown(1))
            ]
        );
        // shares of the 7 who answered: 4/7 = 0.5714, 2/7, 2/7, 1/7
        for (line, expected) in missing.ranked.iter().zip([4.0 / 7.0, 2.0 / 7.0, 2.0 / 7.0, 1.0 / 7.0]) {
            assert_close(line.share.shown().unwrap(), expected);
        }
        // "I got the support I needed" is reported but not ranked: 1/7
        assert_eq!(missing.exclusive.len(), 1);
        assert_eq!(
            (missing.exclusive[0].option_id.as_str(), missing.exclusive[0].count),
            ("none_missing", Figure::Shown(1))
        );
        assert_close(missing.exclusive[0].share.shown().unwrap(), 1.0 / 7.0);
        assert_eq!(missing.respondents, Figure::Shown(7));
    }

    #[test]
    fn received_support_is_ranked_too_and_none_is_set_apart() {
        let support = support();
        let received = &support.received[0];
        // move 5, housing 3, school 0 of 8 respondents; "none" (2) apart
        assert_eq!(
            ranked(received),
            [("move", Figure::Shown(5)), ("housing", Figure::Shown(3)), ("school", Figure::Shown(0))]
        );
        assert_eq!(received.exclusive[0].option_id, "none");
        assert_close(received.exclusive[0].share.shown().unwrap(), 2.0 / 8.0);
    }

    #[test]
    fn a_suppressed_support_question_keeps_its_options_in_form_order_and_last() {
        // With min_report_n 6, most_needed (n = 5) is suppressed.
        let summary = summarize(&crate::report::fixture::questionnaire_with_min(6), &ten_responses());
        let support = practical_support(&summary);
        let most_needed = support.unmet.iter().find(|ranking| ranking.question_id == "most_needed").unwrap();
        assert_eq!(most_needed.suppressed, Some(Suppression::TooFewAnswers));
        let ids: Vec<&str> = most_needed.ranked.iter().map(|line| line.option_id.as_str()).collect();
        assert_eq!(ids, ["move", "housing", "school", "other"]);
        assert!(most_needed.ranked.iter().all(|line| line.count.is_suppressed() && line.share.is_suppressed()));
    }

    #[test]
    fn received_and_missed_support_are_compared_option_by_option() {
        let support = support();
        let comparison = support.comparison.expect("the fixture has both roles");
        assert_eq!(
            (comparison.received_question_id.as_str(), comparison.unmet_question_id.as_str()),
            ("received", "missing")
        );
        let rows: Vec<(&str, Figure<u64>, Figure<u64>)> =
            comparison.rows.iter().map(|row| (row.option_id.as_str(), row.received.count, row.missed.count)).collect();
        // "none", "none_missing" and "something else" are not kinds of support
        assert_eq!(
            rows,
            [
                ("move", Figure::Shown(5), Figure::Shown(1)),
                ("housing", Figure::Shown(3), Figure::Shown(4)),
                ("school", Figure::Shown(0), Figure::Shown(2)),
            ]
        );
        // housing: received 3/8 = 0.375, missed 4/7 = 0.5714
        assert_close(comparison.rows[1].received.share.shown().unwrap(), 0.375);
        assert_close(comparison.rows[1].missed.share.shown().unwrap(), 4.0 / 7.0);
        assert_eq!(comparison.rows[1].label, "Kontakt med hyresvärd");
    }
}
