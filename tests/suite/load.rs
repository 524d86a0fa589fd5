//! Under load: 20,000 complete answers from 64 clients at once to the real
//! `enkat serve`, each thanked (303 to the thank-you page), each stored
//! exactly once and complete, never a 5xx. On SQLite and on PostgreSQL.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use crate::common::server::{Client, Server, nexus_answers, nexus_submission, stored_nexus_responses};
use crate::common::{Backend, fresh_database_url};

const SUBMISSIONS: usize = 20_000;
const CLIENTS: usize = 64;

on_both_databases!(twenty_thousand_answers_from_64_clients_at_once_are_all_thanked_and_all_stored);

async fn twenty_thousand_answers_from_64_clients_at_once_are_all_thanked_and_all_stored(backend: Backend) {
    let (database_url, _folder) = fresh_database_url(backend).await;
    let server = Server::start(&database_url, &[]).await;
    let url = server.url("/s/nexus");
    let next = Arc::new(AtomicUsize::new(0));

    let started = Instant::now();
    let clients: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let (client, url, next) = (Client::new(), url.clone(), next.clone());
            tokio::spawn(async move {
                // What each answer got: its status and where it led, or the error.
                let mut outcomes = Vec::new();
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= SUBMISSIONS {
                        return outcomes;
                    }
                    let outcome = match client.post_form(&url, nexus_submission(&format!("last {n}"))).await {
                        Ok(reply) => format!("{} {}", reply.status, reply.location),
                        Err(error) => error.to_string(),
                    };
                    outcomes.push(outcome);
                }
            })
        })
        .collect();
    let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
    for client in clients {
        for outcome in client.await.unwrap() {
            *outcomes.entry(outcome).or_default() += 1;
        }
    }
    let elapsed = started.elapsed();
    eprintln!(
        "{backend:?}: {SUBMISSIONS} answers from {CLIENTS} clients in {:.1} s, {:.0} answers/s",
        elapsed.as_secs_f64(),
        SUBMISSIONS as f64 / elapsed.as_secs_f64()
    );

    let thanked = "303 /s/nexus/tack?lang=sv".to_owned();
    assert_eq!(outcomes, BTreeMap::from([(thanked, SUBMISSIONS)]), "every answer is thanked; log:\n{}", server.log());
    drop(server);

    let stored = stored_nexus_responses(&database_url).await;
    assert_eq!(stored.len(), SUBMISSIONS, "exactly as many responses are stored as were thanked");
    let mut seen = HashSet::new();
    for (comment, answers) in &stored {
        assert!(seen.insert(comment.clone()), "{comment:?} is stored once");
        assert_eq!(answers, &nexus_answers(comment), "{comment:?} is stored with all its answers");
    }
}
