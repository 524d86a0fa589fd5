//! The accessibility statement (`/tillganglighet`, DOS-lagen) with its form
//! for reporting a problem without an e-mail account, and the admins' page
//! of the reports (`/staff/admin/tillganglighet`), where reading, handling
//! and deleting them is audited.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::rejection::FormRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::{Markup, html};
use serde::Deserialize;
use uuid::Uuid;

use super::language::AcceptLanguage;
use super::staff::{AdminUser, CsrfChecked, StaffPageError, csrf_field, from_another_site, staff_layout};
use super::views::{self, ReportForm};
use super::{AppState, WebError};
use crate::accessibility::Statement;
use crate::accessibility::feedback::Feedback;
use crate::locale::long_date;
use crate::staff::action;
use crate::store::StoredFeedback;

/// The statement served and the brake on reports, shared by every request.
#[derive(Debug)]
pub struct StatementState {
    /// The organisation's statement, read once at start.
    pub statement: Statement,
    brake: ReportBrake,
}

impl Default for StatementState {
    /// enkat's own statement and the service's brake.
    fn default() -> StatementState {
        StatementState::new(Statement::default())
    }
}

impl StatementState {
    /// `statement`, with at most 20 reports taken in 10 minutes.
    pub fn new(statement: Statement) -> StatementState {
        StatementState::with_brake(statement, 20, Duration::from_secs(600))
    }

    /// `statement`, with at most `limit` reports taken in `window`.
    pub fn with_brake(statement: Statement, limit: usize, window: Duration) -> StatementState {
        StatementState { statement, brake: ReportBrake { limit, window, taken: Mutex::default() } }
    }
}

/// Keeps a flood of reports from filling the table: it counts the moments
/// reports were taken across the service, never who sent them.
#[derive(Debug)]
struct ReportBrake {
    limit: usize,
    window: Duration,
    taken: Mutex<VecDeque<Instant>>,
}

impl ReportBrake {
    /// Whether one more report may be taken now; if so, it is counted.
    fn take(&self) -> bool {
        let now = Instant::now();
        let mut taken = self.taken.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        while taken.front().is_some_and(|moment| now.duration_since(*moment) >= self.window) {
            taken.pop_front();
        }
        if taken.len() >= self.limit {
            return false;
        }
        taken.push_back(now);
        true
    }
}

/// The respondent's routes (the statement, its form and the thanks).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/tillganglighet", get(show_statement).post(report_problem))
        .route("/tillganglighet/tack", get(show_thanks))
}

/// The admins' routes, listed in `STAFF_ROUTES`.
pub fn staff_router() -> Router<AppState> {
    Router::new()
        .route("/staff/admin/tillganglighet", get(show_reports))
        .route("/staff/admin/tillganglighet/{id}/hanterad", post(mark_handled))
        .route("/staff/admin/tillganglighet/{id}/ta-bort", post(delete_report))
}

/// `?lang=en`: the page's language (else chosen from `Accept-Language`).
#[derive(Debug, Deserialize)]
struct LanguageChoice {
    lang: Option<String>,
}

/// The report form as sent.
#[derive(Debug, Default, Deserialize)]
struct ReportFields {
    #[serde(default)]
    lang: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    page: String,
}

async fn show_statement(
    State(state): State<AppState>,
    Query(choice): Query<LanguageChoice>,
    accepted: AcceptLanguage,
) -> Markup {
    let locale = accepted.choose_locale(choice.lang.as_deref());
    views::statement_page(&state.accessibility.statement, &locale.code, &ReportForm::default())
}

async fn report_problem(
    State(state): State<AppState>,
    headers: HeaderMap,
    accepted: AcceptLanguage,
    form: Result<Form<ReportFields>, FormRejection>,
) -> Result<Response, WebError> {
    let Form(fields) = form.map_err(WebError::from)?;
    let language = accepted.choose_locale(Some(&fields.lang)).code.as_str();
    // Another site's page must not make a visitor's browser send reports.
    if from_another_site(&headers, &state) {
        let page = views::statement_notice(language, |texts| (&texts.cross_site_title, &texts.cross_site_text));
        return Ok((StatusCode::FORBIDDEN, page).into_response());
    }
    let feedback = match Feedback::parse(&fields.text, &fields.page, state.clock.today()) {
        Ok(feedback) => feedback,
        Err(problem) => {
            let form = ReportForm { text: &fields.text, page: &fields.page, problem: Some(problem) };
            let page = views::statement_page(&state.accessibility.statement, language, &form);
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    if !state.accessibility.brake.take() {
        let page = views::statement_notice(language, |texts| (&texts.busy_title, &texts.busy_text));
        return Ok((StatusCode::TOO_MANY_REQUESTS, [(header::RETRY_AFTER, "600")], page).into_response());
    }
    state.store.insert_feedback(&feedback).await?;
    // POST/redirect/GET: reloading the thanks never sends the report again.
    Ok(Redirect::to(&format!("/tillganglighet/tack?lang={language}")).into_response())
}

async fn show_thanks(Query(choice): Query<LanguageChoice>, accepted: AcceptLanguage) -> Markup {
    views::statement_thanks(&accepted.choose_locale(choice.lang.as_deref()).code)
}

async fn show_reports(State(state): State<AppState>, AdminUser(user): AdminUser) -> Result<Markup, StaffPageError> {
    let reports = state.store.feedback().await?;
    let details = format!("{} rapporter", reports.len());
    state.store.record_audit(&user.name, action::ACCESSIBILITY_READ, &details, state.clock.now_utc()).await?;
    Ok(reports_page(&user, &reports))
}

/// `handled=1` marks a report handled, `handled=0` not handled.
#[derive(Debug, Deserialize)]
struct HandledForm {
    #[serde(default)]
    handled: String,
}

async fn mark_handled(
    State(state): State<AppState>,
    _: AdminUser,
    Path(id): Path<String>,
    CsrfChecked(user, form): CsrfChecked<HandledForm>,
) -> Result<Response, StaffPageError> {
    let id = Uuid::parse_str(&id).map_err(|_| StaffPageError::NotFound)?;
    let handled = form.handled == "1";
    if !state.store.mark_feedback_handled(id, handled).await? {
        return Err(StaffPageError::NotFound);
    }
    let details = format!("{id}: {}", if handled { "hanterad" } else { "ej hanterad" });
    state.store.record_audit(&user.name, action::ACCESSIBILITY_HANDLED, &details, state.clock.now_utc()).await?;
    Ok(Redirect::to("/staff/admin/tillganglighet").into_response())
}

async fn delete_report(
    State(state): State<AppState>,
    _: AdminUser,
    Path(id): Path<String>,
    CsrfChecked(user, _): CsrfChecked<super::staff::NoFields>,
) -> Result<Response, StaffPageError> {
    let id = Uuid::parse_str(&id).map_err(|_| StaffPageError::NotFound)?;
    if !state.store.delete_feedback(id).await? {
        return Err(StaffPageError::NotFound);
    }
    state.store.record_audit(&user.name, action::ACCESSIBILITY_DELETED, &id.to_string(), state.clock.now_utc()).await?;
    Ok(Redirect::to("/staff/admin/tillganglighet").into_response())
}

/// The reports, not yet handled first; each with its week, never a day.
fn reports_page(user: &super::staff::StaffUser, reports: &[StoredFeedback]) -> Markup {
    let swedish = crate::locale::get("sv");
    let body = html! {
        p.breadcrumb { a href="/staff" { "Enkäter" } }
        h1 { "Rapporter om tillgänglighet" }
        p {
            "Rapporter som skickats från "
            a href="/tillganglighet" { "tillgänglighetsredogörelsen" }
            ". Bara texten, sidan om den angavs och veckan sparas, inget om vem som skrev. "
            "Att du läser, markerar och tar bort rapporter sparas i händelseloggen."
        }
        @if reports.is_empty() {
            p { "Inga rapporter." }
        } @else {
            ul.feedback-reports {
                @for report in reports {
                    li.feedback-report data-id=(report.id) data-handled=(report.handled) {
                        h2 {
                            "Veckan från " (long_date(swedish, report.week))
                            @if report.handled { " (hanterad)" }
                        }
                        @if let Some(page) = &report.page {
                            p.feedback-page { "Gäller: " (page) }
                        }
                        // Whatever the person wrote, as they wrote it, escaped.
                        p.feedback-text { (report.text) }
                        form method="post" action={ "/staff/admin/tillganglighet/" (report.id) "/hanterad" } {
                            (csrf_field(user))
                            input type="hidden" name="handled" value=(if report.handled { "0" } else { "1" });
                            button type="submit" {
                                @if report.handled { "Markera som ej hanterad" } @else { "Markera som hanterad" }
                            }
                        }
                        form method="post" action={ "/staff/admin/tillganglighet/" (report.id) "/ta-bort" } {
                            (csrf_field(user))
                            button type="submit" { "Ta bort" }
                        }
                    }
                }
            }
        }
    };
    staff_layout(Some(user), "Rapporter om tillgänglighet", body)
}
