//! The respondent's pages about safety and privacy: "Using this safely" for
//! each questionnaire, and the service's privacy page.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::routing::get;
use maud::Markup;
use serde::Deserialize;

use super::language::AcceptLanguage;
use super::{AppState, WebError, views};

/// The routes of the safety and privacy pages.
pub fn router() -> Router<AppState> {
    Router::new().route("/s/{id}/sakert", get(show_safety)).route("/integritet", get(show_privacy))
}

/// `?lang=en`: the page's language (else chosen from `Accept-Language`).
#[derive(Debug, Deserialize)]
struct LanguageChoice {
    lang: Option<String>,
}

/// Shown whether or not the questionnaire is open: the advice holds either way.
async fn show_safety(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(choice): Query<LanguageChoice>,
    accepted: AcceptLanguage,
) -> Result<Markup, WebError> {
    let questionnaire = state.catalog.get(&id).ok_or(WebError::NotFound)?;
    let language = accepted.choose(&questionnaire, choice.lang.as_deref());
    Ok(views::safety_page(&questionnaire, language))
}

/// In any language enkat speaks; an unknown one falls back to Swedish.
async fn show_privacy(
    State(state): State<AppState>,
    Query(choice): Query<LanguageChoice>,
    accepted: AcceptLanguage,
) -> Markup {
    let locale = accepted.choose_locale(choice.lang.as_deref());
    views::privacy_page(&locale.code, &state.safety.privacy_contact)
}
