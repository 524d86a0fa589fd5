//! Pages of plain information for respondents: "Using this safely", per
//! questionnaire and in its languages, and the privacy page.

use maud::{Markup, html};

use super::{fill, layout, tab_name, with_phone_links};
use crate::locale::{self, InfoPage, Locale};
use crate::questionnaire::Questionnaire;

/// What the exit button and Shift×3 do and do not do, how to leave fewer
/// traces, and where to call for help.
pub fn safety_page(questionnaire: &Questionnaire, language: &str) -> Markup {
    let locale = locale::get(language);
    let languages = questionnaire.languages.iter().map(String::as_str).filter(|other| *other != language);
    let body = html! {
        (language_links(locale, languages))
        (info_body(locale, &locale.safety, ""))
        p { a href={ "/s/" (questionnaire.id) "?lang=" (language) } { (locale.back_to_survey) } }
    };
    let title = format!("{} – {}", locale.safety.title, tab_name(questionnaire, language));
    layout(locale, &title, Some(questionnaire), body)
}

/// What is stored and what is not, how anonymity is protected, and who is
/// responsible (`contact`, as the operator configured it).
pub fn privacy_page(language: &str, contact: &str) -> Markup {
    let locale = locale::get(language);
    let languages = locale::LOCALES.iter().map(|other| other.code.as_str()).filter(|other| *other != locale.code);
    let body = html! {
        (language_links(locale, languages))
        (info_body(locale, &locale.privacy, contact))
    };
    layout(locale, &locale.privacy.title, None, body)
}

pub(super) fn language_links<'a>(locale: &Locale, others: impl Iterator<Item = &'a str>) -> Markup {
    let others: Vec<&str> = others.collect();
    html! {
        @if !others.is_empty() {
            nav.languages aria-label=(locale.language_choice) {
                ul {
                    @for other in others {
                        @let other = locale::get(other);
                        li { (language_link(other, &format!("?lang={}", other.code))) }
                    }
                }
            }
        }
    }
}

/// A link to a page in `other`'s language, named in that language and
/// marked as written in it, so that a screen reader pronounces it right
/// and "العربية" runs right to left on a Swedish page and "Svenska" left to
/// right on an Arabic one.
pub(super) fn language_link(other: &Locale, href: &str) -> Markup {
    html! {
        a href=(href) lang=(other.code) dir=(other.direction.as_str()) hreflang=(other.code) { (other.name) }
    }
}

/// The page's heading, lead and sections; `{contact}` in a paragraph
/// becomes `contact`.
pub(super) fn info_body(locale: &Locale, page: &InfoPage, contact: &str) -> Markup {
    html! {
        h1 { (page.title) }
        p.lead { (with_phone_links(locale, &page.lead)) }
        @for section in &page.sections {
            h2 { (section.heading) }
            @for paragraph in &section.paragraphs {
                p { (fill(locale, paragraph, "contact", contact)) }
            }
        }
    }
}
