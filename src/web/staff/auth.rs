//! Who is asking: extractors for staff pages (a session cookie) and for
//! exports (a session or an API token), with the account's roles per unit,
//! and the CSRF check for every form that changes something.

use std::sync::Arc;

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use serde::de::DeserializeOwned;

use super::StaffPageError;
use crate::questionnaire::Questionnaire;
use crate::staff::{Denied, Grants, UnitRole, fingerprint, secrets_match};
use crate::store::StoreError;
use crate::web::AppState;

/// The session cookie. Its `Path=/staff` keeps it away from the
/// respondents' pages, which must never receive or set a cookie.
pub const SESSION_COOKIE: &str = "enkat_staff";
/// The device cookie: a browser that has logged in as a name before, let
/// past the throttle for it (`staff::DevicePolicy`). Sent only with logins.
pub const DEVICE_COOKIE: &str = "enkat_device";
/// The hidden form field that carries the session's CSRF token.
pub const CSRF_FIELD: &str = "_csrf";
/// The header that may carry the CSRF token instead, for scripts.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// A staff member with a valid session. Refused: a GET or HEAD is
/// redirected (303) to the login page, which returns here afterwards; any
/// other method gets a 403 page. An API token is never accepted here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffUser {
    /// The account's name.
    pub name: String,
    /// Its roles per unit, or global admin (`Grants::is_global_admin`:
    /// accounts, the audit log, every unit).
    pub grants: Grants,
    /// The session's CSRF token, for `csrf_field` in forms.
    pub csrf_token: String,
}

impl StaffUser {
    /// The questionnaire `id`, if the account holds `needed` in its unit
    /// ([`questionnaire_for`]).
    pub fn questionnaire(
        &self,
        state: &AppState,
        id: &str,
        needed: UnitRole,
    ) -> Result<Arc<Questionnaire>, StaffPageError> {
        questionnaire_for(state, &self.grants, id, needed)
    }
}

/// The questionnaire `id` for an account holding `grants` that needs
/// `needed` in its unit. A questionnaire of a unit where the account holds
/// no role is "not found", as one that does not exist: its existence is not
/// revealed. A lower role than needed is refused (403) with the role it takes.
pub fn questionnaire_for(
    state: &AppState,
    grants: &Grants,
    id: &str,
    needed: UnitRole,
) -> Result<Arc<Questionnaire>, StaffPageError> {
    let not_found = || StaffPageError::UnknownQuestionnaire(id.to_owned());
    let questionnaire = state.catalog.get(id).ok_or_else(not_found)?;
    match grants.check(&questionnaire.unit, needed) {
        Ok(_) => Ok(questionnaire),
        Err(Denied::OtherUnit) => Err(not_found()),
        Err(Denied::BelowRole { needed, held }) => Err(StaffPageError::BelowRole { needed, held }),
    }
}

impl FromRequestParts<AppState> for StaffUser {
    type Rejection = StaffPageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        // Several extractors in one handler look up the session once.
        if let Some(user) = parts.extensions.get::<StaffUser>() {
            return Ok(user.clone());
        }
        match session_user(&parts.headers, state).await? {
            Some(user) => {
                parts.extensions.insert(user.clone());
                Ok(user)
            }
            None if is_read(&parts.method) => Err(StaffPageError::LoginRequired { next: path_and_query(parts) }),
            None => Err(StaffPageError::NotLoggedIn),
        }
    }
}

/// A staff member with a valid session and an admin account; others get a
/// 403 page ("Du saknar behörighet").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminUser(pub StaffUser);

impl FromRequestParts<AppState> for AdminUser {
    type Rejection = StaffPageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let user = StaffUser::from_request_parts(parts, state).await?;
        if user.grants.is_global_admin() { Ok(AdminUser(user)) } else { Err(StaffPageError::NotAdmin) }
    }
}

/// Whoever may fetch an export: a staff member with a valid session, or a
/// script with `Authorization: Bearer <token>` of an existing account.
/// Refused with 401 and `WWW-Authenticate: Bearer`. Meant for GET routes:
/// a token carries no CSRF token, so it must never change anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportCaller {
    /// The account's name, for the audit log.
    pub name: String,
    /// Its roles per unit, or global admin.
    pub grants: Grants,
    /// Whether the caller used an API token rather than a session.
    pub via_token: bool,
}

impl ExportCaller {
    /// The questionnaire `id`, if the account holds `needed` in its unit
    /// ([`questionnaire_for`]).
    pub fn questionnaire(
        &self,
        state: &AppState,
        id: &str,
        needed: UnitRole,
    ) -> Result<Arc<Questionnaire>, StaffPageError> {
        questionnaire_for(state, &self.grants, id, needed)
    }
}

impl FromRequestParts<AppState> for ExportCaller {
    type Rejection = StaffPageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if let Some(user) = session_user(&parts.headers, state).await? {
            return Ok(ExportCaller { name: user.name, grants: user.grants, via_token: false });
        }
        if let Some(token) = bearer_token(&parts.headers)
            && let Some(holder) = state.store.api_token_holder(&fingerprint(token)).await?
        {
            let grants = state.store.grants_of(&holder.name, holder.is_admin).await?;
            return Ok(ExportCaller { name: holder.name, grants, via_token: true });
        }
        Err(StaffPageError::TokenRequired { next: path_and_query(parts) })
    }
}

/// A form from a staff member that carries their session's CSRF token (in
/// the field `_csrf` or the header `X-CSRF-Token`), parsed into `T`. `T`
/// may ignore `_csrf`: serde skips fields a struct does not name.
#[derive(Debug, Clone)]
pub struct CsrfChecked<T>(pub StaffUser, pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for CsrfChecked<T> {
    type Rejection = StaffPageError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = request.into_parts();
        let user = StaffUser::from_request_parts(&mut parts, state).await?;
        // The app's body limit applies below this; no second limit here.
        let bytes = axum::body::to_bytes(body, usize::MAX)
            .await
            .map_err(|error| StaffPageError::UnreadableForm(error.to_string()))?;
        let fields: Vec<(String, String)> =
            serde_urlencoded::from_bytes(&bytes).map_err(|error| StaffPageError::UnreadableForm(error.to_string()))?;
        let from_form = fields.iter().find(|(name, _)| name == CSRF_FIELD).map(|(_, value)| value.as_str());
        let from_header = parts.headers.get(CSRF_HEADER).and_then(|value| value.to_str().ok());
        check_csrf(&user, from_header.or(from_form))?;
        let form =
            serde_urlencoded::from_bytes(&bytes).map_err(|error| StaffPageError::UnreadableForm(error.to_string()))?;
        Ok(CsrfChecked(user, form))
    }
}

/// A form with nothing in it but the CSRF token, for `CsrfChecked<NoFields>`.
#[derive(Debug, Clone, Copy, serde::Deserialize)]
pub struct NoFields {}

/// Refuses (403, "the form has expired, nothing was changed") unless
/// `presented` is the CSRF token of `user`'s session. For handlers that read
/// their body themselves; `CsrfChecked` calls it.
pub fn check_csrf(user: &StaffUser, presented: Option<&str>) -> Result<(), StaffPageError> {
    match presented {
        Some(token) if secrets_match(token, &user.csrf_token) => Ok(()),
        _ => Err(StaffPageError::CsrfMismatch),
    }
}

/// The session cookie for a new session. `Secure` unless the installation
/// runs on plain HTTP (`--cookie-secure false`).
pub fn session_cookie(session_id: &str, secure: bool) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, session_id.to_owned()))
        .path("/staff")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .build()
}

/// The device cookie given at a login, kept for `lifetime` (unlike the
/// session cookie, it outlives the browser's closing) and sent only to the
/// login form, never readable by scripts or sent from another site.
pub fn device_cookie(token: &str, secure: bool, lifetime: std::time::Duration) -> Cookie<'static> {
    let max_age = time::Duration::try_from(lifetime).unwrap_or(time::Duration::days(90));
    Cookie::build((DEVICE_COOKIE, token.to_owned()))
        .path("/staff/login")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .max_age(max_age)
        .build()
}

/// A cookie that makes the browser forget the session cookie.
pub fn session_cookie_removal(secure: bool) -> Cookie<'static> {
    let mut cookie = session_cookie("", secure);
    cookie.make_removal();
    cookie
}

/// The session id the browser sent, if any.
pub fn session_id(headers: &HeaderMap) -> Option<String> {
    CookieJar::from_headers(headers).get(SESSION_COOKIE).map(|cookie| cookie.value().to_owned())
}

/// The staff member whose unexpired session the request carries. An
/// expired session is deleted; a live one is marked as used now.
async fn session_user(headers: &HeaderMap, state: &AppState) -> Result<Option<StaffUser>, StoreError> {
    let Some(id) = session_id(headers) else { return Ok(None) };
    let id_hash = fingerprint(&id);
    let Some(session) = state.store.staff_session(&id_hash).await? else { return Ok(None) };
    let now = state.clock.now_utc();
    if state.staff.sessions.has_expired(session.started_at, session.last_seen_at, now) {
        state.store.end_staff_session(&id_hash).await?;
        return Ok(None);
    }
    state.store.touch_staff_session(&id_hash, now).await?;
    let grants = state.store.grants_of(&session.account, session.is_admin).await?;
    Ok(Some(StaffUser { name: session.account, grants, csrf_token: session.csrf_token }))
}

/// The token of `Authorization: Bearer <token>`; the scheme's case does not matter.
fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

fn is_read(method: &Method) -> bool {
    method == Method::GET || method == Method::HEAD
}

fn path_and_query(parts: &Parts) -> String {
    parts.uri.path_and_query().map_or_else(|| parts.uri.path().to_owned(), |path| path.as_str().to_owned())
}
