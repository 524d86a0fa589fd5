//! Arrival order in the database files (issue 20). On SQLite a response is
//! acknowledged once appended to the intake, whose rows follow arrival
//! order, and moved into the random-keyed tables within seconds, many at a
//! time. An adversary with a copy of the database files may learn which
//! responses came in the same window, from a copy taken during it; never
//! the order of the windows, nor any order once they have been moved.

use std::time::{Duration, Instant};

use futures_util::StreamExt;
use sqlx::SqlitePool;

use crate::common::{TestApp, complete_nexus_answers};
use enkat::report::Filter;
use enkat::store::{MOVE_AFTER, Store};

/// People answering one after another, in windows of `WINDOW`.
const PEOPLE: usize = 240;
const WINDOW: usize = 20;

/// What person `n` writes in the comment: found again in the file's bytes.
fn marker(person: usize) -> String {
    format!("[person {person:04}]")
}

async fn waiting_in_intake(pool: &SqlitePool) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM intake").fetch_one(pool).await.unwrap()
}

/// Spearman's rank correlation of two sequences of distinct values.
fn rank_correlation(xs: &[f64], ys: &[f64]) -> f64 {
    let ranks = |values: &[f64]| {
        let mut order: Vec<usize> = (0..values.len()).collect();
        order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
        let mut ranks = vec![0.0; values.len()];
        for (rank, at) in order.into_iter().enumerate() {
            ranks[at] = rank as f64;
        }
        ranks
    };
    let (rx, ry) = (ranks(xs), ranks(ys));
    let n = xs.len() as f64;
    let squared: f64 = rx.iter().zip(&ry).map(|(a, b)| (a - b).powi(2)).sum();
    1.0 - 6.0 * squared / (n * (n * n - 1.0))
}

#[tokio::test]
async fn the_database_files_do_not_tell_in_which_order_people_answered() {
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("enkat.db");
    let app = TestApp::with_database(&format!("sqlite://{}", file.display()), "questionnaires").await;
    let Store::Sqlite(pool) = app.store.clone() else { unreachable!("a SQLite file") };

    for person in 0..PEOPLE {
        let comment = marker(person);
        let mut form: Vec<(&str, &str)> =
            complete_nexus_answers().into_iter().filter(|(field, _)| *field != "comment").collect();
        form.push(("comment", &comment));
        let sent = app.post_form("/s/nexus", &form).await;
        assert_eq!(sent.status, 303, "person {person} is thanked: {}", sent.body);
        if (person + 1) % WINDOW == 0 {
            // A copy of the files taken now holds at most this window in
            // arrival order...
            assert!(waiting_in_intake(&pool).await <= WINDOW as i64);
            // ...until it is moved: by the writer after `MOVE_AFTER`, or,
            // as here, by the next read of the responses.
            app.store.settle().await.unwrap();
            assert_eq!(waiting_in_intake(&pool).await, 0, "the move leaves nothing in the intake");
        }
    }
    assert_eq!(app.store.count_responses("nexus").await.unwrap(), PEOPLE as i64);

    // The write-ahead log, where the appended pages were in order too, is
    // emptied after each move: at once, or, when a reader (the writer's own
    // move racing the read above) held it, by the writer within the window.
    let deadline = Instant::now() + 4 * MOVE_AFTER;
    while log_length(&file) > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(log_length(&file), 0, "the write-ahead log is empty after the move");
    let bytes = std::fs::read(&file).unwrap();
    let offsets: Vec<f64> = (0..PEOPLE)
        .map(|person| {
            let needle = marker(person).into_bytes();
            let found: Vec<usize> = bytes
                .windows(needle.len())
                .enumerate()
                .filter(|(_, window)| *window == needle.as_slice())
                .map(|(at, _)| at)
                .collect();
            // Once: nothing of the intake row is left behind in a freed page.
            assert_eq!(found.len(), 1, "person {person}'s answer is in the file once, not {found:?}");
            found[0] as f64
        })
        .collect();
    let arrival: Vec<f64> = (0..PEOPLE).map(|person| person as f64).collect();
    // With no relation, the correlation of 240 pairs has a standard error
    // of about 0.065: beyond 0.3 is more than four and a half of them.
    let correlation = rank_correlation(&arrival, &offsets);
    assert!(correlation.abs() < 0.3, "where an answer lies in the file follows when it came: rho = {correlation:.3}");
}

async fn send_an_answer(app: &TestApp) {
    let sent = app.post_form("/s/nexus", &complete_nexus_answers()).await;
    assert_eq!(sent.status, 303, "the answer is thanked: {}", sent.body);
}

fn log_length(file: &std::path::Path) -> u64 {
    std::fs::metadata(format!("{}-wal", file.display())).map(|wal| wal.len()).unwrap_or(0)
}

/// A read that keeps its snapshot for minutes (an export of a million
/// responses) keeps the write-ahead log from being emptied. The move's
/// checkpoint must not wait for it, for a checkpoint that waits holds off
/// every answer meanwhile (SQLite's busy timeout, 10 s); and once the read
/// ends, the log is emptied within the window.
#[tokio::test]
async fn a_long_read_holds_up_no_answer_and_the_log_is_emptied_once_it_ends() {
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("enkat.db");
    let app = TestApp::with_database(&format!("sqlite://{}", file.display()), "questionnaires").await;
    send_an_answer(&app).await;
    app.store.settle().await.unwrap();

    let mut reader = app.store.snapshot().await.unwrap();
    let everything = Filter::default();
    {
        let mut rows = reader.stream_response_records("nexus", &everything);
        assert!(rows.next().await.is_some(), "the read has begun");
    }
    for round in 0..3 {
        let started = Instant::now();
        send_an_answer(&app).await;
        let took = started.elapsed();
        assert!(took < Duration::from_secs(5), "answer {round} waited {took:?} for a checkpoint");
        // The writer moves it and tries to empty the log, which the read
        // keeps full.
        tokio::time::sleep(MOVE_AFTER + Duration::from_millis(500)).await;
    }
    assert!(log_length(&file) > 0, "the read kept the log from being emptied");

    drop(reader);
    let deadline = Instant::now() + 4 * MOVE_AFTER;
    while log_length(&file) > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(log_length(&file), 0, "the writer empties the log once the read has ended");
    assert_eq!(app.store.count_responses("nexus").await.unwrap(), 4);
}

#[test]
fn rank_correlation_is_one_for_the_same_order_and_minus_one_for_the_reverse() {
    let up = [1.0, 2.0, 3.0, 4.0];
    assert!((rank_correlation(&up, &[10.0, 20.0, 30.0, 40.0]) - 1.0).abs() < 1e-9);
    assert!((rank_correlation(&up, &[40.0, 30.0, 20.0, 10.0]) + 1.0).abs() < 1e-9);
}
