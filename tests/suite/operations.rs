//! Looking after the stored responses: `enkat purge` deletes what is past
//! the retention period and says how many, `serve --retention` does so daily,
//! and `enkat backup` copies a SQLite database while it serves, a copy the
//! service can be restored from.

use std::process::{Command, Output};

use crate::common::{Backend, TestApp, fresh_database_url};
use axum::http::StatusCode;
use enkat::clock::Clock;
use enkat::questionnaire::Answer;
use enkat::retention::{self, RetentionPeriod};
use enkat::store::{NewResponse, Store};
use time::{Date, Duration};

const ENKAT: &str = env!("CARGO_BIN_EXE_enkat");

on_both_databases!(
    purge_deletes_only_responses_past_the_retention_period_and_reports_counts,
    serve_with_a_retention_period_deletes_old_responses_when_it_starts,
    a_period_that_cannot_be_used_deletes_nothing,
);

fn enkat(args: &[&str], database_url: &str) -> Output {
    Command::new(ENKAT).args(args).args(["--database-url", database_url]).output().expect("enkat runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).trim().to_owned()
}

fn today() -> Date {
    Clock::system("Europe/Stockholm").unwrap().today()
}

/// Stores one Nexus response dated `day` (storing it directly, as dates
/// from years ago cannot be answered today).
async fn store_response_on(app: &TestApp, day: Date, comment: &str) {
    let questionnaire = app.catalog.get("nexus").unwrap();
    let answers = vec![
        Answer { question_id: "overall".into(), option_id: Some("very_satisfied".into()), text: None },
        Answer { question_id: "comment".into(), option_id: None, text: Some(comment.into()) },
    ];
    app.store_response(questionnaire, "sv", day, &answers).await;
}

/// Answer rows in the whole database, and those whose response is gone.
async fn answer_rows(store: &Store) -> (i64, i64) {
    const ALL: &str = "SELECT COUNT(*) FROM answer";
    const ORPHANS: &str = "SELECT COUNT(*) FROM answer WHERE response_id NOT IN (SELECT id FROM response)";
    match store {
        Store::Sqlite(pool) => (
            sqlx::query_scalar(ALL).fetch_one(pool).await.unwrap(),
            sqlx::query_scalar(ORPHANS).fetch_one(pool).await.unwrap(),
        ),
        Store::Postgres(pool) => (
            sqlx::query_scalar(ALL).fetch_one(pool).await.unwrap(),
            sqlx::query_scalar(ORPHANS).fetch_one(pool).await.unwrap(),
        ),
    }
}

async fn comments(app: &TestApp) -> Vec<String> {
    let mut comments: Vec<String> = app
        .store
        .responses("nexus")
        .await
        .unwrap()
        .into_iter()
        .flat_map(|response| response.answers)
        .filter_map(|answer| answer.text)
        .collect();
    comments.sort();
    comments
}

async fn purge_deletes_only_responses_past_the_retention_period_and_reports_counts(backend: Backend) {
    let (url, _guard) = fresh_database_url(backend).await;
    let app = TestApp::on_database(&url).await;
    let first_kept = "3y".parse::<RetentionPeriod>().unwrap().first_day_kept(today());
    store_response_on(&app, first_kept - Duration::days(400), "a: four years").await;
    store_response_on(&app, first_kept - Duration::days(1), "b: one day too old").await;
    store_response_on(&app, first_kept, "c: the first day kept").await;
    store_response_on(&app, today(), "d: today").await;

    let dry = enkat(&["purge", "--older-than", "3y", "--dry-run"], &url);
    assert!(dry.status.success(), "{}", stderr(&dry));
    assert_eq!(
        stdout(&dry),
        format!("would delete 2 responses dated before {first_kept} (older than 3y); 4 responses kept")
    );
    assert_eq!(app.store.count_responses("nexus").await.unwrap(), 4, "a dry run deletes nothing");

    let purged = enkat(&["purge", "--older-than", "3y"], &url);
    assert!(purged.status.success(), "{}", stderr(&purged));
    assert_eq!(
        stdout(&purged),
        format!("deleted 2 responses dated before {first_kept} (older than 3y); 2 responses kept")
    );
    assert_eq!(comments(&app).await, ["c: the first day kept", "d: today"]);
    assert_eq!(answer_rows(&app.store).await, (4, 0), "the answers went with their responses");

    let again = enkat(&["purge", "--older-than", "3 years"], &url);
    assert!(stdout(&again).starts_with("deleted 0 responses"), "{}", stdout(&again));
}

async fn serve_with_a_retention_period_deletes_old_responses_when_it_starts(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    store_response_on(&app, today() - Duration::days(800), "old").await;
    store_response_on(&app, today(), "new").await;
    let clock = Clock::system("Europe/Stockholm").unwrap();
    retention::spawn_daily_purge(app.store.clone(), clock, "2y".parse().unwrap());
    for _ in 0..200 {
        if app.store.count_responses("nexus").await.unwrap() == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert_eq!(comments(&app).await, ["new"], "the old response goes at start, the new one stays");
}

async fn a_period_that_cannot_be_used_deletes_nothing(backend: Backend) {
    let (url, _guard) = fresh_database_url(backend).await;
    let app = TestApp::on_database(&url).await;
    store_response_on(&app, today() - Duration::days(3000), "old").await;
    for (period, reason) in
        [("12h", "not hours or less"), ("0d", "at least one day"), ("tre år", "write it as 3y, 18 months or 90d")]
    {
        let refused = enkat(&["purge", "--older-than", period], &url);
        assert!(!refused.status.success(), "{period}");
        assert!(stderr(&refused).contains(reason), "{period}: {}", stderr(&refused));
    }
    assert_eq!(app.store.count_responses("nexus").await.unwrap(), 1);
}

#[test]
fn purge_refuses_a_database_that_is_not_there_and_creates_none() {
    let folder = tempfile::tempdir().unwrap();
    let missing = folder.path().join("stavfel.db");
    let refused = enkat(&["purge", "--older-than", "3y"], &format!("sqlite://{}", missing.display()));
    assert!(!refused.status.success());
    assert!(stderr(&refused).contains("there is no SQLite database at"), "{}", stderr(&refused));
    assert!(!missing.exists(), "no empty database was made in its place");
}

#[tokio::test]
async fn a_backup_taken_while_answers_arrive_is_complete_and_the_service_runs_on_it() {
    let (url, guard) = fresh_database_url(Backend::Sqlite).await;
    let app = TestApp::on_database(&url).await;
    for n in 0..50 {
        store_response_on(&app, today(), &format!("före {n:03}")).await;
    }
    // Answers keep arriving while the copy is made.
    let writer = {
        let store = app.store.clone();
        let questionnaire = app.catalog.get("nexus").unwrap().clone();
        tokio::spawn(async move {
            for n in 0..200 {
                let answers = vec![Answer {
                    question_id: "comment".into(),
                    option_id: None,
                    text: Some(format!("under {n:03}")),
                }];
                let response = NewResponse {
                    questionnaire: &questionnaire,
                    language: "sv",
                    submitted_on: today(),
                    answers: &answers,
                    submission: None,
                    channel: enkat::questionnaire::Channel::Web,
                };
                store.insert_response(&response).await.unwrap();
            }
        })
    };
    let backup = guard.as_ref().unwrap().path().join("kopia.db");
    let backup_arg = backup.to_str().unwrap();
    let done = tokio::task::spawn_blocking({
        let url = url.clone();
        let backup_arg = backup_arg.to_owned();
        move || enkat(&["backup", &backup_arg], &url)
    })
    .await
    .unwrap();
    writer.await.unwrap();
    assert!(done.status.success(), "{}", stderr(&done));
    let copied: i64 = stdout(&done)
        .strip_prefix("backed up ")
        .and_then(|rest| rest.split(' ').next())
        .and_then(|count| count.parse().ok())
        .unwrap_or_else(|| panic!("a count of responses: {}", stdout(&done)));
    assert!((50..=250).contains(&copied), "{copied}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&backup).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "only the owner may read the copy");
    }

    // Restoring is copying the file into place and starting the service on it.
    let restored = guard.as_ref().unwrap().path().join("återställd.db");
    std::fs::copy(&backup, &restored).unwrap();
    // And its service key, backed up apart, put back next to it: without it
    // the service refuses to start on a database that has a key.
    let key = enkat::codes::key::default_key_file(&url).unwrap();
    let restored_key = enkat::codes::key::default_key_file(&format!("sqlite://{}", restored.display())).unwrap();
    std::fs::copy(&key, &restored_key).unwrap();
    let restored_app = TestApp::on_database(&format!("sqlite://{}", restored.display())).await;
    let responses = restored_app.store.responses("nexus").await.unwrap();
    assert_eq!(responses.len() as i64, copied);
    assert!(responses.iter().all(|response| !response.answers.is_empty()), "every copied response is whole");
    let sent = restored_app.post_form("/s/nexus", &crate::common::complete_nexus_answers()).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "the restored database takes answers");
    assert_eq!(restored_app.store.count_responses("nexus").await.unwrap(), copied + 1);

    let again = enkat(&["backup", backup_arg], &url);
    assert!(!again.status.success());
    assert!(stderr(&again).contains("already exists"), "{}", stderr(&again));
}

#[test]
#[cfg_attr(
    not(enkat_postgres),
    ignore = "PostgreSQL tests skipped: set ENKAT_TEST_POSTGRES_URL=postgres://... to run them"
)]
fn a_postgresql_backup_is_left_to_pg_dump() {
    let url = std::env::var("ENKAT_TEST_POSTGRES_URL").unwrap();
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("kopia.db");
    let refused = enkat(&["backup", file.to_str().unwrap()], &url);
    assert!(!refused.status.success());
    assert!(stderr(&refused).contains("pg_dump"), "{}", stderr(&refused));
    assert!(!file.exists());
}

/// The mode bits of `path`, or `None` when there is no such file.
fn mode_of(path: &std::path::Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).ok().map(|metadata| metadata.permissions().mode() & 0o777)
}

/// Someone with an account on the machine but not the service's, reading
/// its files: the database, its WAL and shared memory, exports and lists of
/// codes are the owner's alone (issue 15: they were 0644), whatever umask
/// the process was started with and whatever mode a file had before.
#[tokio::test]
async fn every_file_holding_answers_or_codes_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let folder = tempfile::tempdir().unwrap();
    let database = folder.path().join("enkat.db");
    let url = format!("sqlite://{}", database.display());
    let app = TestApp::on_database(&url).await;
    store_response_on(&app, today(), "en kommentar").await;
    let beside = |suffix: &str| folder.path().join(format!("enkat.db{suffix}"));
    for file in [database.clone(), beside("-wal"), beside("-shm")] {
        assert_eq!(mode_of(&file), Some(0o600), "{}", file.display());
    }
    app.store.close().await;

    // A database an older version left readable by all is narrowed when opened.
    for file in [database.clone(), beside("-wal"), beside("-shm")] {
        if file.exists() {
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        }
    }
    let reopened = Store::connect(&url).await.unwrap();
    for file in [database.clone(), beside("-wal"), beside("-shm")] {
        assert!(matches!(mode_of(&file), None | Some(0o600)), "{}: {:o}", file.display(), mode_of(&file).unwrap());
    }
    reopened.close().await;

    // An export, written over a file that was readable by all.
    let summary = folder.path().join("summary.csv");
    std::fs::write(&summary, "old").unwrap();
    std::fs::set_permissions(&summary, std::fs::Permissions::from_mode(0o644)).unwrap();
    let exported = enkat(&["export", "nexus", "-o", summary.to_str().unwrap()], &url);
    assert!(exported.status.success(), "{}", stderr(&exported));
    assert_eq!(mode_of(&summary), Some(0o600), "the export");

    // A list of codes, and the database the codes command made for it.
    let coded = folder.path().join("kort.db");
    let coded_url = format!("sqlite://{}", coded.display());
    drop(TestApp::with_database(&coded_url, "tests/fixtures/coded").await);
    let codes = folder.path().join("kort.csv");
    let created = Command::new(ENKAT)
        .args(["codes", "create", "nexus-kort", "--count", "20", "--label", "Mottagningen", "-o"])
        .arg(&codes)
        .env("DATABASE_URL", &coded_url)
        .env("ENKAT_QUESTIONNAIRES", "tests/fixtures/coded")
        .env("ENKAT_PUBLIC_URL", "https://enkat.example.org")
        .output()
        .expect("enkat runs");
    assert!(created.status.success(), "{}", stderr(&created));
    assert_eq!(mode_of(&codes), Some(0o600), "the list of codes");
    for entry in std::fs::read_dir(folder.path()).unwrap() {
        let path = entry.unwrap().path();
        assert_eq!(mode_of(&path).map(|mode| mode & 0o077), Some(0), "{} is readable by others", path.display());
    }
}
