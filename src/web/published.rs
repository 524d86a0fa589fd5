//! `/s/{id}/resultat`: the results given back to the people who answer, for
//! a questionnaire with `publish_results = true` (else it does not exist,
//! like an unknown questionnaire). The latest closed period's summary from
//! the same `Disclosure` staff see, and what the unit does now.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::routing::get;
use maud::Markup;
use serde::Deserialize;

use super::language::AcceptLanguage;
use super::{AppState, WebError, views};
use crate::report::{self, Scope};

/// The route of the results page, among the respondent's pages.
pub fn router() -> Router<AppState> {
    Router::new().route("/s/{id}/resultat", get(show_published))
}

/// `?lang=en`: the page's language (else chosen from `Accept-Language`).
#[derive(Debug, Deserialize)]
struct LanguageChoice {
    lang: Option<String>,
}

async fn show_published(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(choice): Query<LanguageChoice>,
    accepted: AcceptLanguage,
) -> Result<Markup, WebError> {
    let questionnaire =
        state.catalog.get(&id).filter(|questionnaire| questionnaire.publish_results).ok_or(WebError::NotFound)?;
    let language = accepted.choose(&questionnaire, choice.lang.as_deref());
    let disclosure = state.store.disclosure(&questionnaire, state.clock.today()).await?;
    // One closed period, all languages and versions: a scope staff can ask
    // for too, so the page tells nothing they could not see.
    let period = disclosure.last_closed();
    let summary = disclosure.summary(&Scope { from: period, to: period, language: None, version: None, channel: None });
    let overview = report::overview(&summary, None);
    let note = state.store.period_notes(&questionnaire).await?.remove(&period).filter(|note| !note.is_empty());
    Ok(views::published_results(&questionnaire, language, period, &overview, note.as_deref()))
}
