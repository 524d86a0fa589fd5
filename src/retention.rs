//! How long responses are kept. Personal data must not be kept longer than
//! it is needed (GDPR art. 5.1 e), so an operator sets a retention period and
//! older responses are deleted: by `enkat purge`, or daily by `enkat serve`.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use jiff::Span;
use time::{Date, Month};

use crate::clock::Clock;
use crate::store::Store;

/// A retention period in whole days, weeks, months or years, such as `3y`,
/// `18 months` or `90d`.
#[derive(Debug, Clone, Copy)]
pub struct RetentionPeriod(Span);

/// A retention period that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum PeriodError {
    #[error("`{0}` is not a period: write it as 3y, 18 months or 90d")]
    Unreadable(String),
    #[error("`{0}`: a retention period is whole years, months, weeks or days, not hours or less")]
    TooFine(String),
    #[error("`{0}`: a retention period must be at least one day")]
    NotPositive(String),
}

impl FromStr for RetentionPeriod {
    type Err = PeriodError;

    fn from_str(text: &str) -> Result<RetentionPeriod, PeriodError> {
        let span: Span = text.trim().parse().map_err(|_| PeriodError::Unreadable(text.to_owned()))?;
        let finer = span.get_hours() != 0
            || span.get_minutes() != 0
            || span.get_seconds() != 0
            || span.get_milliseconds() != 0
            || span.get_microseconds() != 0
            || span.get_nanoseconds() != 0;
        if finer {
            return Err(PeriodError::TooFine(text.to_owned()));
        }
        if !span.is_positive() {
            return Err(PeriodError::NotPositive(text.to_owned()));
        }
        Ok(RetentionPeriod(span))
    }
}

impl fmt::Display for RetentionPeriod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:#}", self.0)
    }
}

impl RetentionPeriod {
    /// The first day that is kept: responses dated before it are deleted.
    ///
    /// Stored dates are coarse (the start of a week or month), never later
    /// than the real day, so a response may go up to a month early, never late.
    pub fn first_day_kept(&self, today: Date) -> Date {
        let today = jiff::civil::date(today.year() as i16, u8::from(today.month()) as i8, today.day() as i8);
        // A period beyond the calendar (10,000 years) keeps everything.
        let first = today.checked_sub(self.0).unwrap_or(jiff::civil::Date::MIN);
        let month = Month::try_from(first.month() as u8).unwrap_or(Month::January);
        Date::from_calendar_date(i32::from(first.year()), month, first.day() as u8).unwrap_or(Date::MIN)
    }
}

/// Deletes responses older than `period` when the service starts and then
/// once a day, for as long as it runs. A failure is logged and tried again
/// the next day; the log line holds counts only.
pub fn spawn_daily_purge(store: Store, clock: Clock, period: RetentionPeriod) {
    tokio::spawn(async move {
        let mut daily = tokio::time::interval(Duration::from_secs(24 * 60 * 60));
        loop {
            // The first tick is immediate: old responses go when the service starts.
            daily.tick().await;
            let first_kept = period.first_day_kept(clock.today());
            match store.delete_responses_before(first_kept).await {
                Ok(deleted) => tracing::info!(deleted, %period, "responses older than the retention period deleted"),
                Err(error) => tracing::warn!(%error, "old responses could not be deleted; trying again tomorrow"),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn periods_are_read_in_calendar_units() {
        let today = date!(2026 - 11 - 27);
        let first_kept = |text: &str| text.parse::<RetentionPeriod>().unwrap().first_day_kept(today);
        assert_eq!(first_kept("3y"), date!(2023 - 11 - 27));
        assert_eq!(first_kept("3 years"), date!(2023 - 11 - 27));
        assert_eq!(first_kept("18 months"), date!(2025 - 05 - 27));
        assert_eq!(first_kept("90d"), date!(2026 - 08 - 29));
        assert_eq!(first_kept("P2W"), date!(2026 - 11 - 13), "ISO 8601 is read too");
        // 29 February minus a year is the last day of February.
        let leap = "1y".parse::<RetentionPeriod>().unwrap().first_day_kept(date!(2028 - 02 - 29));
        assert_eq!(leap, date!(2027 - 02 - 28));
    }

    #[test]
    fn unusable_periods_are_refused_with_the_reason() {
        for (text, reason) in [
            ("three years", "is not a period"),
            ("", "is not a period"),
            ("12h", "not hours or less"),
            ("1d 2h", "not hours or less"),
            ("0d", "at least one day"),
            ("-1y", "at least one day"),
        ] {
            let error = text.parse::<RetentionPeriod>().unwrap_err().to_string();
            assert!(error.contains(reason), "{text}: {error}");
        }
    }
}
