//! Response rates that name no one: responses against the people asked.
//!
//! **The rule** (also in `docs/response-rate.md`). The rate of a closed
//! period, or of a range of closed periods, is
//!
//! > responses released for it ÷ people asked in it
//!
//! - *Responses released* are the response count the results page shows
//!   for the same periods (all languages and versions): the units of
//!   responses lying wholly inside them ([`Disclosure`]). Answers from a
//!   small group still waiting to be counted with a longer period are not in
//!   a month's figure; they count in the rate of the range (quarter, year)
//!   they are released in. So a rate never rests on fewer than
//!   `min_report_n` responses, and no two rates differ by fewer: it tells
//!   nothing the results page does not.
//! - *People asked*, for an open questionnaire, is what staff recorded as
//!   offered the survey in each period, added up over the range; every
//!   period of the range must have a number.
//! - *People asked*, for a coded questionnaire, is the codes **live during
//!   the range**: the codes of batches created on or before its last day,
//!   less those withdrawn when a batch was revoked (a revoked batch counts
//!   only its codes used before the revocation, which is all of it that was
//!   handed out), less the codes used in periods before the range began. A
//!   code can only be used once, so a code used in October is not asked
//!   again in November.
//!
//! A rate is only given for periods that have closed, when both numbers are
//! known and the responses figure is released ([`NoRate`] says why not).
//! More responses than people asked is said, never shown as a rate above
//! 100 %.

use std::collections::BTreeMap;

use time::Date;
use validator::Validate;

use super::Disclosure;
use super::period::{BadPeriod, Period, long_date};
use super::release::Scope;
use crate::questionnaire::Questionnaire;

/// The most people staff may record as offered one period.
pub const MAX_OFFERED: u64 = 100_000;

/// Who was asked to answer, per period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Asked {
    /// An open questionnaire: the number staff recorded as offered the
    /// survey, per period (periods without a number are missing).
    Offered(BTreeMap<Period, u64>),
    /// A coded questionnaire: its batches of codes.
    Codes(Vec<BatchCodes>),
}

/// One batch of codes, as the rate counts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchCodes {
    pub created_on: Date,
    /// Its codes less those withdrawn when it was revoked.
    pub handed_out: u64,
    /// Codes used in each closed period (the running period's uses are
    /// never known here).
    pub used: BTreeMap<Period, u64>,
}

impl Asked {
    /// How many were asked in the periods `from..=to`; `None` when that is
    /// not known: a period without a recorded number, or no codes at all.
    pub fn in_range(&self, from: Period, to: Period) -> Option<u64> {
        match self {
            Asked::Offered(offered) => {
                let mut sum = 0_u64;
                let mut period = from;
                while period <= to {
                    sum = sum.saturating_add(*offered.get(&period)?);
                    period = period.next();
                }
                Some(sum)
            }
            Asked::Codes(batches) => {
                let created: Vec<&BatchCodes> =
                    batches.iter().filter(|batch| batch.created_on <= to.last_day()).collect();
                if created.is_empty() {
                    return None;
                }
                let handed_out: u64 = created.iter().map(|batch| batch.handed_out).sum();
                let used_before: u64 = batches
                    .iter()
                    .flat_map(|batch| batch.used.iter())
                    .filter(|(period, _)| **period < from)
                    .map(|(_, used)| *used)
                    .sum();
                Some(handed_out.saturating_sub(used_before))
            }
        }
    }

    /// The first period anyone was asked in, if any.
    fn first_period(&self, kind: crate::questionnaire::ReportPeriod) -> Option<Period> {
        match self {
            Asked::Offered(offered) => offered.keys().next().copied(),
            Asked::Codes(batches) => batches.iter().map(|batch| Period::containing(kind, batch.created_on)).min(),
        }
    }
}

/// A response rate: `responses` of `asked`, never more.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub responses: u64,
    pub asked: u64,
}

impl Rate {
    /// The rate as a share from 0 to 1.
    pub fn share(self) -> f64 {
        self.responses as f64 / self.asked as f64
    }
}

/// Why a period (or range) has no rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoRate {
    /// It has not closed: its responses are not shown yet.
    Running,
    /// Nobody is known to have been asked: no offered count recorded for
    /// some period of it (open), or no codes created by its end (coded), or
    /// a recorded count of 0.
    NotOffered,
    /// No responses are released for it alone: fewer than `min_report_n`,
    /// or counted together with a longer period (zero is never told apart
    /// from a few).
    TooFew,
    /// More responses than people asked: a count recorded too low, or
    /// responses given without codes. Said instead of a rate above 100 %.
    MoreResponsesThanOffered { responses: u64, asked: u64 },
}

impl NoRate {
    /// The reason in Swedish, for a page.
    pub fn text(self) -> String {
        match self {
            NoRate::Running => "Perioden pågår: svaren visas när den har avslutats.".to_owned(),
            NoRate::NotOffered => "Antal erbjudna saknas.".to_owned(),
            NoRate::TooFew => "För få svar för att visa för perioden ensam.".to_owned(),
            NoRate::MoreResponsesThanOffered { responses, asked } => {
                format!("Fler svar ({responses}) än erbjudna ({asked}): kontrollera antalet erbjudna.")
            }
        }
    }
}

/// The rate of one period or range: what it rests on and the rate, or why
/// there is none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodRate {
    pub from: Period,
    pub to: Period,
    /// Responses released for exactly these periods (0 while running).
    pub responses: u64,
    /// People asked (offered, or codes live), when known.
    pub asked: Option<u64>,
    pub rate: Result<Rate, NoRate>,
}

/// The rate of `responses` released for `from..=to` against `asked`, with
/// `last_closed` the latest closed period. The checks, in order: not
/// closed, nobody known asked, more responses than asked, none released.
pub fn rate(from: Period, to: Period, responses: u64, asked: Option<u64>, last_closed: Period) -> PeriodRate {
    let rate = if to > last_closed {
        Err(NoRate::Running)
    } else {
        match asked {
            None | Some(0) if responses == 0 => Err(NoRate::NotOffered),
            None => Err(NoRate::NotOffered),
            Some(asked) if responses > asked => Err(NoRate::MoreResponsesThanOffered { responses, asked }),
            Some(_) if responses == 0 => Err(NoRate::TooFew),
            Some(asked) => Ok(Rate { responses, asked }),
        }
    };
    let responses = if to > last_closed { 0 } else { responses };
    PeriodRate { from, to, responses, asked, rate }
}

/// The responses the results page shows for `from..=to`, every language
/// and version together.
fn released_responses(disclosure: &Disclosure, from: Period, to: Period) -> u64 {
    disclosure.responses_in(&Scope { from, to, language: None, version: None, channel: None })
}

/// The rate of each period, oldest first: from the first period with a
/// response or anyone asked to the period still running (which has
/// [`NoRate::Running`]).
pub fn period_rates(disclosure: &Disclosure, asked: &Asked) -> Vec<PeriodRate> {
    let last_closed = disclosure.last_closed();
    let running = last_closed.next();
    let kind = last_closed.kind();
    // The period filter's first period (the first with any response, or
    // the last closed), or the first anyone was asked in, if earlier.
    let first_response = disclosure.periods().first().copied();
    let first = [first_response, asked.first_period(kind)].into_iter().flatten().min().unwrap_or(running);
    std::iter::successors(Some(first), |period| Some(period.next()))
        .take_while(|period| *period <= running)
        .map(|period| {
            let responses = if period <= last_closed { released_responses(disclosure, period, period) } else { 0 };
            rate(period, period, responses, asked.in_range(period, period), last_closed)
        })
        .collect()
}

/// The rate of the closed periods `from..=to` together: the responses
/// released for the whole range (which include small groups counted
/// together over its months) against everyone asked in it. A language or
/// version filter does not apply: people are asked, not languages.
pub fn range_rate(disclosure: &Disclosure, asked: &Asked, from: Period, to: Period) -> PeriodRate {
    let last_closed = disclosure.last_closed();
    let responses = if to <= last_closed { released_responses(disclosure, from, to) } else { 0 };
    rate(from, to, responses, asked.in_range(from, to), last_closed)
}

/// A number of people offered the survey in a period, as staff enter it,
/// checked: the period must be one of the questionnaire's and must have
/// begun; the number a whole number from 0 to [`MAX_OFFERED`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OfferedEntry {
    pub period: Period,
    pub offered: u64,
}

/// The number as typed, once it reads as a whole number.
#[derive(Debug, Validate)]
struct OfferedNumber {
    #[validate(range(max = "MAX_OFFERED"))]
    offered: u64,
}

/// Why an offered count cannot be recorded as entered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OfferedError {
    #[error(transparent)]
    Period(#[from] BadPeriod),
    /// The period has not begun.
    #[error("{} har inte börjat än. Ange antal erbjudna för en period som har avslutats eller pågår.", capitalised(.0))]
    Future(String),
    #[error("Antal erbjudna ska vara ett heltal från 0 till 100 000.")]
    Count,
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

impl OfferedEntry {
    /// Checks a period id and a number as typed, for `questionnaire` on
    /// `today`: every problem, in the order of the form's fields.
    pub fn parse(
        questionnaire: &Questionnaire,
        period: &str,
        offered: &str,
        today: Date,
    ) -> Result<OfferedEntry, Vec<OfferedError>> {
        let mut problems = Vec::new();
        let period = match Period::parse(questionnaire.report_period, period) {
            Ok(period) if period.first_day() > today => {
                problems.push(OfferedError::Future(format!(
                    "{} (från {})",
                    period.label(),
                    long_date(period.first_day())
                )));
                None
            }
            Ok(period) => Some(period),
            Err(error) => {
                problems.push(error.into());
                None
            }
        };
        // Spaces (and no-break spaces) group thousands in Swedish ("1 200");
        // anything else that is not a whole number is refused like one out
        // of range, whose bound is the validator's.
        let digits: String = offered.chars().filter(|c| !c.is_whitespace()).collect();
        let offered = digits
            .parse::<u64>()
            .ok()
            .filter(|_| !digits.starts_with('+'))
            .filter(|&offered| OfferedNumber { offered }.validate().is_ok());
        if offered.is_none() {
            problems.push(OfferedError::Count);
        }
        match (period, offered) {
            (Some(period), Some(offered)) => Ok(OfferedEntry { period, offered }),
            _ => Err(problems),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::ReportPeriod;
    use crate::report::release::{CellRow, Stream};
    use crate::report::{GroupCount, Tally};
    use time::macros::date;

    fn month(id: &str) -> Period {
        Period::parse(ReportPeriod::Month, id).unwrap()
    }

    #[test]
    fn a_closed_period_with_released_responses_and_a_count_has_a_rate() {
        // 30 of 120 offered: a quarter.
        let result = rate(month("2026-10"), month("2026-10"), 30, Some(120), month("2026-11"));
        assert_eq!(result.rate, Ok(Rate { responses: 30, asked: 120 }));
        assert!((result.rate.unwrap().share() - 0.25).abs() < 1e-12);
        // Every one of them answered: 100 %, no more.
        assert_eq!(rate(month("2026-10"), month("2026-10"), 8, Some(8), month("2026-10")).rate.unwrap().share(), 1.0);
    }

    #[test]
    fn no_rate_says_why() {
        let closed = month("2026-11");
        let case = |to: &str, responses, asked| rate(month("2026-10"), month(to), responses, asked, closed).rate;
        assert_eq!(case("2026-12", 30, Some(100)), Err(NoRate::Running), "December has not closed");
        assert_eq!(case("2026-11", 30, None), Err(NoRate::NotOffered));
        assert_eq!(case("2026-11", 0, Some(0)), Err(NoRate::NotOffered), "nobody offered, nobody answered");
        assert_eq!(case("2026-11", 0, Some(100)), Err(NoRate::TooFew), "zero released is never told from a few");
        assert_eq!(
            case("2026-11", 12, Some(10)),
            Err(NoRate::MoreResponsesThanOffered { responses: 12, asked: 10 }),
            "never 120 %"
        );
        assert_eq!(case("2026-11", 5, Some(0)), Err(NoRate::MoreResponsesThanOffered { responses: 5, asked: 0 }));
        // A running period shows no responses either.
        assert_eq!(rate(month("2026-12"), month("2026-12"), 7, Some(10), closed).responses, 0);
    }

    #[test]
    fn offered_counts_add_up_over_a_range_only_when_every_period_has_one() {
        let asked =
            Asked::Offered(BTreeMap::from([(month("2026-01"), 40), (month("2026-02"), 35), (month("2026-04"), 50)]));
        assert_eq!(asked.in_range(month("2026-01"), month("2026-02")), Some(75));
        assert_eq!(asked.in_range(month("2026-01"), month("2026-04")), None, "March has no count");
        assert_eq!(asked.in_range(month("2026-04"), month("2026-04")), Some(50));
    }

    #[test]
    fn codes_are_asked_while_live_from_their_batch_to_their_use() {
        // Batch A: 40 codes, 1 October; 12 used in October, 8 in November.
        // Batch B: 20 codes, 20 November, revoked with 15 unused: 5 handed out.
        let asked = Asked::Codes(vec![
            BatchCodes {
                created_on: date!(2026 - 10 - 01),
                handed_out: 40,
                used: BTreeMap::from([(month("2026-10"), 12), (month("2026-11"), 8)]),
            },
            BatchCodes {
                created_on: date!(2026 - 11 - 20),
                handed_out: 5,
                used: BTreeMap::from([(month("2026-11"), 5)]),
            },
        ]);
        assert_eq!(asked.in_range(month("2026-09"), month("2026-09")), None, "no codes yet");
        assert_eq!(asked.in_range(month("2026-10"), month("2026-10")), Some(40));
        // November: 40 + 5 created by its end, less October's 12 used.
        assert_eq!(asked.in_range(month("2026-11"), month("2026-11")), Some(33));
        // October and November together: every code, none used before.
        assert_eq!(asked.in_range(month("2026-10"), month("2026-11")), Some(45));
        // 12 of 40 in October is 30 %; 13 of 33 in November is 39.4 %.
        let october = rate(month("2026-10"), month("2026-10"), 12, Some(40), month("2026-11")).rate.unwrap();
        assert!((october.share() - 0.3).abs() < 1e-12);
        let november = rate(month("2026-11"), month("2026-11"), 13, Some(33), month("2026-11")).rate.unwrap();
        assert!((november.share() - 13.0 / 33.0).abs() < 1e-12);
    }

    /// Responses per (language, day) as the store counts them.
    fn rows(questionnaire: &Questionnaire, counts: &[(&str, Date, u64)]) -> Vec<CellRow> {
        counts
            .iter()
            .map(|(language, day, count)| {
                let tally = Tally { responses: vec![GroupCount { group: None, count: *count }], ..Default::default() };
                let stream = Stream {
                    version: questionnaire.version.as_str().to_owned(),
                    language: (*language).to_owned(),
                    channel: "web".to_owned(),
                };
                (stream, *day, tally)
            })
            .collect()
    }

    #[test]
    fn a_month_counts_its_own_units_and_a_range_counts_the_small_groups_put_together_in_it() {
        let questionnaire = questionnaire();
        // Swedish: 6, 7 and 5 in January to March, each a unit of its own.
        // Arabic: 2 in January and 3 in February, put together in the
        // first quarter (5). Offered: 20, 20, 10.
        let counts = [
            ("sv", date!(2026 - 01 - 05), 6),
            ("ar", date!(2026 - 01 - 12), 2),
            ("sv", date!(2026 - 02 - 02), 7),
            ("ar", date!(2026 - 02 - 09), 3),
            ("sv", date!(2026 - 03 - 02), 5),
        ];
        // Wednesday 15 April: the first quarter has closed, April runs.
        let disclosure =
            Disclosure::new(&questionnaire, date!(2026 - 04 - 15), rows(&questionnaire, &counts), &[], None);
        let asked =
            Asked::Offered(BTreeMap::from([(month("2026-01"), 20), (month("2026-02"), 20), (month("2026-03"), 10)]));
        let rates: Vec<(String, Result<Rate, NoRate>)> =
            period_rates(&disclosure, &asked).into_iter().map(|rate| (rate.from.to_string(), rate.rate)).collect();
        assert_eq!(
            rates,
            [
                ("2026-01".to_owned(), Ok(Rate { responses: 6, asked: 20 })), // 30 %
                ("2026-02".to_owned(), Ok(Rate { responses: 7, asked: 20 })), // 35 %
                ("2026-03".to_owned(), Ok(Rate { responses: 5, asked: 10 })), // 50 %
                ("2026-04".to_owned(), Err(NoRate::Running)),
            ]
        );
        // The quarter: 6 + 7 + 5 Swedish and the 5 Arabic, of 50: 46 %.
        let quarter = range_rate(&disclosure, &asked, month("2026-01"), month("2026-03"));
        assert_eq!(quarter.rate, Ok(Rate { responses: 23, asked: 50 }));
        // January and February hold the Arabic unit whole: 18 of 40.
        let two = range_rate(&disclosure, &asked, month("2026-01"), month("2026-02"));
        assert_eq!(two.rate, Ok(Rate { responses: 18, asked: 40 }));
        // February and March cut it: only the Swedish 12 of 30.
        let cut = range_rate(&disclosure, &asked, month("2026-02"), month("2026-03"));
        assert_eq!(cut.rate, Ok(Rate { responses: 12, asked: 30 }));
    }

    fn questionnaire() -> Questionnaire {
        crate::questionnaire::parse(
            std::path::Path::new("small.toml"),
            include_str!("../../tests/fixtures/small/v.toml"),
        )
        .expect("the fixture loads")
    }

    #[test]
    fn an_offered_count_is_a_whole_number_for_a_period_that_has_begun() {
        let questionnaire = questionnaire();
        assert_eq!(questionnaire.report_period, ReportPeriod::Month);
        let today = date!(2026 - 12 - 03);
        let entry = OfferedEntry::parse(&questionnaire, "2026-11", "1 200", today).unwrap();
        assert_eq!((entry.period, entry.offered), (month("2026-11"), 1200));
        assert_eq!(OfferedEntry::parse(&questionnaire, "2026-12", "0", today).unwrap().offered, 0, "running");
        assert_eq!(OfferedEntry::parse(&questionnaire, "2026-11", "100000", today).unwrap().offered, 100_000);
        for bad in ["100001", "-1", "12,5", "", "tolv", "+3"] {
            assert_eq!(
                OfferedEntry::parse(&questionnaire, "2026-11", bad, today),
                Err(vec![OfferedError::Count]),
                "{bad}"
            );
        }
        let problems = OfferedEntry::parse(&questionnaire, "2027-01", "x", today).unwrap_err();
        assert_eq!(problems.len(), 2);
        assert_eq!(
            problems[0].to_string(),
            "Januari 2027 (från 1 januari 2027) har inte börjat än. Ange antal erbjudna för en period som har avslutats eller pågår."
        );
        let problems = OfferedEntry::parse(&questionnaire, "november", "10", today).unwrap_err();
        assert_eq!(
            problems[0].to_string(),
            "\u{201d}november\u{201d} är ingen period: skriv år och månad, till exempel 2026-11"
        );
    }
}
