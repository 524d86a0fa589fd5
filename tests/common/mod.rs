//! Test helpers: the real app on a fresh database, driven as a browser would.
//!
//! Every storage test runs against SQLite (a file in a temporary folder) and
//! against PostgreSQL when `ENKAT_TEST_POSTGRES_URL` names a server where the
//! user may create databases; each test gets a database of its own.
#![allow(dead_code, reason = "each test binary uses only some of the helpers")]

pub mod server;

use std::path::Path;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use axum_extra::extract::cookie::Cookie;
use enkat::clock::Clock;
use enkat::codes::ServiceKey;
use enkat::questionnaire::{Answer, Catalog, LiveCatalog, Questionnaire};
use enkat::staff::{AccountName, NewPassword, Secret, StaffSettings, ThrottlePolicy};
use enkat::store::{NewResponse, Store};
use enkat::web::staff::SESSION_COOKIE;
use enkat::web::{self, AppState};
use http_body_util::BodyExt;
use scraper::{Html, Selector};
use tower::ServiceExt;

/// Runs each named `async fn(Backend)` as one test per database.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name($crate::common::Backend::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                #[cfg_attr(
                    not(enkat_postgres),
                    ignore = "PostgreSQL tests skipped: set ENKAT_TEST_POSTGRES_URL=postgres://... to run them"
                )]
                async fn $name() {
                    super::$name($crate::common::Backend::Postgres).await
                }
            )*
        }
    };
}

/// An answer to store directly: the option chosen, or the text written.
pub fn answer(question: &str, option: Option<&str>, text: Option<&str>) -> Answer {
    Answer { question_id: question.into(), option_id: option.map(Into::into), text: text.map(Into::into) }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A fresh, empty, migrated database of the given kind. The returned guard
/// keeps a SQLite file's folder alive.
pub async fn fresh_store(backend: Backend) -> (Store, Option<tempfile::TempDir>) {
    let (url, guard) = fresh_database_url(backend).await;
    (Store::connect(&url).await.expect("the test database opens"), guard)
}

/// The URL of a fresh database of the given kind, not yet opened (so not
/// migrated: a SQLite file does not exist yet). The returned guard keeps a
/// SQLite file's folder alive.
pub async fn fresh_database_url(backend: Backend) -> (String, Option<tempfile::TempDir>) {
    match backend {
        Backend::Sqlite => {
            let folder = tempfile::tempdir().expect("a temporary folder");
            (format!("sqlite://{}", folder.path().join("nested/enkat.db").display()), Some(folder))
        }
        Backend::Postgres => {
            let server = std::env::var("ENKAT_TEST_POSTGRES_URL")
                .expect("ENKAT_TEST_POSTGRES_URL names a PostgreSQL server for the PostgreSQL tests");
            let name = format!("enkat_test_{}", uuid::Uuid::new_v4().simple());
            let admin = sqlx::PgPool::connect(&server).await.expect("the test PostgreSQL server answers");
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&admin)
                .await
                .expect("a test database can be created");
            admin.close().await;
            let (base, _) = server.split_once('?').unwrap_or((&server, ""));
            let (server_root, _) = base.rsplit_once('/').expect("a postgres:// URL");
            (format!("{server_root}/{name}"), None)
        }
    }
}

/// Takes a database back to its schema before migration 0006 (the tallies),
/// keeping its responses: a database an older enkat left.
pub async fn undo_tallies_migration(store: &Store) {
    let undo = [
        "DROP TABLE response_tally",
        "DROP TABLE answer_tally",
        "DROP TABLE question_tally",
        // The tallies' channel came later (migration 0014), with the response's,
        // and the breakdowns' counts later still (migration 0020).
        "ALTER TABLE response DROP COLUMN channel",
        "DROP TABLE group_tally_cell",
        "DROP TABLE group_response_tally",
        "DROP TABLE group_answer_tally",
        "DROP TABLE group_question_tally",
        "DELETE FROM _sqlx_migrations WHERE version IN (6, 14, 20)",
    ];
    for statement in undo {
        match store {
            Store::Sqlite(pool) => sqlx::query(statement).execute(pool).await.map(drop),
            Store::Postgres(pool) => sqlx::query(statement).execute(pool).await.map(drop),
        }
        .expect("the tallies can be undone");
    }
}

/// Answers to every required question of the shipped Nexus questionnaire,
/// as its form sends them, and nothing more.
pub fn required_nexus_answers() -> Vec<(&'static str, &'static str)> {
    vec![
        ("_lang", "sv"),
        ("reach", "fairly_easy"),
        ("information", "very_easy"),
        ("respect", "yes_always"),
        ("listened", "yes_mostly"),
        ("influence", "quite_little"),
        ("safe", "very_safe"),
        ("improved", "dont_know"),
        ("overall", "fairly_satisfied"),
    ]
}

/// A complete response to the shipped Nexus questionnaire, as its form
/// sends it: every required question, and a few optional ones.
pub fn complete_nexus_answers() -> Vec<(&'static str, &'static str)> {
    let mut answers = required_nexus_answers();
    answers.extend([
        ("received_support", "move"),
        ("received_support", "housing"),
        ("missing_support", "belongings"),
        ("missing_support.other", "Hjälp med juridiken"),
        ("most_needed", "belongings"),
        ("comment", "Tack för allt."),
        ("age", "age_30_44"),
    ]);
    answers
}

/// The real application, on a fresh database, serving the questionnaires in
/// `folder`, as `enkat serve` would.
pub struct TestApp {
    pub router: Router,
    /// What the router was built with, for a test that builds its own.
    pub state: AppState,
    pub store: Store,
    pub catalog: std::sync::Arc<Catalog>,
    /// The service's clock: the real one unless the test chose another.
    pub clock: Clock,
    /// The service key the app stores codes under, as `enkat serve` has it.
    pub key: std::sync::Arc<ServiceKey>,
    live: std::sync::Arc<LiveCatalog>,
    staff: StaffSettings,
    _folder: Option<tempfile::TempDir>,
}

/// A password that meets the policy, for test accounts.
pub const PASSWORD: &str = "korrekt häst batteri";

impl TestApp {
    pub async fn with_questionnaires(backend: Backend, folder: &str) -> TestApp {
        let (store, guard) = fresh_store(backend).await;
        TestApp::build(store, guard, folder, TestApp::staff_settings(), TestApp::real_clock()).await
    }

    /// The app serving the questionnaires in `folder`, on a clock of the
    /// test's choosing (`Clock::fixed`), for opening and closing days.
    pub async fn with_clock(backend: Backend, folder: &str, clock: Clock) -> TestApp {
        let (store, guard) = fresh_store(backend).await;
        TestApp::build(store, guard, folder, TestApp::staff_settings(), clock).await
    }

    /// The clock of `enkat serve`: the real one, in Stockholm.
    fn real_clock() -> Clock {
        Clock::system("Europe/Stockholm").expect("a known time zone")
    }

    /// The app serving the shipped questionnaires, with these staff settings.
    pub async fn with_staff(backend: Backend, staff: StaffSettings) -> TestApp {
        let (store, guard) = fresh_store(backend).await;
        TestApp::build(store, guard, "questionnaires", staff, TestApp::real_clock()).await
    }

    /// The app serving the shipped questionnaires on an existing database,
    /// such as a SQLite file the `enkat` command wrote to.
    pub async fn on_database(url: &str) -> TestApp {
        TestApp::with_database(url, "questionnaires").await
    }

    /// The app serving the questionnaires in `folder` on an existing database.
    /// The app serving the questionnaires in `folder` on an existing
    /// database, started with this service key.
    pub async fn with_database_and_key(url: &str, folder: &str, key: ServiceKey) -> TestApp {
        let store = Store::connect(url).await.expect("the database opens");
        let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
        let live = LiveCatalog::open(&folder).expect("the test questionnaires are valid");
        let clock = TestApp::real_clock();
        TestApp::build_live(store, None, std::sync::Arc::new(live), TestApp::staff_settings(), clock, Some(key)).await
    }

    /// The service key is found as `enkat` finds it: the key file next to a
    /// SQLite database (created if the database has none); for PostgreSQL,
    /// `server::TEST_KEY`, which `enkat_codes`-style runs give in `ENKAT_KEY`.
    pub async fn with_database(url: &str, folder: &str) -> TestApp {
        let store = Store::connect(url).await.expect("the database opens");
        let key = if url.starts_with("postgres") {
            // No key file for PostgreSQL: the key every test server is given.
            ServiceKey::parse(server::TEST_KEY, "the test key").unwrap()
        } else {
            let args = enkat::cli::key::KeyArgs { key_file: None };
            enkat::cli::key::service_key(&args, url, &store).await.expect("the database's service key").0
        };
        let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
        let live = LiveCatalog::open(&folder).expect("the test questionnaires are valid");
        let clock = TestApp::real_clock();
        TestApp::build_live(store, None, std::sync::Arc::new(live), TestApp::staff_settings(), clock, Some(key)).await
    }

    /// The settings of `enkat serve`, except that failed logins are not
    /// slowed down (tests need not wait; locking out still happens).
    pub fn staff_settings() -> StaffSettings {
        let throttle = ThrottlePolicy { delay_step: std::time::Duration::ZERO, ..ThrottlePolicy::default() };
        StaffSettings { throttle, ..StaffSettings::default() }
    }

    async fn build(
        store: Store,
        guard: Option<tempfile::TempDir>,
        folder: &str,
        staff: StaffSettings,
        clock: Clock,
    ) -> TestApp {
        let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
        let live = LiveCatalog::open(&folder).expect("the test questionnaires are valid");
        TestApp::build_live(store, guard, std::sync::Arc::new(live), staff, clock, None).await
    }

    /// The app serving a live catalog, which the test may reload.
    pub async fn with_live_catalog(backend: Backend, live: std::sync::Arc<LiveCatalog>) -> TestApp {
        let (store, guard) = fresh_store(backend).await;
        TestApp::build_live(store, guard, live, TestApp::staff_settings(), TestApp::real_clock(), None).await
    }

    /// `key`: the database's service key; `None` for a fresh database, which
    /// gets a new one, as on a first `enkat serve`.
    async fn build_live(
        store: Store,
        guard: Option<tempfile::TempDir>,
        live: std::sync::Arc<LiveCatalog>,
        staff: StaffSettings,
        clock: Clock,
        key: Option<ServiceKey>,
    ) -> TestApp {
        let key = match key {
            Some(key) => key,
            None => ServiceKey::generate().expect("randomness for a key"),
        };
        let adopted = store.adopt_key(&key).await.expect("the key is adopted");
        assert_ne!(adopted, enkat::store::KeyAdoption::Different, "the database's own key");
        let key = std::sync::Arc::new(key);
        let catalog = live.catalog();
        let today = clock.today();
        for questionnaire in catalog.iter() {
            store.register_version(questionnaire, today).await.expect("versions are stored");
        }
        let catalog = std::sync::Arc::new(catalog.as_ref().clone());
        let state = AppState {
            catalog: live.clone(),
            store: store.clone(),
            staff: staff.clone(),
            clock: clock.clone(),
            public_url: "https://enkat.example.org".into(),
            codes: std::sync::Arc::default(),
            key: key.clone(),
            safety: std::sync::Arc::default(),
            accessibility: std::sync::Arc::default(),
            oidc: None,
        };
        let router = web::app(state.clone());
        TestApp { router, state, store, catalog, clock, key, live, staff, _folder: guard }
    }

    /// The same service on the same database, started again on another
    /// clock: the days after, for what a later date shows. Keep `self`
    /// alive while it runs (it owns a SQLite file's folder).
    pub async fn restarted_on(&self, clock: Clock) -> TestApp {
        let live = std::sync::Arc::new(LiveCatalog::fixed(self.catalog.as_ref().clone()));
        TestApp::build_live(self.store.clone(), None, live, TestApp::staff_settings(), clock, Some((*self.key).clone()))
            .await
    }

    /// The same service on the same database, on another clock: to read in
    /// a later period, once it has closed, what was answered in this one.
    pub async fn on_clock(&self, clock: Clock) -> TestApp {
        let live = std::sync::Arc::new(LiveCatalog::fixed(self.catalog.as_ref().clone()));
        TestApp::build_live(self.store.clone(), None, live, TestApp::staff_settings(), clock, Some((*self.key).clone()))
            .await
    }

    /// The app serving the shipped questionnaires (`questionnaires/`).
    pub async fn shipped(backend: Backend) -> TestApp {
        TestApp::with_questionnaires(backend, "questionnaires").await
    }

    /// The same service on the same database, `days` later by its clock:
    /// for staff looking at results once the period the responses were
    /// given in has closed. Sessions do not last that long: log in anew.
    /// Keep `self` alive while this is used (it holds the database's folder).
    pub async fn later(&self, days: i64) -> TestApp {
        let moved = self.clock.now() + jiff::SignedDuration::from_hours(24 * days);
        let clock = Clock::fixed(moved, "Europe/Stockholm").expect("a known time zone");
        let key = Some((*self.key).clone());
        TestApp::build_live(self.store.clone(), None, self.live.clone(), self.staff.clone(), clock, key).await
    }

    /// Today where the service runs, by the service's clock.
    pub fn today(&self) -> time::Date {
        self.clock.today()
    }

    pub async fn get(&self, uri: &str) -> Page {
        self.send(Request::get(uri).body(Body::empty()).unwrap()).await
    }

    /// Opens a questionnaire as a person does: the start page at `uri`, then
    /// its "Start" button, which posts to the first page of questions. The
    /// start page is returned as it is when it has no start button (a closed
    /// questionnaire, a page asking for a code).
    pub async fn start(&self, uri: &str) -> Page {
        let start = self.get(uri).await;
        self.press_start(start, None).await
    }

    /// `start` for a logged-in member of staff: the admin's preview.
    pub async fn start_as(&self, cookie: &str, uri: &str) -> Page {
        let start = self.get_as(cookie, uri).await;
        self.press_start(start, Some(cookie)).await
    }

    /// Presses the "Start" button of `start`, a start page already fetched.
    pub async fn press_start(&self, start: Page, cookie: Option<&str>) -> Page {
        if start.attributes("form.questionnaire input[name=_page][value=start]", "value").is_empty() {
            return start;
        }
        let action = start.attributes("form.questionnaire", "action").pop().expect("the start form's action");
        let mut fields = start.form_fields();
        fields.push(("_action".to_owned(), "next".to_owned()));
        let fields: Vec<(&str, &str)> = fields.iter().map(|(name, value)| (name.as_str(), value.as_str())).collect();
        match cookie {
            Some(cookie) => self.post_form_as(cookie, &action, &fields).await,
            None => self.post_form(&action, &fields).await,
        }
    }

    /// Posts a form as a browser does: `application/x-www-form-urlencoded`,
    /// fields in order, repeated names for several checkboxes.
    pub async fn post_form(&self, uri: &str, fields: &[(&str, &str)]) -> Page {
        self.send(form_request(uri).body(Body::from(form_body(fields))).unwrap()).await
    }

    /// Stores one response as the web form would, dated `on` (already
    /// coarsened to the questionnaire's precision), through the store.
    pub async fn store_response(
        &self,
        questionnaire: &Questionnaire,
        language: &str,
        on: time::Date,
        answers: &[Answer],
    ) {
        let response = NewResponse {
            questionnaire,
            language,
            submitted_on: on,
            answers,
            submission: None,
            channel: enkat::questionnaire::Channel::Web,
        };
        self.store.insert_response(&response).await.unwrap();
    }

    /// Creates a staff account through the store, as `enkat staff add` does:
    /// a global admin, or a member of staff as every account was before
    /// roles per unit, a coordinator in every unit (`enkat staff grant NAME
    /// --unit '*' --role coordinator`).
    pub async fn add_staff(&self, name: &str, password: &str, is_admin: bool) {
        self.add_account(name, password, is_admin).await;
        if !is_admin {
            self.grant(name, enkat::staff::EVERY_UNIT, enkat::staff::UnitRole::Coordinator).await;
        }
    }

    /// Creates an account with no role anywhere (not a global admin).
    pub async fn add_account(&self, name: &str, password: &str, is_admin: bool) {
        let name = AccountName::parse(name).expect("a valid account name");
        let hash = NewPassword::parse(&name, password.to_owned()).expect("a valid password").hash().unwrap();
        let now = self.clock.now_utc();
        assert!(self.store.add_staff_account(name.as_str(), &hash, is_admin, now).await.unwrap(), "a new account");
    }

    /// Grants an account a role in a unit, as `enkat staff grant` does.
    pub async fn grant(&self, name: &str, unit: &str, role: enkat::staff::UnitRole) {
        assert!(self.store.grant_role(name, unit, role).await.unwrap(), "{name} exists");
    }

    /// Issues an API token for an account through the store, as `enkat
    /// token create` does; returns the token.
    pub async fn add_token(&self, name: &str, label: &str) -> String {
        let token = Secret::generate().unwrap();
        let now = self.clock.now_utc();
        self.store.create_api_token(name, &token.fingerprint(), label, now).await.unwrap().expect("the account exists");
        token.expose().to_owned()
    }

    /// Posts the login form, with the browser's session cookie if it has one.
    pub async fn try_login(&self, name: &str, password: &str, cookie: Option<&str>) -> Page {
        let fields = [("name", name), ("password", password)];
        let mut request = form_request("/staff/login");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::from(form_body(&fields))).unwrap()).await
    }

    /// Logs in; returns the session cookie as a browser sends it back
    /// (`enkat_staff=...`), for `get_as` and `post_form_as`.
    pub async fn login(&self, name: &str, password: &str) -> String {
        let page = self.try_login(name, password, None).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{name} logs in: {}", page.body);
        let cookie = page.cookie(SESSION_COOKIE).expect("a session cookie");
        format!("{}={}", cookie.name(), cookie.value())
    }

    /// A new admin account `admin`, logged in; returns its session cookie.
    pub async fn logged_in_admin(&self) -> String {
        self.add_staff("admin", PASSWORD, true).await;
        self.login("admin", PASSWORD).await
    }

    /// A GET with a session cookie (`name=value`).
    pub async fn get_as(&self, cookie: &str, uri: &str) -> Page {
        self.send(Request::get(uri).header(header::COOKIE, cookie).body(Body::empty()).unwrap()).await
    }

    /// A form post with a session cookie (`name=value`). Add the `_csrf`
    /// field (see `csrf_token`) or it is refused.
    pub async fn post_form_as(&self, cookie: &str, uri: &str, fields: &[(&str, &str)]) -> Page {
        let request = form_request(uri).header(header::COOKIE, cookie);
        self.send(request.body(Body::from(form_body(fields))).unwrap()).await
    }

    /// A GET with `Authorization: Bearer <token>`.
    pub async fn get_with_token(&self, token: &str, uri: &str) -> Page {
        let request = Request::get(uri).header(header::AUTHORIZATION, format!("Bearer {token}"));
        self.send(request.body(Body::empty()).unwrap()).await
    }

    /// The CSRF token of a session, as its pages carry it.
    pub async fn csrf_token(&self, cookie: &str) -> String {
        let page = self.get_as(cookie, "/staff").await;
        let tokens = page.attributes("input[name=_csrf]", "value");
        assert_eq!(tokens.len(), 1, "the staff page has one CSRF field: {}", page.body);
        tokens.into_iter().next().unwrap()
    }

    pub async fn send(&self, request: Request<Body>) -> Page {
        send_to(self.router.clone(), request).await
    }
}

/// Posts the login form to `router`, from a task of its own (for logins
/// running at the same time as the test's own requests).
pub async fn send_login(router: Router, name: &str, password: &str, cookie: Option<&str>) -> Page {
    let fields = [("name", name), ("password", password)];
    let mut request = form_request("/staff/login");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    send_to(router, request.body(Body::from(form_body(&fields))).unwrap()).await
}

async fn send_to(router: Router, request: Request<Body>) -> Page {
    let response = router.oneshot(request).await.expect("the app answers");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.expect("a readable body").to_bytes();
    Page { status, headers, body: String::from_utf8_lossy(&bytes).into_owned(), bytes: bytes.to_vec() }
}

fn form_request(uri: &str) -> axum::http::request::Builder {
    Request::post(uri).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
}

fn form_body(fields: &[(&str, &str)]) -> String {
    fields.iter().map(|(name, value)| format!("{}={}", encode(name), encode(value))).collect::<Vec<_>>().join("&")
}

fn encode(text: &str) -> String {
    let mut encoded = String::new();
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => encoded.push(byte as char),
            b' ' => encoded.push('+'),
            _ => encoded.push_str(&format!("%{byte:02X}")),
        }
    }
    encoded
}

/// What came back: status, headers and the page as a person would read it.
#[derive(Clone)]
pub struct Page {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    /// The body as text (a binary file's bytes are in `bytes`).
    pub body: String,
    pub bytes: Vec<u8>,
}

/// A response as read through a router by hand: status, headers, body.
impl From<(StatusCode, axum::http::HeaderMap, Vec<u8>)> for Page {
    fn from((status, headers, bytes): (StatusCode, axum::http::HeaderMap, Vec<u8>)) -> Page {
        Page { status, headers, body: String::from_utf8_lossy(&bytes).into_owned(), bytes }
    }
}

impl Page {
    pub fn html(&self) -> Html {
        Html::parse_document(&self.body)
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|value| value.to_str().ok()).unwrap_or_default()
    }

    /// The cookie named `name` that the response sets, with its attributes.
    pub fn cookie(&self, name: &str) -> Option<Cookie<'static>> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|value| Cookie::parse(value.to_str().ok()?.to_owned()).ok())
            .find(|cookie| cookie.name() == name)
    }

    /// The text of every element matching `selector`, whitespace folded.
    #[track_caller]
    pub fn texts(&self, selector: &str) -> Vec<String> {
        let selector = Selector::parse(selector).expect("a valid CSS selector");
        self.html()
            .select(&selector)
            .map(|element| {
                element.text().collect::<Vec<_>>().join(" ").split_whitespace().collect::<Vec<_>>().join(" ")
            })
            .collect()
    }

    /// The text of the one element matching `selector`.
    #[track_caller]
    pub fn text(&self, selector: &str) -> String {
        let texts = self.texts(selector);
        assert_eq!(texts.len(), 1, "expected exactly one `{selector}`, found {texts:?}");
        texts.into_iter().next().unwrap()
    }

    /// An attribute of every element matching `selector`.
    #[track_caller]
    pub fn attributes(&self, selector: &str, attribute: &str) -> Vec<String> {
        let selector = Selector::parse(selector).expect("a valid CSS selector");
        self.html().select(&selector).filter_map(|element| element.value().attr(attribute).map(str::to_owned)).collect()
    }

    /// What a browser sends from the questionnaire form as it stands, before
    /// any button is pressed: hidden fields, ticked choices, typed text.
    pub fn form_fields(&self) -> Vec<(String, String)> {
        let html = self.html();
        let selector =
            Selector::parse("form.questionnaire input, form.questionnaire textarea").expect("a valid selector");
        html.select(&selector)
            .filter_map(|field| {
                let element = field.value();
                let name = element.attr("name")?.to_owned();
                let value = match (element.name(), element.attr("type").unwrap_or("text")) {
                    ("textarea", _) => field.text().collect(),
                    (_, "radio" | "checkbox") => element.attr("checked").and(element.attr("value"))?.to_owned(),
                    _ => element.attr("value").unwrap_or_default().to_owned(),
                };
                Some((name, value))
            })
            .collect()
    }

    /// Whether the input for option `option` of question `question` is checked.
    #[track_caller]
    pub fn is_checked(&self, question: &str, option: &str) -> bool {
        let selector = format!("input[name=\"{question}\"][value=\"{option}\"]");
        let found = self.attributes(&selector, "name");
        assert_eq!(found.len(), 1, "expected one input for {question}={option}");
        !self.attributes(&format!("{selector}[checked]"), "name").is_empty()
    }
}
