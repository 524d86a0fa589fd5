//! "Vad vi gör nu": what the unit does with a closed period's results, in a
//! few sentences staff write for the committee's report (and, with
//! `publish_results`, for the people who answered). Only for a closed
//! period: a note on figures nobody can see yet would answer nothing.

use time::Date;
use validator::Validate;

use super::period::{BadPeriod, Period, closes_on, last_closed, long_date};
use crate::questionnaire::Questionnaire;

/// The longest note, in characters: a few paragraphs, which a report and a
/// respondent's phone screen can both hold.
pub const MAX_NOTE_CHARS: u64 = 2000;

/// A note checked for one closed period, ready to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodNote {
    pub period: Period,
    /// Trimmed, with line breaks as `\n`; empty takes the note away.
    pub text: String,
}

/// The text as typed, once its line breaks are plain.
#[derive(Debug, Validate)]
struct NoteText<'a> {
    #[validate(length(max = "MAX_NOTE_CHARS"))]
    text: &'a str,
}

/// Why a note cannot be stored as entered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoteError {
    #[error(transparent)]
    Period(#[from] BadPeriod),
    /// The period has not closed: its figures are not shown yet.
    #[error(
        "{period} har inte avslutats än. Skriv vad ni gör för en period som har avslutats; den visas från {opens}."
    )]
    NotClosed { period: String, opens: String },
    #[error("Texten har {length} tecken. Den får ha högst 2 000 tecken.")]
    TooLong { length: usize },
}

impl PeriodNote {
    /// Checks a period id and a text as typed, for `questionnaire` on
    /// `today`: every problem, in the order of the form's fields.
    pub fn parse(
        questionnaire: &Questionnaire,
        period: &str,
        text: &str,
        today: Date,
    ) -> Result<PeriodNote, Vec<NoteError>> {
        let mut problems = Vec::new();
        let closed = last_closed(questionnaire.report_period, questionnaire.date_precision, today);
        let period = match Period::parse(questionnaire.report_period, period.trim()) {
            Ok(period) if period > closed => {
                let label = period.label();
                let mut chars = label.chars();
                let period_text =
                    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default();
                let opens = long_date(closes_on(period, questionnaire.date_precision));
                problems.push(NoteError::NotClosed { period: period_text, opens });
                None
            }
            Ok(period) => Some(period),
            Err(error) => {
                problems.push(error.into());
                None
            }
        };
        // A browser sends line breaks as CRLF: counted as one character, as
        // the person sees them.
        let text = text.replace("\r\n", "\n");
        let text = text.trim();
        if (NoteText { text }).validate().is_err() {
            problems.push(NoteError::TooLong { length: text.chars().count() });
        }
        match period {
            Some(period) if problems.is_empty() => Ok(PeriodNote { period, text: text.to_owned() }),
            _ => Err(problems),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::questionnaire;
    use time::macros::date;

    #[test]
    fn a_note_is_for_a_closed_period_and_at_most_2000_characters() {
        let questionnaire = questionnaire();
        // Wednesday 9 December 2026: November has closed, December runs.
        let today = date!(2026 - 12 - 09);
        let note =
            PeriodNote::parse(&questionnaire, " 2026-11 ", "  Vi ringer fler.\r\nOch skriver.  ", today).unwrap();
        assert_eq!(note.period.to_string(), "2026-11");
        assert_eq!(note.text, "Vi ringer fler.\nOch skriver.", "trimmed, one character a line break");
        assert_eq!(PeriodNote::parse(&questionnaire, "2026-11", "", today).unwrap().text, "", "empty takes it away");
        let full = "ä".repeat(2000);
        assert!(PeriodNote::parse(&questionnaire, "2026-11", &full, today).is_ok(), "2000 characters, not bytes");

        let problems = PeriodNote::parse(&questionnaire, "2026-12", &"a".repeat(2001), today).unwrap_err();
        assert_eq!(
            problems.iter().map(ToString::to_string).collect::<Vec<_>>(),
            [
                "December 2026 har inte avslutats än. Skriv vad ni gör för en period som har avslutats; den visas från 4 januari 2027.",
                "Texten har 2001 tecken. Den får ha högst 2 000 tecken.",
            ]
        );
        assert!(matches!(
            PeriodNote::parse(&questionnaire, "2026-13", "x", today).unwrap_err()[..],
            [NoteError::Period(_)]
        ));
    }
}
