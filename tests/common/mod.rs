//! Test helpers: the real app on a fresh database, driven as a browser would.
//!
//! Every storage test runs against SQLite (a file in a temporary folder) and
//! against PostgreSQL when `ENKAT_TEST_POSTGRES_URL` names a server where the
//! user may create databases; each test gets a database of its own.
#![allow(dead_code)]

use std::path::Path;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use enkat::questionnaire::{self, Catalog};
use enkat::store::Store;
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A fresh, empty, migrated database of the given kind. The returned guard
/// keeps a SQLite file's folder alive.
pub async fn fresh_store(backend: Backend) -> (Store, Option<tempfile::TempDir>) {
    match backend {
        Backend::Sqlite => {
            let folder = tempfile::tempdir().expect("a temporary folder");
            let url = format!("sqlite://{}", folder.path().join("nested/enkat.db").display());
            (Store::connect(&url).await.expect("SQLite opens"), Some(folder))
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
            (Store::connect(&format!("{server_root}/{name}")).await.expect("the test database opens"), None)
        }
    }
}

/// The real application, on a fresh database, serving the questionnaires in
/// `folder`, as `enkat serve` would.
pub struct TestApp {
    pub router: Router,
    pub store: Store,
    pub catalog: std::sync::Arc<Catalog>,
    _folder: Option<tempfile::TempDir>,
}

impl TestApp {
    pub async fn with_questionnaires(backend: Backend, folder: &str) -> TestApp {
        let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
        let catalog = questionnaire::load_dir(&folder).expect("the test questionnaires are valid");
        let (store, guard) = fresh_store(backend).await;
        let today = time::OffsetDateTime::now_utc().date();
        for questionnaire in catalog.iter() {
            store.register_version(questionnaire, today).await.expect("versions are stored");
        }
        let catalog = std::sync::Arc::new(catalog);
        let router = web::app(AppState { catalog: catalog.clone(), store: store.clone() });
        TestApp { router, store, catalog, _folder: guard }
    }

    /// The app serving the shipped questionnaires (`questionnaires/`).
    pub async fn shipped(backend: Backend) -> TestApp {
        TestApp::with_questionnaires(backend, "questionnaires").await
    }

    pub async fn get(&self, uri: &str) -> Page {
        self.send(Request::get(uri).body(Body::empty()).unwrap()).await
    }

    /// Posts a form as a browser does: `application/x-www-form-urlencoded`,
    /// fields in order, repeated names for several checkboxes.
    pub async fn post_form(&self, uri: &str, fields: &[(&str, &str)]) -> Page {
        let body = fields
            .iter()
            .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
            .collect::<Vec<_>>()
            .join("&");
        let request = Request::post(uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    pub async fn send(&self, request: Request<Body>) -> Page {
        let response = self.router.clone().oneshot(request).await.expect("the app answers");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.expect("a readable body").to_bytes();
        Page { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
    }
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
pub struct Page {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Page {
    pub fn html(&self) -> Html {
        Html::parse_document(&self.body)
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|value| value.to_str().ok()).unwrap_or_default()
    }

    /// The text of every element matching `selector`, whitespace folded.
    #[track_caller]
    pub fn texts(&self, selector: &str) -> Vec<String> {
        let selector = Selector::parse(selector).expect("a valid CSS selector");
        self.html()
            .select(&selector)
            .map(|element| element.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" "))
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

    /// Whether the input for option `option` of question `question` is checked.
    #[track_caller]
    pub fn is_checked(&self, question: &str, option: &str) -> bool {
        let selector = format!("input[name=\"{question}\"][value=\"{option}\"]");
        let found = self.attributes(&selector, "name");
        assert_eq!(found.len(), 1, "expected one input for {question}={option}");
        !self.attributes(&format!("{selector}[checked]"), "name").is_empty()
    }
}
