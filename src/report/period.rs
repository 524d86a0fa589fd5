//! Reporting periods: calendar months, quarters, half-years and years.
//!
//! Figures only ever cover whole periods that have *closed*: no response
//! given from today on can still be stored with a date inside them. With
//! dates stored as the Monday of the week, a response on Wednesday 2
//! December is stored as Monday 30 November, so November closes only when
//! the week of 30 November is over. A figure once shown therefore never
//! changes, and no one can learn of a single response by downloading the
//! same figures before and after it arrived.

use std::fmt;

use time::{Date, Duration, Month};

use crate::questionnaire::{DatePrecision, ReportPeriod};

/// One calendar period of a kind: `2026-11`, `2026-Q4`, `2026-H2`, `2026`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    kind: ReportPeriod,
    year: i32,
    /// 1-based: the month, quarter or half-year; always 1 for a year.
    index: u8,
}

/// A period id that could not be read, with what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\u{201d}{given}\u{201d} är ingen period: skriv {expected}")]
pub struct BadPeriod {
    pub given: String,
    pub expected: &'static str,
}

impl Period {
    /// The period of `kind` that `date` falls in.
    pub fn containing(kind: ReportPeriod, date: Date) -> Period {
        let month = u8::from(date.month());
        let index = match kind {
            ReportPeriod::Month => month,
            ReportPeriod::Quarter => (month - 1) / 3 + 1,
            ReportPeriod::HalfYear => (month - 1) / 6 + 1,
            ReportPeriod::Year => 1,
        };
        Period { kind, year: date.year(), index }
    }

    pub fn kind(self) -> ReportPeriod {
        self.kind
    }

    fn months(self) -> u8 {
        match self.kind {
            ReportPeriod::Month => 1,
            ReportPeriod::Quarter => 3,
            ReportPeriod::HalfYear => 6,
            ReportPeriod::Year => 12,
        }
    }

    fn first_month(self) -> Month {
        Month::try_from((self.index - 1) * self.months() + 1).expect("a period starts in a month of its year")
    }

    /// The period's first day.
    pub fn first_day(self) -> Date {
        Date::from_calendar_date(self.year, self.first_month(), 1).expect("the first of a month is a date")
    }

    /// The period's last day.
    pub fn last_day(self) -> Date {
        self.next().first_day() - Duration::days(1)
    }

    /// The period after this one.
    pub fn next(self) -> Period {
        let count = 12 / self.months();
        if self.index == count {
            Period { year: self.year + 1, index: 1, ..self }
        } else {
            Period { index: self.index + 1, ..self }
        }
    }

    /// The period before this one.
    pub fn previous(self) -> Period {
        if self.index == 1 {
            Period { year: self.year - 1, index: 12 / self.months(), ..self }
        } else {
            Period { index: self.index - 1, ..self }
        }
    }

    /// The next longer period this one lies in (month → quarter → half-year
    /// → year); `None` for a year.
    pub fn parent(self) -> Option<Period> {
        let longer = match self.kind {
            ReportPeriod::Month => ReportPeriod::Quarter,
            ReportPeriod::Quarter => ReportPeriod::HalfYear,
            ReportPeriod::HalfYear => ReportPeriod::Year,
            ReportPeriod::Year => return None,
        };
        Some(Period::containing(longer, self.first_day()))
    }

    /// Reads an id as [`Period`]'s `Display` writes it, for a period of `kind`.
    pub fn parse(kind: ReportPeriod, text: &str) -> Result<Period, BadPeriod> {
        let expected = match kind {
            ReportPeriod::Month => "år och månad, till exempel 2026-11",
            ReportPeriod::Quarter => "år och kvartal, till exempel 2026-Q4",
            ReportPeriod::HalfYear => "år och halvår, till exempel 2026-H2",
            ReportPeriod::Year => "ett år, till exempel 2026",
        };
        let bad = || BadPeriod { given: text.to_owned(), expected };
        let text = text.trim();
        let (year, rest) = match text.split_once('-') {
            Some((year, rest)) => (year, Some(rest)),
            None => (text, None),
        };
        if year.len() != 4 || !year.bytes().all(|byte| byte.is_ascii_digit()) {
            return Err(bad());
        }
        let year: i32 = year.parse().map_err(|_| bad())?;
        let index: u8 = match (kind, rest) {
            (ReportPeriod::Year, None) => 1,
            (ReportPeriod::Month, Some(month)) if month.len() == 2 => month.parse().map_err(|_| bad())?,
            (ReportPeriod::Quarter, Some(quarter)) => {
                quarter.strip_prefix(['Q', 'q']).and_then(|n| n.parse().ok()).ok_or_else(bad)?
            }
            (ReportPeriod::HalfYear, Some(half)) => {
                half.strip_prefix(['H', 'h']).and_then(|n| n.parse().ok()).ok_or_else(bad)?
            }
            _ => return Err(bad()),
        };
        let period = Period { kind, year, index };
        if index == 0 || index > 12 / period.months() {
            return Err(bad());
        }
        Ok(period)
    }

    /// The period in words, in Swedish: "november 2026", "kvartal 4 2026".
    pub fn label(self) -> String {
        match self.kind {
            ReportPeriod::Month => format!("{} {}", MONTHS[usize::from(self.index - 1)], self.year),
            ReportPeriod::Quarter => format!("kvartal {} {}", self.index, self.year),
            ReportPeriod::HalfYear if self.index == 1 => format!("första halvåret {}", self.year),
            ReportPeriod::HalfYear => format!("andra halvåret {}", self.year),
            ReportPeriod::Year => self.year.to_string(),
        }
    }
}

/// The months in Swedish, as written inside a sentence.
const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
];

/// A day in words, in Swedish: "7 januari 2027".
pub fn long_date(date: Date) -> String {
    format!("{} {} {}", date.day(), MONTHS[usize::from(u8::from(date.month()) - 1)], date.year())
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            ReportPeriod::Month => write!(f, "{}-{:02}", self.year, self.index),
            ReportPeriod::Quarter => write!(f, "{}-Q{}", self.year, self.index),
            ReportPeriod::HalfYear => write!(f, "{}-H{}", self.year, self.index),
            ReportPeriod::Year => write!(f, "{}", self.year),
        }
    }
}

/// The latest period of `kind` that has closed on `today`: every response
/// still to come is stored with a date after its last day.
pub fn last_closed(kind: ReportPeriod, precision: DatePrecision, today: Date) -> Period {
    Period::containing(kind, precision.coarsen(today)).previous()
}

/// The day `period` closes: the first day whose responses are stored with a
/// date after it (for dates stored as the week's Monday, the Monday after
/// the week its last day is in).
pub fn closes_on(period: Period, precision: DatePrecision) -> Date {
    let mut day = period.last_day() + Duration::days(1);
    while precision.coarsen(day) <= period.last_day() {
        day += Duration::days(1);
    }
    day
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_period_is_found_from_any_of_its_days_and_knows_its_bounds() {
        let november = Period::containing(ReportPeriod::Month, date!(2026 - 11 - 17));
        assert_eq!((november.first_day(), november.last_day()), (date!(2026 - 11 - 01), date!(2026 - 11 - 30)));
        let q4 = Period::containing(ReportPeriod::Quarter, date!(2026 - 11 - 17));
        assert_eq!((q4.first_day(), q4.last_day()), (date!(2026 - 10 - 01), date!(2026 - 12 - 31)));
        let h1 = Period::containing(ReportPeriod::HalfYear, date!(2028 - 02 - 29));
        assert_eq!((h1.first_day(), h1.last_day()), (date!(2028 - 01 - 01), date!(2028 - 06 - 30)));
        let year = Period::containing(ReportPeriod::Year, date!(2026 - 11 - 17));
        assert_eq!((year.first_day(), year.last_day()), (date!(2026 - 01 - 01), date!(2026 - 12 - 31)));
    }

    #[test]
    fn periods_follow_each_other_across_years() {
        let december = Period::containing(ReportPeriod::Month, date!(2026 - 12 - 05));
        assert_eq!(december.next().to_string(), "2027-01");
        assert_eq!(december.next().previous(), december);
        let q1 = Period::containing(ReportPeriod::Quarter, date!(2027 - 01 - 05));
        assert_eq!(q1.previous().to_string(), "2026-Q4");
        assert_eq!(december.parent().map(|p| p.to_string()), Some("2026-Q4".into()));
        assert_eq!(december.parent().and_then(Period::parent).map(|p| p.to_string()), Some("2026-H2".into()));
        assert_eq!(Period::containing(ReportPeriod::Year, date!(2026 - 12 - 05)).parent(), None);
    }

    #[test]
    fn ids_are_read_back_and_anything_else_is_refused_with_an_example() {
        for (kind, id) in [
            (ReportPeriod::Month, "2026-11"),
            (ReportPeriod::Quarter, "2026-Q4"),
            (ReportPeriod::HalfYear, "2026-H2"),
            (ReportPeriod::Year, "2026"),
        ] {
            assert_eq!(Period::parse(kind, id).unwrap().to_string(), id);
        }
        for bad in ["2026-13", "2026-00", "2026-1", "2026-11-01", "26-11", "2026", "november", ""] {
            let error = Period::parse(ReportPeriod::Month, bad).unwrap_err();
            assert_eq!(error.expected, "år och månad, till exempel 2026-11", "{bad}");
        }
        assert!(Period::parse(ReportPeriod::Quarter, "2026-Q5").is_err());
        assert!(Period::parse(ReportPeriod::Year, "2026-11").is_err());
    }

    #[test]
    fn a_period_closes_when_no_new_response_can_be_stored_in_it() {
        // Monday 30 November 2026 is the stored date of the whole week up to
        // Sunday 6 December: November closes on Monday 7 December.
        let november = Period::containing(ReportPeriod::Month, date!(2026 - 11 - 01));
        assert_eq!(closes_on(november, DatePrecision::Week), date!(2026 - 12 - 07));
        assert_eq!(closes_on(november, DatePrecision::Day), date!(2026 - 12 - 01));
        assert_eq!(closes_on(november, DatePrecision::Month), date!(2026 - 12 - 01));
        assert_eq!(last_closed(ReportPeriod::Month, DatePrecision::Week, date!(2026 - 12 - 06)).to_string(), "2026-10");
        assert_eq!(last_closed(ReportPeriod::Month, DatePrecision::Week, date!(2026 - 12 - 07)).to_string(), "2026-11");
        assert_eq!(last_closed(ReportPeriod::Month, DatePrecision::Day, date!(2026 - 12 - 01)).to_string(), "2026-11");
        // Whatever the day, a period has closed exactly when it is before the
        // last closed one or is it.
        let mut day = date!(2026 - 01 - 01);
        while day < date!(2028 - 01 - 01) {
            for precision in [DatePrecision::Day, DatePrecision::Week, DatePrecision::Month] {
                let last = last_closed(ReportPeriod::Month, precision, day);
                assert!(closes_on(last, precision) <= day && closes_on(last.next(), precision) > day, "{day}");
            }
            day += Duration::days(1);
        }
    }

    #[test]
    fn labels_are_swedish_words() {
        let labels: Vec<String> =
            [ReportPeriod::Month, ReportPeriod::Quarter, ReportPeriod::HalfYear, ReportPeriod::Year]
                .into_iter()
                .map(|kind| Period::containing(kind, date!(2026 - 11 - 17)).label())
                .collect();
        assert_eq!(labels, ["november 2026", "kvartal 4 2026", "andra halvåret 2026", "2026"]);
        assert_eq!(long_date(date!(2027 - 01 - 07)), "7 januari 2027");
    }
}
