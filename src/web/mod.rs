//! The HTTP side: routes, middleware and error pages. Handlers are thin:
//! parse the request, call the questionnaire and store layers, render a view.

mod admin;
pub mod codes;
mod kept_pages;
pub mod language;
mod offered;
mod paper;
mod print;
mod published;
pub mod reach;
mod respond;
pub mod respondent_log;
mod results;
mod safety;
pub mod staff;
pub mod statement;
mod versions;
pub(crate) mod views;

use std::sync::Arc;
use std::time::Duration;

use axum::extract::rejection::FormRejection;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

use crate::clock::Clock;
use crate::questionnaire::{LiveCatalog, UnknownField};
use crate::staff::StaffSettings;
use crate::store::{ResponseWriter, Store, StoreError};

/// What every request handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The questionnaires served now, reloaded as their files change.
    pub catalog: Arc<LiveCatalog>,
    pub store: Store,
    /// Staff session cookies, session expiry and login throttling.
    pub staff: StaffSettings,
    /// Today's date in the service's time zone.
    pub clock: Clock,
    /// The address people use to reach the service, e.g.
    /// `https://enkat.uppsala.se`, for links printed on cards and in QR codes
    /// (shared, not copied: the state is cloned for every request).
    pub public_url: Arc<str>,
    /// The brake on wrong one-time codes and the vacuuming of used ones.
    pub codes: Arc<codes::CodeGuard>,
    /// The service key, kept outside the database: one-time codes are
    /// stored as MACs under it, and it signs a coded form's "admitted" mark.
    pub key: Arc<crate::codes::ServiceKey>,
    /// The exit site, who answers for the data, and whether to ask for HTTPS.
    pub safety: Arc<SafetySettings>,
    /// The accessibility statement and the brake on reports sent from it.
    pub accessibility: Arc<statement::StatementState>,
    /// The organisation's OpenID provider, when staff sign in with it.
    pub oidc: Option<Arc<staff::OidcLogin>>,
}

/// What the operator decides about a respondent's safety and privacy.
#[derive(Debug, Clone)]
pub struct SafetySettings {
    /// Where "Lämna sidan" and Shift pressed three times take a person: a
    /// neutral site that says nothing about violence or support.
    pub exit_url: String,
    /// Who is responsible for the stored answers, named on the privacy page.
    pub privacy_contact: String,
    /// Send `Strict-Transport-Security`: only behind TLS, or browsers would
    /// refuse the plain-HTTP service for a year.
    pub hsts: bool,
}

impl Default for SafetySettings {
    fn default() -> SafetySettings {
        SafetySettings {
            exit_url: "https://www.smhi.se/".to_owned(),
            privacy_contact: "Uppsala kommun, socialförvaltningen".to_owned(),
            hsts: false,
        }
    }
}

/// A questionnaire form with every free-text field filled to the limit is
/// well under this; anything larger is not a person answering.
pub const BODY_LIMIT_BYTES: usize = 256 * 1024;

/// How long a client may take over a request: sending its headers, and
/// then its body and waiting for the answer.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The whole application, as served by `enkat serve` and driven by the tests,
/// with the default request timeout.
pub fn app(state: AppState) -> Router {
    app_with_timeout(state, DEFAULT_REQUEST_TIMEOUT)
}

/// The whole application, where a request that is not answered within
/// `request_timeout` (a client sending its body slowly) gets 408.
pub fn app_with_timeout(state: AppState, request_timeout: Duration) -> Router {
    with_layers(routes(), state, request_timeout)
}

/// Every page and asset of the service, before the state and the layers
/// around every request are added.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/assets/enkat.css", get(stylesheet))
        .route("/assets/enkat.js", get(script))
        .route("/assets/paper.js", get(paper_script))
        .route("/healthz", get(alive))
        .route("/readyz", get(ready))
        .merge(
            respond::router()
                .merge(safety::router())
                .merge(published::router())
                .merge(statement::router())
                .layer(language::vary_by_language()),
        )
        .merge(results::router())
        .merge(codes::router())
        .merge(offered::router())
        .merge(print::router())
        .merge(paper::router())
        .merge(staff::router())
        .merge(admin::router())
        .merge(statement::staff_router())
        .fallback(not_found)
}

/// `routes` with the state and what surrounds every request: the privacy
/// headers and readable error pages, a bug caught as a calm page, the time
/// and size limits, the group-commit writer and the kept start pages.
/// Public so that a test can add a route of its own (one that panics)
/// inside the same layers.
pub fn with_layers(routes: Router<AppState>, state: AppState, request_timeout: Duration) -> Router {
    let safety = state.safety.clone();
    // One writer per app: responses sent together are committed together.
    let writer = ResponseWriter::new(state.store.clone());
    routes
        .with_state(state)
        // One stack, outermost first, given to the router as one layer: the
        // router boxes each layer it is given again, for every request.
        .layer(
            ServiceBuilder::new()
                // Outside the limit and the timeout, whose answers have no page of their own.
                .layer(middleware::from_fn_with_state(safety, every_response))
                // Inside `every_response`, so the page of a bug has the headers too.
                .layer(CatchPanicLayer::custom(bug_page))
                .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, request_timeout))
                .layer(RequestBodyLimitLayer::new(BODY_LIMIT_BYTES))
                .layer(Extension(writer))
                .layer(Extension(Arc::new(kept_pages::KeptPages::default()))),
        )
    // No request log: even a line with only the path and a timestamp would
    // tell when someone answered, and a response's date is kept coarse
    // on purpose. Failures are logged where they are handled.
}

/// Serves `app` on `listener` until `stop` completes, then stops gracefully:
/// no new connection is taken, idle ones are closed, and every request
/// already under way is answered first, so that a person whose answers were
/// received is also told they were stored. A client that sends its headers
/// more slowly than `request_timeout` is disconnected (hyper gives it no
/// response); one that sends its body slowly gets 408 from the app. A stop
/// waits at most `request_timeout` and a little more for the last answers
/// to be written out.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    request_timeout: Duration,
    stop: impl Future<Output = ()>,
) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(request_timeout);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut stop = std::pin::pin!(stop);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(error) => {
                    // Out of file descriptors, or a connection reset before
                    // it was taken: wait a moment rather than spin.
                    tracing::warn!(%error, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            // A client that goes away is no failure of ours, and no log line
            // may tell when someone was answering.
            let _ = connection.await;
        });
    }
    drop(listener);
    if tokio::time::timeout(request_timeout + Duration::from_secs(5), graceful.shutdown()).await.is_err() {
        tracing::warn!("stopped with connections still open: their clients did not read the answers in time");
    }
}

/// Around every request: its pages are rendered with the configured exit
/// site, the framework's own answers get a readable page, and every response
/// gets the privacy headers. One layer rather than three: each layer costs
/// every request a boxed future and a copy of the layers within it, which
/// made up much of what a start page cost (issue 8).
async fn every_response(State(safety): State<Arc<SafetySettings>>, request: Request, next: Next) -> Response {
    let response = views::with_exit_url(safety.clone(), async { readable_error_pages(next.run(request).await) }).await;
    security_headers(&safety, response)
}

/// Headers on every response. `no-store` keeps pages, answers and the
/// service's own stylesheet and script out of the browser's cache, so a
/// person sharing a device leaves nothing behind, not even a sign that the
/// service was opened (issue 15: cached assets stayed for an hour).
fn security_headers(safety: &SafetySettings, mut response: Response) -> Response {
    const HEADERS: [(HeaderName, &str); 7] = [
        (header::CACHE_CONTROL, "no-store"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (HeaderName::from_static("x-robots-tag"), "noindex, nofollow"),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
        ),
        // No page needs a camera, a microphone or the person's whereabouts.
        (HeaderName::from_static("permissions-policy"), "camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    ];
    let headers = response.headers_mut();
    headers.reserve(HEADERS.len() + 1);
    for (name, value) in HEADERS {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
    if safety.hsts {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    }
    response
}

/// The answers that come from the framework rather than a handler (a body
/// over the limit, a request too slow, a method the address does not take)
/// have an empty or plain-text body: they get the same calm page as every
/// other error, in every language, with their status and headers (`Allow`).
fn readable_error_pages(response: Response) -> Response {
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"));
    let page = match response.status() {
        _ if is_html => return response,
        StatusCode::PAYLOAD_TOO_LARGE => {
            views::message_page(|locale| (&locale.too_large_title, &locale.too_large_text))
        }
        StatusCode::REQUEST_TIMEOUT => views::message_page(|locale| (&locale.timeout_title, &locale.timeout_text)),
        StatusCode::METHOD_NOT_ALLOWED => {
            views::message_page(|locale| (&locale.method_not_allowed_title, &locale.method_not_allowed_text))
        }
        _ => return response,
    };
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    let mut page = page.into_response();
    for (name, value) in parts.headers.drain().filter_map(|(name, value)| Some((name?, value))) {
        if name != header::CONTENT_TYPE {
            page.headers_mut().insert(name, value);
        }
    }
    *page.status_mut() = parts.status;
    page
}

/// What a person sees when a handler panics (a bug): the calm "something
/// went wrong" page, and the connection and the service stay up. Nothing
/// about the request is logged; the panic's own message goes to standard
/// error as Rust prints it, without the request.
fn bug_page(_panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let page = views::message_page(|locale| (&locale.unavailable_title, &locale.unavailable_text));
    (StatusCode::INTERNAL_SERVER_ERROR, page).into_response()
}

async fn script() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], include_str!("assets/enkat.js"))
}

/// The paper entry page's script (number keys pick an option); staff only
/// need it, so respondents' pages never load it.
async fn paper_script() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], include_str!("assets/paper.js"))
}

async fn stylesheet() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], include_str!("assets/enkat.css"))
}

/// For a supervisor: the process is alive and answers. Nothing else is
/// checked, so a database outage does not get a healthy process restarted.
async fn alive() -> &'static str {
    "ok"
}

/// For a load balancer: this instance can take answers now, its database
/// answers and it has questionnaires to serve. The body names what is
/// missing, never any data.
async fn ready(State(state): State<AppState>) -> (StatusCode, &'static str) {
    if state.store.ping().await.is_err() {
        return (StatusCode::SERVICE_UNAVAILABLE, "not ready: the database does not answer");
    }
    if state.catalog.catalog().is_empty() {
        return (StatusCode::SERVICE_UNAVAILABLE, "not ready: no questionnaire is loaded");
    }
    (StatusCode::OK, "ready")
}

async fn not_found() -> WebError {
    WebError::NotFound
}

/// Why a request could not be served, turned into a page a person can act on.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("no such page")]
    NotFound,
    #[error(transparent)]
    UnknownField(#[from] UnknownField),
    #[error("the form could not be read: {0}")]
    UnreadableForm(String),
    /// A body over the size limit, found while reading it.
    #[error("the form is larger than the limit")]
    TooLarge,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("no randomness for a submission token: {0}")]
    Randomness(getrandom::Error),
    /// A coded questionnaire's page asking for a (working) code, in place of the form.
    #[error("the questionnaire needs a one-time code")]
    Code(codes::CodeRefusal),
}

impl From<crate::questionnaire::NoSuchPage> for WebError {
    fn from(error: crate::questionnaire::NoSuchPage) -> WebError {
        WebError::UnreadableForm(error.to_string())
    }
}

impl From<FormRejection> for WebError {
    fn from(rejection: FormRejection) -> WebError {
        // The body limit shows up here when the body had no length to refuse
        // it by beforehand (chunked): still too large, not unreadable.
        match rejection.status() {
            StatusCode::PAYLOAD_TOO_LARGE => WebError::TooLarge,
            _ => WebError::UnreadableForm(rejection.body_text()),
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let status = match &self {
            WebError::Code(refusal) => return refusal.clone().into_response(),
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::UnknownField(_) | WebError::UnreadableForm(_) => StatusCode::BAD_REQUEST,
            WebError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            // Counted here, once, and logged after the day (see
            // `respondent_log`); the person sees a calm page, never the details.
            WebError::Store(error) => {
                respondent_log::note("respondent requests failed on the database", error);
                StatusCode::SERVICE_UNAVAILABLE
            }
            WebError::Randomness(error) => {
                respondent_log::note("respondent requests found no randomness in the operating system", error);
                StatusCode::SERVICE_UNAVAILABLE
            }
        };
        let page = match status {
            StatusCode::NOT_FOUND => views::message_page(|locale| (&locale.not_found_title, &locale.not_found_text)),
            StatusCode::BAD_REQUEST => {
                views::message_page(|locale| (&locale.bad_request_title, &locale.bad_request_text))
            }
            StatusCode::PAYLOAD_TOO_LARGE => {
                views::message_page(|locale| (&locale.too_large_title, &locale.too_large_text))
            }
            _ => views::message_page(|locale| (&locale.unavailable_title, &locale.unavailable_text)),
        };
        (status, page).into_response()
    }
}
