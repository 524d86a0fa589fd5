//! The accessibility statement (`/tillganglighet`): the organisation's facts
//! in the page's language, the form for reporting a problem, and the pages
//! after it is sent.

use maud::{Markup, html};

use super::{fill, isolated, layout};
use crate::accessibility::feedback::{FeedbackError, MAX_PAGE_CHARS, MAX_TEXT_CHARS};
use crate::accessibility::{Compliance, OwnText, Statement};
use crate::locale::{self, Locale, StatementTexts, long_date};

/// Digg's form for complaints about a public body's digital accessibility.
pub const DIGG_COMPLAINTS: &str = "https://www.digg.se/tdosanmalan";

/// What a person wrote in the report form, kept when it comes back.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReportForm<'a> {
    pub text: &'a str,
    pub page: &'a str,
    /// Why it was not taken, if it was sent and refused.
    pub problem: Option<FeedbackError>,
}

/// The statement in `language`, with the report form (`form`: as sent, after a problem).
pub fn statement_page(statement: &Statement, language: &str, form: &ReportForm) -> Markup {
    let locale = locale::get(language);
    let texts = &locale.statement;
    let organisation = statement.organisation.as_str();
    let others = locale::LOCALES.iter().map(|other| other.code.as_str()).filter(|other| *other != locale.code);
    let body = html! {
        @if let Some(problem) = form.problem {
            div.error-summary role="alert" aria-labelledby="error-summary-title" tabindex="-1" {
                h2 #error-summary-title { (locale.error_summary_title) }
                ul { li { a href={ "#" (field_of(problem)) } { (problem_text(locale, problem)) } } }
            }
        }
        (super::info::language_links(locale, others))
        h1 { (texts.title) }
        p.lead { (fill(locale, &texts.lead, "organisation", organisation)) }
        h2 { (texts.applies_heading) }
        p { (fill(locale, &texts.applies, "organisation", organisation)) }
        h2 { (texts.status_heading) }
        p.compliance { (isolated(locale, status_text(texts, statement.status))) }
        h2 { (texts.gaps_heading) }
        @if statement.gaps.is_empty() {
            p { (texts.no_gaps) }
        } @else {
            p { (texts.gaps_lead) }
            ul.gaps {
                @for gap in &statement.gaps {
                    li {
                        (own_text(locale, &gap.text))
                        " "
                        span.fixed-by { (fill(locale, &texts.fixed_by, "date", &long_date(locale, gap.fixed_by))) }
                    }
                }
            }
        }
        h2 #report { (texts.report_heading) }
        p { (texts.report_lead) }
        p { (texts.report_anonymous) }
        (report_form(locale, form))
        @if statement.contact_email.is_some() || statement.contact_phone.is_some() {
            p { (fill(locale, &texts.contact, "organisation", organisation)) }
            ul.contact {
                @if let Some(email) = &statement.contact_email {
                    li { (texts.email) ": " bdi { a href={ "mailto:" (email) } { (email) } } }
                }
                @if let Some(phone) = &statement.contact_phone {
                    li { (texts.phone) ": " bdi dir="ltr" { (phone) } }
                }
            }
        }
        h2 { (texts.enforcement_heading) }
        p { (texts.enforcement) }
        p { a href=(DIGG_COMPLAINTS) rel="noreferrer" { (texts.enforcement_link) } }
        h2 { (texts.method_heading) }
        @match &statement.method {
            Some(method) => p.method { (own_text(locale, method)) },
            None => p.method { (texts.method_default) },
        }
        p.assessed { (fill(locale, &texts.assessed, "date", &long_date(locale, statement.assessed_on))) }
        p.updated { (fill(locale, &texts.updated, "date", &long_date(locale, statement.updated_on))) }
    };
    let title = match form.problem {
        Some(_) => format!("{} {}", locale.error_prefix, texts.title),
        None => texts.title.clone(),
    };
    layout(locale, &title, None, body)
}

fn report_form(locale: &Locale, form: &ReportForm) -> Markup {
    let texts = &locale.statement;
    let text_error = form.problem.filter(|problem| field_of(*problem) == "report-text");
    let page_error = form.problem.filter(|problem| field_of(*problem) == "report-page");
    let described = |hint: Option<&'static str>, error: Option<FeedbackError>, id: &'static str| {
        let ids: Vec<&str> = hint.into_iter().chain(error.map(|_| id)).collect();
        (!ids.is_empty()).then(|| ids.join(" "))
    };
    html! {
        form.report method="post" action="/tillganglighet" autocomplete="off" {
            input type="hidden" name="lang" value=(locale.code);
            div.question.has-error[text_error.is_some()] {
                label.question-label for="report-text" { (texts.text_label) }
                p.hint #report-text-hint {
                    (fill(locale, &texts.text_hint, "max", &MAX_TEXT_CHARS.to_string()))
                }
                @if let Some(problem) = text_error {
                    p.error-message #report-text-error {
                        span.visually-hidden { (locale.error_prefix) " " }
                        (problem_text(locale, problem))
                    }
                }
                textarea #report-text name="text" rows="6" maxlength=(MAX_TEXT_CHARS)
                    aria-describedby=[described(Some("report-text-hint"), text_error, "report-text-error")]
                    aria-invalid=[text_error.map(|_| "true")] { (form.text) }
            }
            div.question.has-error[page_error.is_some()] {
                label.question-label for="report-page" { (texts.page_label) }
                @if let Some(problem) = page_error {
                    p.error-message #report-page-error {
                        span.visually-hidden { (locale.error_prefix) " " }
                        (problem_text(locale, problem))
                    }
                }
                input #report-page type="text" name="page" maxlength=(MAX_PAGE_CHARS) value=(form.page)
                    aria-describedby=[described(None, page_error, "report-page-error")]
                    aria-invalid=[page_error.map(|_| "true")];
            }
            button.submit type="submit" { (texts.send) }
        }
    }
}

/// The id of the field a problem is about, for the error summary's link.
fn field_of(problem: FeedbackError) -> &'static str {
    match problem {
        FeedbackError::Empty | FeedbackError::TooLong => "report-text",
        FeedbackError::PageTooLong => "report-page",
    }
}

fn problem_text(locale: &Locale, problem: FeedbackError) -> Markup {
    let texts = &locale.statement;
    match problem {
        FeedbackError::Empty => html! { (texts.error_empty) },
        FeedbackError::TooLong => fill(locale, &texts.error_too_long, "max", &MAX_TEXT_CHARS.to_string()),
        FeedbackError::PageTooLong => fill(locale, &texts.error_page_too_long, "max", &MAX_PAGE_CHARS.to_string()),
    }
}

fn status_text(texts: &StatementTexts, status: Compliance) -> &str {
    match status {
        Compliance::Full => &texts.status_full,
        Compliance::Partial => &texts.status_partial,
        Compliance::None => &texts.status_none,
    }
}

/// The organisation's text in the page's language; one only written in
/// Swedish is marked as Swedish, so a screen reader reads it as Swedish.
fn own_text(locale: &Locale, text: &OwnText) -> Markup {
    let (language, words) = text.get(&locale.code);
    if language == locale.code {
        return isolated(locale, words);
    }
    let other = locale::get(language);
    html! { span lang=(other.code) dir=(other.direction.as_str()) { (words) } }
}

/// After a report is stored: thanks, and nothing of what was written.
pub fn statement_thanks(language: &str) -> Markup {
    let locale = locale::get(language);
    notice(locale, &locale.statement.thanks_title, &locale.statement.thanks_text)
}

/// A report refused before it was read (from another site, or while many
/// arrive): `title` and `text` from `StatementTexts`, and the way back.
pub fn statement_notice(language: &str, texts: impl Fn(&StatementTexts) -> (&str, &str)) -> Markup {
    let locale = locale::get(language);
    let (title, text) = texts(&locale.statement);
    notice(locale, title, text)
}

fn notice(locale: &Locale, title: &str, text: &str) -> Markup {
    let body = html! {
        h1 { (title) }
        p { (text) }
        p { a href={ "/tillganglighet?lang=" (locale.code) } { (locale.statement.back) } }
    };
    layout(locale, title, None, body)
}
