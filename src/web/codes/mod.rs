//! One-time codes on the web: what a coded questionnaire (`access = "code"`)
//! asks of a respondent before and when they answer, the service-wide brake
//! on wrong codes, and the staff pages that create, print and revoke codes
//! (`staff`). Codes are never logged; the query string that may carry one
//! (`?kod=`) is never logged either, as there is no request log.

mod pages;
mod qr;
mod staff;

use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::Markup;
use serde::Deserialize;

pub use staff::router;

use super::views::{code_refused, code_start_page};
use super::{AppState, WebError};
use crate::codes::{Code, CodeError};
use crate::questionnaire::{Access, FormInput, Questionnaire};
use crate::store::{CodeUse, NewResponse, QueuedResponse, ResponseWriter, Store, Stored};

/// The hidden form field that carries the code through the form.
pub const CODE_FIELD: &str = "_code";

/// How far back wrong codes are counted.
const WRONG_CODE_WINDOW: Duration = Duration::from_secs(60);
/// How long after a code is used what pairs it with its response is cleared
/// (`Store::vacuum_codes`), so that several uses share one VACUUM.
const VACUUM_AFTER: Duration = Duration::from_secs(3);

/// Service-wide care of codes, shared by every request: the brake on wrong
/// codes and the vacuuming of used ones. It remembers only moments of wrong
/// attempts, never who made them or which code was tried.
#[derive(Debug)]
pub struct CodeGuard {
    /// Wrong codes in a minute, across the service, before the brake engages.
    threshold: usize,
    /// While braking, one code attempt is let through per this interval.
    delay: Duration,
    wrong: Mutex<VecDeque<Instant>>,
    /// Attempts wait here in turn while braking, so that parallel requests
    /// cannot go around the brake.
    gate: tokio::sync::Mutex<()>,
    vacuum_pending: AtomicBool,
}

impl Default for CodeGuard {
    /// The service's brake: beyond 20 wrong codes a minute, one code attempt
    /// every 2 seconds.
    fn default() -> Self {
        CodeGuard::new(20, Duration::from_secs(2))
    }
}

impl CodeGuard {
    /// A brake that engages beyond `threshold` wrong codes in a minute and
    /// then lets one attempt through per `delay`.
    pub fn new(threshold: usize, delay: Duration) -> CodeGuard {
        CodeGuard {
            threshold,
            delay,
            wrong: Mutex::new(VecDeque::new()),
            gate: tokio::sync::Mutex::new(()),
            vacuum_pending: AtomicBool::new(false),
        }
    }

    /// Counts a wrong code (unknown, used or mistyped) at `now`.
    pub fn note_wrong_code(&self, now: Instant) {
        let mut wrong = self.wrong.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        forget_before(&mut wrong, now);
        wrong.push_back(now);
    }

    /// Whether, at `now`, the wrong codes of the last minute exceed the threshold.
    pub fn is_braking(&self, now: Instant) -> bool {
        let mut wrong = self.wrong.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        forget_before(&mut wrong, now);
        wrong.len() >= self.threshold
    }

    /// Waits before a code is looked up, while the brake is on: attempts go
    /// through one at a time, `delay` apart. Right and wrong codes wait
    /// alike, so a quick answer never tells a guesser they hit.
    pub async fn pace(&self) {
        if self.is_braking(Instant::now()) {
            let _turn = self.gate.lock().await;
            tokio::time::sleep(self.delay).await;
        }
    }

    /// Has `store` clear what pairs used codes with responses (VACUUM, or a
    /// SQLite checkpoint) a few seconds from now, once for all uses in
    /// between. Best effort: a failure is logged and the next use tries again.
    pub fn vacuum_soon(self: &std::sync::Arc<Self>, store: &Store) {
        if self.vacuum_pending.swap(true, Ordering::AcqRel) {
            return;
        }
        let guard = self.clone();
        let store = store.clone();
        tokio::spawn(async move {
            tokio::time::sleep(VACUUM_AFTER).await;
            // Cleared before, so a use during this VACUUM schedules another.
            guard.vacuum_pending.store(false, Ordering::Release);
            if let Err(error) = store.vacuum_codes().await {
                tracing::warn!(%error, "used codes could not be vacuumed; trying again after the next use");
            }
        });
    }
}

fn forget_before(wrong: &mut VecDeque<Instant>, now: Instant) {
    while wrong.front().is_some_and(|&at| now.saturating_duration_since(at) >= WRONG_CODE_WINDOW) {
        wrong.pop_front();
    }
}

/// `?kod=XXXXX-XXXXX`: the code from a card's QR code or typed on the start page.
#[derive(Debug, Default, Deserialize)]
pub struct CodeQuery {
    kod: Option<String>,
}

/// A page instead of the form: the questionnaire asks for a code and the
/// request brought none that works. Rendered in the respondent's language.
#[derive(Clone)]
pub struct CodeRefusal {
    status: StatusCode,
    page: Markup,
}

/// Only the status: the page may hold the code as typed, which must never
/// reach a log.
impl std::fmt::Debug for CodeRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CodeRefusal").field("status", &self.status).finish_non_exhaustive()
    }
}

impl From<CodeRefusal> for WebError {
    fn from(refusal: CodeRefusal) -> WebError {
        WebError::Code(refusal)
    }
}

impl IntoResponse for CodeRefusal {
    fn into_response(self) -> Response {
        (self.status, self.page).into_response()
    }
}

/// Why a code did not open the form, for the page that says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CodeProblem {
    /// None was given (a start page, or a form sent without its code).
    Missing,
    /// Not a code at all: see `CodeError`.
    Malformed(CodeError),
    /// Well-formed, but no live code of this questionnaire.
    UsedOrUnknown,
}

impl CodeRefusal {
    /// The page for `problem`; in `kiosk` mode its ways on keep kiosk mode.
    fn new(
        questionnaire: &Questionnaire,
        language: &str,
        kiosk: bool,
        problem: Option<CodeProblem>,
        typed: &str,
    ) -> CodeRefusal {
        let status = match problem {
            None => StatusCode::OK,
            Some(CodeProblem::Missing | CodeProblem::Malformed(_)) => StatusCode::UNPROCESSABLE_ENTITY,
            Some(CodeProblem::UsedOrUnknown) => StatusCode::FORBIDDEN,
        };
        let page = match problem {
            Some(CodeProblem::UsedOrUnknown) => code_refused(questionnaire, language, kiosk),
            _ => code_start_page(questionnaire, language, kiosk, problem, typed),
        };
        CodeRefusal { status, page }
    }
}

/// For `GET /s/{id}`: the code the form may be shown with. `None` for an
/// open questionnaire; for a coded one, the start page without a code, the
/// start page with the reason for a malformed one, or the "used or unknown"
/// page, all as `WebError::Code`.
pub async fn admit_to_form(
    state: &AppState,
    questionnaire: &Questionnaire,
    language: &str,
    kiosk: bool,
    query: &CodeQuery,
) -> Result<Option<Code>, WebError> {
    if questionnaire.access != Access::Code {
        return Ok(None);
    }
    let typed = query.kod.as_deref().unwrap_or_default();
    if typed.trim().is_empty() {
        return Err(CodeRefusal::new(questionnaire, language, kiosk, None, "").into());
    }
    let code = parse(state, questionnaire, language, kiosk, typed).await?;
    let live = state.store.is_code_live(&questionnaire.id, &code.fingerprint(&state.key)).await?;
    if !live {
        state.codes.note_wrong_code(Instant::now());
        return Err(CodeRefusal::new(questionnaire, language, kiosk, Some(CodeProblem::UsedOrUnknown), typed).into());
    }
    Ok(Some(code))
}

/// For `POST /s/{id}`: the code a coded questionnaire's form must carry,
/// well-formed (whether it is live is decided when storing, see
/// `store_response`). `None` for an open questionnaire.
pub async fn admit_submission(
    state: &AppState,
    questionnaire: &Questionnaire,
    language: &str,
    kiosk: bool,
    input: &FormInput,
) -> Result<Option<Code>, WebError> {
    if questionnaire.access != Access::Code {
        return Ok(None);
    }
    let typed = input.value(CODE_FIELD);
    if typed.trim().is_empty() {
        return Err(CodeRefusal::new(questionnaire, language, kiosk, Some(CodeProblem::Missing), "").into());
    }
    parse(state, questionnaire, language, kiosk, typed).await.map(Some)
}

/// Reads a typed code, after the brake; a malformed one is counted as wrong.
async fn parse(
    state: &AppState,
    questionnaire: &Questionnaire,
    language: &str,
    kiosk: bool,
    typed: &str,
) -> Result<Code, WebError> {
    state.codes.pace().await;
    Code::parse(typed).map_err(|error| {
        state.codes.note_wrong_code(Instant::now());
        CodeRefusal::new(questionnaire, language, kiosk, Some(CodeProblem::Malformed(error)), typed).into()
    })
}

/// The hidden fields that carry an admitted code into the form.
pub fn carried(code: Option<&Code>) -> Vec<(String, String)> {
    code.map(|code| (CODE_FIELD.to_owned(), code.display())).into_iter().collect()
}

/// Stores a response through the group-commit `writer`: openly, or with
/// its code used up in the same transaction. A code found used (or unknown)
/// at that moment gives the "used or unknown" page and stores nothing.
pub async fn store_response(
    state: &AppState,
    writer: &ResponseWriter,
    response: &NewResponse<'_>,
    kiosk: bool,
    code: Option<&Code>,
) -> Result<Stored, WebError> {
    let queued = QueuedResponse::new(response, code.map(|code| code.fingerprint(&state.key)));
    match writer.store(queued).await? {
        CodeUse::Answered(stored) => {
            if code.is_some() {
                state.codes.vacuum_soon(&state.store);
            }
            Ok(stored)
        }
        CodeUse::Refused => {
            state.codes.note_wrong_code(Instant::now());
            let refusal = CodeRefusal::new(
                response.questionnaire,
                response.language,
                kiosk,
                Some(CodeProblem::UsedOrUnknown),
                &code.map(Code::display).unwrap_or_default(),
            );
            Err(refusal.into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_brake_engages_beyond_the_threshold_and_releases_after_a_minute() {
        let guard = CodeGuard::new(3, Duration::from_millis(1));
        let start = Instant::now();
        for second in 0..3 {
            assert!(!guard.is_braking(start + Duration::from_secs(second)), "{second} wrong codes: no brake");
            guard.note_wrong_code(start + Duration::from_secs(second));
        }
        assert!(guard.is_braking(start + Duration::from_secs(3)), "3 wrong codes within a minute: the brake is on");
        assert!(guard.is_braking(start + Duration::from_secs(59)));
        assert!(!guard.is_braking(start + Duration::from_secs(61)), "a minute after the second, only one counts");
    }

    #[tokio::test]
    async fn while_braking_attempts_pass_one_at_a_time() {
        let guard = std::sync::Arc::new(CodeGuard::new(1, Duration::from_millis(100)));
        guard.note_wrong_code(Instant::now());
        let started = Instant::now();
        let attempts: Vec<_> = (0..3)
            .map(|_| {
                let guard = guard.clone();
                tokio::spawn(async move { guard.pace().await })
            })
            .collect();
        for attempt in attempts {
            attempt.await.unwrap();
        }
        assert!(
            started.elapsed() >= Duration::from_millis(300),
            "3 attempts × 100 ms in turn: {:?}",
            started.elapsed()
        );
    }

    #[tokio::test]
    async fn without_wrong_codes_nothing_waits() {
        let guard = CodeGuard::new(1, Duration::from_secs(60));
        let started = Instant::now();
        guard.pace().await;
        assert!(started.elapsed() < Duration::from_secs(1));
    }
}
