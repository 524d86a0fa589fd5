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
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::Markup;
use serde::Deserialize;

pub use staff::router;

use super::views::{code_braked, code_refused, code_start_page};
use super::{AppState, WebError};
use crate::codes::{Code, CodeProblem, admitted};
use crate::questionnaire::protocol::{ADMITTED_FIELD, CODE_FIELD, PAGE_FIELD, START_PAGE};
use crate::questionnaire::{Access, FormInput, Questionnaire};
use crate::store::{CodeUse, NewResponse, QueuedResponse, ResponseWriter, Store, Stored};

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
    /// While braking, the moment from which the next attempt may be checked.
    /// Nobody waits for it: an attempt before it is answered at once with
    /// "many attempts right now", so a flood of guesses never queues real
    /// respondents behind it.
    next_slot: Mutex<Option<Instant>>,
    /// Codes being checked right now: counted as wrong until they turn out
    /// right, so that a burst of parallel guesses cannot all be let through
    /// before the first of them is found wrong.
    checking: AtomicUsize,
    vacuum_pending: AtomicBool,
}

impl Default for CodeGuard {
    /// The service's brake: beyond 20 wrong codes a minute, one code attempt
    /// checked every 2 seconds (at most 30 a minute).
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
            next_slot: Mutex::new(None),
            checking: AtomicUsize::new(0),
            vacuum_pending: AtomicBool::new(false),
        }
    }

    /// Counts a wrong code (unknown, used or mistyped) at `now`.
    pub fn note_wrong_code(&self, now: Instant) {
        let mut wrong = self.wrong.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        forget_before(&mut wrong, now);
        wrong.push_back(now);
    }

    /// Whether, at `now`, the wrong codes of the last minute, with those
    /// being checked, reach the threshold.
    pub fn is_braking(&self, now: Instant) -> bool {
        let mut wrong = self.wrong.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        forget_before(&mut wrong, now);
        wrong.len() + self.checking.load(Ordering::Acquire) >= self.threshold
    }

    /// Whether a code may be checked at `now`: always without the brake;
    /// while braking, the first attempt of each `delay`, and no other. Never
    /// waits. Right and wrong codes are decided alike, before any lookup,
    /// so how quickly the answer comes never tells a guesser they hit. Keep
    /// the ticket until the code is found right, or noted wrong.
    pub fn may_check(&self, now: Instant) -> Option<CheckTicket<'_>> {
        // One lock for the decision: parallel attempts are let through one by one.
        let mut next = self.next_slot.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if self.is_braking(now) {
            match *next {
                Some(slot) if now < slot => return None,
                _ => *next = Some(now + self.delay),
            }
        }
        self.checking.fetch_add(1, Ordering::AcqRel);
        Some(CheckTicket(self))
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
                // Seconds after a code was used: its moment must not reach the log.
                super::respondent_log::note("used codes could not be vacuumed; tried again after the next use", &error);
            }
        });
    }
}

/// A code being checked (see `CodeGuard::may_check`); dropped once it is
/// found right or noted wrong.
#[derive(Debug)]
pub struct CheckTicket<'a>(&'a CodeGuard);

impl Drop for CheckTicket<'_> {
    fn drop(&mut self) {
        self.0.checking.fetch_sub(1, Ordering::AcqRel);
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

/// What a braked attempt is told to wait, in seconds (`Retry-After`).
const RETRY_AFTER_SECONDS: &str = "60";

/// A page instead of the form: the questionnaire asks for a code and the
/// request brought none that works, or none could be checked now.
/// Rendered in the respondent's language.
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
        if self.status == StatusCode::TOO_MANY_REQUESTS {
            return (self.status, [(header::RETRY_AFTER, RETRY_AFTER_SECONDS)], self.page).into_response();
        }
        (self.status, self.page).into_response()
    }
}

impl CodeRefusal {
    /// 403 for a used or unknown code, 429 while braking, 422 for one
    /// missing or malformed: for a staff page to say the same in its words.
    pub fn status(&self) -> StatusCode {
        self.status
    }

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
            Some(CodeProblem::Busy) => StatusCode::TOO_MANY_REQUESTS,
        };
        let page = match problem {
            Some(CodeProblem::UsedOrUnknown) => code_refused(questionnaire, language, kiosk),
            Some(CodeProblem::Busy) => code_braked(questionnaire, language),
            _ => code_start_page(questionnaire, language, kiosk, problem, typed),
        };
        CodeRefusal { status, page }
    }
}

/// For `GET /s/{id}`: the code the start page carries into the form. `None`
/// for an open questionnaire; for a coded one without a code, the page
/// asking for it, and for a malformed one, that page with the reason, both
/// as `WebError::Code`.
///
/// A well-formed code is not looked up here: the answer to a card's link
/// is the same page, byte for byte, whether the code is live, used or
/// unknown, so the link found again in a browser's history never tells
/// whether the person answered. It is checked when the start page's button
/// is pressed (a POST, which no history entry repeats): `admit_submission`.
pub fn admit_to_form(
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
    parse(state, questionnaire, language, kiosk, typed).map(Some)
}

/// A code sent with a coded questionnaire's form.
#[derive(Debug)]
pub struct SentCode {
    code: Code,
    /// The form carries a valid "admitted" mark for it: it was found live
    /// when the form was started, so its posts are not braked.
    vouched: bool,
}

impl SentCode {
    /// The code printed on a paper form, typed in by staff. Never vouched
    /// for: it is checked when storing, through the brake like any code
    /// not admitted on a start page.
    pub fn on_paper(code: Code) -> SentCode {
        SentCode { code, vouched: false }
    }
}

/// For `POST /s/{id}`: the code a coded questionnaire's form must carry,
/// well-formed, and `input` as the form goes on. `None` for an open
/// questionnaire. The start page's button checks the code (through the
/// brake): a live one gets the "admitted" mark, carried on every page after;
/// a used or unknown one the page that says so. Whether it is still live at
/// the end is decided when storing, see `store_response`.
pub async fn admit_submission(
    state: &AppState,
    questionnaire: &Questionnaire,
    language: &str,
    kiosk: bool,
    input: FormInput,
) -> Result<(Option<SentCode>, FormInput), WebError> {
    if questionnaire.access != Access::Code {
        return Ok((None, input));
    }
    let typed = input.value(CODE_FIELD);
    if typed.trim().is_empty() {
        return Err(CodeRefusal::new(questionnaire, language, kiosk, Some(CodeProblem::Missing), "").into());
    }
    let code = parse(state, questionnaire, language, kiosk, typed)?;
    let now = state.clock.now_utc().unix_timestamp();
    let vouched = admitted::is_valid(&state.key, &questionnaire.id, &code, input.value(ADMITTED_FIELD), now);
    if vouched || input.value(PAGE_FIELD) != START_PAGE {
        return Ok((Some(SentCode { code, vouched }), input));
    }
    let _checking = brake(state, questionnaire, language, kiosk)?;
    if !state.store.is_code_live(&questionnaire.id, &code.fingerprint(&state.key)).await? {
        state.codes.note_wrong_code(Instant::now());
        return Err(CodeRefusal::new(questionnaire, language, kiosk, Some(CodeProblem::UsedOrUnknown), typed).into());
    }
    let mark = admitted::mark(&state.key, &questionnaire.id, &code, now);
    Ok((Some(SentCode { code, vouched: true }), input.with_form_field(ADMITTED_FIELD, mark)))
}

/// Reads a typed code; a malformed one is counted as wrong. No lookup, so
/// no brake: a mistyped code is told at once, even while braking.
fn parse(
    state: &AppState,
    questionnaire: &Questionnaire,
    language: &str,
    kiosk: bool,
    typed: &str,
) -> Result<Code, WebError> {
    Code::parse(typed).map_err(|error| {
        state.codes.note_wrong_code(Instant::now());
        CodeRefusal::new(questionnaire, language, kiosk, Some(CodeProblem::Malformed(error)), typed).into()
    })
}

/// Lets a code be checked now, or answers at once "many attempts right now"
/// (429, `Retry-After`): see `CodeGuard::may_check`.
fn brake<'a>(
    state: &'a AppState,
    questionnaire: &Questionnaire,
    language: &str,
    kiosk: bool,
) -> Result<CheckTicket<'a>, WebError> {
    state
        .codes
        .may_check(Instant::now())
        .ok_or_else(|| CodeRefusal::new(questionnaire, language, kiosk, Some(CodeProblem::Busy), "").into())
}

/// The hidden fields that carry a code into the start page's form.
pub fn carried(code: Option<&Code>) -> Vec<(String, String)> {
    code.map(|code| (CODE_FIELD.to_owned(), code.display())).into_iter().collect()
}

/// Stores a response through the group-commit `writer`: openly, or with
/// its code used up in the same transaction. A form whose code was admitted
/// on its start page (a valid mark) is never braked; any other is, like a
/// guess. A code found used (or unknown) at that moment gives the "used or
/// unknown" page and stores nothing.
pub async fn store_response(
    state: &AppState,
    writer: &ResponseWriter,
    response: &NewResponse<'_>,
    kiosk: bool,
    code: Option<&SentCode>,
) -> Result<Stored, WebError> {
    let _checking = match code {
        Some(sent) if !sent.vouched => Some(brake(state, response.questionnaire, response.language, kiosk)?),
        _ => None,
    };
    let queued = QueuedResponse::new(response, code.map(|sent| sent.code.fingerprint(&state.key)));
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
                &code.map(|sent| sent.code.display()).unwrap_or_default(),
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

    #[test]
    fn while_braking_one_attempt_an_interval_is_checked_and_the_others_are_told_at_once() {
        let start = Instant::now();
        let guard = CodeGuard::new(2, Duration::from_secs(2));
        assert!(guard.may_check(start).is_some(), "no brake: every attempt is checked");
        assert!(guard.may_check(start).is_some(), "one after the other");
        let (first, second) = (guard.may_check(start).unwrap(), guard.may_check(start).unwrap());
        assert!(guard.may_check(start).is_some(), "two in flight count as wrong: braking, the interval's one check");
        assert!(guard.may_check(start).is_none(), "the next is turned away, without waiting");
        drop((first, second));
        guard.note_wrong_code(start);
        guard.note_wrong_code(start);
        assert!(guard.may_check(start + Duration::from_millis(1999)).is_none());
        assert!(guard.may_check(start + Duration::from_secs(2)).is_some(), "one more after the interval");
        // Attempts every 100 ms while the two wrong codes count (a minute).
        let checked = (0..560)
            .filter(|tenth| guard.may_check(start + Duration::from_millis(2000 + 100 * tenth)).is_some())
            .count();
        assert_eq!(checked, 27, "one every 2 s, at 4 s, 6 s ... 56 s, and no more");
    }
}
