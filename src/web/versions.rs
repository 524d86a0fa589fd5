//! The stored versions of a questionnaire and what changed between them,
//! as staff see them on the admin's page of files and on the results page.

use maud::{Markup, html};

use super::AppState;
use crate::questionnaire::Questionnaire;
use crate::questionnaire::versions::{Change, changes};
use crate::store::StoreError;

/// One stored version, and what changed since the one before it.
pub struct VersionHistory {
    pub version: String,
    pub first_seen: time::Date,
    pub served: bool,
    /// `None` for the first version, or when a stored text no longer loads.
    pub changes: Option<Vec<Change>>,
}

/// Every stored version of `served`'s questionnaire, oldest first, each
/// with what changed since the one before.
pub async fn version_history(state: &AppState, served: &Questionnaire) -> Result<Vec<VersionHistory>, StoreError> {
    let mut history = Vec::new();
    let mut before: Option<Questionnaire> = None;
    for stored in state.store.versions(&served.id).await? {
        let parsed = state.store.stored_questionnaire(&served.id, &stored.version).await?.and_then(Result::ok);
        let changes = match (&before, &parsed) {
            (Some(before), Some(parsed)) => Some(changes(before, parsed)),
            _ => None,
        };
        history.push(VersionHistory {
            served: stored.version == served.version.as_str(),
            version: stored.version,
            first_seen: stored.first_seen,
            changes,
        });
        if parsed.is_some() {
            before = parsed;
        }
    }
    Ok(history)
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
