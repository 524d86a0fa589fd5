//! `enkat check --against DATABASE_URL`, as an administrator uses it before
//! deploying edited files: a database with a stored version and some
//! answers, and the real binary run on edited copies of the questionnaire.
//! Edits that split results are warned about (the check passes); edits
//! that loosen a privacy promise are refused (it fails); the database is
//! left as it was.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{Backend, answer, fresh_database_url, undo_tallies_migration};
use enkat::questionnaire::{self, Questionnaire};
use enkat::store::{CHECKED_TABLES, NewResponse, Store};
use time::macros::date;

const ENKAT: &str = env!("CARGO_BIN_EXE_enkat");

/// The stored version: the shared small questionnaire as `followup`, coded,
/// with a question `unused` that is never answered; nobody chose `things`.
fn stored_text() -> String {
    let small = include_str!("../fixtures/small/v.toml")
        .replacen("id = \"v\"\n", "id = \"followup\"\n", 1)
        .replace("date_precision = \"week\"\n", "date_precision = \"week\"\naccess = \"code\"\n");
    small
        + "\n[[question]]\nid = \"unused\"\ntype = \"single\"\ntext = { en = \"Asked of no one yet\" }\noptions = [ { id = \"a\", en = \"A\" } ]\n"
}

/// `stored_text()` as its first version, with three responses, in a new database.
async fn database_with_answers(url: &str) -> Questionnaire {
    let stored = questionnaire::parse(Path::new("followup.toml"), &stored_text()).expect("the stored version is valid");
    let store = Store::connect(url).await.expect("the database opens");
    store.register_version(&stored, date!(2026 - 03 - 02)).await.unwrap();
    let responses = [
        vec![answer("overall", Some("yes"), None), answer("got", Some("move"), None)],
        vec![answer("overall", Some("partly"), None), answer("comment", None, Some("Thank you"))],
        vec![answer("overall", Some("yes"), None), answer("got", Some("move"), None)],
    ];
    for answers in &responses {
        let response = NewResponse {
            questionnaire: &stored,
            language: "en",
            submitted_on: date!(2026 - 03 - 02),
            answers,
            submission: None,
            channel: enkat::questionnaire::Channel::Web,
        };
        store.insert_response(&response).await.unwrap();
    }
    store.close().await;
    stored
}

/// What one run of the command gave.
struct Run {
    success: bool,
    stdout: String,
    stderr: Vec<String>,
}

fn check_against(url: &str, paths: &[&Path]) -> Run {
    let output = Command::new(ENKAT).arg("check").args(paths).args(["--against", url]).output().expect("enkat runs");
    Run {
        success: output.status.success(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).lines().map(str::to_owned).collect(),
    }
}

struct Case {
    what: &'static str,
    edit: fn(&str) -> String,
    /// Every line on stderr but the closing count, `FILE` standing for the file.
    lines: &'static [&'static str],
    passes: bool,
}

const PASSES_WITH_WARNINGS: &str = "1 warning(s): the check passes, but read them before deploying";
const REFUSED: &str = "error: 1 change(s) refused: they would break what those who already answered were promised";

const CASES: &[Case] = &[
    Case { what: "an unchanged file", edit: |s| s.to_owned(), lines: &[], passes: true },
    Case {
        what: "a removed question with answers",
        edit: |s| s.replace("[[question]]\nid = \"comment\"\ntype = \"text\"\ntext = { en = \"Comment\" }\n\n", ""),
        lines: &[
            "FILE:1:6: warning: question `comment` is not in the file any more, but 1 response answered it: they stay in the database, but results and exports, which follow the file, will no longer show them (to change its text, keep its id)",
        ],
        passes: true,
    },
    Case {
        what: "a removed question without answers",
        edit: |s| s.split("[[question]]\nid = \"unused\"").next().unwrap().to_owned(),
        lines: &[],
        passes: true,
    },
    Case {
        what: "a removed option with answers",
        edit: |s| s.replace("{ id = \"move\", en = \"Move\" }, ", ""),
        lines: &[
            "FILE:21:6: warning: option `move` is removed from `got`, but 2 responses chose it: results for `got` will be shown separately for the old and new version, because the new one no longer offers `move`",
        ],
        passes: true,
    },
    Case {
        what: "changed scale steps",
        edit: |s| {
            s.replace(
                "{ id = \"no\", en = \"No\" }",
                "{ id = \"no\", en = \"No\" }, { id = \"not_at_all\", en = \"Not at all\" }",
            )
        },
        lines: &[
            "FILE:15:9: warning: results for `overall` will be shown separately for the old and new version, because the steps of its scale change (`not_at_all` added; 3 responses answered it in the old)",
        ],
        passes: true,
    },
    Case {
        what: "a changed positive set",
        edit: |s| s.replace("positive = [\"yes\"]", "positive = [\"yes\", \"partly\"]"),
        lines: &[
            "FILE:15:9: warning: results for `overall` will be shown separately for the old and new version, because the answers counted as positive change from `yes` to `yes`, `partly` (3 responses answered it in the old)",
        ],
        passes: true,
    },
    Case {
        what: "a changed type",
        edit: |s| s.replace("type = \"multi\"", "type = \"single\""),
        lines: &[
            "FILE:22:8: warning: results for `got` will be shown separately for the old and new version, because its type changes from \"multi\" to \"single\" (2 responses answered it in the old)",
        ],
        passes: true,
    },
    Case {
        what: "a lowered min_report_n",
        edit: |s| s.replace("min_report_n = 5", "min_report_n = 3"),
        lines: &[
            "FILE:4:16: `min_report_n` is lowered from 5 to 3: figures from smaller groups would be shown than those who answered were promised; keep it at 5 or higher",
        ],
        passes: false,
    },
    Case {
        what: "a finer date precision",
        edit: |s| s.replace("\"week\"", "\"day\""),
        lines: &[
            "FILE:5:18: `date_precision` is made finer, from week to day: the stored dates of those who answered were promised to be no finer than a week; keep \"week\" or coarser",
        ],
        passes: false,
    },
    Case {
        what: "codes dropped",
        edit: |s| s.replace("access = \"code\"", "access = \"open\""),
        lines: &[
            "FILE:6:10: `access` is changed from \"code\" to \"open\": those who answered were promised that only people with a one-time code could answer; keep access = \"code\", or start a new questionnaire with its own id",
        ],
        passes: false,
    },
];

#[tokio::test]
async fn every_edit_is_judged_against_the_stored_answers() {
    let (url, _guard) = fresh_database_url(Backend::Sqlite).await;
    let stored = database_with_answers(&url).await;
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("followup.toml");
    for case in CASES {
        std::fs::write(&file, (case.edit)(&stored_text())).unwrap();
        let run = check_against(&url, &[&file]);
        let mut expected: Vec<String> =
            case.lines.iter().map(|line| line.replace("FILE", &file.display().to_string())).collect();
        match (case.passes, case.lines.is_empty()) {
            (true, false) => expected.push(PASSES_WITH_WARNINGS.to_owned()),
            (false, _) => expected.push(REFUSED.to_owned()),
            (true, true) => {}
        }
        assert_eq!(run.stderr, expected, "{}: stderr", case.what);
        assert_eq!(run.success, case.passes, "{}: exit code; stdout: {}", case.what, run.stdout);
    }

    // Unchanged: the file is the stored version.
    std::fs::write(&file, stored_text()).unwrap();
    let run = check_against(&url, &[&file]);
    assert!(
        run.stdout.contains(&format!("followup: the same as the stored version {}", stored.version)),
        "{}",
        run.stdout
    );

    // Nothing was written: still the one version, and the three responses.
    let store = Store::connect(&url).await.unwrap();
    assert_eq!(store.versions("followup").await.unwrap().len(), 1);
    assert_eq!(store.count_responses("followup").await.unwrap(), 3);
}

#[tokio::test]
async fn a_database_an_older_enkat_left_is_compared_without_being_migrated() {
    let (url, _guard) = fresh_database_url(Backend::Sqlite).await;
    database_with_answers(&url).await;
    let store = Store::connect(&url).await.unwrap();
    undo_tallies_migration(&store).await;
    store.close().await;
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("followup.toml");
    std::fs::write(&file, stored_text().replace("{ id = \"move\", en = \"Move\" }, ", "")).unwrap();

    let run = check_against(&url, &[&file]);
    assert!(
        run.stderr.iter().any(|line| line.contains("option `move` is removed from `got`, but 2 responses chose it")),
        "the removed option's two answers are found in the rows: {:?}",
        run.stderr
    );

    let tables: Vec<String> = sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table'")
        .fetch_all(&sqlx::SqlitePool::connect(&url).await.unwrap())
        .await
        .unwrap();
    assert!(!tables.iter().any(|table| table.ends_with("_tally")), "nothing was migrated: {tables:?}");
}

#[tokio::test]
async fn removed_and_new_questionnaires_are_mentioned() {
    let (url, _guard) = fresh_database_url(Backend::Sqlite).await;
    database_with_answers(&url).await;
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(folder.path().join("other.toml"), stored_text().replace("\"followup\"", "\"other\"")).unwrap();
    let run = check_against(&url, &[folder.path()]);
    assert!(run.success, "{:?}", run.stderr);
    assert!(run.stdout.contains("other: not in the database yet: nothing to compare with"), "{}", run.stdout);
    assert!(
        run.stdout.contains(
            "followup: in the database (3 response(s)) but in none of the checked files: its answers stay, and it is not served"
        ),
        "{}",
        run.stdout
    );
}

#[tokio::test]
async fn a_database_that_is_not_enkats_is_refused_and_left_alone() {
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("followup.toml");
    std::fs::write(&file, stored_text()).unwrap();

    let missing: PathBuf = folder.path().join("typo.db");
    let run = check_against(&format!("sqlite://{}", missing.display()), &[&file]);
    assert!(!run.success);
    assert_eq!(
        run.stderr,
        [format!("error: cannot open the database: there is no SQLite database at {}", missing.display())]
    );
    assert!(!missing.exists(), "no database is created");

    let empty = folder.path().join("empty.db");
    std::fs::write(&empty, b"").unwrap();
    let run = check_against(&format!("sqlite://{}", empty.display()), &[&file]);
    assert!(!run.success);
    assert_eq!(
        run.stderr,
        [
            "error: the database has no enkat tables: it is not a database `enkat serve` has used (is the URL right?); nothing was compared"
        ]
    );
    assert_eq!(std::fs::read(&empty).unwrap(), b"", "no table is created");
}

/// The store's read-only side, on both databases: it sees what `serve`
/// stored, and cannot write.
async fn a_read_only_store_reads_and_cannot_write(backend: Backend) {
    let (url, _guard) = fresh_database_url(backend).await;
    if backend == Backend::Sqlite {
        let file = url.trim_start_matches("sqlite://");
        std::fs::create_dir_all(Path::new(file).parent().unwrap()).unwrap();
        std::fs::write(file, b"").unwrap();
    }
    let empty = Store::open_read_only(&url).await.expect("an empty database opens");
    assert_eq!(empty.missing_tables().await.unwrap(), CHECKED_TABLES, "an empty database has no enkat tables");
    empty.close().await;

    let stored = database_with_answers(&url).await;
    let store = Store::open_read_only(&url).await.unwrap();
    assert!(store.missing_tables().await.unwrap().is_empty());
    assert_eq!(store.questionnaire_ids().await.unwrap(), ["followup"]);
    assert_eq!(store.count_responses("followup").await.unwrap(), 3);
    let edited = questionnaire::parse(
        Path::new("followup.toml"),
        &stored_text().replace("{ en = \"Comment\" }", "{ en = \"More?\" }"),
    )
    .unwrap();
    assert!(store.register_version(&edited, date!(2026 - 03 - 09)).await.is_err(), "writing is refused");
    assert_eq!(store.versions("followup").await.unwrap().len(), 1);
    assert_eq!(stored.version.as_str(), store.versions("followup").await.unwrap()[0].version);
}

on_both_databases!(a_read_only_store_reads_and_cannot_write);
