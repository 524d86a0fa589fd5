//! Logging in and out. A login post from another site is refused. A login
//! is recorded as a failure before its password is checked (so that
//! simultaneous guesses cannot pass the limit), throttled by recent
//! failures unless the browser has a device cookie for the name, checks
//! the password at the same cost whether or not the account exists, with
//! at most one check per core at once, and always starts a new session
//! (the browser's old one, if any, is deleted).

use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use maud::Markup;
use std::sync::Arc;

use serde::Deserialize;
use tokio::sync::OwnedSemaphorePermit;

use super::auth::{self, CsrfChecked, NoFields};
use super::{StaffPageError, safe_next, views};
use crate::staff::{
    AccountName, LoginVerdict, PasswordChecks, Secret, UNKNOWN_NAME, action, fingerprint, is_cross_site_login,
};
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

pub(super) async fn show_login(State(state): State<AppState>, Query(query): Query<LoginQuery>) -> Markup {
    views::login_page(login_options(&state), safe_next(query.next.as_deref()), "", None)
}

/// What the login page offers on this installation.
fn login_options(state: &AppState) -> views::LoginOptions<'_> {
    views::LoginOptions { local: state.staff.local_login, provider: super::oidc::button_name(state) }
}

pub(super) async fn log_in(
    State(state): State<AppState>,
    headers: HeaderMap,
    jar: CookieJar,
    form: Result<Form<LoginForm>, FormRejection>,
) -> Result<Response, StaffPageError> {
    if !state.staff.local_login {
        return Err(StaffPageError::NotFound);
    }
    if from_another_site(&headers, &state) {
        return Err(StaffPageError::CrossSiteLogin);
    }
    let Form(form) = form.map_err(|rejection| StaffPageError::UnreadableForm(rejection.body_text()))?;
    let next = safe_next(form.next.as_deref());
    let browser = Browser {
        session: jar.get(auth::SESSION_COOKIE).map(|cookie| fingerprint(cookie.value())),
        device: jar.get(auth::DEVICE_COOKIE).map(|cookie| fingerprint(cookie.value())),
    };
    let options = login_options(&state);
    let refused = |message, status| (status, views::login_page(options, next, &form.name, Some(message)));
    match attempt_login(&state, &form.name, form.password, &browser).await? {
        Attempt::LoggedIn { session, device } => {
            let secure = state.staff.cookie_secure;
            let jar = jar.add(auth::session_cookie(session.expose(), secure)).add(auth::device_cookie(
                device.expose(),
                secure,
                state.staff.devices.lifetime,
            ));
            Ok((jar, Redirect::to(next.unwrap_or("/staff"))).into_response())
        }
        Attempt::Failed => Ok(refused(views::text::LOGIN_FAILED, StatusCode::UNPROCESSABLE_ENTITY).into_response()),
        Attempt::Locked => Ok(refused(views::text::LOGIN_LOCKED, StatusCode::TOO_MANY_REQUESTS).into_response()),
        Attempt::Busy => {
            let retry = [(header::RETRY_AFTER, HeaderValue::from_static("30"))];
            Ok((retry, refused(views::text::LOGIN_BUSY, StatusCode::TOO_MANY_REQUESTS)).into_response())
        }
    }
}

pub(super) async fn log_out(
    State(state): State<AppState>,
    jar: CookieJar,
    CsrfChecked(user, NoFields {}): CsrfChecked<NoFields>,
) -> Result<Response, StaffPageError> {
    if let Some(session) = jar.get(auth::SESSION_COOKIE) {
        state.store.end_staff_session(&fingerprint(session.value())).await?;
    }
    state.store.record_audit(&user.name, action::LOGOUT, "", state.clock.now_utc()).await?;
    let jar = jar.add(auth::session_cookie_removal(state.staff.cookie_secure));
    // Signed in with the provider: its session ends too, where it offers that.
    let onward = super::oidc::after_logout(&state, &user.name).await?;
    Ok((jar, Redirect::to(onward.as_deref().unwrap_or("/staff/login"))).into_response())
}

/// Whether a post comes from another site's page (for a login: login CSRF).
pub(crate) fn from_another_site(headers: &HeaderMap, state: &AppState) -> bool {
    let header = |name| headers.get(name).and_then(|value| value.to_str().ok());
    let public_host = state.public_url.split_once("://").and_then(|(_, rest)| rest.split('/').next());
    let own_hosts: Vec<&str> = header(header::HOST.as_str()).into_iter().chain(public_host).collect();
    is_cross_site_login(header("sec-fetch-site"), header(header::ORIGIN.as_str()), &own_hosts)
}

/// The fingerprints of the cookies a browser sent with its login.
struct Browser {
    session: Option<String>,
    device: Option<String>,
}

/// How a login attempt ended.
enum Attempt {
    /// A new session, whose id goes into the cookie, and a new device cookie.
    LoggedIn { session: Secret, device: Secret },
    /// Wrong name or password; which of them is never said.
    Failed,
    /// Too many recent failures: the password was not even checked.
    Locked,
    /// Every password check is taken: come back in a while.
    Busy,
}

async fn attempt_login(
    state: &AppState,
    typed_name: &str,
    password: String,
    browser: &Browser,
) -> Result<Attempt, StaffPageError> {
    let now = state.clock.now_utc();
    let (throttle, devices) = (state.staff.throttle, state.staff.devices);
    let name = AccountName::from_login(typed_name);
    // Failures are counted under the name tried, account or not, so that
    // throttling never tells which names exist; a name no account can have
    // counts under ''.
    let tried = name.as_ref().map_or("", AccountName::as_str);
    let trusted_device = match (&name, &browser.device) {
        (Some(name), Some(device)) => state
            .store
            .count_device_attempt(device, name.as_str(), devices.issued_since(now), devices.max_failures)
            .await?
            .map(|failures| (device.as_str(), failures)),
        _ => None,
    };
    let (permit, recorded) = match trusted_device {
        // A browser that has logged in as this name before is neither
        // locked out nor slowed down by others' failures, and may wait a
        // while for a free check.
        Some((device, _)) => {
            let free = state.staff.password_checks.permits.clone().acquire_owned();
            match tokio::time::timeout(devices.wait_for_check, free).await {
                Ok(Ok(permit)) => (permit, None),
                _ => {
                    state.store.uncount_device_attempt(device).await?;
                    return Ok(Attempt::Busy);
                }
            }
        }
        None => {
            let attempt = state.store.record_login_attempt(tried, now, throttle.counting_since(now)).await?;
            match throttle.verdict(attempt.earlier.for_name, attempt.earlier.overall) {
                LoginVerdict::Locked => {
                    state.store.forget_login_attempt(attempt.id).await?;
                    audit_refusal(state, name.as_ref(), now).await?;
                    return Ok(Attempt::Locked);
                }
                LoginVerdict::Proceed { delay } if !delay.is_zero() => tokio::time::sleep(delay).await,
                LoginVerdict::Proceed { .. } => {}
            }
            // No queue: a flood of logins would hold a thread and 19 MB each.
            let Ok(permit) = state.staff.password_checks.permits.clone().try_acquire_owned() else {
                state.store.forget_login_attempt(attempt.id).await?;
                return Ok(Attempt::Busy);
            };
            (permit, Some(attempt))
        }
    };
    let credentials = match &name {
        Some(name) => state.store.staff_credentials(name.as_str()).await?,
        None => None,
    };
    let stored_hash = credentials.as_ref().map(|account| account.password_hash.clone());
    let checks = state.staff.password_checks.clone();
    let verified = check_password(checks, permit, stored_hash, password).await;
    match credentials {
        Some(account) if verified => {
            // Others' failures for the name stay while a trusted browser
            // logs in: the lock is theirs.
            if recorded.is_some() {
                state.store.clear_login_failures(&account.name).await?;
            }
            let device = Secret::generate()?;
            let session_id = start_session(state, &account.name, browser.session.as_deref(), "").await?;
            let replacing = browser.device.as_deref();
            state
                .store
                .issue_login_device(&device.fingerprint(), &account.name, now, replacing, devices.issued_since(now))
                .await?;
            Ok(Attempt::LoggedIn { session: session_id, device })
        }
        credentials => {
            match (trusted_device, credentials) {
                (Some((device, failures)), _) => {
                    if devices.is_used_up(failures) {
                        state.store.revoke_login_device(device).await?;
                    }
                    state
                        .store
                        .record_audit(
                            tried,
                            action::LOGIN_FAILED,
                            "fel lösenord, från en känd webbläsare",
                            state.clock.now_utc(),
                        )
                        .await?;
                }
                (None, Some(account)) => {
                    state
                        .store
                        .record_audit(&account.name, action::LOGIN_FAILED, "fel lösenord", state.clock.now_utc())
                        .await?;
                }
                // Names without accounts: one line per window for them all,
                // however many a stranger tries.
                (None, None) => {
                    let since = throttle.counting_since(now);
                    if state.store.mark_login_audit(UNKNOWN_NAME, action::LOGIN_FAILED, now, since).await? {
                        let details =
                            "inloggning med ett namn som inget konto har; fler inom 15 minuter skrivs inte ut";
                        state
                            .store
                            .record_audit(UNKNOWN_NAME, action::LOGIN_FAILED, details, state.clock.now_utc())
                            .await?;
                    }
                }
            }
            Ok(Attempt::Failed)
        }
    }
}

/// Starts a session for `account` in place of the browser's old one (its
/// fingerprint `replacing`), forgetting every ended session, and writes the
/// `login` line with `details` (empty for a password, `via <provider>`).
/// Returns the new session's id, for the cookie.
pub(super) async fn start_session(
    state: &AppState,
    account: &str,
    replacing: Option<&str>,
    details: &str,
) -> Result<Secret, StaffPageError> {
    let now = state.clock.now_utc();
    let session_id = Secret::generate()?;
    let csrf_token = Secret::generate()?;
    let sessions = state.staff.sessions;
    state.store.delete_ended_staff_sessions(sessions.idle_since(now), sessions.started_since(now)).await?;
    let session = NewStaffSession { id_hash: &session_id.fingerprint(), account, csrf_token: csrf_token.expose(), now };
    state.store.start_staff_session(&session, replacing).await?;
    state.store.record_audit(account, action::LOGIN, details, state.clock.now_utc()).await?;
    Ok(session_id)
}

/// Checks a password off the threads serving requests (argon2 is slow on
/// purpose). The permit is held until the check ends, even if the browser
/// has given up waiting meanwhile.
async fn check_password(
    checks: Arc<PasswordChecks>,
    permit: OwnedSemaphorePermit,
    stored_hash: Option<String>,
    password: String,
) -> bool {
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        checks.verify(stored_hash.as_deref(), &password)
    })
    .await
    .unwrap_or(false)
}

/// Writes the refusal of a locked name to the audit log once per lock: a
/// flood of refused attempts is one line. Names without an account share
/// one line, so that a stranger cannot grow the log by trying many.
async fn audit_refusal(
    state: &AppState,
    name: Option<&AccountName>,
    now: time::OffsetDateTime,
) -> Result<(), StaffPageError> {
    let actor = match name {
        Some(name) if state.store.staff_credentials(name.as_str()).await?.is_some() => name.as_str(),
        _ => UNKNOWN_NAME,
    };
    let since = state.staff.throttle.counting_since(now);
    if state.store.mark_login_audit(actor, action::LOGIN_REFUSED, now, since).await? {
        let details = format!(
            "för många misslyckade inloggningar; fler försök inom {} skrivs inte ut",
            minutes(state.staff.throttle.window)
        );
        state.store.record_audit(actor, action::LOGIN_REFUSED, &details, state.clock.now_utc()).await?;
    }
    Ok(())
}

/// A window such as "15 minuter", for the audit log.
fn minutes(window: std::time::Duration) -> String {
    format!("{} minuter", window.as_secs().div_ceil(60))
}
