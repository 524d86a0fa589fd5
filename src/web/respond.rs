//! The respondent's journey: the form, its submission, the thank-you page.

use std::sync::Arc;

use axum::extract::rejection::FormRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use maud::Markup;
use serde::Deserialize;

use super::{AppState, WebError, views};
use crate::questionnaire::{FormInput, Questionnaire, validate};
use crate::store::NewResponse;

pub fn router() -> Router<AppState> {
    Router::new().route("/s/{id}", get(show_form).post(submit_response)).route("/s/{id}/tack", get(show_thanks))
}

/// `?lang=en`: the language chosen by the respondent, carried in the URL.
#[derive(Debug, Deserialize)]
struct LanguageChoice {
    lang: Option<String>,
}

/// The form field that carries the language through a submission.
pub const LANGUAGE_FIELD: &str = "_lang";

fn find(state: &AppState, id: &str) -> Result<Arc<Questionnaire>, WebError> {
    state.catalog.get(id).cloned().ok_or(WebError::NotFound)
}

async fn show_form(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(choice): Query<LanguageChoice>,
) -> Result<Markup, WebError> {
    let questionnaire = find(&state, &id)?;
    let language = questionnaire.language(choice.lang.as_deref());
    Ok(views::form(&questionnaire, language, &FormInput::default(), &[]))
}

async fn submit_response(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Result<Response, WebError> {
    let questionnaire = find(&state, &id)?;
    let Form(pairs) = form.map_err(|rejection| WebError::UnreadableForm(rejection.body_text()))?;
    let input = FormInput::new(&questionnaire, pairs)?;
    let language = questionnaire.language(Some(input.value(LANGUAGE_FIELD))).to_owned();
    let answers = match validate(&questionnaire, &input) {
        Ok(answers) => answers,
        Err(errors) => {
            let page = views::form(&questionnaire, &language, &input, &errors);
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let today = state.clock.today();
    let response = NewResponse {
        questionnaire: &questionnaire,
        language: &language,
        submitted_on: questionnaire.date_precision.coarsen(today),
        answers: &answers,
        // Submission tokens come to the form in the next change.
        submission: None,
    };
    state.store.insert_response(&response).await?;
    // POST/redirect/GET: reloading the thank-you page never submits twice.
    Ok(Redirect::to(&format!("/s/{}/tack?lang={language}", questionnaire.id)).into_response())
}

async fn show_thanks(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(choice): Query<LanguageChoice>,
) -> Result<Markup, WebError> {
    let questionnaire = find(&state, &id)?;
    let language = questionnaire.language(choice.lang.as_deref());
    Ok(views::thanks(&questionnaire, language))
}
