//! Sign-in with an OpenID provider against a real one: `oidc-provider`
//! (npm) run by `tests/oidc/provider.mjs` on a free loopback port, one per
//! test. enkat's side is the app's router in process; its own requests to
//! the provider (discovery, keys, token) go over real HTTP, as a browser's
//! do here through a small cookie jar. Wrong ID tokens come from the real
//! token endpoint, altered and re-signed by the provider script on the
//! test's request (`?tamper=`): the audience, the expiry, or the key.
//! Needs Node.js and `npm ci` in tests/oidc, so it runs only with
//! `ENKAT_TEST_OIDC=1` (`.ci/run` sets it).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use bytes::Bytes;
use enkat::staff::UnitRole;
use enkat::web::staff::{OidcLogin, OidcSettings, PENDING_COOKIE, SESSION_COOKIE};
use enkat::web::{self, AppState};
use http_body_util::{BodyExt, Empty};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use tower::ServiceExt;

use crate::common::{Backend, Page, TestApp};

const ENKAT: &str = "http://enkat.test";
const CALLBACK: &str = "http://enkat.test/staff/login/oidc/callback";
const ANNA: &str = "sub-anna-0001";
const OLLE: &str = "sub-olle-0003";

/// The provider script, stopped when the test ends.
struct Provider {
    child: Child,
    issuer: String,
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_provider() -> Provider {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oidc");
    assert!(
        folder.join("node_modules/oidc-provider").is_dir(),
        "the provider's packages are missing: run `npm ci` in {}",
        folder.display()
    );
    let mut child = Command::new("node")
        .arg("provider.mjs")
        .arg(CALLBACK)
        .arg(format!("{ENKAT}/staff/login"))
        .current_dir(&folder)
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(std::env::temp_dir().join("enkat-oidc-provider.log")).unwrap())
        .spawn()
        .expect("node runs (Node.js 20 or later)");
    let mut output = BufReader::new(child.stdout.take().expect("the provider's output"));
    let mut line = String::new();
    output.read_line(&mut line).expect("a line");
    // The rest of its output is read and dropped: a closed pipe would stop it.
    std::thread::spawn(move || std::io::copy(&mut output, &mut std::io::sink()));
    let issuer = line.trim().strip_prefix("issuer ").expect("the provider says where it listens").to_owned();
    Provider { child, issuer }
}

/// The app on `backend`, signing staff in with the provider as "Testkommun".
async fn app_with(provider: &Provider, backend: Backend) -> (TestApp, Router) {
    let app = TestApp::shipped(backend).await;
    let router = router_with(&app, provider, &["enkat-nexus-samordnare=nexus:coordinator", "enkat-admins=admin"]);
    (app, router)
}

/// The same app with other role mappings.
fn router_with(app: &TestApp, provider: &Provider, roles: &[&str]) -> Router {
    let settings = OidcSettings {
        issuer: provider.issuer.clone(),
        client_id: "enkat".into(),
        client_secret: "test-client-secret".into(),
        redirect_url: CALLBACK.into(),
        name: "Testkommun".into(),
        groups_claim: "groups".into(),
        roles: roles.iter().map(|role| role.parse().unwrap()).collect(),
    };
    let oidc = Arc::new(OidcLogin::new(settings).expect("valid settings"));
    web::app(AppState { oidc: Some(oidc), ..app.state.clone() })
}

/// A browser: cookies for enkat and for the provider, redirects followed.
struct Browser {
    router: Router,
    issuer: String,
    enkat: BTreeMap<String, String>,
    provider: BTreeMap<String, String>,
    http: Client<HttpConnector, Empty<Bytes>>,
}

impl Browser {
    fn new(router: &Router, provider: &Provider) -> Browser {
        Browser {
            router: router.clone(),
            issuer: provider.issuer.clone(),
            enkat: BTreeMap::new(),
            provider: BTreeMap::new(),
            http: Client::builder(TokioExecutor::new()).build_http(),
        }
    }

    fn cookie_header(jar: &BTreeMap<String, String>) -> String {
        jar.iter().map(|(name, value)| format!("{name}={value}")).collect::<Vec<_>>().join("; ")
    }

    fn keep_cookies(jar: &mut BTreeMap<String, String>, page: &Page) {
        for value in page.headers.get_all(header::SET_COOKIE) {
            let Ok(cookie) = axum_extra::extract::cookie::Cookie::parse(value.to_str().unwrap().to_owned()) else {
                continue;
            };
            let gone = cookie.value().is_empty()
                || cookie.max_age().is_some_and(|age| age.is_zero() || age.is_negative())
                || cookie.expires_datetime().is_some_and(|at| at.year() < 2000);
            if gone {
                jar.remove(cookie.name());
            } else {
                jar.insert(cookie.name().to_owned(), cookie.value().to_owned());
            }
        }
    }

    /// One GET, to enkat (a path, or an `http://enkat.test` URL) or to the provider.
    async fn get(&mut self, url: &str) -> Page {
        if url.starts_with(&self.issuer) {
            let request = Request::get(url)
                .header(header::COOKIE, Self::cookie_header(&self.provider))
                .body(Empty::new())
                .unwrap();
            let response = self.http.request(request).await.expect("the provider answers");
            let (status, headers) = (response.status(), response.headers().clone());
            let bytes = response.into_body().collect().await.expect("a body").to_bytes().to_vec();
            let page = Page::from((status, headers, bytes));
            Self::keep_cookies(&mut self.provider, &page);
            page
        } else {
            let path = url.strip_prefix(ENKAT).unwrap_or(url);
            let request = Request::get(path)
                .header(header::COOKIE, Self::cookie_header(&self.enkat))
                .body(Body::empty())
                .unwrap();
            let response = self.router.clone().oneshot(request).await.expect("the app answers");
            let (status, headers) = (response.status(), response.headers().clone());
            let bytes = response.into_body().collect().await.expect("a body").to_bytes().to_vec();
            let page = Page::from((status, headers, bytes));
            Self::keep_cookies(&mut self.enkat, &page);
            page
        }
    }

    /// Starts a sign-in and follows the provider's redirects up to the
    /// callback: its URL, not yet visited.
    async fn sign_in_until_callback(&mut self) -> String {
        let mut page = self.get("/staff/login/oidc").await;
        for _ in 0..10 {
            assert!(page.status.is_redirection(), "a redirect, not {}: {}", page.status, page.body);
            let location = page.header("location").to_owned();
            let location =
                if location.starts_with('/') { format!("{}{location}", self.issuer) } else { location.clone() };
            if location.starts_with(CALLBACK) {
                return location;
            }
            page = self.get(&location).await;
        }
        panic!("the provider never sent the browser back");
    }

    async fn sign_in(&mut self) -> Page {
        let callback = self.sign_in_until_callback().await;
        self.get(&callback).await
    }

    /// Tells the provider who signs in next, and what to do to the ID token.
    async fn next_sign_in(&mut self, subject: &str, tamper: &str) {
        let url = format!("{}/_test/next?user={subject}&tamper={tamper}", self.issuer);
        assert_eq!(self.get(&url).await.status, StatusCode::OK);
    }

    fn session(&self) -> Option<String> {
        self.enkat.get(SESSION_COOKIE).map(|value| format!("{SESSION_COOKIE}={value}"))
    }
}

/// The tests against the provider, on both databases: each needs
/// `ENKAT_TEST_OIDC=1` (and PostgreSQL's the database too), else it is
/// listed as ignored with the reason.
macro_rules! oidc_tests {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                #[cfg_attr(
                    not(enkat_oidc),
                    ignore = "OIDC tests skipped: set ENKAT_TEST_OIDC=1 (needs Node.js and `npm ci` in tests/oidc)"
                )]
                async fn $name() {
                    super::super::$name($crate::common::Backend::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                #[cfg_attr(
                    not(enkat_oidc),
                    ignore = "OIDC tests skipped: set ENKAT_TEST_OIDC=1 (needs Node.js and `npm ci` in tests/oidc)"
                )]
                #[cfg_attr(
                    all(enkat_oidc, not(enkat_postgres)),
                    ignore = "PostgreSQL tests skipped: set ENKAT_TEST_POSTGRES_URL=postgres://... to run them"
                )]
                async fn $name() {
                    super::super::$name($crate::common::Backend::Postgres).await
                }
            )*
        }
    };
}

mod provider {
    oidc_tests!(
        a_good_sign_in_makes_the_account_with_its_role_and_a_session,
        a_wrong_state_signs_nobody_in,
        a_replayed_code_signs_nobody_in,
        a_wrong_id_token_signs_nobody_in,
        someone_without_a_granted_group_is_refused_and_gets_no_account,
        an_account_whose_groups_no_longer_give_a_role_is_refused_and_loses_its_roles,
        logging_out_ends_the_session_here_and_at_the_provider,
    );
}

async fn a_good_sign_in_makes_the_account_with_its_role_and_a_session(backend: Backend) {
    let provider = start_provider();
    let (app, router) = app_with(&provider, backend).await;
    let mut browser = Browser::new(&router, &provider);
    browser.next_sign_in(ANNA, "").await;
    let start = browser.get("/staff/login/oidc").await;
    let pending = start.cookie(PENDING_COOKIE).expect("the pending sign-in's cookie");
    assert_eq!(pending.path(), Some("/staff/login/oidc"));
    assert_eq!(pending.http_only(), Some(true));
    assert_eq!(pending.same_site(), Some(axum_extra::extract::cookie::SameSite::Lax));
    let location = start.header("location");
    for parameter in ["state=", "nonce=", "code_challenge=", "code_challenge_method=S256", "scope=openid+profile"] {
        assert!(location.contains(parameter), "{parameter} in {location}");
    }
    browser.enkat.clear();

    let done = browser.sign_in().await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(done.body.contains("url=/staff"), "on to the start page: {}", done.body);
    assert!(!browser.enkat.contains_key(PENDING_COOKIE), "the pending sign-in is used up");
    let session = browser.session().expect("a session cookie");
    let start_page = app.get_as(&session, "/staff").await;
    assert_eq!(start_page.status, StatusCode::OK, "the session works");
    assert!(start_page.body.contains("anna.berg"), "signed in as anna.berg: {}", start_page.body);

    let account = app.store.oidc_account(&provider.issuer, ANNA).await.unwrap().expect("the account");
    assert_eq!(account.name, "anna.berg");
    assert_eq!(app.store.oidc_provider_of("anna.berg").await.unwrap().as_deref(), Some("Testkommun"));
    let grants = app.store.grants_of("anna.berg", account.is_admin).await.unwrap();
    assert_eq!(grants.role_in("nexus"), Some(UnitRole::Coordinator));
    assert_eq!(grants.role_in("stodteamet"), None);
    let logins = app.store.audit_events(Some("login"), 10).await.unwrap();
    assert!(logins.iter().any(|event| event.actor == "anna.berg" && event.details == "via Testkommun"), "{logins:?}");

    // A grant given by hand is replaced by the groups at the next sign-in.
    app.grant("anna.berg", "stodteamet", UnitRole::Admin).await;
    browser.next_sign_in(ANNA, "").await;
    assert_eq!(browser.sign_in().await.status, StatusCode::OK);
    let grants = app.store.grants_of("anna.berg", false).await.unwrap();
    assert_eq!(grants.role_in("stodteamet"), None, "re-read from the groups");
    assert_eq!(app.store.staff_accounts().await.unwrap().len(), 1, "the same account again");
}

async fn a_wrong_state_signs_nobody_in(backend: Backend) {
    let provider = start_provider();
    let (app, router) = app_with(&provider, backend).await;
    let mut browser = Browser::new(&router, &provider);
    let callback = browser.sign_in_until_callback().await;
    let (before, after) = callback.split_once("state=").unwrap();
    let forged = format!("{before}state=forged{}", after.find('&').map_or("", |at| &after[at..]));
    let page = browser.get(&forged).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST, "{}", page.body);
    assert!(browser.session().is_none());
    assert!(app.store.staff_accounts().await.unwrap().is_empty());
    // The real callback after that finds no pending sign-in either.
    assert_eq!(browser.get(&callback).await.status, StatusCode::BAD_REQUEST);
    assert!(browser.session().is_none());
}

async fn a_replayed_code_signs_nobody_in(backend: Backend) {
    let provider = start_provider();
    let (_app, router) = app_with(&provider, backend).await;
    let mut browser = Browser::new(&router, &provider);
    let callback = browser.sign_in_until_callback().await;
    let pending = browser.enkat.get(PENDING_COOKIE).cloned().expect("a pending sign-in");
    assert_eq!(browser.get(&callback).await.status, StatusCode::OK);
    // The same code, with the same pending cookie, from a fresh browser: the
    // provider refuses a code used once.
    let mut replay = Browser::new(&router, &provider);
    replay.enkat.insert(PENDING_COOKIE.into(), pending);
    let page = replay.get(&callback).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN, "{}", page.body);
    assert!(replay.session().is_none());
}

async fn a_wrong_id_token_signs_nobody_in(backend: Backend) {
    let provider = start_provider();
    let (app, router) = app_with(&provider, backend).await;
    for tamper in ["audience", "expired", "other-key"] {
        let mut browser = Browser::new(&router, &provider);
        browser.next_sign_in(ANNA, tamper).await;
        let page = browser.sign_in().await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{tamper}: {}", page.body);
        assert!(page.body.contains("kunde inte bekräftas"), "{tamper}: {}", page.body);
        assert!(browser.session().is_none(), "{tamper}: no session");
    }
    assert!(app.store.staff_accounts().await.unwrap().is_empty(), "no account");
    // The same token untouched is taken: the refusals were the alterations.
    let mut browser = Browser::new(&router, &provider);
    browser.next_sign_in(ANNA, "").await;
    assert_eq!(browser.sign_in().await.status, StatusCode::OK);
}

async fn someone_without_a_granted_group_is_refused_and_gets_no_account(backend: Backend) {
    let provider = start_provider();
    let (app, router) = app_with(&provider, backend).await;
    let mut browser = Browser::new(&router, &provider);
    browser.next_sign_in(OLLE, "").await;
    let page = browser.sign_in().await;
    assert_eq!(page.status, StatusCode::FORBIDDEN, "{}", page.body);
    assert!(page.body.contains("ingen av dina grupper ger behörighet"), "{}", page.body);
    assert!(browser.session().is_none());
    assert!(app.store.staff_accounts().await.unwrap().is_empty(), "no account");
    let refused = app.store.audit_events(Some("login_refused_oidc"), 10).await.unwrap();
    assert_eq!(refused.len(), 1, "{refused:?}");
}

async fn an_account_whose_groups_no_longer_give_a_role_is_refused_and_loses_its_roles(backend: Backend) {
    let provider = start_provider();
    let (app, router) = app_with(&provider, backend).await;
    let mut browser = Browser::new(&router, &provider);
    browser.next_sign_in(ANNA, "").await;
    assert_eq!(browser.sign_in().await.status, StatusCode::OK);
    assert_eq!(app.store.grants_of("anna.berg", false).await.unwrap().role_in("nexus"), Some(UnitRole::Coordinator));
    // The mapping changed: Anna's groups give nothing now.
    let narrower = router_with(&app, &provider, &["enkat-admins=admin"]);
    let mut browser = Browser::new(&narrower, &provider);
    browser.next_sign_in(ANNA, "").await;
    let page = browser.sign_in().await;
    assert_eq!(page.status, StatusCode::FORBIDDEN, "{}", page.body);
    assert!(browser.session().is_none());
    let grants = app.store.grants_of("anna.berg", false).await.unwrap();
    assert_eq!(grants.role_in("nexus"), None, "no role kept: {grants:?}");
    let refused = app.store.audit_events(Some("login_refused_oidc"), 10).await.unwrap();
    assert_eq!(refused.first().map(|event| event.actor.as_str()), Some("anna.berg"), "{refused:?}");
}

async fn logging_out_ends_the_session_here_and_at_the_provider(backend: Backend) {
    let provider = start_provider();
    let (app, router) = app_with(&provider, backend).await;
    let mut browser = Browser::new(&router, &provider);
    browser.next_sign_in(ANNA, "").await;
    assert_eq!(browser.sign_in().await.status, StatusCode::OK);
    let session = browser.session().unwrap();
    let csrf = app.csrf_token(&session).await;
    let request = Request::post("/staff/logout")
        .header(header::COOKIE, &session)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("_csrf={csrf}")))
        .unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()[header::LOCATION].to_str().unwrap();
    assert!(location.starts_with(&format!("{}/session/end?", provider.issuer)), "{location}");
    assert!(location.contains("client_id=enkat"), "{location}");
    assert!(location.contains("post_logout_redirect_uri=http%3A%2F%2Fenkat.test%2Fstaff%2Flogin"), "{location}");
    let after = app.get_as(&session, "/staff").await;
    assert_eq!(after.status, StatusCode::SEE_OTHER, "the session has ended");
    // The provider takes the request (its page asks to confirm the logout).
    assert_eq!(browser.get(location).await.status, StatusCode::OK);
}

/// Without a provider reachable at all: the login page offers the
/// provider's button, and `--local-login false` takes the form away.
#[tokio::test]
async fn the_login_page_offers_the_provider_and_local_login_can_be_turned_off() {
    let app = TestApp::shipped(Backend::Sqlite).await;
    let settings = OidcSettings {
        issuer: "http://127.0.0.1:9/".into(),
        client_id: "enkat".into(),
        client_secret: "secret".into(),
        redirect_url: CALLBACK.into(),
        name: "Uppsala kommun".into(),
        groups_claim: "groups".into(),
        roles: vec![],
    };
    let oidc = Some(Arc::new(OidcLogin::new(settings).unwrap()));
    let both = web::app(AppState { oidc: oidc.clone(), ..app.state.clone() });
    let page = send(&both, Request::get("/staff/login").body(Body::empty()).unwrap()).await;
    assert!(page.body.contains("Logga in med Uppsala kommun"), "{}", page.body);
    assert!(page.body.contains("name=\"password\""), "the form stays");
    let staff = enkat::staff::StaffSettings { local_login: false, ..app.state.staff.clone() };
    let only_provider = web::app(AppState { oidc, staff, ..app.state.clone() });
    let page = send(&only_provider, Request::get("/staff/login").body(Body::empty()).unwrap()).await;
    assert!(page.body.contains("Logga in med Uppsala kommun"));
    assert!(!page.body.contains("name=\"password\""), "no password form: {}", page.body);
    let post = Request::post("/staff/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("name=admin&password=x"))
        .unwrap();
    assert_eq!(send(&only_provider, post).await.status, StatusCode::NOT_FOUND);
    // Without a provider, no such routes.
    assert_eq!(app.get("/staff/login/oidc").await.status, StatusCode::NOT_FOUND);
}

async fn send(router: &Router, request: Request<Body>) -> Page {
    let response = router.clone().oneshot(request).await.unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    let bytes = response.into_body().collect().await.unwrap().to_bytes().to_vec();
    Page::from((status, headers, bytes))
}

on_both_databases!(an_account_of_the_provider_is_found_by_its_subject_and_its_grants_replaced);

async fn an_account_of_the_provider_is_found_by_its_subject_and_its_grants_replaced(backend: Backend) {
    let (store, _guard) = crate::common::fresh_store(backend).await;
    let now = time::OffsetDateTime::now_utc();
    let issuer = "https://login.example/tenant/v2.0";
    let coordinator = enkat::staff::Grants::new(false, [("nexus".to_owned(), UnitRole::Coordinator)]);
    assert!(store.add_oidc_account("anna", (issuer, "s1", "Uppsala kommun"), &coordinator, now).await.unwrap());
    assert!(!store.add_oidc_account("anna", (issuer, "s2", "Uppsala kommun"), &coordinator, now).await.unwrap());
    assert_eq!(store.oidc_account(issuer, "s2").await.unwrap(), None, "a taken name makes no account");
    let found = store.oidc_account(issuer, "s1").await.unwrap().expect("found by its subject");
    assert_eq!((found.name.as_str(), found.is_admin), ("anna", false));
    assert_eq!(store.oidc_account("https://other.example", "s1").await.unwrap(), None, "a subject is per issuer");
    assert_eq!(store.grants_of("anna", false).await.unwrap(), coordinator);

    let admin = enkat::staff::Grants::new(true, []);
    store.replace_oidc_grants("anna", "Region Uppsala", Some(&admin)).await.unwrap();
    let found = store.oidc_account(issuer, "s1").await.unwrap().unwrap();
    assert!(found.is_admin, "made a global admin");
    assert_eq!(store.grants_of("anna", false).await.unwrap(), enkat::staff::Grants::default(), "no unit grants left");
    assert_eq!(store.oidc_provider_of("anna").await.unwrap().as_deref(), Some("Region Uppsala"));
    store.replace_oidc_grants("anna", "Region Uppsala", None).await.unwrap();
    assert!(!store.oidc_account(issuer, "s1").await.unwrap().unwrap().is_admin, "nothing at all");
    assert_eq!(store.oidc_providers().await.unwrap(), vec![("anna".to_owned(), "Region Uppsala".to_owned())]);
    assert!(store.remove_staff_account("anna", now).await.unwrap().is_some());
    assert_eq!(store.oidc_account(issuer, "s1").await.unwrap(), None, "removed with its account");
}
