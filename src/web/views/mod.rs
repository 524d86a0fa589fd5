//! HTML, written with maud: one layout, small components. Questionnaire and
//! respondent text is always escaped (never `PreEscaped`).

pub(crate) mod charts;
mod codes;
mod form;
mod reach;

use maud::{DOCTYPE, Markup, html};

pub use codes::{code_field, code_query, code_refused, start_page as code_start_page};
pub use form::form;
pub use reach::{fresh_form_url, not_open};

use crate::locale::{self, Locale};
use crate::questionnaire::{Questionnaire, Text};

/// A neutral site to leave for in a hurry: nothing about violence or support
/// shows in the address bar or on the screen.
const EXIT_URL: &str = "https://www.smhi.se/";

/// The page frame: language, title, stylesheet and the exit link first of all.
fn layout(locale: &Locale, title: &str, main: Markup) -> Markup {
    layout_with_head(locale, title, html! {}, main)
}

/// `layout`, with more in `<head>` (a kiosk's refresh).
fn layout_with_head(locale: &Locale, title: &str, head: Markup, main: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(locale.code) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="robots" content="noindex, nofollow";
                meta name="referrer" content="no-referrer";
                title { (title) }
                link rel="stylesheet" href="/assets/enkat.css";
                script src="/assets/enkat.js" defer {}
                (head)
            }
            body {
                div.exit-bar {
                    a.exit-button href=(EXIT_URL) rel="nofollow noreferrer" { (locale.leave_page) }
                }
                main #main { (main) }
            }
        }
    }
}

/// Paragraphs from a questionnaire text: a blank line starts a new paragraph.
fn paragraphs(text: &str) -> Markup {
    html! {
        @for paragraph in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
            p {
                @for (n, line) in paragraph.lines().enumerate() {
                    @if n > 0 { br; }
                    (line)
                }
            }
        }
    }
}

/// A page that only says something, in Swedish and English, for requests
/// that reached no questionnaire (so there is no language to follow).
pub fn message_page(texts: impl Fn(&Locale) -> (&'static str, &'static str)) -> Markup {
    let home = locale::get("sv");
    let (title, _) = texts(home);
    let body = html! {
        @for locale in locale::LOCALES {
            @let (heading, text) = texts(locale);
            div lang=(locale.code) {
                @if locale.code == home.code { h1 { (heading) } } @else { h2 { (heading) } }
                p { (text) }
            }
        }
    };
    layout(home, title, body)
}

/// The thank-you page: no answers and no reference number, nothing that
/// would show someone else what was answered. In `kiosk` mode it returns to
/// an empty form by itself.
pub fn thanks(questionnaire: &Questionnaire, language: &str, kiosk: bool) -> Markup {
    let locale = locale::get(language);
    let thanks = questionnaire.thanks.as_ref().map_or(locale.thanks_default, |text: &Text| text.get(language));
    let body = html! {
        h1 { (locale.thanks_title) }
        (paragraphs(thanks))
        @if let Some(help) = &questionnaire.help {
            div.help { (paragraphs(help.get(language))) }
        }
    };
    let title = format!("{} – {}", locale.thanks_title, questionnaire.title.get(language));
    if kiosk {
        let (head, restart) = reach::thanks_restart(locale, &fresh_form_url(questionnaire, language));
        return layout_with_head(locale, &title, head, html! { (body) (restart) });
    }
    layout(locale, &title, body)
}
