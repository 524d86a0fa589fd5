//! The admin's page of questionnaire files, in Swedish like every staff page.

use std::sync::Arc;

use maud::{Markup, html};

use crate::locale;
use crate::questionnaire::translations::{Item, Since, Stale};
use crate::questionnaire::{Problem, Questionnaire};
use crate::web::staff::{StaffUser, staff_layout};
use crate::web::versions::{VersionHistory, versions_table};

const TITLE: &str = "Enkätfiler";

/// One served questionnaire as the page shows it.
pub struct FileState {
    pub questionnaire: Arc<Questionnaire>,
    pub history: Vec<VersionHistory>,
    /// Its translated texts whose original changed since they were written or reviewed.
    pub stale: Vec<Stale>,
}

pub fn questionnaires_page(user: &StaffUser, files: &[FileState], problems: &[Problem]) -> Markup {
    let body = html! {
        h1 { (TITLE) }
        p { "Enkäterna läses om när deras filer ändras. En fil med fel visas inte: den senaste fungerande versionen används tills felet är rättat." }
        h2 { "Fel i filerna" }
        @if problems.is_empty() {
            p.all-well { "Inga fel: alla filer används som de är." }
        } @else {
            ul.file-problems {
                @for problem in problems {
                    li { code { (problem.to_string()) } }
                }
            }
        }
        @for FileState { questionnaire, history, stale } in files {
            section.questionnaire-file aria-labelledby={ "file-" (questionnaire.id) } {
                h2 id={ "file-" (questionnaire.id) } { (questionnaire.title.get(&questionnaire.languages[0])) }
                p { "Adress: " code { "/s/" (questionnaire.id) } ". Version som visas nu: " code { (questionnaire.version) } "." }
                p {
                    "Förhandsvisa: "
                    @for (n, language) in questionnaire.languages.iter().enumerate() {
                        @if n > 0 { ", " }
                        a href={ "/staff/admin/preview/" (questionnaire.id) "?lang=" (language) } { (locale::get(language).name) }
                    }
                }
                p.print-links {
                    "Skriv ut som papperformulär: "
                    @for (n, language) in questionnaire.languages.iter().enumerate() {
                        @if n > 0 { ", " }
                        a href={ "/staff/q/" (questionnaire.id) "/print?lang=" (language) } { (locale::get(language).name) }
                    }
                }
                (versions_table(history))
                (translations(questionnaire, stale))
            }
        }
    };
    staff_layout(Some(user), TITLE, body)
}

/// Each translation: whether a translator has checked it, and its texts
/// whose original changed since, language by language.
fn translations(questionnaire: &Questionnaire, stale: &[Stale]) -> Markup {
    let translated = &questionnaire.languages[1..];
    html! {
        @if !translated.is_empty() {
            div.translations {
                h3 { "Översättningar" }
                ul.translation-review {
                    @for language in translated {
                        li {
                            (language_name(language)) ": "
                            @match questionnaire.reviewed.get(language) {
                                Some(day) => { "granskad av översättare " (day) }
                                None => { "inte granskad av översättare (startsidan på det språket säger det)" }
                            }
                        }
                    }
                }
                @if stale.is_empty() {
                    p.no-stale { "Ingen översättning väntar på en ändring i originalet." }
                } @else {
                    @for language in translated {
                        @let of_language: Vec<&Stale> = stale.iter().filter(|stale| stale.language == *language).collect();
                        @if !of_language.is_empty() {
                            table.staff-table.stale-translations data-language=(language) {
                                caption { "Kan vara inaktuellt på " (language_name(language)) ": originalet har ändrats, översättningen inte" }
                                thead { tr {
                                    th scope="col" { "Text" }
                                    th scope="col" { "Sedan version" }
                                    th scope="col" { "Originalet före" }
                                    th scope="col" { "Originalet nu" }
                                } }
                                tbody {
                                    @for stale in of_language {
                                        tr {
                                            td { (item_text(&stale.item)) }
                                            td { (since_text(&stale.since)) }
                                            td lang=(stale.original) { (stale.original_before) }
                                            td lang=(stale.original) { (stale.original_now) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    p { "Uppdatera översättningen i filen, eller, om en översättare finner att den fortfarande stämmer, skriv dagen för granskningen under " code { "[translations]" } "." }
                }
            }
        }
    }
}

/// A language by its own name, marked as that language.
fn language_name(language: &str) -> Markup {
    html! { span lang=(language) { (locale::get(language).name) } }
}

/// A translated text of the questionnaire, in words.
fn item_text(item: &Item) -> String {
    match item {
        Item::Title => "Titeln".to_owned(),
        Item::Intro => "Inledningen".to_owned(),
        Item::Thanks => "Tacktexten".to_owned(),
        Item::Help => "Hjälptexten".to_owned(),
        Item::PageTitle { first_question } => format!("Rubriken på sidan som börjar med frågan {first_question}"),
        Item::QuestionText { question } => format!("Frågan {question}"),
        Item::QuestionHint { question } => format!("Förklaringen under frågan {question}"),
        Item::QuestionSection { question } => format!("Avsnittsrubriken före frågan {question}"),
        Item::QuestionOption { question, option } => format!("Svarsalternativet {option} i {question}"),
        Item::ScaleOption { scale, option } => format!("Skalsteget {option} i skalan {scale}"),
        Item::ScaleDontKnow { scale } => format!("”Vet inte” i skalan {scale}"),
        Item::ListOption { list, option } => format!("Alternativet {option} i listan {list}"),
    }
}

fn since_text(since: &Since) -> String {
    match since {
        Since::Version { version, first_seen } => format!("{version} (först använd {first_seen})"),
        Since::ThisFile => "filen som den är nu".to_owned(),
    }
}
