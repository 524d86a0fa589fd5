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

use super::pages::{self, BatchFormValues, Card, FORMS, Printout};
use super::qr;
use crate::codes::{BatchError, BatchRequest, Code, MAX_BATCH_SIZE, card_url, write_csv};
use crate::questionnaire::{Access, Questionnaire};
use crate::staff::UnitRole;
use crate::staff::action;
use crate::web::AppState;
use crate::web::staff::{CsrfChecked, NoFields, StaffPageError, StaffUser};
use crate::web::views::print::{self, PaperCode};

/// The staff routes of one-time codes, listed in `STAFF_ROUTES`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/q/{id}/codes", get(show_codes).post(create_batch))
        .route("/staff/q/{id}/codes/csv", post(download_csv))
        .route("/staff/q/{id}/codes/{batch}/revoke", post(revoke_batch))
}

/// Codes are the everyday work of the unit's coordinators.
fn coded(state: &AppState, user: &StaffUser, id: &str) -> Result<Arc<Questionnaire>, StaffPageError> {
    let questionnaire = user.questionnaire(state, id, UnitRole::Coordinator)?;
    if questionnaire.access == Access::Code { Ok(questionnaire) } else { Err(StaffPageError::NotCoded) }
}

/// The link printed on a card, short enough to type.
fn short_url(state: &AppState, questionnaire: &Questionnaire) -> String {
    format!("{}/s/{}", state.public_url, questionnaire.id)
}

async fn show_codes(
    user: StaffUser,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, StaffPageError> {
    let questionnaire = user.questionnaire(&state, &id, UnitRole::Coordinator)?;
    let today = state.clock.today();
    let batches = match questionnaire.access {
        Access::Code => state.store.code_batches(&questionnaire, today).await?,
        Access::Open => Vec::new(),
    };
    Ok(pages::codes_page(&user, &questionnaire, today, &batches, &[], &BatchFormValues::default()).into_response())
}

/// The form that creates a batch.
#[derive(Debug, Deserialize)]
struct BatchForm {
    #[serde(default)]
    count: String,
    #[serde(default)]
    label: String,
    /// `cards` (the default) or `forms`: a paper form per code.
    #[serde(default)]
    print: String,
    /// The paper forms' language.
    #[serde(default)]
    lang: String,
}

impl BatchForm {
    /// What to print, checked against the questionnaire: an unknown choice
    /// or a language it does not have is a problem to show on the form.
    fn printout(&self, questionnaire: &Questionnaire) -> Result<Printout, String> {
        match self.print.trim() {
            "" | "cards" => Ok(Printout::Cards),
            FORMS => {
                let wanted = self.lang.trim();
                let language = if wanted.is_empty() { questionnaire.languages[0].as_str() } else { wanted };
                match questionnaire.languages.iter().find(|lang| *lang == language) {
                    Some(language) => Ok(Printout::Forms { language: language.clone() }),
                    None => Err(format!(
                        "Välj ett av enkätens språk för papperformulären: {}.",
                        questionnaire.languages.join(", ")
                    )),
                }
            }
            _ => Err("Välj om koderna ska skrivas ut som kort eller som papperformulär.".to_owned()),
        }
    }

    fn values(&self) -> BatchFormValues {
        BatchFormValues {
            count: self.count.clone(),
            label: self.label.clone(),
            print: self.print.clone(),
            lang: self.lang.clone(),
        }
    }
}

async fn create_batch(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfChecked(user, form): CsrfChecked<BatchForm>,
) -> Result<Response, StaffPageError> {
    let questionnaire = coded(&state, &user, &id)?;
    let parsed = BatchRequest::parse(&form.count, &form.label, questionnaire.min_report_n);
    let (request, printout) = match (parsed, form.printout(&questionnaire)) {
        (Ok(request), Ok(printout)) => (request, printout),
        (parsed, printout) => {
            let today = state.clock.today();
            let batches = state.store.code_batches(&questionnaire, today).await?;
            let mut problems: Vec<String> =
                parsed.err().map(|refused| refused.0).unwrap_or_default().into_iter().map(batch_problem).collect();
            problems.extend(printout.err());
            let page = pages::codes_page(&user, &questionnaire, today, &batches, &problems, &form.values());
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let codes = request.generate()?;
    let fingerprints: Vec<String> = codes.iter().map(|code| code.fingerprint(&state.key)).collect();
    state.store.create_code_batch(&id, &request.label, state.clock.today(), &fingerprints).await?;
    let details = format!("{id}: {} koder, \u{201d}{}\u{201d}", request.size, request.label);
    state.store.record_audit(&user.name, action::CODES_CREATED, &details, state.clock.now_utc()).await?;
    let cards: Vec<Card> =
        codes.iter().map(|code| Card { code: code.display(), url: card_url(&state.public_url, &id, code) }).collect();
    let short = short_url(&state, &questionnaire);
    match printout {
        Printout::Cards => Ok(pages::cards_page(&user, &questionnaire, &request.label, &short, &cards).into_response()),
        Printout::Forms { language } => {
            let papers: Vec<PaperCode> = cards
                .into_iter()
                .map(|card| PaperCode {
                    qr: qr::svg(&card.url, &format!("QR-kod till enkäten med koden {}", card.code)),
                    code: card.code,
                    short_url: short.clone(),
                })
                .collect();
            let document = print::coded_documents(&questionnaire, &language, &papers);
            Ok(([(header::CONTENT_SECURITY_POLICY, print::content_security_policy())], document).into_response())
        }
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
) -> Result<Response, StaffPageError> {
    let questionnaire = coded(&state, &user, &id)?;
    let codes: Vec<Code> = form
        .codes
        .split_whitespace()
        .map(Code::parse)
        .collect::<Result<_, _>>()
        .map_err(|_| StaffPageError::UnreadableCodes)?;
    if codes.is_empty() {
        return Err(StaffPageError::UnreadableCodes);
    }
    let mut body = Vec::new();
    write_csv(&state.public_url, &questionnaire.id, &codes, &mut body)?;
    let disposition = format!("attachment; filename=\"{id}-koder.csv\"");
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, disposition)],
        body,
    )
        .into_response())
}

async fn revoke_batch(
    State(state): State<AppState>,
    Path((id, batch)): Path<(String, String)>,
    CsrfChecked(user, NoFields {}): CsrfChecked<NoFields>,
) -> Result<Response, StaffPageError> {
    coded(&state, &user, &id)?;
    let batch_id = Uuid::parse_str(&batch).map_err(|_| StaffPageError::NoSuchBatch)?;
    if state.store.code_batch_questionnaire(batch_id).await?.as_deref() != Some(id.as_str()) {
        return Err(StaffPageError::NoSuchBatch);
    }
    // Revoking twice changes nothing and is not logged twice.
    if let Some(revoked) = state.store.revoke_code_batch(batch_id).await? {
        let details =
            format!("{id}: \u{201d}{}\u{201d}, {} oanvända koder återkallade", revoked.label, revoked.withdrawn);
        state.store.record_audit(&user.name, action::CODES_REVOKED, &details, state.clock.now_utc()).await?;
    }
    Ok(Redirect::to(&format!("/staff/q/{id}/codes")).into_response())
}
