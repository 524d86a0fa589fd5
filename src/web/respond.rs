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

use super::language::AcceptLanguage;
use super::reach::{self, KIOSK_FIELD, SUBMISSION_FIELD, SubmissionToken};
use super::{AppState, WebError, codes, views};
use crate::questionnaire::{Availability, FormInput, Questionnaire, validate};
use crate::store::{NewResponse, Stored};

pub fn router() -> Router<AppState> {
    Router::new().route("/s/{id}", get(show_form).post(submit_response)).route("/s/{id}/tack", get(show_thanks))
}

/// `?lang=en`: the language chosen by the respondent (or for them, from
/// `Accept-Language`), carried in the URL;
/// `?kiosk=1`: kiosk mode asked for by the link.
#[derive(Debug, Deserialize)]
struct LanguageChoice {
    lang: Option<String>,
    #[serde(default)]
    kiosk: String,
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
    Query(card): Query<codes::CodeQuery>,
    accepted: AcceptLanguage,
) -> Result<Markup, WebError> {
    let questionnaire = find(&state, &id)?;
    let language = accepted.choose(&questionnaire, choice.lang.as_deref());
    let availability = questionnaire.availability(state.clock.today());
    if availability != Availability::Open {
        // Nothing is wrong, so 200: a notice, not an error page.
        return Ok(views::not_open(&questionnaire, language, availability));
    }
    // A new token for every form shown; it is recorded only if the form is sent.
    let mut carried = vec![(
        SUBMISSION_FIELD.to_owned(),
        SubmissionToken::generate().map_err(WebError::Randomness)?.as_str().to_owned(),
    )];
    let kiosk = reach::is_kiosk(&questionnaire, &choice.kiosk);
    if kiosk {
        carried.push((KIOSK_FIELD.to_owned(), "1".to_owned()));
    }
    // A coded questionnaire shows the form only for a live code, and carries it.
    let code = codes::admit_to_form(&state, &questionnaire, language, kiosk, &card).await?;
    carried.extend(codes::carried(code.as_ref()));
    let input = FormInput::new(&questionnaire, carried)?;
    Ok(views::form(&questionnaire, language, &input, &[]))
}

async fn submit_response(
    State(state): State<AppState>,
    Path(id): Path<String>,
    accepted: AcceptLanguage,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Result<Response, WebError> {
    let questionnaire = find(&state, &id)?;
    let Form(pairs) = form.map_err(|rejection| WebError::UnreadableForm(rejection.body_text()))?;
    let availability = questionnaire.availability(state.clock.today());
    if availability != Availability::Open {
        // Checked before anything else in the form, so that a form loaded
        // before closing and sent after gets the calm page, whatever it holds.
        // 403, not 200: the answers were not taken, and a script or a monitor
        // must not count this as stored; a browser shows the page all the same.
        let asked = pairs.iter().find(|(name, _)| name == LANGUAGE_FIELD).map(|(_, value)| value.as_str());
        let page = views::not_open(&questionnaire, accepted.choose(&questionnaire, asked), availability);
        return Ok((StatusCode::FORBIDDEN, page).into_response());
    }
    let input = FormInput::new(&questionnaire, pairs)?;
    let language = accepted.choose(&questionnaire, Some(input.value(LANGUAGE_FIELD))).to_owned();
    // A coded questionnaire's form must carry a well-formed code; it is used
    // up only with a stored response, so a refused form keeps it.
    let kiosk = reach::is_kiosk(&questionnaire, input.value(KIOSK_FIELD));
    let code = codes::admit_submission(&state, &questionnaire, &language, kiosk, &input).await?;
    let answers = match validate(&questionnaire, &input) {
        Ok(answers) => answers,
        Err(errors) => {
            let page = views::form(&questionnaire, &language, &input, &errors);
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let today = state.clock.today();
    // A form without a token (a page from before tokens, a script) is still
    // stored: refusing it would lose a real answer, and the only cost is no
    // protection against that form being sent twice.
    let submission = SubmissionToken::hash_of_sent(&input);
    let response = NewResponse {
        questionnaire: &questionnaire,
        language: &language,
        submitted_on: questionnaire.date_precision.coarsen(today),
        answers: &answers,
        submission: submission.as_deref(),
    };
    match codes::store_response(&state, &response, kiosk, code.as_ref()).await? {
        // A second send of the same form (double click, Back and send) was
        // stored the first time: the person is thanked just the same.
        Stored::New(_) | Stored::Duplicate => {}
    }
    let kiosk = if kiosk { "&kiosk=1" } else { "" };
    // POST/redirect/GET: reloading the thank-you page never submits twice.
    Ok(Redirect::to(&format!("/s/{}/tack?lang={language}{kiosk}", questionnaire.id)).into_response())
}

async fn show_thanks(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(choice): Query<LanguageChoice>,
    accepted: AcceptLanguage,
) -> Result<Markup, WebError> {
    let questionnaire = find(&state, &id)?;
    let language = accepted.choose(&questionnaire, choice.lang.as_deref());
    Ok(views::thanks(&questionnaire, language, reach::is_kiosk(&questionnaire, &choice.kiosk)))
}
