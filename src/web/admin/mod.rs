//! For admins: the questionnaire files as the service sees them (what is
//! served, what is wrong with a file that was edited, every stored version
//! and what changed between them), and a preview of any questionnaire,
//! open or not, exactly as respondents see it, that stores nothing.

mod view;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use super::AppState;
use super::staff::{CsrfChecked, StaffPageError, StaffUser};
use super::versions::version_history;
use super::views::{self, FormTarget};
use crate::questionnaire::translations::{Stored, stale_translations};
use crate::questionnaire::{self, FormInput, Step};
use crate::staff::UnitRole;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/admin/questionnaires", get(show_questionnaires))
        .route("/staff/admin/preview/{id}", get(show_preview).post(step_preview))
}

/// The files of the units the account is an admin of (every file, and the
/// files that do not load, for a global admin).
async fn show_questionnaires(State(state): State<AppState>, user: StaffUser) -> Result<Response, StaffPageError> {
    if !user.grants.anywhere(UnitRole::Admin) {
        return Err(StaffPageError::NotAdmin);
    }
    let catalog = state.catalog.catalog();
    let mut histories = Vec::new();
    for served in catalog.iter().filter(|served| user.grants.role_in(&served.unit) == Some(UnitRole::Admin)) {
        let stored = state.store.readable_versions(&served.id).await?;
        let stored: Vec<Stored> = stored
            .iter()
            .map(|(questionnaire, first_seen)| Stored { questionnaire, first_seen: *first_seen })
            .collect();
        let stale = stale_translations(&stored, served);
        histories.push(view::FileState {
            questionnaire: served.clone(),
            history: version_history(&state, served).await?,
            stale,
        });
    }
    // A file that does not load names no unit it could be shown to.
    let problems = if user.grants.is_global_admin() { state.catalog.problems() } else { Vec::new() };
    Ok(view::questionnaires_page(&user, &histories, &problems).into_response())
}

/// `?lang=en`: the language to preview in.
#[derive(Debug, Deserialize)]
struct LanguageChoice {
    lang: Option<String>,
}

/// The start page, whether or not the questionnaire is open, without a code.
async fn show_preview(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
    Query(choice): Query<LanguageChoice>,
) -> Result<Response, StaffPageError> {
    let questionnaire = user.questionnaire(&state, &id, UnitRole::Admin)?;
    let language = questionnaire.language(choice.lang.as_deref());
    let input = FormInput::new(&questionnaire, Vec::new())?;
    let target = FormTarget::Preview { csrf_token: &user.csrf_token };
    Ok(views::start_page(&questionnaire, language, &input, target).into_response())
}

/// A step of the preview: the same checks as for a respondent; at the end,
/// what would have been stored, and nothing stored. Like every staff post
/// it needs the session's CSRF token (refused with 403 without it).
async fn step_preview(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfChecked(user, pairs): CsrfChecked<Vec<(String, String)>>,
) -> Result<Response, StaffPageError> {
    let questionnaire = user.questionnaire(&state, &id, UnitRole::Admin)?;
    let input = FormInput::new(&questionnaire, pairs)?;
    let language = questionnaire.language(Some(input.language())).to_owned();
    let target = FormTarget::Preview { csrf_token: &user.csrf_token };
    match questionnaire::next_step(&questionnaire, &input)? {
        Step::Show(screen) => Ok(views::screen(&questionnaire, &language, &input, &screen, target).into_response()),
        Step::Complete(answers) => Ok(views::preview_result(&questionnaire, &language, &answers).into_response()),
    }
}
