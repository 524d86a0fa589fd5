//! The pages around when and where a questionnaire can be answered: the calm
//! page shown while it is not open, the one for a form from a version
//! replaced too long ago, and kiosk mode's ways back to an empty form.

use maud::{Markup, html};

use super::{fill, layout, tab_name};
use crate::codes::Code;
use crate::locale::{self, Locale};
use crate::questionnaire::protocol::{CODE_PARAMETER, KIOSK_FIELD, SUBMISSION_FIELD};
use crate::questionnaire::{Availability, FormInput, Questionnaire};

/// How long a kiosk's thank-you page stays before the empty form returns:
/// long enough to read the thanks, short enough that the next person does
/// not find it.
pub const KIOSK_THANKS_SECONDS: u32 = 10;

/// The address of an empty form in kiosk mode, in `language`.
pub fn fresh_form_url(questionnaire: &Questionnaire, language: &str) -> String {
    format!("/s/{}?kiosk=1&lang={language}", questionnaire.id)
}

/// The page shown instead of the form before `opens` and after `closes`:
/// nothing is wrong, so it reads as a notice, not as an error.
pub fn not_open(questionnaire: &Questionnaire, language: &str, availability: Availability) -> Markup {
    let locale = locale::get(language);
    let when = match availability {
        Availability::NotYetOpen { opens } => {
            Some(fill(locale, &locale.opens_on, "date", &locale::long_date(locale, opens)))
        }
        Availability::Closed { closed } => {
            Some(fill(locale, &locale.closed_on, "date", &locale::long_date(locale, closed)))
        }
        Availability::Open => None,
    };
    let body = html! {
        h1 { (questionnaire.title.get(language)) }
        p.not-open { (locale.not_open) }
        @if let Some(when) = when { p { (when) } }
    };
    layout(locale, &format!("{} – {}", locale.not_open, tab_name(questionnaire, language)), Some(questionnaire), body)
}

/// The page for a form sent from a version of the questionnaire replaced
/// longer ago than the grace period: nothing was stored, nothing is wrong
/// with the person's answers, and the way on is the start page as it is now,
/// in kiosk mode still and with the card's code (not used, as nothing was
/// stored) already filled in.
pub fn version_changed(questionnaire: &Questionnaire, language: &str, kiosk: bool, code: Option<&Code>) -> Markup {
    let locale = locale::get(language);
    let mut start = format!("/s/{}?lang={language}", questionnaire.id);
    if kiosk {
        start.push_str("&kiosk=1");
    }
    if let Some(code) = code {
        start.push_str(&format!("&{CODE_PARAMETER}={}", code.display()));
    }
    let body = html! {
        h1 { (locale.version_changed_title) }
        p.version-changed { (locale.version_changed_text) }
        p { a.start-again href=(start) { (locale.version_changed_start_again) } }
    };
    let title = format!("{} – {}", locale.version_changed_title, tab_name(questionnaire, language));
    layout(locale, &title, Some(questionnaire), body)
}

/// The form's visible way to start afresh in kiosk mode: a plain link to an
/// empty form, so the answers typed so far are left behind unsent.
pub fn restart_link(locale: &Locale, fresh_url: &str) -> Markup {
    html! {
        p.kiosk-restart { a href=(fresh_url) { (locale.kiosk_restart) } }
    }
}

/// What a kiosk's thank-you page adds: the reload to an empty form (a
/// `<meta>` refresh, which needs no JavaScript) and words saying it comes.
pub fn thanks_restart(locale: &Locale, fresh_url: &str) -> (Markup, Markup) {
    let head = html! {
        meta http-equiv="refresh" content={ (KIOSK_THANKS_SECONDS) ";url=" (fresh_url) };
    };
    let body = html! {
        div.kiosk-restart {
            p { (locale.kiosk_restarting) }
            p { a href=(fresh_url) { (locale.kiosk_restart_now) } }
        }
    };
    (head, body)
}

/// The hidden fields that carry the submission token and kiosk mode through
/// a submission, and through a re-shown form with errors (the same token,
/// so the form is still recognised if sent twice after fixing it).
pub fn carried_fields(input: &FormInput, kiosk: bool) -> Markup {
    let token = input.value(SUBMISSION_FIELD);
    html! {
        @if !token.is_empty() { input type="hidden" name=(SUBMISSION_FIELD) value=(token); }
        @if kiosk { input type="hidden" name=(KIOSK_FIELD) value="1"; }
    }
}
