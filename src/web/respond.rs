//! The respondent's journey: the form, its submission, the thank-you page.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Extension, Form, Router};
use maud::Markup;
use serde::Deserialize;
use time::Date;

use super::kept_pages::KeptPages;
use super::language::AcceptLanguage;
use super::reach::{self, SubmissionToken};
use super::views::FormTarget;
use super::{AppState, WebError, codes, views};
use crate::codes::Code;
use crate::questionnaire::protocol::{
    CODE_FIELD, KIOSK_FIELD, LANGUAGE_FIELD, PAGE_FIELD, START_PAGE, SUBMISSION_FIELD, VERSION_FIELD,
};
use crate::questionnaire::versions::{self, FormVersion};
use crate::questionnaire::{self, Access, Availability, FormInput, Questionnaire, Step};
use crate::store::{NewResponse, ResponseWriter, Stored};

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

fn find(state: &AppState, id: &str) -> Result<Arc<Questionnaire>, WebError> {
    state.catalog.get(id).ok_or(WebError::NotFound)
}

async fn show_form(
    State(state): State<AppState>,
    Extension(kept): Extension<Arc<KeptPages>>,
    Path(id): Path<String>,
    Query(choice): Query<LanguageChoice>,
    Query(card): Query<codes::CodeQuery>,
    accepted: AcceptLanguage,
) -> Result<Response, WebError> {
    let questionnaire = find(&state, &id)?;
    let language = accepted.choose(&questionnaire, choice.lang.as_deref());
    let availability = questionnaire.availability(state.clock.today());
    if availability != Availability::Open {
        // Nothing is wrong, so 200: a notice, not an error page.
        return Ok(views::not_open(&questionnaire, language, availability).into_response());
    }
    let kiosk = reach::is_kiosk(&questionnaire, &choice.kiosk);
    // A coded questionnaire's start page carries a well-formed code into the
    // form, unchecked: its button checks it (see `codes::admit_to_form`).
    let Some(code) = codes::admit_to_form(&state, &questionnaire, language, kiosk, &card)? else {
        return kept_start_page(&state, &kept, &questionnaire, language, kiosk);
    };
    let input = start_input(&questionnaire, kiosk, Some(&code))?;
    Ok(views::start_page(&questionnaire, language, &input, FormTarget::Respondent).into_response())
}

/// What a start page carries into the form: kiosk mode and a coded
/// questionnaire's code. No submission token: a form gets its token when it
/// is started (see `give_token_when_started`).
fn start_input(questionnaire: &Questionnaire, kiosk: bool, code: Option<&Code>) -> Result<FormInput, WebError> {
    let mut carried = Vec::new();
    if kiosk {
        carried.push((KIOSK_FIELD.to_owned(), "1".to_owned()));
    }
    carried.extend(codes::carried(code));
    Ok(FormInput::new(questionnaire, carried)?)
}

/// An open questionnaire's start page, the same bytes for everyone with
/// the same language, kiosk mode and exit site (see `KeptPages`).
fn kept_start_page(
    state: &AppState,
    kept: &KeptPages,
    questionnaire: &Arc<Questionnaire>,
    language: &str,
    kiosk: bool,
) -> Result<Response, WebError> {
    let key = format!("start {language} kiosk={kiosk} exit={}", state.safety.exit_url);
    let page = kept.get_or_render(questionnaire, key, || {
        let input = start_input(questionnaire, kiosk, None)?;
        Ok::<_, WebError>(Bytes::from(
            views::start_page(questionnaire, language, &input, FormTarget::Respondent).into_string(),
        ))
    })?;
    Ok(Html(page).into_response())
}

async fn submit_response(
    State(state): State<AppState>,
    Extension(writer): Extension<ResponseWriter>,
    Path(id): Path<String>,
    accepted: AcceptLanguage,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Result<Response, WebError> {
    let served = find(&state, &id)?;
    let Form(mut pairs) = form.map_err(WebError::from)?;
    // Checked before anything else in the form, so that a form loaded
    // before closing and sent after gets the calm page, whatever it holds.
    if let Some(refused) = refuse_unless_open(&state, &served, &accepted, &pairs) {
        return Ok(refused);
    }
    let questionnaire = match version_shown(&state, served.clone(), sent(&pairs, VERSION_FIELD)).await? {
        Shown::Taken(questionnaire) => questionnaire,
        Shown::TooOld => return Ok(version_changed(&served, &accepted, &pairs)),
    };
    // The days of the version shown count too: open only when both are.
    if let Some(refused) = refuse_unless_open(&state, &questionnaire, &accepted, &pairs) {
        return Ok(refused);
    }
    give_token_when_started(&mut pairs)?;
    let input = FormInput::new(&questionnaire, pairs)?;
    let language = accepted.choose(&questionnaire, Some(input.language())).to_owned();
    // A coded questionnaire's form must carry a well-formed code, checked on
    // its start page; it is used up only with a stored response, so a
    // refused form keeps it.
    let kiosk = reach::is_kiosk(&questionnaire, input.value(KIOSK_FIELD));
    let (code, input) = codes::admit_submission(&state, &questionnaire, &language, kiosk, input).await?;
    let answers = match questionnaire::next_step(&questionnaire, &input)? {
        Step::Show(screen) => {
            return Ok(
                views::screen(&questionnaire, &language, &input, &screen, FormTarget::Respondent).into_response()
            );
        }
        Step::Complete(answers) => answers,
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
        channel: crate::questionnaire::Channel::Web,
    };
    match codes::store_response(&state, &writer, &response, kiosk, code.as_ref()).await? {
        // A second send of the same form (double click, Back and send) was
        // stored the first time: the person is thanked just the same.
        Stored::New(_) | Stored::Duplicate => {}
    }
    let kiosk = if kiosk { "&kiosk=1" } else { "" };
    // POST/redirect/GET: reloading the thank-you page never submits twice.
    Ok(Redirect::to(&format!("/s/{}/tack?lang={language}{kiosk}", questionnaire.id)).into_response())
}

/// The first value of a sent form field, if it was sent.
fn sent<'a>(pairs: &'a [(String, String)], field: &str) -> Option<&'a str> {
    pairs.iter().find(|(name, _)| name == field).map(|(_, value)| value.as_str())
}

/// The calm page for a form sent on a day `questionnaire` takes no answers,
/// or `None` on a day it does. 403, not 200: the answers were not taken, and
/// a script or a monitor must not count this as stored; a browser shows the
/// page all the same.
fn refuse_unless_open(
    state: &AppState,
    questionnaire: &Questionnaire,
    accepted: &AcceptLanguage,
    pairs: &[(String, String)],
) -> Option<Response> {
    let availability = questionnaire.availability(state.clock.today());
    if availability == Availability::Open {
        return None;
    }
    let language = accepted.choose(questionnaire, sent(pairs, LANGUAGE_FIELD));
    Some((StatusCode::FORBIDDEN, views::not_open(questionnaire, language, availability)).into_response())
}

/// The calm page for a form from a version replaced longer ago than the
/// grace period. 409: nothing is wrong with the answers, but they belong to
/// a questionnaire that is no longer asked, and nothing was stored.
fn version_changed(served: &Questionnaire, accepted: &AcceptLanguage, pairs: &[(String, String)]) -> Response {
    let language = accepted.choose(served, sent(pairs, LANGUAGE_FIELD));
    let kiosk = reach::is_kiosk(served, sent(pairs, KIOSK_FIELD).unwrap_or_default());
    let code = (served.access == Access::Code)
        .then(|| sent(pairs, CODE_FIELD).and_then(|typed| Code::parse(typed).ok()))
        .flatten();
    (StatusCode::CONFLICT, views::version_changed(served, language, kiosk, code.as_ref())).into_response()
}

/// A form being started (its start page's button) gets its one-time
/// submission token, drawn fresh for it, carried on every page after. A
/// start page from before tokens were drawn here carries one: it is kept.
fn give_token_when_started(pairs: &mut Vec<(String, String)>) -> Result<(), WebError> {
    let sent = |field: &str| pairs.iter().find(|(name, _)| name == field).map(|(_, value)| value.as_str());
    if sent(PAGE_FIELD) != Some(START_PAGE) || sent(SUBMISSION_FIELD).is_some_and(|token| !token.is_empty()) {
        return Ok(());
    }
    let token = SubmissionToken::generate().map_err(WebError::Randomness)?;
    pairs.retain(|(name, _)| name != SUBMISSION_FIELD);
    pairs.push((SUBMISSION_FIELD.to_owned(), token.as_str().to_owned()));
    Ok(())
}

/// The version of the questionnaire a form was shown in, as it is taken now.
enum Shown {
    /// Its questions, to read and check the answers, under the strictest of
    /// its own and the served version's settings.
    Taken(Arc<Questionnaire>),
    /// Replaced longer ago than the grace period: nothing is stored.
    TooOld,
}

/// The version of the questionnaire a form was shown in: the one served now,
/// or an earlier one replaced within the grace period (see
/// `versions::form_version`). Answers are checked against, and stored with,
/// the questions the person saw, even if the file was edited in between;
/// the settings are never weaker than those served now.
async fn version_shown(state: &AppState, served: Arc<Questionnaire>, sent: Option<&str>) -> Result<Shown, WebError> {
    let Some(sent) = sent.filter(|sent| *sent != served.version.as_str()) else { return Ok(Shown::Taken(served)) };
    let stored = state.store.versions(&served.id).await?;
    let history: Vec<(&str, Date)> =
        stored.iter().map(|version| (version.version.as_str(), version.first_seen)).collect();
    match versions::form_version(&history, sent, served.version.as_str(), state.clock.today()) {
        FormVersion::Served | FormVersion::Recent => {}
        FormVersion::TooOld => return Ok(Shown::TooOld),
        // A version the store does not know (a form from a test, a made-up
        // value) is checked against the questions served now.
        FormVersion::Unknown => return Ok(Shown::Taken(served)),
    }
    Ok(Shown::Taken(match earlier_version(state, &served.id, sent).await? {
        Some(shown) => Arc::new(shown.with_strictest_settings(&served)),
        None => served,
    }))
}

/// A stored version of a questionnaire: one served since the start, or one
/// read back from its stored snapshot. `None` if its snapshot no longer
/// loads (the form is then checked against the questions served now).
async fn earlier_version(state: &AppState, id: &str, version: &str) -> Result<Option<Arc<Questionnaire>>, WebError> {
    if let Some(shown) = state.catalog.version(id, version) {
        return Ok(Some(shown));
    }
    match state.store.stored_questionnaire(id, version).await? {
        None => Ok(None),
        Some(Ok(shown)) => Ok(Some(Arc::new(shown))),
        Some(Err(problems)) => {
            let problems = format!("version {version}: {} problem(s)", problems.len());
            super::respondent_log::note("a stored version of a questionnaire no longer loads", &problems);
            Ok(None)
        }
    }
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
