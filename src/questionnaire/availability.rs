//! Whether a questionnaire takes answers on a given day: `opens` and
//! `closes` are whole days, both inclusive, in the service's time zone.

use time::Date;

use super::Questionnaire;

/// Whether a questionnaire takes answers today, and if not, why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Availability {
    /// Answers are taken.
    Open,
    /// Not yet: the first day is still to come.
    NotYetOpen {
        /// The first day the survey takes answers.
        opens: Date,
    },
    /// No longer: the last day has passed.
    Closed {
        /// The last day the survey took answers.
        closed: Date,
    },
}

impl Questionnaire {
    /// Whether the questionnaire takes answers on `today` (a date in the
    /// service's time zone, from `Clock::today`).
    pub fn availability(&self, today: Date) -> Availability {
        match (self.opens, self.closes) {
            (Some(opens), _) if today < opens => Availability::NotYetOpen { opens },
            (_, Some(closed)) if today > closed => Availability::Closed { closed },
            _ => Availability::Open,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use time::macros::date;

    use super::*;
    use crate::questionnaire::parse;

    fn dated(opens: &str, closes: &str) -> Questionnaire {
        let source = format!(
            "id = \"dated\"\nlanguages = [\"sv\"]\n{opens}\n{closes}\ntitle = {{ sv = \"Datum\" }}\n\n\
             [[question]]\nid = \"comment\"\ntype = \"text\"\ntext = {{ sv = \"Något mer?\" }}\n"
        );
        parse(Path::new("dated.toml"), &source).expect("a valid questionnaire")
    }

    #[test]
    fn the_first_and_last_days_are_both_open() {
        let questionnaire = dated("opens = 2026-12-01", "closes = 2027-01-31");
        let cases = [
            (date!(2026 - 11 - 30), Availability::NotYetOpen { opens: date!(2026 - 12 - 01) }),
            (date!(2026 - 12 - 01), Availability::Open),
            (date!(2027 - 01 - 31), Availability::Open),
            (date!(2027 - 02 - 01), Availability::Closed { closed: date!(2027 - 01 - 31) }),
        ];
        for (today, expected) in cases {
            assert_eq!(questionnaire.availability(today), expected, "on {today}");
        }
    }

    #[test]
    fn without_dates_a_questionnaire_is_always_open() {
        let questionnaire = dated("", "");
        assert_eq!(questionnaire.availability(date!(1999 - 01 - 01)), Availability::Open);
    }
}
