//! What day it is where the service runs. Opening and closing dates and the
//! stored (coarse) date of a response follow the service's time zone
//! (default Europe/Stockholm), not UTC: a survey that closes on 30 November
//! stays open until midnight in Uppsala.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use time::{Date, Month};

/// The service's clock: the real one, or a fixed moment for tests.
#[derive(Debug, Clone)]
pub struct Clock {
    time_zone: TimeZone,
    fixed: Option<Timestamp>,
}

/// A time zone name that the bundled time zone database does not know.
#[derive(Debug, thiserror::Error)]
#[error("unknown time zone `{0}`: use a name such as Europe/Stockholm")]
pub struct UnknownTimeZone(pub String);

impl Clock {
    /// The real clock in the named time zone.
    pub fn system(time_zone: &str) -> Result<Clock, UnknownTimeZone> {
        let time_zone = TimeZone::get(time_zone).map_err(|_| UnknownTimeZone(time_zone.to_owned()))?;
        Ok(Clock { time_zone, fixed: None })
    }

    /// The real clock in UTC, for commands that only stamp moments (staff
    /// accounts, API tokens, the audit log) and never need today's date.
    pub fn utc() -> Clock {
        Clock { time_zone: TimeZone::UTC, fixed: None }
    }

    /// A clock that always says `at`, for tests of dates and boundaries.
    pub fn fixed(at: Timestamp, time_zone: &str) -> Result<Clock, UnknownTimeZone> {
        Ok(Clock { fixed: Some(at), ..Clock::system(time_zone)? })
    }

    /// Now.
    pub fn now(&self) -> Timestamp {
        self.fixed.unwrap_or_else(Timestamp::now)
    }

    /// Now, as the `time` crate's instant (UTC), for stamps kept in the
    /// database: staff sessions, accounts, the audit log.
    pub fn now_utc(&self) -> time::OffsetDateTime {
        time::OffsetDateTime::from_unix_timestamp_nanos(self.now().as_nanosecond())
            .expect("jiff's timestamps are within time's range")
    }

    /// Today's date in the service's time zone.
    pub fn today(&self) -> Date {
        let local = self.time_zone.to_datetime(self.now()).date();
        let month = Month::try_from(u8::try_from(local.month()).unwrap_or(1)).unwrap_or(Month::January);
        Date::from_calendar_date(i32::from(local.year()), month, u8::try_from(local.day()).unwrap_or(1))
            .expect("a calendar date from the time zone database is valid")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_date_follows_the_service_time_zone() {
        // 23:30 UTC on 30 November is already 1 December in Stockholm.
        let late: Timestamp = "2026-11-30T23:30:00Z".parse().unwrap();
        assert_eq!(Clock::fixed(late, "Europe/Stockholm").unwrap().today(), date!(2026 - 12 - 01));
        assert_eq!(Clock::fixed(late, "UTC").unwrap().today(), date!(2026 - 11 - 30));
    }

    #[test]
    fn now_is_the_same_instant_in_both_crates() {
        let late: Timestamp = "2026-11-30T23:30:00.5Z".parse().unwrap();
        let clock = Clock::fixed(late, "Europe/Stockholm").unwrap();
        assert_eq!(clock.now_utc(), time::macros::datetime!(2026-11-30 23:30:00.5 UTC));
    }

    #[test]
    fn an_unknown_time_zone_is_refused() {
        assert!(Clock::system("Europe/Uppsala").is_err());
    }
}
