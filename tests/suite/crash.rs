//! Crashes: the real `enkat serve` killed with SIGKILL at random moments
//! while many clients send answers, and started again on the same database
//! each time. Every answer that was thanked (303) is stored, with all its
//! answers; no response is ever stored in part. On SQLite and PostgreSQL.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::server::{Client, Server, nexus_answers, nexus_submission, random_below, stored_nexus_responses};
use crate::common::{Backend, fresh_database_url};

const KILLS: usize = 22;
const CLIENTS: usize = 32;

on_both_databases!(every_answer_thanked_before_a_kill_is_stored_complete_and_none_in_part);

async fn every_answer_thanked_before_a_kill_is_stored_complete_and_none_in_part(backend: Backend) {
    let (database_url, _folder) = fresh_database_url(backend).await;
    let mut server = Server::start(&database_url, &[]).await;
    let url = server.url("/s/nexus");
    let next = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    // The comments of the answers thanked, and any status other than 303.
    let thanked = Arc::new(Mutex::new(HashSet::new()));
    let refused = Arc::new(Mutex::new(Vec::new()));

    let started = Instant::now();
    let clients: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let (url, next, stop) = (url.clone(), next.clone(), stop.clone());
            let (thanked, refused) = (thanked.clone(), refused.clone());
            tokio::spawn(async move {
                let client = Client::new();
                while !stop.load(Ordering::Relaxed) {
                    let comment = format!("svar {}", next.fetch_add(1, Ordering::Relaxed));
                    match client.post_form(&url, nexus_submission(&comment)).await {
                        Ok(reply) if reply.status == 303 => {
                            thanked.lock().unwrap().insert(comment);
                        }
                        Ok(reply) => refused.lock().unwrap().push(format!("{comment}: {}", reply.status)),
                        // Killed under it, or not started again yet: not
                        // thanked, so it may be stored or not, but whole.
                        Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
                    }
                }
            })
        })
        .collect();
    for _ in 0..KILLS {
        tokio::time::sleep(Duration::from_millis(100 + random_below(700))).await;
        server.kill();
        server.restart().await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, Ordering::Relaxed);
    for client in clients {
        client.await.unwrap();
    }
    server.kill();
    let thanked = thanked.lock().unwrap().clone();
    let refused = refused.lock().unwrap().clone();
    eprintln!(
        "{backend:?}: {KILLS} kills in {:.1} s, {} answers sent, {} thanked",
        started.elapsed().as_secs_f64(),
        next.load(Ordering::Relaxed),
        thanked.len()
    );
    assert!(refused.is_empty(), "an answer that reached a running server is thanked: {refused:?}");
    assert!(thanked.len() > 100, "the clients had time to send between the kills");

    if backend == Backend::Sqlite {
        // The last kill came within the intake's window (`MOVE_AFTER`) of
        // answers thanked: some were still in the intake, in the file
        // only, to be moved by the next start (which the read below is).
        let waiting: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM intake")
            .fetch_one(&sqlx::SqlitePool::connect(&database_url).await.unwrap())
            .await
            .unwrap();
        assert!(waiting > 0, "the kill left thanked answers in the intake");
        eprintln!("{waiting} thanked answers were in the intake at the last kill");
    }
    let stored = stored_nexus_responses(&database_url).await;
    let mut seen = HashSet::new();
    for (comment, answers) in &stored {
        assert!(comment.starts_with("svar "), "a stored response has its comment, so it is not in part: {answers:?}");
        assert!(seen.insert(comment.clone()), "{comment:?} is stored once");
        assert_eq!(answers, &nexus_answers(comment), "{comment:?} is stored with all its answers and nothing more");
    }
    let lost: Vec<_> = thanked.difference(&seen).collect();
    assert!(lost.is_empty(), "every answer thanked is stored; lost: {lost:?}");
}
