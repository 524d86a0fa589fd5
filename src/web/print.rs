//! `/staff/q/{id}/print?lang=sv`: the questionnaire as a paper form to
//! print (issue 18), the same document `enkat print` writes
//! (`views::print::document`). For staff, who hand it out and type in the
//! answers that come back.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use super::AppState;
use super::staff::{StaffPageError, StaffUser};
use super::views::print;
use crate::questionnaire::Questionnaire;
use crate::staff::UnitRole;

/// The route, listed in `STAFF_ROUTES`.
pub fn router() -> Router<AppState> {
    Router::new().route("/staff/q/{id}/print", get(show_print))
}

/// `?lang=ar`; none is the questionnaire's first language.
#[derive(Debug, Deserialize)]
struct PrintQuery {
    lang: Option<String>,
}

/// The questionnaire's language `requested`, or its first one if none is
/// asked for; a language it does not have is an error naming those it has.
pub(crate) fn print_language<'a>(
    questionnaire: &'a Questionnaire,
    requested: Option<&str>,
) -> Result<&'a str, StaffPageError> {
    match requested.map(str::trim).filter(|lang| !lang.is_empty()) {
        None => Ok(&questionnaire.languages[0]),
        Some(wanted) => questionnaire
            .languages
            .iter()
            .find(|lang| *lang == wanted)
            .map(String::as_str)
            .ok_or_else(|| StaffPageError::UnknownLanguage(questionnaire.languages.clone())),
    }
}

async fn show_print(
    user: StaffUser,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<PrintQuery>,
) -> Result<Response, StaffPageError> {
    let questionnaire = user.questionnaire(&state, &id, UnitRole::Viewer)?;
    let language = print_language(&questionnaire, query.lang.as_deref())?;
    let document = print::document(&questionnaire, language);
    Ok(([(header::CONTENT_SECURITY_POLICY, print::content_security_policy())], document).into_response())
}
