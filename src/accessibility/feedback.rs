//! A report of an accessibility problem, as a person sends it from the
//! statement page: what went wrong, and which page if they say. Nothing
//! about who sent it is asked for or kept, and its date is only the week.

use time::{Date, Duration};
use validator::Validate;

/// The longest description taken, in characters.
pub const MAX_TEXT_CHARS: u64 = 2000;
/// The longest "which page" taken, in characters.
pub const MAX_PAGE_CHARS: u64 = 200;

/// A report, checked and ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feedback {
    pub text: String,
    /// The page or what they tried, if given.
    pub page: Option<String>,
    /// The Monday of the week it was sent: someone who knows when a person
    /// wrote cannot pick out their report by its date.
    pub week: Date,
}

/// Why a report cannot be taken as sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FeedbackError {
    #[error("the description is empty")]
    Empty,
    #[error("the description is longer than {MAX_TEXT_CHARS} characters")]
    TooLong,
    #[error("the page is longer than {MAX_PAGE_CHARS} characters")]
    PageTooLong,
}

/// The fields as sent, trimmed; the limits are the validator's.
#[derive(Debug, Validate)]
struct Sent<'a> {
    #[validate(length(max = "MAX_TEXT_CHARS"))]
    text: &'a str,
    #[validate(length(max = "MAX_PAGE_CHARS"))]
    page: &'a str,
}

impl Feedback {
    /// Checks a report as sent on `today`; the first problem, in the order
    /// of the form's fields.
    pub fn parse(text: &str, page: &str, today: Date) -> Result<Feedback, FeedbackError> {
        let sent = Sent { text: text.trim(), page: page.trim() };
        if sent.text.is_empty() {
            return Err(FeedbackError::Empty);
        }
        if let Err(errors) = sent.validate() {
            let fields = errors.field_errors();
            return Err(if fields.contains_key("text") { FeedbackError::TooLong } else { FeedbackError::PageTooLong });
        }
        Ok(Feedback {
            text: sent.text.to_owned(),
            page: Some(sent.page.to_owned()).filter(|page| !page.is_empty()),
            week: week_of(today),
        })
    }
}

/// The Monday of `day`'s week.
pub fn week_of(day: Date) -> Date {
    day - Duration::days(i64::from(day.weekday().number_days_from_monday()))
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn a_report_keeps_its_words_and_only_the_week() {
        let report = Feedback::parse("  Knappen syns inte  ", " /s/nexus ", date!(2026 - 12 - 03)).unwrap();
        assert_eq!(report.text, "Knappen syns inte");
        assert_eq!(report.page.as_deref(), Some("/s/nexus"));
        assert_eq!(report.week, date!(2026 - 11 - 30), "the Monday");
        assert_eq!(Feedback::parse("x", "  ", date!(2026 - 11 - 30)).unwrap().page, None);
    }

    #[test]
    fn empty_and_too_long_reports_are_refused() {
        let today = date!(2026 - 12 - 03);
        let limit = "å".repeat(2000);
        assert!(Feedback::parse(&limit, "", today).is_ok(), "characters, not bytes");
        assert_eq!(Feedback::parse(" \n ", "/s/nexus", today), Err(FeedbackError::Empty));
        assert_eq!(Feedback::parse(&format!("{limit}å"), "", today), Err(FeedbackError::TooLong));
        assert_eq!(Feedback::parse("x", &"p".repeat(201), today), Err(FeedbackError::PageTooLong));
    }
}
