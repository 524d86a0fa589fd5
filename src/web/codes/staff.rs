//! The staff side of one-time codes, under `/staff/q/{id}/codes`: the list
//! of batches, creating a batch (whose codes are shown once, as printable
//! cards), the same codes as a CSV file, and revoking a batch. Any staff
//! member may do each: handing out cards and withdrawing lost ones is
//! everyday work, and revoking only ever takes codes away.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use uuid::Uuid;

use super::pages::{self, BatchFormValues, Card};
use crate::codes::{BatchError, BatchRequest, Code, MAX_BATCH_SIZE, NoRandomness, card_url, write_csv};
use crate::questionnaire::{Access, Questionnaire};
use crate::staff::action;
use crate::store::StoreError;
use crate::web::AppState;
use crate::web::staff::{CsrfChecked, NoFields, StaffUser, message_page};

/// The staff routes of one-time codes, listed in `STAFF_ROUTES`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/q/{id}/codes", get(show_codes).post(create_batch))
        .route("/staff/q/{id}/codes/csv", post(download_csv))
        .route("/staff/q/{id}/codes/{batch}/revoke", post(revoke_batch))
}

/// Why a codes page could not do what was asked; each becomes a Swedish page.
#[derive(Debug, thiserror::Error)]
enum CodesError {
    #[error("no questionnaire `{0}`")]
    UnknownQuestionnaire(String),
    #[error("the questionnaire is open to anyone with the link")]
    NotCoded,
    #[error("no such batch of this questionnaire")]
    NoSuchBatch,
    #[error("the codes to download could not be read")]
    UnreadableCodes,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Randomness(#[from] NoRandomness),
    #[error("the CSV file could not be written: {0}")]
    Csv(#[from] csv::Error),
}

impl CodesError {
    fn page(self, user: &StaffUser) -> Response {
        let (status, title, text) = match &self {
            CodesError::UnknownQuestionnaire(_) => {
                (StatusCode::NOT_FOUND, "Enkäten finns inte", "Tjänsten visar ingen enkät med det namnet.")
            }
            CodesError::NotCoded => (
                StatusCode::CONFLICT,
                "Enkäten använder inga koder",
                "Alla med länken kan svara på den här enkäten. Skriv access = \"code\" i enkätfilen för att använda engångskoder.",
            ),
            CodesError::NoSuchBatch => {
                (StatusCode::NOT_FOUND, "Kodserien finns inte", "Enkäten har ingen kodserie med det id:t.")
            }
            CodesError::UnreadableCodes => (
                StatusCode::BAD_REQUEST,
                "Koderna kunde inte läsas",
                "Inget har ändrats. Gå tillbaka till korten och försök igen.",
            ),
            CodesError::Store(error) => {
                // Logged here, once; never with a code.
                tracing::error!(%error, "a codes page failed on the database");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "Något gick fel hos oss",
                    "Databasen svarar inte just nu. Inga koder har skapats eller ändrats. Försök igen om en stund.",
                )
            }
            CodesError::Randomness(error) => {
                tracing::error!(%error, "no randomness for one-time codes");
                (StatusCode::SERVICE_UNAVAILABLE, "Något gick fel hos oss", "Inga koder har skapats. Försök igen.")
            }
            CodesError::Csv(error) => {
                tracing::error!(%error, "a CSV file of codes could not be written");
                (StatusCode::INTERNAL_SERVER_ERROR, "Något gick fel hos oss", "Filen kunde inte skapas. Försök igen.")
            }
        };
        (status, message_page(Some(user), title, text, ("/staff", "Till startsidan"))).into_response()
    }
}

fn find(state: &AppState, id: &str) -> Result<Arc<Questionnaire>, CodesError> {
    state.catalog.get(id).ok_or_else(|| CodesError::UnknownQuestionnaire(id.to_owned()))
}

fn coded(state: &AppState, id: &str) -> Result<Arc<Questionnaire>, CodesError> {
    let questionnaire = find(state, id)?;
    if questionnaire.access == Access::Code { Ok(questionnaire) } else { Err(CodesError::NotCoded) }
}

/// The link printed on a card, short enough to type.
fn short_url(state: &AppState, questionnaire: &Questionnaire) -> String {
    format!("{}/s/{}", state.public_url, questionnaire.id)
}

async fn show_codes(user: StaffUser, State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let shown = async {
        let questionnaire = find(&state, &id)?;
        let today = state.clock.today();
        let batches = match questionnaire.access {
            Access::Code => state.store.code_batches(&questionnaire, today).await?,
            Access::Open => Vec::new(),
        };
        let page = pages::codes_page(&user, &questionnaire, today, &batches, &[], &BatchFormValues::default());
        Ok::<_, CodesError>(page)
    };
    match shown.await {
        Ok(page) => page.into_response(),
        Err(error) => error.page(&user),
    }
}

/// The form that creates a batch.
#[derive(Debug, Deserialize)]
struct BatchForm {
    #[serde(default)]
    count: String,
    #[serde(default)]
    label: String,
}

async fn create_batch(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfChecked(user, form): CsrfChecked<BatchForm>,
) -> Response {
    let created = async {
        let questionnaire = coded(&state, &id)?;
        let request = match BatchRequest::parse(&form.count, &form.label, questionnaire.min_report_n) {
            Ok(request) => request,
            Err(refused) => {
                let today = state.clock.today();
                let batches = state.store.code_batches(&questionnaire, today).await?;
                let values = BatchFormValues { count: form.count.clone(), label: form.label.clone() };
                let problems: Vec<String> = refused.0.into_iter().map(batch_problem).collect();
                let page = pages::codes_page(&user, &questionnaire, today, &batches, &problems, &values);
                return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
            }
        };
        let codes = request.generate()?;
        let fingerprints: Vec<String> = codes.iter().map(|code| code.fingerprint(&state.key)).collect();
        state.store.create_code_batch(&id, &request.label, state.clock.today(), &fingerprints).await?;
        let details = format!("{id}: {} koder, \u{201d}{}\u{201d}", request.size, request.label);
        state.store.record_audit(&user.name, action::CODES_CREATED, &details).await?;
        let cards: Vec<Card> = codes
            .iter()
            .map(|code| Card { code: code.display(), url: card_url(&state.public_url, &id, code) })
            .collect();
        let short = short_url(&state, &questionnaire);
        Ok::<_, CodesError>(pages::cards_page(&user, &questionnaire, &request.label, &short, &cards).into_response())
    };
    match created.await {
        Ok(response) => response,
        Err(error) => error.page(&user),
    }
}

/// What the page says of a refused batch.
fn batch_problem(problem: BatchError) -> String {
    match problem {
        BatchError::Size { least } => format!("Antalet koder ska vara ett heltal från {least} till {MAX_BATCH_SIZE}."),
        BatchError::Label => "Skriv en etikett på 1–100 tecken, till exempel var korten delas ut.".to_owned(),
        BatchError::TooFew { least } => format!(
            "En kodserie måste ha minst {least} koder. Den ska delas ut till en grupp, aldrig till en enskild person: \
             annars kan antalet använda koder visa att just den personen har svarat."
        ),
    }
}

/// The codes of the cards page, sent back for a CSV file.
#[derive(Debug, Deserialize)]
struct CsvForm {
    #[serde(default)]
    codes: String,
}

async fn download_csv(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfChecked(user, form): CsrfChecked<CsvForm>,
) -> Response {
    let written = async {
        let questionnaire = coded(&state, &id)?;
        let codes: Vec<Code> = form
            .codes
            .split_whitespace()
            .map(Code::parse)
            .collect::<Result<_, _>>()
            .map_err(|_| CodesError::UnreadableCodes)?;
        if codes.is_empty() {
            return Err(CodesError::UnreadableCodes);
        }
        let mut body = Vec::new();
        write_csv(&state.public_url, &questionnaire.id, &codes, &mut body)?;
        let disposition = format!("attachment; filename=\"{id}-koder.csv\"");
        Ok((
            [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, disposition)],
            body,
        )
            .into_response())
    };
    match written.await {
        Ok(response) => response,
        Err(error) => error.page(&user),
    }
}

async fn revoke_batch(
    State(state): State<AppState>,
    Path((id, batch)): Path<(String, String)>,
    CsrfChecked(user, NoFields {}): CsrfChecked<NoFields>,
) -> Response {
    let revoked = async {
        coded(&state, &id)?;
        let batch_id = Uuid::parse_str(&batch).map_err(|_| CodesError::NoSuchBatch)?;
        if state.store.code_batch_questionnaire(batch_id).await?.as_deref() != Some(id.as_str()) {
            return Err(CodesError::NoSuchBatch);
        }
        // Revoking twice changes nothing and is not logged twice.
        if let Some(revoked) = state.store.revoke_code_batch(batch_id).await? {
            let details =
                format!("{id}: \u{201d}{}\u{201d}, {} oanvända koder återkallade", revoked.label, revoked.withdrawn);
            state.store.record_audit(&user.name, action::CODES_REVOKED, &details).await?;
        }
        Ok(Redirect::to(&format!("/staff/q/{id}/codes")).into_response())
    };
    match revoked.await {
        Ok(response) => response,
        Err(error) => error.page(&user),
    }
}
