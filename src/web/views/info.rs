//! Pages of plain information for respondents: "Using this safely", per
//! questionnaire and in its languages, and the privacy page.

use maud::{Markup, html};

use super::{layout, tab_name};
use crate::locale::{self, InfoPage, Locale};
use crate::questionnaire::Questionnaire;

/// What the exit button and Shift×3 do and do not do, how to leave fewer
/// traces, and where to call for help.
pub fn safety_page(questionnaire: &Questionnaire, language: &str) -> Markup {
    let locale = locale::get(language);
    let languages = questionnaire.languages.iter().map(String::as_str).filter(|other| *other != language);
    let body = html! {
        (language_links(locale, languages))
        (info_body(locale.safety, ""))
        p { a href={ "/s/" (questionnaire.id) "?lang=" (language) } { (locale.back_to_survey) } }
    };
    let title = format!("{} – {}", locale.safety.title, tab_name(questionnaire, language));
    layout(locale, &title, Some(questionnaire), body)
}

/// What is stored and what is not, how anonymity is protected, and who is
/// responsible (`contact`, as the operator configured it).
pub fn privacy_page(language: &str, contact: &str) -> Markup {
    let locale = locale::get(language);
    let languages = locale::LOCALES.iter().map(|other| other.code).filter(|other| *other != locale.code);
    let body = html! {
        (language_links(locale, languages))
        (info_body(locale.privacy, contact))
    };
    layout(locale, locale.privacy.title, None, body)
}

fn language_links<'a>(locale: &Locale, others: impl Iterator<Item = &'a str>) -> Markup {
    let others: Vec<&str> = others.collect();
    html! {
        @if !others.is_empty() {
            nav.languages aria-label=(locale.language_choice) {
                ul {
                    @for other in others {
                        li { a href={ "?lang=" (other) } lang=(other) hreflang=(other) { (locale::get(other).name) } }
                    }
                }
            }
        }
    }
}

/// The page's heading, lead and sections; `{contact}` in a paragraph
/// becomes `contact`.
fn info_body(page: &InfoPage, contact: &str) -> Markup {
    html! {
        h1 { (page.title) }
        p.lead { (page.lead) }
        @for section in page.sections {
            h2 { (section.heading) }
            @for paragraph in section.paragraphs {
                p { (paragraph.replace("{contact}", contact)) }
            }
        }
    }
}
