//! The real `enkat serve` binary as a test's server: started on a database
//! of the test's choosing, killed, stopped and started again on the same
//! port, and driven over HTTP by a small pooled client, as browsers would.

use std::convert::Infallible;
use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{Request, header};
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

pub const ENKAT: &str = env!("CARGO_BIN_EXE_enkat");
/// The service key of every test server (`ENKAT_KEY`), as instances sharing
/// one PostgreSQL share one key.
pub const TEST_KEY: &str = "5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e";
use enkat::cli::key::KEY_VARIABLE;

/// How long a server may take to answer `/readyz` after it is started: a
/// debug build on a busy machine, migrations included.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// `enkat serve` with the shipped questionnaires, on one port for its whole
/// life, across kills and restarts; its log is collected.
pub struct Server {
    child: Option<Child>,
    pub port: u16,
    args: Vec<String>,
    log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    /// Starts `enkat serve` on `database_url` with any further `serve`
    /// options, and waits until it is ready.
    pub async fn start(database_url: &str, options: &[&str]) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let mut args: Vec<String> = [
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--database-url",
            database_url,
            "--questionnaires",
            concat!(env!("CARGO_MANIFEST_DIR"), "/questionnaires"),
            "--cookie-secure",
            "false",
            // The tests never edit the files; no watcher to start each time.
            "--watch",
            "false",
        ]
        .map(str::to_owned)
        .to_vec();
        args.extend(options.iter().map(|option| (*option).to_owned()));
        let mut server = Server { child: None, port, args, log: Arc::default() };
        server.restart().await;
        server
    }

    /// Starts the process again (after `kill` or a stop), on the same port
    /// and database, and waits until it is ready.
    pub async fn restart(&mut self) {
        assert!(self.child.is_none(), "the server is still running");
        let mut child = Command::new(ENKAT)
            .args(&self.args)
            // PostgreSQL has no default key file: one key for every instance.
            .env(KEY_VARIABLE, TEST_KEY)
            .env("NO_COLOR", "1")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("enkat starts");
        for stream in
            [Box::new(child.stderr.take().unwrap()) as Box<dyn Read + Send>, Box::new(child.stdout.take().unwrap())]
        {
            let log = self.log.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    log.lock().unwrap().push(line);
                }
            });
        }
        self.child = Some(child);
        let client = Client::new();
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if client.get(&self.url("/readyz")).await.is_ok_and(|reply| reply.status == 200) {
                return;
            }
            if let Some(status) = self.child.as_mut().unwrap().try_wait().unwrap() {
                panic!("enkat serve exited at start ({status}); log:\n{}", self.log());
            }
            assert!(Instant::now() < deadline, "enkat serve not ready within {START_TIMEOUT:?}; log:\n{}", self.log());
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// SIGKILL: the process ends at once, mid-request, as in a power cut of
    /// the process (the operating system's own buffers survive).
    pub fn kill(&mut self) {
        let mut child = self.child.take().expect("the server runs");
        child.kill().unwrap();
        child.wait().unwrap();
    }

    /// Sends a signal by name (`TERM`, `HUP`).
    pub fn signal(&self, name: &str) {
        let pid = self.child.as_ref().expect("the server runs").id().to_string();
        assert!(Command::new("kill").args(["-s", name, &pid]).status().unwrap().success());
    }

    /// Waits for the process to exit by itself; its exit status, or `None`
    /// if it still runs after `within`.
    pub async fn exit_status(&mut self, within: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            if let Some(status) = self.child.as_mut().expect("the server was started").try_wait().unwrap() {
                self.child = None;
                return Some(status);
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        None
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Everything the server has logged, across restarts.
    pub fn log(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A request body, whole or sent piece by piece.
pub type RequestBody = BoxBody<Bytes, Infallible>;

/// A pooled HTTP/1.1 client, as a browser keeps its connections open.
#[derive(Clone)]
pub struct Client {
    inner: HyperClient<HttpConnector, RequestBody>,
}

/// What a client saw: the status, where a redirect leads, the page.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub location: String,
    pub content_type: String,
    pub body: String,
}

/// A request that got no complete answer.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("no answer: {0}")]
    Request(#[from] hyper_util::client::legacy::Error),
    #[error("the answer broke off: {0}")]
    Body(#[from] hyper::Error),
    #[error("no answer within a minute")]
    Timeout,
}

impl Default for Client {
    fn default() -> Client {
        Client::new()
    }
}

impl Client {
    pub fn new() -> Client {
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        Client { inner: HyperClient::builder(TokioExecutor::new()).build(connector) }
    }

    pub async fn get(&self, url: &str) -> Result<Reply, ClientError> {
        let request = Request::get(url).body(Full::new(Bytes::new()).boxed()).unwrap();
        self.send(request).await
    }

    /// Posts a form body (`application/x-www-form-urlencoded`).
    pub async fn post_form(&self, url: &str, body: String) -> Result<Reply, ClientError> {
        self.post(url, "application/x-www-form-urlencoded", Full::new(Bytes::from(body)).boxed()).await
    }

    /// Posts any body with any content type.
    pub async fn post(&self, url: &str, content_type: &str, body: RequestBody) -> Result<Reply, ClientError> {
        let request = Request::post(url).header(header::CONTENT_TYPE, content_type).body(body).unwrap();
        self.send(request).await
    }

    pub async fn send(&self, request: Request<RequestBody>) -> Result<Reply, ClientError> {
        let exchange = async {
            let response = self.inner.request(request).await?;
            let header = |name| {
                response.headers().get(name).and_then(|value| value.to_str().ok()).unwrap_or_default().to_owned()
            };
            let (status, location, content_type) =
                (response.status().as_u16(), header(header::LOCATION), header(header::CONTENT_TYPE));
            let bytes = response.into_body().collect().await?.to_bytes();
            Ok::<_, ClientError>(Reply {
                status,
                location,
                content_type,
                body: String::from_utf8_lossy(&bytes).into_owned(),
            })
        };
        tokio::time::timeout(Duration::from_secs(60), exchange).await.unwrap_or(Err(ClientError::Timeout))
    }
}

/// A complete Nexus response (`complete_nexus_answers`), told apart by
/// `comment`, with a fresh submission token: a different form each time.
pub fn nexus_submission(comment: &str) -> String {
    let token = uuid::Uuid::new_v4().simple().to_string();
    let mut fields: Vec<(&str, &str)> = super::complete_nexus_answers();
    for field in &mut fields {
        if field.0 == "comment" {
            field.1 = comment;
        }
    }
    fields.insert(1, ("_submission", token.as_str()));
    serde_urlencoded::to_string(fields).unwrap()
}

/// Every answer a `nexus_submission` with this comment is stored as, in
/// form order: (question, option, text).
pub fn nexus_answers(comment: &str) -> Vec<(String, Option<String>, Option<String>)> {
    let choice = |question: &str, option: &str| (question.to_owned(), Some(option.to_owned()), None);
    vec![
        choice("reach", "fairly_easy"),
        choice("information", "very_easy"),
        choice("respect", "yes_always"),
        choice("listened", "yes_mostly"),
        choice("influence", "quite_little"),
        choice("safe", "very_safe"),
        choice("improved", "dont_know"),
        choice("overall", "fairly_satisfied"),
        choice("received_support", "move"),
        choice("received_support", "housing"),
        choice("missing_support", "belongings"),
        ("missing_support".to_owned(), Some("other".to_owned()), Some("Hjälp med juridiken".to_owned())),
        choice("most_needed", "belongings"),
        ("comment".to_owned(), None, Some(comment.to_owned())),
        choice("age", "age_30_44"),
    ]
}

/// A random number below `below`, for random moments.
pub fn random_below(below: u64) -> u64 {
    getrandom::u64().expect("randomness") % below
}

/// One stored answer: (question, option, text).
pub type StoredAnswer = (String, Option<String>, Option<String>);

/// Every stored Nexus response as its comment (empty if it has none) and
/// all its answers, read from the database itself.
pub async fn stored_nexus_responses(database_url: &str) -> Vec<(String, Vec<StoredAnswer>)> {
    let store = enkat::store::Store::connect(database_url).await.expect("the database opens");
    let responses = store.responses("nexus").await.expect("the responses can be read");
    store.close().await;
    responses
        .into_iter()
        .map(|response| {
            let answers: Vec<StoredAnswer> = response
                .answers
                .into_iter()
                .map(|answer| (answer.question_id, answer.option_id, answer.text))
                .collect();
            let comment = answers
                .iter()
                .find(|(question, _, _)| question == "comment")
                .and_then(|(_, _, text)| text.clone())
                .unwrap_or_default();
            (comment, answers)
        })
        .collect()
}
