//! The admin's page of questionnaire files, in Swedish like every staff page.

use std::sync::Arc;

use maud::{Markup, html};

use super::VersionHistory;
use crate::locale;
use crate::questionnaire::versions::Change;
use crate::questionnaire::{Problem, Questionnaire};
use crate::web::staff::{StaffUser, staff_layout};

const TITLE: &str = "Enkätfiler";

pub fn questionnaires_page(
    user: &StaffUser,
    histories: &[(Arc<Questionnaire>, Vec<VersionHistory>)],
    problems: &[Problem],
) -> Markup {
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
        @for (questionnaire, history) in histories {
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
                (versions_table(history))
            }
        }
    };
    staff_layout(Some(user), TITLE, body)
}

/// The versions of a questionnaire, oldest first, with what changed.
pub fn versions_table(history: &[VersionHistory]) -> Markup {
    html! {
        table.staff-table.versions {
            caption { "Versioner" }
            thead { tr { th scope="col" { "Version" } th scope="col" { "Först använd" } th scope="col" { "Ändringar mot versionen före" } } }
            tbody {
                @for version in history {
                    tr {
                        td { code { (version.version) } @if version.served { " (visas nu)" } }
                        td { (version.first_seen) }
                        td {
                            @match &version.changes {
                                None => { "–" }
                                Some(changes) if changes.is_empty() => { "Inga ändringar i frågor eller svarsalternativ" }
                                Some(changes) => {
                                    ul {
                                        @for change in changes {
                                            li {
                                                (change_text(change))
                                                @if change.splits_results() { " " strong { "(resultaten redovisas separat per version)" } }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A change between two versions, in words.
fn change_text(change: &Change) -> String {
    match change {
        Change::QuestionAdded { question } => format!("Frågan {question} har lagts till"),
        Change::QuestionRemoved { question } => format!("Frågan {question} har tagits bort"),
        Change::QuestionReworded { question } => format!("Frågan {question} har formulerats om"),
        Change::QuestionTypeChanged { question } => format!("Frågan {question} har bytt typ"),
        Change::OptionAdded { question, option } => format!("Svarsalternativet {option} har lagts till i {question}"),
        Change::OptionRemoved { question, option } => {
            format!("Svarsalternativet {option} har tagits bort ur {question}")
        }
        Change::OptionReworded { question, option } => {
            format!("Svarsalternativet {option} i {question} har formulerats om")
        }
        Change::PositiveChanged { question } => {
            format!("Vilka svar som räknas som positiva har ändrats för {question}")
        }
    }
}
