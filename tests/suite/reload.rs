//! Editing questionnaire files while `enkat serve` runs: the real binary on a
//! temporary folder and SQLite file, driven over HTTP. A valid edit is
//! served, a broken one is logged and the last good version keeps serving,
//! new files appear and deleted ones go, SIGHUP reloads, a form shown before
//! an edit is stored with the version it showed, and a privacy setting
//! cannot loosen once there are answers.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use enkat::report::Filter;
use enkat::store::Store;

const ENKAT: &str = env!("CARGO_BIN_EXE_enkat");

const QUESTIONNAIRE: &str = r#"
id = "ID"
languages = ["sv"]
title = { sv = "TITLE" }
min_report_n = 5

[[question]]
id = "comment"
type = "text"
text = { sv = "QUESTION" }
"#;

fn questionnaire(id: &str, title: &str, question: &str) -> String {
    QUESTIONNAIRE.replace("ID", id).replace("TITLE", title).replace("QUESTION", question)
}

/// `enkat serve` on its own folder and database; its log is collected.
struct Server {
    child: Child,
    port: u16,
    folder: tempfile::TempDir,
    database: PathBuf,
    log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(watch: bool, files: &[(&str, String)]) -> Server {
        let folder = tempfile::tempdir().unwrap();
        for (name, text) in files {
            std::fs::write(folder.path().join(name), text).unwrap();
        }
        let database = folder.path().join("enkat.db");
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let mut child = Command::new(ENKAT)
            .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--cookie-secure", "false"])
            .arg("--questionnaires")
            .arg(folder.path())
            .arg("--database-url")
            .arg(format!("sqlite://{}", database.display()))
            .args(["--watch", if watch { "true" } else { "false" }])
            .env("NO_COLOR", "1")
            .stderr(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("enkat starts");
        let log = Arc::new(Mutex::new(Vec::new()));
        for stream in
            [Box::new(child.stderr.take().unwrap()) as Box<dyn Read + Send>, Box::new(child.stdout.take().unwrap())]
        {
            let log = log.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    log.lock().unwrap().push(line);
                }
            });
        }
        let server = Server { child, port, folder, database, log };
        server.wait_for("the server answers", || server.get("/readyz").0 == 200);
        server
    }

    fn write(&self, name: &str, text: &str) {
        std::fs::write(self.folder.path().join(name), text).unwrap();
    }

    fn path(&self, name: &str) -> PathBuf {
        self.folder.path().join(name)
    }

    /// Status and body of a GET.
    fn get(&self, path: &str) -> (u16, String) {
        self.request(&format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
    }

    fn post(&self, path: &str, body: &str) -> (u16, String) {
        self.request(&format!(
            "POST {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ))
    }

    fn request(&self, request: &str) -> (u16, String) {
        let Ok(mut stream) = TcpStream::connect(("127.0.0.1", self.port)) else { return (0, String::new()) };
        // A server that is stopping may take the connection and then close it.
        if stream.write_all(request.as_bytes()).is_err() {
            return (0, String::new());
        }
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap_or_default();
        let status = response.split(' ').nth(1).and_then(|code| code.parse().ok()).unwrap_or(0);
        (status, response)
    }

    /// The first page of questions, behind the start page's button.
    fn form(&self, id: &str) -> String {
        let (_, start) = self.get(&format!("/s/{id}"));
        let mut fields = form_fields(&start);
        fields.push(("_action".to_owned(), "next".to_owned()));
        let (status, form) = self.post(&format!("/s/{id}"), &encode(&fields));
        assert_eq!(status, 200, "the start button leads to the questions: {form}");
        form
    }

    fn title(&self, id: &str) -> Option<String> {
        let (status, body) = self.get(&format!("/s/{id}"));
        (status == 200)
            .then(|| body.split("<h1>").nth(1).and_then(|rest| rest.split("</h1>").next()).unwrap_or("").to_owned())
    }

    fn logged(&self, text: &str) -> bool {
        self.log.lock().unwrap().iter().any(|line| line.contains(text))
    }

    #[track_caller]
    fn wait_for(&self, what: &str, done: impl Fn() -> bool) {
        let deadline = Instant::now() + Duration::from_secs(15);
        while !done() {
            assert!(
                Instant::now() < deadline,
                "{what}: not within 15 s; log:\n{}",
                self.log.lock().unwrap().join("\n")
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn signal(&self, name: &str) {
        let status = Command::new("kill").args(["-s", name, &self.child.id().to_string()]).status().unwrap();
        assert!(status.success());
    }

    /// The stored responses' versions, read from the database (the
    /// export has only periods that have closed). Opened for writing, as
    /// the service's own reads are: what the service took in the last
    /// seconds is moved out of the intake first (`Store::settle`).
    fn stored_versions(&self, id: &str) -> Vec<String> {
        let url = format!("sqlite://{}", self.database.display());
        tokio::runtime::Runtime::new().unwrap().block_on(async {
            let store = Store::connect(&url).await.unwrap();
            let records = store.response_records(id, &Filter::default()).await.unwrap();
            store.close().await;
            records.into_iter().map(|record| record.version).collect()
        })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The hidden fields of the form at `/s/{id}`, as a browser would send them.
fn form_fields(body: &str) -> Vec<(String, String)> {
    body.split("<input type=\"hidden\" ")
        .skip(1)
        .filter_map(|input| {
            let attribute =
                |name: &str| input.split(&format!("{name}=\"")).nth(1)?.split('"').next().map(str::to_owned);
            Some((attribute("name")?, attribute("value")?))
        })
        .collect()
}

fn encode(fields: &[(String, String)]) -> String {
    serde_urlencoded::to_string(fields).unwrap()
}

#[test]
fn a_valid_edit_is_served_and_a_broken_one_keeps_the_last_good_version() {
    let server = Server::start(true, &[("a.toml", questionnaire("a", "Första", "Något mer?"))]);
    assert_eq!(server.title("a").as_deref(), Some("Första"));

    server.write("a.toml", &questionnaire("a", "Andra", "Något mer?"));
    server.wait_for("the edit is served", || server.title("a").as_deref() == Some("Andra"));
    // The line may reach the log a moment after the new version is served.
    server.wait_for("the reload is logged", || server.logged("questionnaire a reloaded"));

    server.write("a.toml", &questionnaire("a", "Tredje", "Något mer?").replace("type = \"text\"", "type = \"txt\""));
    let place = format!("{}:9:8:", server.path("a.toml").display());
    server.wait_for("the mistake is logged with its place", || server.logged(&place));
    assert_eq!(server.title("a").as_deref(), Some("Andra"), "the last good version keeps serving");
}

#[test]
fn a_new_file_appears_and_a_deleted_one_stops_being_served() {
    let server = Server::start(true, &[("a.toml", questionnaire("a", "A", "?"))]);
    server.write("b.toml", &questionnaire("b", "B", "?"));
    server.wait_for("the new file is served", || server.title("b").is_some());
    std::fs::remove_file(server.path("a.toml")).unwrap();
    server.wait_for("the deleted file is no longer served", || server.get("/s/a").0 == 404);
    assert!(server.logged("questionnaire a is no longer served"));
}

#[test]
fn sighup_reloads_when_the_folder_is_not_watched() {
    let server = Server::start(false, &[("a.toml", questionnaire("a", "Före", "?"))]);
    server.write("a.toml", &questionnaire("a", "Efter", "?"));
    std::thread::sleep(Duration::from_millis(800));
    assert_eq!(server.title("a").as_deref(), Some("Före"), "not watched: nothing happens on its own");
    server.signal("HUP");
    server.wait_for("SIGHUP reloads", || server.title("a").as_deref() == Some("Efter"));
}

#[test]
fn a_form_shown_before_an_edit_is_stored_with_the_version_it_showed() {
    let server = Server::start(true, &[("a.toml", questionnaire("a", "Enkät", "Något mer?"))]);
    let form = server.form("a");
    let mut fields = form_fields(&form);
    let shown = fields.iter().find(|(name, _)| name == "_version").expect("the form carries its version").1.clone();

    server.write("a.toml", &questionnaire("a", "Enkät", "Vill du säga något mer?"));
    server.wait_for("the edit is served", || !server.get("/s/a").1.contains(&shown));

    fields.push(("comment".to_owned(), "Tack".to_owned()));
    assert_eq!(server.post("/s/a", &encode(&fields)).0, 303);
    assert_eq!(server.stored_versions("a"), [shown]);
}

#[test]
fn a_privacy_setting_cannot_loosen_once_there_are_answers() {
    let server = Server::start(true, &[("a.toml", questionnaire("a", "Enkät", "Något mer?"))]);
    let form = server.form("a");
    let mut fields = form_fields(&form);
    fields.push(("comment".to_owned(), "Tack".to_owned()));
    assert_eq!(server.post("/s/a", &encode(&fields)).0, 303);

    server.write("a.toml", &questionnaire("a", "Lösare", "Något mer?").replace("min_report_n = 5", "min_report_n = 3"));
    server.wait_for("the loosening is refused", || server.logged("`min_report_n` is lowered from 5 to 3"));
    assert_eq!(server.title("a").as_deref(), Some("Enkät"));

    // Tightening is fine.
    server
        .write("a.toml", &questionnaire("a", "Stramare", "Något mer?").replace("min_report_n = 5", "min_report_n = 8"));
    server.wait_for("the tighter version is served", || server.title("a").as_deref() == Some("Stramare"));
}

#[test]
fn serve_refuses_to_start_with_a_file_that_loosens_a_promise() {
    let folder = {
        let server = Server::start(true, &[("a.toml", questionnaire("a", "Enkät", "Något mer?"))]);
        let form = server.form("a");
        let mut fields = form_fields(&form);
        fields.push(("comment".to_owned(), "Tack".to_owned()));
        assert_eq!(server.post("/s/a", &encode(&fields)).0, 303);
        let copy = tempfile::tempdir().unwrap();
        // A clean stop writes everything into the database file itself.
        server.signal("TERM");
        let database = server.database.clone();
        server.wait_for("the server stops", || server.get("/healthz").0 == 0);
        std::thread::sleep(Duration::from_millis(300));
        std::fs::copy(&database, copy.path().join("enkat.db")).unwrap();
        // With its service key, or the start is refused for the missing key.
        std::fs::copy(Path::new(&database).with_file_name("enkat.key"), copy.path().join("enkat.key")).unwrap();
        copy
    };
    std::fs::write(
        folder.path().join("a.toml"),
        questionnaire("a", "Enkät", "Något mer?").replace("min_report_n = 5", "min_report_n = 3"),
    )
    .unwrap();
    // With a timeout: a server that wrongly starts must not hang the test.
    let output = Command::new("timeout")
        .args(["20", ENKAT, "serve", "--listen", "127.0.0.1:0", "--questionnaires"])
        .arg(folder.path())
        .arg("--database-url")
        .arg(format!("sqlite://{}", Path::new(folder.path()).join("enkat.db").display()))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let log = String::from_utf8_lossy(&output.stdout).to_string() + &String::from_utf8_lossy(&output.stderr);
    assert!(log.contains("`min_report_n` is lowered from 5 to 3"), "{log}");
}
