//! The staff side, under `/staff`: logging in and out, the start page, the
//! audit log, and the extractors every staff route uses to know who asks.
//! Everything here but the login form requires a session (or, for exports,
//! an API token); unknown paths under `/staff/` too, before they 404.

mod auth;
mod error;
mod login;
mod oidc;
mod views;

use axum::Router;
use axum::extract::{Query, State};
use axum::routing::{any, get, post};
use maud::Markup;
use serde::Deserialize;

pub use auth::{
    AdminUser, CSRF_FIELD, CSRF_HEADER, CsrfChecked, DEVICE_COOKIE, ExportCaller, NoFields, SESSION_COOKIE, StaffUser,
    check_csrf, questionnaire_for,
};
pub use error::StaffPageError;
pub(crate) use login::from_another_site;
pub use oidc::{CLOCK_SKEW, OidcError, OidcLogin, OidcSettings, PENDING_COOKIE};
pub use views::{csrf_field, message_page, staff_head, staff_layout, text};

use super::AppState;
use crate::staff::UnitRole;

/// What a staff route needs of the account that asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    /// A session (or, for exports, a token) of any account.
    Account,
    /// At least this role in the unit of the questionnaire in the path.
    Unit(UnitRole),
    /// An admin of at least one unit (the page shows only theirs).
    AdminOfSomeUnit,
    /// A global admin.
    GlobalAdmin,
}

/// Every staff route that requires a session or a token, as (method, path
/// with sample parameters, what it needs; the sample questionnaire `nexus`
/// is of the unit `nexus`). Tests walk it: each must refuse an anonymous
/// request, none may answer 404 to an admin, and each refuses every role
/// below the one it needs (404 for a unit the account holds no role in).
/// The login form and the OpenID sign-in's two routes are the public staff
/// routes and are not listed.
pub const STAFF_ROUTES: &[(&str, &str, Needs)] = &[
    ("GET", "/staff", Needs::Account),
    ("POST", "/staff/logout", Needs::Account),
    ("GET", "/staff/audit", Needs::GlobalAdmin),
    ("GET", "/staff/api/whoami", Needs::Account),
    ("GET", "/staff/q/nexus", Needs::Unit(UnitRole::Viewer)),
    ("GET", "/staff/q/nexus/jamfor", Needs::Unit(UnitRole::Viewer)),
    ("GET", "/staff/q/nexus/export/summary.csv", Needs::Unit(UnitRole::Viewer)),
    ("GET", "/staff/q/nexus/export/summary.xlsx", Needs::Unit(UnitRole::Viewer)),
    ("GET", "/staff/q/nexus/export/responses.csv", Needs::Unit(UnitRole::Admin)),
    ("GET", "/staff/q/nexus/export/responses.xlsx", Needs::Unit(UnitRole::Admin)),
    ("GET", "/staff/q/nexus/export/responses-notes.txt", Needs::Unit(UnitRole::Admin)),
    ("GET", "/staff/q/nexus/export/texts.csv", Needs::Unit(UnitRole::Admin)),
    ("GET", "/staff/q/nexus/rapport", Needs::Unit(UnitRole::Viewer)),
    ("GET", "/staff/q/nexus/print?lang=sv", Needs::Unit(UnitRole::Viewer)),
    ("POST", "/staff/q/nexus/rapport", Needs::Unit(UnitRole::Coordinator)),
    ("GET", "/staff/q/nexus/codes", Needs::Unit(UnitRole::Coordinator)),
    ("POST", "/staff/q/nexus/codes", Needs::Unit(UnitRole::Coordinator)),
    ("POST", "/staff/q/nexus/codes/csv", Needs::Unit(UnitRole::Coordinator)),
    ("POST", "/staff/q/nexus/codes/00000000-0000-0000-0000-000000000000/revoke", Needs::Unit(UnitRole::Coordinator)),
    ("GET", "/staff/q/nexus/erbjudna", Needs::Unit(UnitRole::Coordinator)),
    ("POST", "/staff/q/nexus/erbjudna", Needs::Unit(UnitRole::Coordinator)),
    ("GET", "/staff/q/nexus/paper", Needs::Unit(UnitRole::Coordinator)),
    ("POST", "/staff/q/nexus/paper", Needs::Unit(UnitRole::Coordinator)),
    ("GET", "/staff/admin/questionnaires", Needs::AdminOfSomeUnit),
    ("GET", "/staff/admin/preview/nexus", Needs::Unit(UnitRole::Admin)),
    ("POST", "/staff/admin/preview/nexus", Needs::Unit(UnitRole::Admin)),
    ("GET", "/staff/admin/tillganglighet", Needs::GlobalAdmin),
    ("POST", "/staff/admin/tillganglighet/00000000-0000-0000-0000-000000000000/hanterad", Needs::GlobalAdmin),
    ("POST", "/staff/admin/tillganglighet/00000000-0000-0000-0000-000000000000/ta-bort", Needs::GlobalAdmin),
];

/// The staff routes, to be merged into the app.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff", get(show_start))
        .route("/staff/login", get(login::show_login).post(login::log_in))
        .route("/staff/login/oidc", get(oidc::start_sign_in))
        .route("/staff/login/oidc/callback", get(oidc::finish_sign_in))
        .route("/staff/logout", post(login::log_out))
        .route("/staff/audit", get(show_audit))
        .route("/staff/api/whoami", get(show_caller))
        // Unknown staff paths say nothing, not even "not found", to
        // someone not logged in.
        .route("/staff/", any(staff_not_found))
        .route("/staff/{*rest}", any(staff_not_found))
}

/// At most this many audit log lines are shown.
const AUDIT_LIMIT: i64 = 500;

async fn show_start(State(state): State<AppState>, user: StaffUser) -> Result<Markup, StaffPageError> {
    let mut served = Vec::new();
    let today = state.clock.today();
    // Only the units the account holds a role in: another unit's
    // questionnaires are not even named.
    for questionnaire in
        state.catalog.catalog().iter().filter(|questionnaire| user.grants.role_in(&questionnaire.unit).is_some())
    {
        // Never a live count: a member of staff reloading the page would
        // see each response arrive (see docs/privacy.md).
        let responses = state.store.disclosure(questionnaire, today).await?.released_responses();
        served.push(views::ServedQuestionnaire {
            id: questionnaire.id.clone(),
            title: questionnaire.title.get(questionnaire.language(Some("sv"))).to_owned(),
            responses,
            paper_entry: user.grants.check(&questionnaire.unit, UnitRole::Coordinator).is_ok(),
        });
    }
    Ok(views::start_page(&user, &served))
}

/// `?action=login`: only that action.
#[derive(Debug, Deserialize)]
struct AuditFilter {
    action: Option<String>,
}

async fn show_audit(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    Query(filter): Query<AuditFilter>,
) -> Result<Markup, StaffPageError> {
    let action = filter.action.as_deref().filter(|action| !action.is_empty());
    let events = state.store.audit_events(action, AUDIT_LIMIT).await?;
    let actions = state.store.audit_actions().await?;
    Ok(views::audit_page(&user, &events, &actions, action, AUDIT_LIMIT))
}

/// The caller's account name, so that a script can check its token works.
async fn show_caller(caller: ExportCaller) -> String {
    caller.name
}

async fn staff_not_found(_: StaffUser) -> StaffPageError {
    StaffPageError::NotFound
}

/// `next` if it is a staff page to return to after logging in; never a
/// page elsewhere (an open redirect), nor the login page itself.
fn safe_next(next: Option<&str>) -> Option<&str> {
    let next = next?;
    let rest = next.strip_prefix("/staff")?;
    let on_staff_pages = rest.is_empty() || rest.starts_with('/') || rest.starts_with('?');
    let plain = next.bytes().all(|byte| byte.is_ascii_graphic()) && !next.contains("//") && !next.contains('\\');
    (on_staff_pages && plain && !rest.starts_with("/login")).then_some(next)
}

/// The login page, returning to `next` afterwards.
pub(super) fn login_url(next: &str) -> String {
    match serde_urlencoded::to_string([("next", next)]) {
        Ok(query) => format!("/staff/login?{query}"),
        Err(_) => "/staff/login".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_staff_pages_are_returned_to_after_login() {
        for good in ["/staff", "/staff/q/nexus", "/staff/q/nexus?from=2025-01-01", "/staff?x=1"] {
            assert_eq!(safe_next(Some(good)), Some(good), "{good}");
        }
        for bad in [
            "https://evil.example/staff",
            "//evil.example/staff",
            "/staffroom",
            "/s/nexus",
            "/staff//evil.example",
            "/staff/\\evil.example",
            "/staff/login",
            "/staff/q/a b",
            "",
        ] {
            assert_eq!(safe_next(Some(bad)), None, "{bad}");
        }
    }
}
