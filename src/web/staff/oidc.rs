//! Sign-in with the organisation's OpenID provider (Entra ID, Keycloak,
//! ADFS): the authorization code flow with PKCE, `state` and `nonce`, by
//! the `openidconnect` crate, which checks the ID token's signature against
//! the provider's published keys, its issuer, audience, expiry and nonce.
//!
//! The pending sign-in (state, nonce, PKCE verifier) is kept in a cookie
//! of its own, `Path=/staff/login/oidc`, HttpOnly, `SameSite=Lax` (the
//! provider's redirect back is a top-level navigation from another site),
//! for ten minutes; it is removed by the callback whatever happens. The
//! person's `sub` names the account; its grants are re-read from the
//! groups claim at each sign-in (`crate::staff::oidc`).

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use maud::html;
use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreErrorResponseType, CoreGenderClaim, CoreJsonWebKey,
    CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm, CoreRevocableToken, CoreRevocationErrorResponse,
    CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AdditionalClaims, AuthenticationFlow, AuthorizationCode, Client, ClientId, ClientSecret, CsrfToken,
    EmptyExtraTokenFields, EndSessionUrl, EndpointMaybeSet, EndpointNotSet, EndpointSet, IdTokenFields, IssuerUrl,
    LogoutRequest, Nonce, PkceCodeChallenge, PkceCodeVerifier, PostLogoutRedirectUrl, ProviderMetadataWithLogout,
    RedirectUrl, Scope, StandardErrorResponse, StandardTokenResponse, core::CoreResponseType,
};
use serde::{Deserialize, Serialize};

use super::{StaffPageError, auth, views};
use crate::staff::oidc::{RoleMapping, account_name_for, grants_for_groups};
use crate::staff::{UNKNOWN_NAME, action, fingerprint, secrets_match};
use crate::web::AppState;

/// The cookie that holds a sign-in under way, between the start and the
/// provider's redirect back.
pub const PENDING_COOKIE: &str = "enkat_oidc";
/// Where the pending sign-in's cookie is sent: the start and the callback.
const PENDING_PATH: &str = "/staff/login/oidc";
/// How long a person may take at the provider.
const PENDING_LIFETIME: time::Duration = time::Duration::minutes(10);
/// How far the provider's clock may be from ours for `exp` and `iat`.
pub const CLOCK_SKEW: time::Duration = time::Duration::seconds(60);
/// How long the provider's discovery document and keys are used before
/// they are fetched again (keys are rotated now and then).
const DISCOVERY_LIFETIME: Duration = Duration::from_secs(300);

/// How an installation signs in with its provider (`enkat serve --oidc-*`).
#[derive(Debug, Clone)]
pub struct OidcSettings {
    /// The issuer, whose `/.well-known/openid-configuration` is read.
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    /// `https://enkat.example/staff/login/oidc/callback`, as registered.
    pub redirect_url: String,
    /// The provider's name on the button and with the account, such as
    /// "Uppsala kommun".
    pub name: String,
    /// The claim that lists the person's groups (`groups`).
    pub groups_claim: String,
    /// Which groups give which role.
    pub roles: Vec<RoleMapping>,
}

/// Why the provider could not be used.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    #[error("the OpenID provider setting `{0}` is not a valid URL")]
    BadUrl(&'static str),
    #[error("the HTTP client for the OpenID provider could not be made: {0}")]
    Client(String),
    #[error("the OpenID provider's discovery document could not be read: {0}")]
    Discovery(String),
}

/// Every other claim of the ID token, for the groups claim, whatever its name.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct OtherClaims(BTreeMap<String, serde_json::Value>);

impl AdditionalClaims for OtherClaims {}

impl OtherClaims {
    /// The values of `claim`: a list of strings, or one string.
    fn strings(&self, claim: &str) -> Vec<&str> {
        match self.0.get(claim) {
            Some(serde_json::Value::Array(values)) => values.iter().filter_map(serde_json::Value::as_str).collect(),
            Some(serde_json::Value::String(value)) => vec![value.as_str()],
            _ => Vec::new(),
        }
    }
}

type TokenFields = IdTokenFields<
    OtherClaims,
    EmptyExtraTokenFields,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;
type TokenResponse = StandardTokenResponse<TokenFields, CoreTokenType>;
type OidcClient = Client<
    OtherClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    TokenResponse,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// The provider as discovered: a client for it, and where its sessions end.
struct Discovered {
    client: OidcClient,
    end_session: Option<EndSessionUrl>,
    fetched: Instant,
}

/// The provider, its settings and its discovered metadata, shared by the app.
pub struct OidcLogin {
    settings: OidcSettings,
    issuer: IssuerUrl,
    redirect: RedirectUrl,
    after_logout: PostLogoutRedirectUrl,
    http: openidconnect::reqwest::Client,
    discovered: tokio::sync::Mutex<Option<Arc<Discovered>>>,
}

impl std::fmt::Debug for OidcLogin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcLogin").field("issuer", &self.settings.issuer).field("name", &self.settings.name).finish()
    }
}

impl OidcLogin {
    /// Checks the settings; nothing is fetched yet ([`OidcLogin::discover`]).
    pub fn new(settings: OidcSettings) -> Result<OidcLogin, OidcError> {
        let issuer = IssuerUrl::new(settings.issuer.clone()).map_err(|_| OidcError::BadUrl("--oidc-issuer"))?;
        let redirect =
            RedirectUrl::new(settings.redirect_url.clone()).map_err(|_| OidcError::BadUrl("--oidc-redirect-url"))?;
        // Back to the login page of the same site after the provider's logout.
        let mut login = redirect.url().clone();
        login.set_path("/staff/login");
        login.set_query(None);
        let after_logout = PostLogoutRedirectUrl::from_url(login);
        let http = openidconnect::reqwest::Client::builder()
            // Never follow a redirect: a provider's answer is read as it is (SSRF).
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|error| OidcError::Client(error.to_string()))?;
        Ok(OidcLogin { settings, issuer, redirect, after_logout, http, discovered: tokio::sync::Mutex::new(None) })
    }

    /// The provider's name, for the button and the audit log.
    pub fn name(&self) -> &str {
        &self.settings.name
    }

    /// Reads the provider's discovery document and keys, unless read in
    /// the last five minutes.
    pub async fn discover(&self) -> Result<(), OidcError> {
        self.discovered().await.map(drop)
    }

    async fn discovered(&self) -> Result<Arc<Discovered>, OidcError> {
        let mut cached = self.discovered.lock().await;
        if let Some(discovered) = cached.as_ref().filter(|found| found.fetched.elapsed() < DISCOVERY_LIFETIME) {
            return Ok(discovered.clone());
        }
        let metadata = ProviderMetadataWithLogout::discover_async(self.issuer.clone(), &self.http)
            .await
            .map_err(|error| OidcError::Discovery(error_chain(&error)))?;
        let end_session = metadata.additional_metadata().end_session_endpoint.clone();
        let client = Client::from_provider_metadata(
            metadata,
            ClientId::new(self.settings.client_id.clone()),
            Some(ClientSecret::new(self.settings.client_secret.clone())),
        )
        .set_redirect_uri(self.redirect.clone());
        let discovered = Arc::new(Discovered { client, end_session, fetched: Instant::now() });
        *cached = Some(discovered.clone());
        Ok(discovered)
    }

    /// Where the browser goes to end its session at the provider too, if
    /// the provider offers RP-initiated logout.
    async fn end_session_url(&self) -> Option<String> {
        let discovered = self.discovered().await.ok()?;
        let endpoint = discovered.end_session.clone()?;
        let request = LogoutRequest::from(endpoint)
            .set_client_id(ClientId::new(self.settings.client_id.clone()))
            .set_post_logout_redirect_uri(self.after_logout.clone());
        Some(request.http_get_url().to_string())
    }
}

/// An error and its causes, for the log (never shown on a page).
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut line = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        line.push_str(": ");
        line.push_str(&inner.to_string());
        cause = inner.source();
    }
    line
}

/// What the pending cookie holds: `state.nonce.verifier` (each base64url).
struct Pending {
    state: String,
    nonce: String,
    verifier: String,
}

impl Pending {
    fn to_cookie(&self, secure: bool) -> Cookie<'static> {
        Cookie::build((PENDING_COOKIE, format!("{}.{}.{}", self.state, self.nonce, self.verifier)))
            .path(PENDING_PATH)
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(secure)
            .max_age(PENDING_LIFETIME)
            .build()
    }

    fn from_cookie(value: &str) -> Option<Pending> {
        let mut parts = value.split('.');
        let (state, nonce, verifier) = (parts.next()?, parts.next()?, parts.next()?);
        (parts.next().is_none() && ![state, nonce, verifier].contains(&"")).then(|| Pending {
            state: state.to_owned(),
            nonce: nonce.to_owned(),
            verifier: verifier.to_owned(),
        })
    }

    fn removal(secure: bool) -> Cookie<'static> {
        let mut cookie = Cookie::build((PENDING_COOKIE, "")).path(PENDING_PATH).http_only(true).secure(secure).build();
        cookie.make_removal();
        cookie
    }
}

/// `GET /staff/login/oidc`: off to the provider.
pub(super) async fn start_sign_in(State(state): State<AppState>, jar: CookieJar) -> Response {
    let Some(oidc) = state.oidc.clone() else { return StaffPageError::NotFound.into_response() };
    let discovered = match oidc.discovered().await {
        Ok(discovered) => discovered,
        Err(error) => {
            tracing::error!("sign-in with {} cannot start: {error}", oidc.name());
            return refusal(StatusCode::BAD_GATEWAY, &oidc, text::PROVIDER_UNAVAILABLE);
        }
    };
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, csrf, nonce) = discovered
        .client
        .authorize_url(
            AuthenticationFlow::<CoreResponseType>::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("profile".to_owned()))
        .set_pkce_challenge(challenge)
        .url();
    let pending =
        Pending { state: csrf.secret().clone(), nonce: nonce.secret().clone(), verifier: verifier.secret().clone() };
    (jar.add(pending.to_cookie(state.staff.cookie_secure)), Redirect::to(url.as_str())).into_response()
}

/// The provider's redirect back: `?code=...&state=...`, or `?error=...`.
#[derive(Debug, Deserialize)]
pub(super) struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// `GET /staff/login/oidc/callback`: the code exchanged for an ID token,
/// the token checked, the account found or made, a session started.
pub(super) async fn finish_sign_in(
    State(state): State<AppState>,
    jar: CookieJar,
    Query(callback): Query<Callback>,
) -> Result<Response, StaffPageError> {
    let Some(oidc) = state.oidc.clone() else { return Err(StaffPageError::NotFound) };
    let secure = state.staff.cookie_secure;
    let pending = jar.get(PENDING_COOKIE).and_then(|cookie| Pending::from_cookie(cookie.value()));
    // The pending sign-in is used once, whatever happens now.
    let jar = jar.add(Pending::removal(secure));
    let refuse = |jar: CookieJar, status, message| (jar, refusal(status, &oidc, message)).into_response();
    let Some(pending) = pending else {
        return Ok(refuse(jar, StatusCode::BAD_REQUEST, text::NOT_PENDING));
    };
    if let Some(error) = &callback.error {
        tracing::info!(error = %error, "the OpenID provider did not sign the person in");
        return Ok(refuse(jar, StatusCode::FORBIDDEN, text::PROVIDER_SAID_NO));
    }
    let (Some(code), Some(returned_state)) = (callback.code, callback.state) else {
        return Ok(refuse(jar, StatusCode::BAD_REQUEST, text::NOT_PENDING));
    };
    if !secrets_match(&returned_state, &pending.state) {
        tracing::warn!("an OpenID sign-in came back with another state than it was sent with");
        return Ok(refuse(jar, StatusCode::BAD_REQUEST, text::NOT_PENDING));
    }
    let identity = match verified_identity(&state, &oidc, code, &pending).await {
        Ok(identity) => identity,
        Err(problem) => {
            tracing::warn!("an OpenID sign-in with {} failed: {problem}", oidc.name());
            return Ok(refuse(jar, StatusCode::FORBIDDEN, text::NOT_VERIFIED));
        }
    };
    let grants = grants_for_groups(&oidc.settings.roles, identity.groups.iter().map(String::as_str));
    let now = state.clock.now_utc();
    let issuer = oidc.settings.issuer.as_str();
    let via = format!("via {}", oidc.name());
    let account = match (state.store.oidc_account(issuer, &identity.subject).await?, grants) {
        (Some(account), Some(grants)) => {
            state.store.replace_oidc_grants(&account.name, oidc.name(), Some(&grants)).await?;
            account.name
        }
        (Some(account), None) => {
            // The groups no longer give a role: neither do the grants.
            state.store.replace_oidc_grants(&account.name, oidc.name(), None).await?;
            let details = format!("{via}: inga grupper som ger en roll");
            state.store.record_audit(&account.name, action::LOGIN_REFUSED_OIDC, &details, now).await?;
            return Ok(refuse(jar, StatusCode::FORBIDDEN, text::NO_ROLE));
        }
        (None, Some(grants)) => {
            let name = new_account_name(&state, &identity).await?;
            let added =
                state.store.add_oidc_account(&name, (issuer, &identity.subject, oidc.name()), &grants, now).await?;
            if !added {
                return Ok(refuse(jar, StatusCode::CONFLICT, text::NOT_VERIFIED));
            }
            state.store.record_audit(&name, action::ACCOUNT_ADDED, &via, now).await?;
            name
        }
        (None, None) => {
            // No account: the line names the provider and a digest of the
            // subject, never the person's name or groups.
            let details =
                format!("{via}: inga grupper som ger en roll (subjekt {})", &fingerprint(&identity.subject)[..12]);
            state.store.record_audit(UNKNOWN_NAME, action::LOGIN_REFUSED_OIDC, &details, now).await?;
            return Ok(refuse(jar, StatusCode::FORBIDDEN, text::NO_ROLE));
        }
    };
    let replacing = jar.get(auth::SESSION_COOKIE).map(|cookie| fingerprint(cookie.value()));
    let session = super::login::start_session(&state, &account, replacing.as_deref(), &via).await?;
    let jar = jar.add(auth::session_cookie(session.expose(), secure));
    Ok((jar, onward_page()).into_response())
}

/// Who the provider says signed in, from a checked ID token.
struct Identity {
    subject: String,
    preferred_username: Option<String>,
    groups: Vec<String>,
}

/// Exchanges the code (with the PKCE verifier) and checks the ID token:
/// signature by the provider's keys, issuer, audience, expiry and issue
/// time within [`CLOCK_SKEW`], and the nonce sent.
async fn verified_identity(
    state: &AppState,
    oidc: &OidcLogin,
    code: String,
    pending: &Pending,
) -> Result<Identity, String> {
    let discovered = oidc.discovered().await.map_err(|error| error.to_string())?;
    let response = discovered
        .client
        .exchange_code(AuthorizationCode::new(code))
        .map_err(|error| error.to_string())?
        .set_pkce_verifier(PkceCodeVerifier::new(pending.verifier.clone()))
        .request_async(&oidc.http)
        .await
        .map_err(|error| format!("the code was not exchanged: {}", error_chain(&error)))?;
    let id_token = response.extra_fields().id_token().ok_or("the provider sent no ID token")?;
    let now = state.clock.now_utc();
    let at = |moment: time::OffsetDateTime| {
        chrono::DateTime::<chrono::Utc>::from_timestamp(moment.unix_timestamp(), 0).unwrap_or_default()
    };
    // `exp` is compared with this: a token expired less than the skew ago
    // still counts, no more.
    let (skewed_now, latest_issue) = (at(now - CLOCK_SKEW), at(now + CLOCK_SKEW));
    let verifier = discovered.client.id_token_verifier().set_time_fn(move || skewed_now).set_issue_time_verifier_fn(
        move |issued| {
            if issued > latest_issue { Err("issued in the future".to_owned()) } else { Ok(()) }
        },
    );
    let claims = id_token
        .claims(&verifier, &Nonce::new(pending.nonce.clone()))
        .map_err(|error| format!("the ID token was refused: {}", error_chain(&error)))?;
    Ok(Identity {
        subject: claims.subject().to_string(),
        preferred_username: claims.preferred_username().map(|name| name.to_string()),
        groups: claims
            .additional_claims()
            .strings(&oidc.settings.groups_claim)
            .into_iter()
            .map(str::to_owned)
            .collect(),
    })
}

async fn new_account_name(state: &AppState, identity: &Identity) -> Result<String, StaffPageError> {
    let taken: HashSet<String> = state.store.staff_accounts().await?.into_iter().map(|account| account.name).collect();
    let name = account_name_for(identity.preferred_username.as_deref(), &identity.subject, |name| taken.contains(name));
    Ok(name.as_str().to_owned())
}

/// After a sign-in, on to the start page by a page of our own: the session
/// cookie is `SameSite=Strict`, and a browser does not send it on a
/// redirect that began at another site (the provider's).
fn onward_page() -> Response {
    let body = html! {
        meta http-equiv="refresh" content="0; url=/staff";
        h1 { (text::SIGNED_IN) }
        p { a href="/staff" { (views::text::TO_START) } }
    };
    views::staff_layout(None, text::SIGNED_IN, body).into_response()
}

/// A calm page saying why the sign-in did not happen, with a way back.
fn refusal(status: StatusCode, oidc: &OidcLogin, message: &str) -> Response {
    let title = format!("Inloggningen med {} gick inte", oidc.name());
    (status, views::message_page(None, &title, message, ("/staff/login", views::text::TO_LOGIN))).into_response()
}

/// Where the browser goes after logging out: the provider's end-session
/// endpoint when the account signed in with it and the provider offers one.
pub(super) async fn after_logout(state: &AppState, account: &str) -> Result<Option<String>, StaffPageError> {
    let Some(oidc) = state.oidc.as_ref() else { return Ok(None) };
    if state.store.oidc_provider_of(account).await?.is_none() {
        return Ok(None);
    }
    Ok(oidc.end_session_url().await)
}

/// What the login page offers.
pub(super) fn button_name(state: &AppState) -> Option<&str> {
    state.oidc.as_deref().map(OidcLogin::name)
}

/// The texts of the sign-in pages.
pub mod text {
    pub const PROVIDER_UNAVAILABLE: &str = "Inloggningstjänsten svarar inte just nu. Försök igen om en stund, eller kontakta IT-supporten om det håller i sig.";
    pub const NOT_PENDING: &str = "Inloggningen hade gått ut eller startades inte här. Börja om från inloggningssidan.";
    pub const PROVIDER_SAID_NO: &str = "Inloggningstjänsten loggade inte in dig. Börja om från inloggningssidan.";
    pub const NOT_VERIFIED: &str =
        "Inloggningen kunde inte bekräftas, och du är inte inloggad. Börja om från inloggningssidan.";
    pub const NO_ROLE: &str = "Du är inloggad hos din organisation, men ingen av dina grupper ger behörighet i enkat. \
         Be en administratör om behörighet om du behöver se resultat.";
    pub const SIGNED_IN: &str = "Du är inloggad";
}
