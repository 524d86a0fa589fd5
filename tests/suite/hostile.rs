//! Hostile and broken input, one table: bodies over the size limit, bytes
//! that are not UTF-8, the wrong content type, repeated, countless and
//! overlong fields, questionnaire ids that try to climb out or inject,
//! unknown routes and wrong methods. Each case gets a calm page with a 4xx
//! status, never a 5xx, and stores nothing. Then slow clients, against the
//! real server: a client sending its headers or body too slowly is cut off
//! (408 for the body) and stores nothing. On SQLite and PostgreSQL.

use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use http_body_util::channel::Channel;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::common::server::{Client, Server, nexus_submission, stored_nexus_responses};
use crate::common::{Backend, TestApp, fresh_database_url};

on_both_databases!(
    hostile_requests_get_a_calm_4xx_page_and_store_nothing,
    a_client_sending_its_headers_too_slowly_is_cut_off_and_nothing_is_stored,
    a_client_sending_its_body_too_slowly_gets_408_and_nothing_is_stored,
);

const LIMIT: usize = enkat::web::BODY_LIMIT_BYTES;

// What the person reads at the top of each error page (Swedish first).
const UNREADABLE: &str = "Svaren kunde inte tas emot";
const NOT_FOUND: &str = "Sidan finns inte";
const TOO_LARGE: &str = "Svaren var för stora för att tas emot";
const WRONG_METHOD: &str = "Sidan kan inte användas så";
/// The form shown again with what is wrong (422).
const REFUSED: &str = "<title>Fel: ";

/// What a case sends as its body.
enum Sent {
    Nothing,
    Bytes(Vec<u8>),
    /// The same, with a `Content-Length` header, as browsers send it.
    WithLength(Vec<u8>),
    /// A body that never ends, without a length: only the limit stops it.
    Endless,
}

struct Case {
    what: &'static str,
    method: Method,
    uri: String,
    content_type: Option<&'static str>,
    sent: Sent,
    status: StatusCode,
    says: &'static str,
}

const FORM: Option<&str> = Some("application/x-www-form-urlencoded");

/// A complete, valid answer; each case breaks it in one way.
fn complete() -> String {
    nexus_submission("Tack för allt.")
}

fn cases() -> Vec<Case> {
    let post = |what, uri: &str, content_type, sent, status, says| Case {
        what,
        method: Method::POST,
        uri: uri.to_owned(),
        content_type,
        sent,
        status,
        says,
    };
    let request = |what, method, uri: &str, status, says| Case {
        what,
        method,
        uri: uri.to_owned(),
        content_type: None,
        sent: Sent::Nothing,
        status,
        says,
    };
    let with = |extra: String| Sent::Bytes((complete() + &extra).into_bytes());
    let padding = "a".repeat(LIMIT);
    // One row per case: (what, where, content type, body, status, what the page says).
    #[rustfmt::skip]
    let cases = vec![
        post("a body over the limit, with its length", "/s/nexus", FORM, Sent::WithLength((complete() + "&comment=" + &padding).into_bytes()), StatusCode::PAYLOAD_TOO_LARGE, TOO_LARGE),
        post("a body over the limit, without a length", "/s/nexus", FORM, Sent::Bytes((complete() + "&comment=" + &padding).into_bytes()), StatusCode::PAYLOAD_TOO_LARGE, TOO_LARGE),
        post("a body that never ends", "/s/nexus", FORM, Sent::Endless, StatusCode::PAYLOAD_TOO_LARGE, TOO_LARGE),
        post("a body just under the limit, of one unknown field", "/s/nexus", FORM, with(format!("&x={}", &padding[..LIMIT - complete().len() - 3])), StatusCode::BAD_REQUEST, UNREADABLE),
        post("an option that is not UTF-8", "/s/nexus", FORM, Sent::Bytes(complete().replace("reach=fairly_easy", "reach=%FF%FE").into_bytes()), StatusCode::UNPROCESSABLE_ENTITY, REFUSED),
        post("raw bytes that are not UTF-8 in an option", "/s/nexus", FORM, Sent::Bytes([complete().replace("reach=fairly_easy", "reach=").as_bytes(), b"&reach=\xff\xfe"].concat()), StatusCode::UNPROCESSABLE_ENTITY, REFUSED),
        post("a field name that is not UTF-8", "/s/nexus", FORM, Sent::Bytes([b"\xff\xfe=1&".as_slice(), complete().as_bytes()].concat()), StatusCode::BAD_REQUEST, UNREADABLE),
        post("JSON", "/s/nexus", Some("application/json"), Sent::Bytes(br#"{"reach":"fairly_easy","overall":"fairly_satisfied"}"#.to_vec()), StatusCode::BAD_REQUEST, UNREADABLE),
        post("multipart", "/s/nexus", Some("multipart/form-data; boundary=X"), Sent::Bytes(b"--X\r\nContent-Disposition: form-data; name=\"reach\"\r\n\r\nfairly_easy\r\n--X--\r\n".to_vec()), StatusCode::BAD_REQUEST, UNREADABLE),
        post("a whole form without a content type", "/s/nexus", None, Sent::Bytes(complete().into_bytes()), StatusCode::BAD_REQUEST, UNREADABLE),
        post("a single-choice question answered twice", "/s/nexus", FORM, with("&reach=very_difficult".to_owned()), StatusCode::UNPROCESSABLE_ENTITY, REFUSED),
        post("5,000 unknown fields", "/s/nexus", FORM, with((0..5_000).map(|n| format!("&q{n}=1")).collect()), StatusCode::BAD_REQUEST, UNREADABLE),
        post("5,000 options for one question", "/s/nexus", FORM, with((0..5_000).map(|n| format!("&reach=o{n}")).collect()), StatusCode::UNPROCESSABLE_ENTITY, REFUSED),
        post("a comment over its 2,000 characters", "/s/nexus", FORM, Sent::Bytes(nexus_submission(&"å".repeat(2_001)).into_bytes()), StatusCode::UNPROCESSABLE_ENTITY, REFUSED),
        post("an option id of 100,000 characters", "/s/nexus", FORM, Sent::Bytes(complete().replace("reach=fairly_easy", &format!("reach={}", "x".repeat(100_000))).into_bytes()), StatusCode::UNPROCESSABLE_ENTITY, REFUSED),
        post("a questionnaire id climbing out with ../", "/s/../staff", FORM, Sent::Bytes(complete().into_bytes()), StatusCode::NOT_FOUND, NOT_FOUND),
        post("a questionnaire id climbing out with %2e%2e", "/s/%2e%2e%2fstaff", FORM, Sent::Bytes(complete().into_bytes()), StatusCode::NOT_FOUND, NOT_FOUND),
        post("a questionnaire id of SQL", "/s/nexus'%20OR%201=1%20--", FORM, Sent::Bytes(complete().into_bytes()), StatusCode::NOT_FOUND, NOT_FOUND),
        post("a questionnaire id with a NUL byte", "/s/nexus%00", FORM, Sent::Bytes(complete().into_bytes()), StatusCode::NOT_FOUND, NOT_FOUND),
        request("a start page climbing out with %2e%2e", Method::GET, "/s/%2e%2e", StatusCode::NOT_FOUND, NOT_FOUND),
        request("a start page of SQL", Method::GET, "/s/'%20OR%201=1%20--", StatusCode::NOT_FOUND, NOT_FOUND),
        request("a start page with a NUL byte", Method::GET, "/s/nexus%00/tack", StatusCode::NOT_FOUND, NOT_FOUND),
        request("an unknown route", Method::GET, "/wp-login.php", StatusCode::NOT_FOUND, NOT_FOUND),
        request("DELETE on a questionnaire", Method::DELETE, "/s/nexus", StatusCode::METHOD_NOT_ALLOWED, WRONG_METHOD),
        request("PUT on the thank-you page", Method::PUT, "/s/nexus/tack", StatusCode::METHOD_NOT_ALLOWED, WRONG_METHOD),
        request("POST to the health check", Method::POST, "/healthz", StatusCode::METHOD_NOT_ALLOWED, WRONG_METHOD),
    ];
    cases
}

/// A body of 64 KiB pieces for as long as anyone reads it.
fn endless() -> Body {
    let (mut sender, body) = Channel::<Bytes, std::convert::Infallible>::new(1);
    tokio::spawn(async move { while sender.send_data(Bytes::from(vec![b'a'; 64 * 1024])).await.is_ok() {} });
    Body::new(body)
}

async fn stored(app: &TestApp) -> i64 {
    app.store.count_responses("nexus").await.unwrap() + app.store.count_responses("telefon").await.unwrap()
}

async fn hostile_requests_get_a_calm_4xx_page_and_store_nothing(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    for case in cases() {
        let what = case.what;
        let mut request = Request::builder().method(case.method).uri(&case.uri);
        if let Some(content_type) = case.content_type {
            request = request.header(header::CONTENT_TYPE, content_type);
        }
        let body = match case.sent {
            Sent::Nothing => Body::empty(),
            Sent::Bytes(bytes) => Body::from(bytes),
            Sent::WithLength(bytes) => {
                request = request.header(header::CONTENT_LENGTH, bytes.len());
                Body::from(bytes)
            }
            Sent::Endless => endless(),
        };
        let page = app.send(request.body(body).unwrap()).await;

        assert_eq!(page.status, case.status, "{what}: {}", page.body);
        assert!(page.header("content-type").starts_with("text/html"), "{what}: a page a person can read");
        assert!(page.body.contains(case.says), "{what}: the page says {:?}: {}", case.says, page.body);
        if case.status == StatusCode::METHOD_NOT_ALLOWED {
            assert!(!page.header("allow").is_empty(), "{what}: 405 names the methods allowed");
        }
        assert_eq!(stored(&app).await, 0, "{what}: nothing is stored");
    }
    // The same app still takes a real answer.
    let page = app.send(
        Request::post("/s/nexus").header(header::CONTENT_TYPE, FORM.unwrap()).body(Body::from(complete())).unwrap(),
    );
    assert_eq!(page.await.status, StatusCode::SEE_OTHER);
}

/// The timeout the real server is started with in the slow-client tests.
const TIMEOUT_SECONDS: u64 = 1;

async fn a_client_sending_its_headers_too_slowly_is_cut_off_and_nothing_is_stored(backend: Backend) {
    let (database_url, _folder) = fresh_database_url(backend).await;
    let server = Server::start(&database_url, &["--request-timeout", &TIMEOUT_SECONDS.to_string()]).await;
    let started = Instant::now();
    // Raw bytes: no HTTP client sends half its headers and waits.
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", server.port)).await.unwrap();
    stream.write_all(b"POST /s/nexus HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-").await.unwrap();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(15), stream.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "the server hangs up on a client that stops halfway through its headers");
    let waited = started.elapsed();
    assert!(waited >= Duration::from_secs(TIMEOUT_SECONDS), "not before the timeout: {waited:?}");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.is_empty() || answer.starts_with("HTTP/1.1 408"), "no answer but a timeout: {answer}");
    drop(server);
    assert!(stored_nexus_responses(&database_url).await.is_empty(), "nothing is stored");
}

async fn a_client_sending_its_body_too_slowly_gets_408_and_nothing_is_stored(backend: Backend) {
    let (database_url, _folder) = fresh_database_url(backend).await;
    let server = Server::start(&database_url, &["--request-timeout", &TIMEOUT_SECONDS.to_string()]).await;
    let body = Bytes::from(complete());

    // One stops halfway; the other trickles a byte every 50 ms (the whole
    // body would take far longer than the timeout).
    for trickle in [false, true] {
        let (mut sender, channel) = Channel::<Bytes, std::convert::Infallible>::new(1);
        let request = Request::post(server.url("/s/nexus"))
            .header(header::CONTENT_TYPE, FORM.unwrap())
            .header(header::CONTENT_LENGTH, body.len())
            .body(channel.boxed())
            .unwrap();
        let started = Instant::now();
        let reply = tokio::spawn({
            let client = Client::new();
            async move { client.send(request).await }
        });
        let sent = body.clone();
        let sending = tokio::spawn(async move {
            if trickle {
                for at in 0..sent.len() {
                    if sender.send_data(sent.slice(at..=at)).await.is_err() {
                        return;
                    }
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            } else {
                let _ = sender.send_data(sent.slice(..sent.len() / 2)).await;
                // Held open, never finished.
                tokio::time::sleep(Duration::from_secs(30)).await;
            }
        });
        let reply = reply.await.unwrap().expect("an answer");
        sending.abort();
        assert_eq!(reply.status, 408, "trickle {trickle}: {}", reply.body);
        assert!(reply.content_type.starts_with("text/html"));
        assert!(reply.body.contains("Det tog för lång tid"), "a readable page: {}", reply.body);
        assert!(started.elapsed() < Duration::from_secs(10), "at the timeout, not long after");
    }
    drop(server);
    assert!(stored_nexus_responses(&database_url).await.is_empty(), "nothing is stored");
}

/// A bug that panics in a handler, as a person meets it: the calm "something
/// went wrong" page with every privacy header, not a dropped connection, and
/// the service answers the next request as before.
#[tokio::test]
async fn a_handler_that_panics_gives_a_calm_page_and_the_service_goes_on() {
    let mut app = TestApp::with_questionnaires(Backend::Sqlite, "questionnaires").await;
    let with_bug = enkat::web::routes().route("/s/nexus/fel", axum::routing::get(a_handler_with_a_bug));
    app.router = enkat::web::with_layers(with_bug, app.state.clone(), enkat::web::DEFAULT_REQUEST_TIMEOUT);
    let page = app.get("/s/nexus/fel").await;
    assert_eq!(page.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(page.body.contains("Något gick fel hos oss"), "{}", page.body);
    assert_eq!(page.header("cache-control"), "no-store");
    assert!(page.header("content-security-policy").contains("default-src 'self'"));
    assert!(!page.body.contains("index out of bounds"), "the panic's message is not shown");
    assert_eq!(app.get("/s/nexus").await.status, StatusCode::OK, "the next request is answered");
}

async fn a_handler_with_a_bug() -> &'static str {
    let questions: Vec<&str> = Vec::new();
    questions[0]
}
