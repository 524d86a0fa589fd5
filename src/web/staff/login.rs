//! Logging in and out. A login is throttled by recent failures, checks the
//! password at the same cost whether or not the account exists, and always
//! starts a new session (the browser's old one, if any, is deleted).

use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use maud::Markup;
use serde::Deserialize;

use super::auth::{self, CsrfChecked, NoFields};
use super::{StaffRejection, safe_next, views};
use crate::staff::{AccountName, LoginVerdict, Secret, action, fingerprint, verify_password};
use crate::store::NewStaffSession;
use crate::web::AppState;

/// `?next=/staff/...`: where to go after logging in.
#[derive(Debug, Deserialize)]
pub(super) struct LoginQuery {
    next: Option<String>,
}

/// The login form as posted.
#[derive(Debug, Deserialize)]
pub(super) struct LoginForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

pub(super) async fn show_login(Query(query): Query<LoginQuery>) -> Markup {
    views::login_page(safe_next(query.next.as_deref()), "", None)
}

pub(super) async fn log_in(
    State(state): State<AppState>,
    jar: CookieJar,
    form: Result<Form<LoginForm>, FormRejection>,
) -> Result<Response, StaffRejection> {
    let Form(form) = form.map_err(|rejection| StaffRejection::UnreadableForm(rejection.body_text()))?;
    let next = safe_next(form.next.as_deref());
    let replacing = jar.get(auth::SESSION_COOKIE).map(|cookie| fingerprint(cookie.value()));
    match attempt_login(&state, &form.name, form.password, replacing.as_deref()).await? {
        Attempt::LoggedIn(session_id) => {
            let jar = jar.add(auth::session_cookie(session_id.expose(), state.staff.cookie_secure));
            Ok((jar, Redirect::to(next.unwrap_or("/staff"))).into_response())
        }
        Attempt::Failed => {
            let page = views::login_page(next, &form.name, Some(views::text::LOGIN_FAILED));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Attempt::Locked => {
            let page = views::login_page(next, &form.name, Some(views::text::LOGIN_LOCKED));
            Ok((StatusCode::TOO_MANY_REQUESTS, page).into_response())
        }
    }
}

pub(super) async fn log_out(
    State(state): State<AppState>,
    jar: CookieJar,
    CsrfChecked(user, NoFields {}): CsrfChecked<NoFields>,
) -> Result<Response, StaffRejection> {
    if let Some(session) = jar.get(auth::SESSION_COOKIE) {
        state.store.end_staff_session(&fingerprint(session.value())).await?;
    }
    state.store.record_audit(&user.name, action::LOGOUT, "").await?;
    let jar = jar.add(auth::session_cookie_removal(state.staff.cookie_secure));
    Ok((jar, Redirect::to("/staff/login")).into_response())
}

/// How a login attempt ended.
enum Attempt {
    /// A new session, whose id goes into the cookie.
    LoggedIn(Secret),
    /// Wrong name or password; which of them is never said.
    Failed,
    /// Too many recent failures: the password was not even checked.
    Locked,
}

async fn attempt_login(
    state: &AppState,
    typed_name: &str,
    password: String,
    replacing: Option<&str>,
) -> Result<Attempt, StaffRejection> {
    let now = state.clock.now_utc();
    let throttle = state.staff.throttle;
    let name = AccountName::from_login(typed_name);
    // Failures are counted under the name tried, account or not, so that
    // throttling never tells which names exist; a name no account can have
    // counts only towards the overall limit.
    let tried = name.as_ref().map_or("", AccountName::as_str);
    let failures = state.store.count_login_failures(tried, throttle.counting_since(now)).await?;
    match throttle.verdict(failures.for_name, failures.overall) {
        LoginVerdict::Locked => {
            state.store.record_audit(tried, action::LOGIN_REFUSED, "för många misslyckade inloggningar").await?;
            return Ok(Attempt::Locked);
        }
        LoginVerdict::Proceed { delay } if !delay.is_zero() => tokio::time::sleep(delay).await,
        LoginVerdict::Proceed { .. } => {}
    }
    let credentials = match &name {
        Some(name) => state.store.staff_credentials(name.as_str()).await?,
        None => None,
    };
    let stored_hash = credentials.as_ref().map(|account| account.password_hash.clone());
    // Argon2 is slow on purpose; keep it off the threads serving requests.
    let verified =
        tokio::task::spawn_blocking(move || verify_password(stored_hash.as_deref(), &password)).await.unwrap_or(false);
    match credentials {
        Some(account) if verified => {
            state.store.clear_login_failures(&account.name).await?;
            let session_id = Secret::generate()?;
            let csrf_token = Secret::generate()?;
            let sessions = state.staff.sessions;
            state.store.delete_ended_staff_sessions(sessions.idle_since(now), sessions.started_since(now)).await?;
            let session = NewStaffSession {
                id_hash: &session_id.fingerprint(),
                account: &account.name,
                csrf_token: csrf_token.expose(),
                now,
            };
            state.store.start_staff_session(&session, replacing).await?;
            state.store.record_audit(&account.name, action::LOGIN, "").await?;
            Ok(Attempt::LoggedIn(session_id))
        }
        credentials => {
            state.store.record_login_failure(tried, now, throttle.counting_since(now)).await?;
            let details = match (&name, credentials) {
                (None, _) => "namnet kan inte vara ett kontonamn",
                (Some(_), None) => "kontot finns inte",
                (Some(_), Some(_)) => "fel lösenord",
            };
            state.store.record_audit(tried, action::LOGIN_FAILED, details).await?;
            Ok(Attempt::Failed)
        }
    }
}
