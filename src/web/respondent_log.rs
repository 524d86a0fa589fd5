//! Failures on a respondent's path, told to the log once a day under the
//! date alone. A log line carries the moment it is written (enkat's own
//! stamp, and again journald's or whatever collects it): written while a
//! person answers, it would tell when they answered, finer than the coarse
//! date their response is stored under, to anyone who reads the logs. So a
//! failure there is only counted, and the counts, with the first error of
//! each kind, are logged once the day is over (or when the service stops).
//! Staff pages and background work log at once: no respondent's moment is
//! in those lines. `/readyz` still tells a load balancer at once that the
//! database does not answer.

use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use time::Date;

use crate::clock::Clock;

/// One kind of failure: how often, and the first error as it was told.
#[derive(Debug)]
struct Tally {
    count: u64,
    first: String,
}

/// Shared by every app in the process, as the log itself is.
static PENDING: Mutex<BTreeMap<&'static str, Tally>> = Mutex::new(BTreeMap::new());

/// Counts a failure on a respondent's path, to be logged after the day.
/// `what` says what failed, in the words of the log line to come.
pub fn note(what: &'static str, error: &dyn std::fmt::Display) {
    let mut pending = PENDING.lock().unwrap_or_else(PoisonError::into_inner);
    pending.entry(what).or_insert_with(|| Tally { count: 0, first: error.to_string() }).count += 1;
}

/// Logs, as having happened on `day`, every failure counted since the last
/// report, one line per kind, and forgets them; returns how many lines.
pub fn report(day: Date) -> usize {
    let pending = std::mem::take(&mut *PENDING.lock().unwrap_or_else(PoisonError::into_inner));
    for (what, tally) in &pending {
        tracing::error!(%day, count = tally.count, first_error = %tally.first, "{what}");
    }
    pending.len()
}

/// How often the service looks whether the day has changed.
const LOOK_EVERY: Duration = Duration::from_secs(10 * 60);

/// Reports each day's failures soon after the day is over, in the service's
/// time zone, for as long as the service runs.
pub fn spawn_daily_report(clock: Clock) {
    tokio::spawn(async move {
        let mut day = clock.today();
        loop {
            tokio::time::sleep(LOOK_EVERY).await;
            let today = clock.today();
            if today != day {
                report(day);
                day = today;
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn failures_are_counted_by_kind_and_reported_once() {
        // The only test in this crate that notes failures: the tally is global.
        report(date!(2026 - 12 - 2));
        note("a test failure", &"the first error");
        note("a test failure", &"a later error");
        note("another test failure", &"its error");
        {
            let pending = PENDING.lock().unwrap();
            let tally = &pending["a test failure"];
            assert_eq!((tally.count, tally.first.as_str()), (2, "the first error"));
        }
        assert_eq!(report(date!(2026 - 12 - 3)), 2, "one line per kind");
        assert_eq!(report(date!(2026 - 12 - 4)), 0, "reported failures are forgotten");
    }
}
