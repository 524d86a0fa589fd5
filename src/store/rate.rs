//! Response rates: the numbers staff recorded as offered an open
//! questionnaire, and the one entry point for a questionnaire's rates
//! (`report::rate` has the rule).

use std::collections::BTreeMap;

use time::Date;

use super::{Store, StoreError};
use crate::questionnaire::{Access, Questionnaire};
use crate::report::Disclosure;
use crate::report::period::Period;
use crate::report::rate::{self, Asked, BatchCodes, PeriodRate};

const RECORD_OFFERED: &str = "INSERT INTO offered_count (questionnaire_id, period, offered) VALUES ($1, $2, $3) \
     ON CONFLICT (questionnaire_id, period) DO UPDATE SET offered = excluded.offered";
const SELECT_OFFERED: &str = "SELECT period, offered FROM offered_count WHERE questionnaire_id = $1";

/// A questionnaire's response rates on one day: each period's, and a way
/// to the rate of any range of closed periods.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseRates {
    /// Who was asked: offered counts (open) or batches of codes (coded).
    pub asked: Asked,
    /// Each period's rate, oldest first, up to the period still running.
    pub periods: Vec<PeriodRate>,
}

impl ResponseRates {
    /// The rate of the closed periods `from..=to` together (the results
    /// page's chosen periods: `scope.from`, `scope.to`), from the same
    /// `disclosure` the rates were read with.
    pub fn range(&self, disclosure: &Disclosure, from: Period, to: Period) -> PeriodRate {
        rate::range_rate(disclosure, &self.asked, from, to)
    }
}

impl Store {
    /// Records that `offered` people were offered the questionnaire in
    /// `period`, replacing any number recorded for it before.
    pub async fn record_offered(&self, questionnaire_id: &str, period: Period, offered: u64) -> Result<(), StoreError> {
        let offered = i64::try_from(offered).unwrap_or(i64::MAX);
        on_pool!(self, pool => {
            sqlx::query(RECORD_OFFERED).bind(questionnaire_id).bind(period.to_string()).bind(offered).execute(pool).await?;
        });
        Ok(())
    }

    /// The numbers recorded as offered, per period of the questionnaire's
    /// `report_period` (a period of another kind cannot be read and is
    /// left out).
    pub async fn offered_counts(&self, questionnaire: &Questionnaire) -> Result<BTreeMap<Period, u64>, StoreError> {
        let rows: Vec<(String, i64)> = on_pool!(self, pool => {
            sqlx::query_as(SELECT_OFFERED).bind(&questionnaire.id).fetch_all(pool).await?
        });
        Ok(rows
            .into_iter()
            .filter_map(|(period, offered)| {
                let period = Period::parse(questionnaire.report_period, &period).ok()?;
                Some((period, u64::try_from(offered).unwrap_or(0)))
            })
            .collect())
    }

    /// Who was asked to answer the questionnaire, as known on `today`: the
    /// offered counts of an open questionnaire, or the batches of a coded
    /// one with their uses in closed periods.
    pub async fn asked(&self, questionnaire: &Questionnaire, today: Date) -> Result<Asked, StoreError> {
        Ok(match questionnaire.access {
            Access::Open => Asked::Offered(self.offered_counts(questionnaire).await?),
            Access::Code => Asked::Codes(
                self.code_batches(questionnaire, today)
                    .await?
                    .into_iter()
                    .map(|batch| BatchCodes {
                        created_on: batch.created_on,
                        handed_out: u64::try_from(batch.size - batch.withdrawn).unwrap_or(0),
                        used: batch
                            .used
                            .into_iter()
                            .map(|(period, used)| (period, u64::try_from(used).unwrap_or(0)))
                            .collect(),
                    })
                    .collect(),
            ),
        })
    }

    /// The questionnaire's response rates on `today`, for the results page
    /// and the report: each period's rate (or why it has none), and
    /// `ResponseRates::range` for the periods chosen. `disclosure` is the
    /// page's own (`Store::disclosure` for the same questionnaire and day),
    /// so a rate rests on exactly the responses the page shows.
    pub async fn response_rates(
        &self,
        questionnaire: &Questionnaire,
        disclosure: &Disclosure<'_>,
        today: Date,
    ) -> Result<ResponseRates, StoreError> {
        let asked = self.asked(questionnaire, today).await?;
        let periods = rate::period_rates(disclosure, &asked);
        Ok(ResponseRates { asked, periods })
    }
}
