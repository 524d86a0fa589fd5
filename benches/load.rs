//! The load benchmark: `cargo bench --bench load` (or `benches/load.sh`,
//! which also starts a PostgreSQL with default durability for it).
//!
//! Every figure is printed beside a baseline measured in the same run, on
//! the same machine at the same moment, because a shared machine's absolute
//! times say little:
//! - `GET /s/nexus` at 16 connections against a static server (this same
//!   program, started with `--static-server`) serving the page's bytes, once
//!   with enkat's response headers (the privacy headers any server of these
//!   pages must send) and once with the body alone;
//! - `POST /s/nexus` of complete responses at 64 clients against the same
//!   rows stored straight into the database, one transaction per response
//!   (what enkat did before group commit) and all in one transaction (the
//!   ceiling), on SQLite and, if `ENKAT_BENCH_POSTGRES_URL` names a server
//!   where the user may create databases, on PostgreSQL;
//! - the server's resident memory, idle and at its peak under the load.
//!
//! `ENKAT_BENCH_SECONDS` (default 10) sets how long each load runs;
//! `ENKAT_BENCH_ONLY=page` or `ENKAT_BENCH_ONLY=submissions` runs only that
//! section, for quick iterations on one of them.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{Method, Request, StatusCode, header};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

use enkat::cli::seed::{Random, synthetic_form, synthetic_response};
use enkat::questionnaire::{Questionnaire, load_dir};
use enkat::store::{MOVE_AFTER, QueuedResponse, Store};

const ENKAT: &str = env!("CARGO_BIN_EXE_enkat");
const PAGE_CLIENTS: usize = 16;
const SUBMISSION_CLIENTS: usize = 64;

type HttpClient = Client<HttpConnector, Full<Bytes>>;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|arg| arg == "--static-server") {
        return static_server(Path::new(&args[at + 1]), &args[at + 2]);
    }
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    runtime.block_on(run());
}

async fn run() {
    let seconds: u64 = std::env::var("ENKAT_BENCH_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(10);
    let only = std::env::var("ENKAT_BENCH_ONLY").unwrap_or_default();
    let runs = |section: &str| only.is_empty() || only == section;
    assert!(
        ["", "page", "submissions"].contains(&only.as_str()),
        "ENKAT_BENCH_ONLY is `page` or `submissions`, not `{only}`"
    );
    let duration = Duration::from_secs(seconds);
    let scratch = tempfile::Builder::new()
        .prefix("enkat-bench")
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .expect("a scratch folder on the target's disk");
    let catalog = load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("questionnaires")).expect("questionnaires");
    let nexus: Arc<Questionnaire> = catalog.get("nexus").expect("the shipped nexus questionnaire").clone();
    let client: HttpClient =
        Client::builder(TokioExecutor::new()).pool_max_idle_per_host(256).build(HttpConnector::new());
    println!(
        "enkat load benchmark: {seconds} s per load, {} cores",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );

    if runs("page") {
        page(&client, scratch.path(), duration).await;
    }
    if runs("submissions") {
        submissions(&client, &nexus, duration, "SQLite", &|name| {
            format!("sqlite://{}", scratch.path().join(format!("{name}.db")).display())
        })
        .await;
        match std::env::var("ENKAT_BENCH_POSTGRES_URL") {
            Ok(server) => {
                let server = Arc::new(server);
                submissions(&client, &nexus, duration, "PostgreSQL", &|name| postgres_database(&server, name)).await;
            }
            Err(_) => println!("\nPostgreSQL skipped: set ENKAT_BENCH_POSTGRES_URL (benches/load.sh does)"),
        }
    }
}

/// `GET /s/nexus` at 16 connections, and its baselines: a static server
/// serving the same body alone, and the same body with the same headers
/// (enkat's privacy headers, which any server of these pages must send).
async fn page(client: &HttpClient, scratch: &Path, duration: Duration) {
    let sqlite_url = format!("sqlite://{}", scratch.join("page.db").display());
    let server = Server::start(&sqlite_url).await;
    let (headers, page) = fetch_whole(client, &server.url("/s/nexus")).await;
    let page_file = scratch.join("page.html");
    std::fs::write(&page_file, &page).expect("page written");
    // What the static server sends along: every header but those hyper
    // writes itself.
    let header_lines: String = headers
        .iter()
        .filter(|(name, _)| ![header::DATE, header::CONTENT_LENGTH].contains(name))
        .map(|(name, value)| format!("{name}: {}\n", value.to_str().expect("a readable header")))
        .collect();
    std::fs::write(scratch.join("page.headers"), &header_lines).expect("headers written");
    let static_port = free_port();
    let mut static_server = Command::new(std::env::current_exe().expect("this program"))
        .args(["--static-server", &page_file.display().to_string(), &static_port.to_string()])
        .spawn()
        .expect("the static server starts");
    let static_url = format!("http://127.0.0.1:{static_port}/s/nexus");
    wait_until_up(client, &static_url).await;
    println!(
        "\n## GET /s/nexus, {PAGE_CLIENTS} connections ({} bytes, {} header lines)",
        page.len(),
        header_lines.lines().count()
    );
    let get = |url: String| move |_: u64| Request::get(url.as_str()).body(Full::new(Bytes::new())).unwrap();
    let bare = load(client, PAGE_CLIENTS, duration, StatusCode::OK, get(static_url.clone())).await;
    let dressed = load(client, PAGE_CLIENTS, duration, StatusCode::OK, get(format!("{static_url}?with-headers"))).await;
    let measured = load(client, PAGE_CLIENTS, duration, StatusCode::OK, get(server.url("/s/nexus"))).await;
    let _ = static_server.kill();
    let _ = static_server.wait();
    report("static server, body and headers", &dressed, None);
    report("static server, body alone", &bare, None);
    report("enkat", &measured, Some(&dressed));
    for (baseline, what) in [(&dressed, "the same body and headers"), (&bare, "the same body alone")] {
        println!(
            "page against {what}: throughput ratio {:.2}, p99 ratio (baseline p99 / enkat p99) {:.2}",
            measured.rate() / baseline.rate(),
            baseline.p99().as_secs_f64() / measured.p99().as_secs_f64()
        );
    }
    drop(server);
}

/// `POST /s/nexus` at 64 clients, and its two baselines, on fresh databases
/// named by `database`.
async fn submissions(
    client: &HttpClient,
    nexus: &Arc<Questionnaire>,
    duration: Duration,
    kind: &str,
    database: &dyn Fn(&str) -> String,
) {
    println!("\n## POST /s/nexus, complete responses, {SUBMISSION_CLIENTS} clients, {kind}");
    let url = database("http");
    let server = Server::start(&url).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let idle = server.memory();
    let written_before = server.disk_writes();
    let forms = Arc::new(forms(nexus, 1000));
    let sequence = Arc::new(AtomicU64::new(0));
    let post_url = server.url("/s/nexus");
    let measured = load(client, SUBMISSION_CLIENTS, duration, StatusCode::SEE_OTHER, move |_| {
        let at = sequence.fetch_add(1, Ordering::Relaxed);
        // A fresh token for every form, as every form shown gets one.
        let body = format!("{}&_submission=bench-{at:016x}", forms[at as usize % forms.len()]);
        Request::builder()
            .method(Method::POST)
            .uri(post_url.as_str())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Full::new(Bytes::from(body)))
            .unwrap()
    })
    .await;
    let peak = server.memory();
    // SQLite: what the intake still holds is moved within `MOVE_AFTER`;
    // its writes belong to these responses.
    tokio::time::sleep(MOVE_AFTER + Duration::from_millis(500)).await;
    let written = server.disk_writes().saturating_sub(written_before);
    let store = Store::connect(&url).await.expect("the benchmark database opens");
    let stored = store.count_responses("nexus").await.expect("counted");
    store.close().await;
    drop(server);

    // (a) The same kind of rows, one transaction per response, 64 at once.
    let one_by_one = insert_one_by_one(nexus, &database("one_by_one"), duration).await;
    // (b) As many rows as enkat took, in one transaction: the ceiling.
    let all_at_once = insert_all_at_once(nexus, &database("all_at_once"), measured.ok.max(10_000)).await;

    report("one transaction per response (a)", &one_by_one, None);
    report("all in one transaction (b)", &all_at_once, None);
    report("enkat, group commit", &measured, Some(&one_by_one));
    println!(
        "{kind}: enkat {:.0}/s = {:.2} × (a), {:.3} × (b); {stored} responses stored for {} acknowledged",
        measured.rate(),
        measured.rate() / one_by_one.rate(),
        measured.rate() / all_at_once.rate(),
        measured.ok
    );
    // Why durable submissions cost what they cost: random ids put every
    // response on pages of its own, and each commit writes its pages out.
    // (PostgreSQL writes in its own processes: nothing is counted here.)
    if written > 0 {
        println!(
            "{kind}: the server wrote {:.1} MB to disk, {:.1} KB per stored response",
            written as f64 / 1e6,
            written as f64 / 1e3 / stored.max(1) as f64
        );
    }
    println!(
        "{kind} memory: idle VmRSS {} MiB; under load VmRSS {} MiB, peak VmHWM {} MiB",
        idle.rss_kib / 1024,
        peak.rss_kib / 1024,
        peak.peak_kib / 1024
    );
    assert!(stored >= measured.ok as i64, "every acknowledged response is stored");
}

/// `count` distinct complete Nexus forms, as `application/x-www-form-urlencoded`
/// bodies without a submission token.
fn forms(nexus: &Questionnaire, count: usize) -> Vec<String> {
    let mut random = Random::new(8);
    (0..count)
        .map(|_| {
            let (language, mut fields) = synthetic_form(nexus, &mut random);
            fields.push(("_lang".to_owned(), language));
            fields.push(("_version".to_owned(), nexus.version.as_str().to_owned()));
            serde_urlencoded::to_string(&fields).expect("a form encodes")
        })
        .collect()
}

fn queued(nexus: &Questionnaire, random: &mut Random, at: u64) -> QueuedResponse {
    let today = time::OffsetDateTime::now_utc().date();
    QueuedResponse {
        submission: Some(format!("bench-{at:x}-{:x}", random.number())),
        ..synthetic_response(nexus, today, random)
    }
}

async fn fresh_store(nexus: &Questionnaire, url: &str) -> Store {
    let store = Store::connect(url).await.expect("the baseline database opens");
    store.register_version(nexus, time::OffsetDateTime::now_utc().date()).await.expect("version stored");
    store
}

async fn insert_one_by_one(nexus: &Arc<Questionnaire>, url: &str, duration: Duration) -> Outcome {
    let store = fresh_store(nexus, url).await;
    let started = Instant::now();
    let deadline = started + duration;
    let tasks: Vec<_> = (0..SUBMISSION_CLIENTS as u64)
        .map(|task| {
            let store = store.clone();
            let nexus = nexus.clone();
            tokio::spawn(async move {
                let mut random = Random::new(task);
                let mut latencies = Vec::new();
                let mut at = task << 32;
                while Instant::now() < deadline {
                    let response = queued(&nexus, &mut random, at);
                    at += 1;
                    let sent = Instant::now();
                    store.insert_responses(std::slice::from_ref(&response)).await.expect("stored");
                    latencies.push(sent.elapsed());
                }
                latencies
            })
        })
        .collect();
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.expect("a task"));
    }
    let elapsed = started.elapsed();
    store.close().await;
    Outcome::new(latencies, 0, elapsed)
}

async fn insert_all_at_once(nexus: &Questionnaire, url: &str, count: u64) -> Outcome {
    let store = fresh_store(nexus, url).await;
    let mut random = Random::new(1);
    let batch: Vec<QueuedResponse> = (0..count).map(|at| queued(nexus, &mut random, at)).collect();
    let started = Instant::now();
    store.insert_responses(&batch).await.expect("stored");
    let elapsed = started.elapsed();
    store.close().await;
    Outcome::new(vec![elapsed; count as usize], 0, elapsed)
}

/// A PostgreSQL database of its own on the benchmark's server.
fn postgres_database(server: &str, name: &str) -> String {
    let database = format!("enkat_bench_{name}_{}", std::process::id());
    let (base, _) = server.split_once('?').unwrap_or((server, ""));
    let (root, _) = base.rsplit_once('/').expect("a postgres:// URL");
    let server = server.to_owned();
    let create = database.clone();
    std::thread::spawn(move || {
        tokio::runtime::Runtime::new().unwrap().block_on(async {
            let admin = sqlx::PgPool::connect(&server).await.expect("the benchmark PostgreSQL answers");
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {create}")))
                .execute(&admin)
                .await
                .unwrap();
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {create}"))).execute(&admin).await.unwrap();
            admin.close().await;
        })
    })
    .join()
    .expect("a database created");
    format!("{root}/{database}")
}

/// What a load gave: every request's latency, the failures, the time taken.
struct Outcome {
    latencies: Vec<Duration>,
    ok: u64,
    failed: u64,
    elapsed: Duration,
}

impl Outcome {
    fn new(mut latencies: Vec<Duration>, failed: u64, elapsed: Duration) -> Outcome {
        latencies.sort_unstable();
        Outcome { ok: latencies.len() as u64, latencies, failed, elapsed }
    }

    fn rate(&self) -> f64 {
        self.ok as f64 / self.elapsed.as_secs_f64()
    }

    fn percentile(&self, share: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        self.latencies[((self.latencies.len() - 1) as f64 * share).round() as usize]
    }

    fn p99(&self) -> Duration {
        self.percentile(0.99)
    }
}

fn report(name: &str, outcome: &Outcome, baseline: Option<&Outcome>) {
    let ratio = baseline.map(|baseline| format!(", {:.2} × baseline", outcome.rate() / baseline.rate()));
    println!(
        "{name:<36} {:>9.0}/s{}  p50 {:>7.2} ms  p99 {:>7.2} ms  ({} ok, {} failed)",
        outcome.rate(),
        ratio.unwrap_or_default(),
        outcome.percentile(0.5).as_secs_f64() * 1000.0,
        outcome.p99().as_secs_f64() * 1000.0,
        outcome.ok,
        outcome.failed
    );
}

/// Runs `clients` loops of requests made by `request` for `duration`, after
/// a second of warm-up; a request counts if it got `expected`.
async fn load<F>(client: &HttpClient, clients: usize, duration: Duration, expected: StatusCode, request: F) -> Outcome
where
    F: Fn(u64) -> Request<Full<Bytes>> + Send + Sync + 'static,
{
    let request = Arc::new(request);
    let warm_up = Duration::from_secs(1);
    let started = Instant::now();
    let (measure_from, deadline) = (started + warm_up, started + warm_up + duration);
    let tasks: Vec<_> = (0..clients)
        .map(|_| {
            let client = client.clone();
            let request = request.clone();
            tokio::spawn(async move {
                let (mut latencies, mut failed) = (Vec::new(), 0_u64);
                loop {
                    let sent = Instant::now();
                    if sent >= deadline {
                        break;
                    }
                    let status = match client.request((*request)(0)).await {
                        Ok(response) => {
                            let status = response.status();
                            let _ = response.into_body().collect().await;
                            Some(status)
                        }
                        Err(_) => None,
                    };
                    if sent < measure_from {
                        continue;
                    }
                    if status == Some(expected) {
                        latencies.push(sent.elapsed());
                    } else {
                        if failed == 0 {
                            eprintln!("a client's first failure: {status:?} where {expected} was expected");
                        }
                        failed += 1;
                    }
                }
                (latencies, failed)
            })
        })
        .collect();
    let (mut latencies, mut failed) = (Vec::new(), 0);
    for task in tasks {
        let (task_latencies, task_failed) = task.await.expect("a client task");
        latencies.extend(task_latencies);
        failed += task_failed;
    }
    Outcome::new(latencies, failed, duration)
}

async fn fetch_whole(client: &HttpClient, url: &str) -> (hyper::HeaderMap, Bytes) {
    let response = client.request(Request::get(url).body(Full::new(Bytes::new())).unwrap()).await.expect("a response");
    assert_eq!(response.status(), StatusCode::OK, "GET {url}");
    let (parts, body) = response.into_parts();
    (parts.headers, body.collect().await.expect("a body").to_bytes())
}

async fn wait_until_up(client: &HttpClient, url: &str) {
    for _ in 0..300 {
        if let Ok(response) = client.request(Request::get(url).body(Full::new(Bytes::new())).unwrap()).await
            && response.status() == StatusCode::OK
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{url} did not answer within 30 s");
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|listener| listener.local_addr()).expect("a free port").port()
}

/// The real release binary, `enkat serve`, on `database_url`.
struct Server {
    child: Child,
    port: u16,
}

/// A process's resident memory, from `/proc/PID/status`.
struct Memory {
    rss_kib: u64,
    peak_kib: u64,
}

impl Server {
    async fn start(database_url: &str) -> Server {
        let port = free_port();
        let child = Command::new(ENKAT)
            .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--database-url", database_url])
            .arg("--questionnaires")
            .arg(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("questionnaires"))
            .env("ENKAT_WATCH", "false")
            .env("RUST_LOG", "warn")
            // A throwaway service key: PostgreSQL needs one given (every
            // instance the same); a SQLite database would make its own.
            .env(enkat::cli::key::KEY_VARIABLE, "5e".repeat(32))
            .stdout(Stdio::null())
            .spawn()
            .expect("enkat starts");
        let server = Server { child, port };
        let client: HttpClient = Client::builder(TokioExecutor::new()).build(HttpConnector::new());
        wait_until_up(&client, &server.url("/readyz")).await;
        server
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Bytes the server has caused to be written to disk so far
    /// (`write_bytes` in `/proc/PID/io`; 0 where the kernel does not say).
    fn disk_writes(&self) -> u64 {
        std::fs::read_to_string(format!("/proc/{}/io", self.child.id()))
            .unwrap_or_default()
            .lines()
            .find_map(|line| line.strip_prefix("write_bytes: "))
            .and_then(|bytes| bytes.trim().parse().ok())
            .unwrap_or(0)
    }

    fn memory(&self) -> Memory {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find_map(|line| line.strip_prefix(name))
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|kib| kib.parse().ok())
                .unwrap_or(0)
        };
        Memory { rss_kib: field("VmRSS:"), peak_kib: field("VmHWM:") }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The baseline for the page: the same bytes from memory, with no work at
/// all per request, on the same HTTP stack (hyper through axum).
fn static_server(page: &Path, port: &str) {
    let body = Bytes::from(std::fs::read(page).expect("the page to serve"));
    let headers: Vec<(header::HeaderName, header::HeaderValue)> =
        std::fs::read_to_string(page.with_extension("headers"))
            .expect("the headers to send")
            .lines()
            .map(|line| {
                let (name, value) = line.split_once(": ").expect("name: value");
                (name.parse().expect("a header name"), value.parse().expect("a header value"))
            })
            .collect();
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    runtime.block_on(async move {
        // `?with-headers`: the body with enkat's headers; otherwise the body
        // alone, with only its type.
        let app = axum::Router::new().route(
            "/s/nexus",
            axum::routing::get(move |uri: axum::http::Uri| {
                let body = body.clone();
                let mut response = axum::response::Response::new(axum::body::Body::from(body));
                if uri.query() == Some("with-headers") {
                    response.headers_mut().extend(headers.iter().cloned());
                } else {
                    response
                        .headers_mut()
                        .insert(header::CONTENT_TYPE, header::HeaderValue::from_static("text/html; charset=utf-8"));
                }
                async move { response }
            }),
        );
        let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await.expect("the static port");
        axum::serve(listener, app).await.expect("the static server runs");
    });
}
