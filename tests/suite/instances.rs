//! Several instances: two `enkat serve` processes on one PostgreSQL
//! database, started together and taking answers at the same time, lose
//! nothing; a one-time code sent to both at the same moment is used once.

use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::common::server::{Client, ENKAT, Server, TEST_KEY, nexus_submission, stored_nexus_responses};
use crate::common::{Backend, fresh_database_url};
use enkat::cli::key::KEY_VARIABLE;

const SUBMISSIONS: usize = 4_000;
const CLIENTS: usize = 32;

#[tokio::test]
#[cfg_attr(
    not(enkat_postgres),
    ignore = "PostgreSQL tests skipped: set ENKAT_TEST_POSTGRES_URL=postgres://... to run them"
)]
async fn two_instances_on_one_database_store_every_answer_they_thank() {
    let (database_url, _) = fresh_database_url(Backend::Postgres).await;
    // Started at the same moment: both migrate and register the versions.
    let (first, second) = tokio::join!(Server::start(&database_url, &[]), Server::start(&database_url, &[]));
    let urls = [first.url("/s/nexus"), second.url("/s/nexus")];
    let next = Arc::new(AtomicUsize::new(0));

    let clients: Vec<_> = (0..CLIENTS)
        .map(|client| {
            // Half the clients on each instance, as behind a load balancer.
            let (url, next) = (urls[client % 2].clone(), next.clone());
            tokio::spawn(async move {
                let client = Client::new();
                let mut statuses = Vec::new();
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= SUBMISSIONS {
                        return statuses;
                    }
                    let reply = client.post_form(&url, nexus_submission(&format!("svar {n}"))).await;
                    statuses.push(reply.map_or(0, |reply| reply.status));
                }
            })
        })
        .collect();
    let mut thanked = 0;
    for client in clients {
        let statuses = client.await.unwrap();
        assert!(statuses.iter().all(|status| *status == 303), "every answer is thanked: {statuses:?}");
        thanked += statuses.len();
    }
    assert_eq!(thanked, SUBMISSIONS);
    assert_eq!(stored_nexus_responses(&database_url).await.len(), SUBMISSIONS, "every answer thanked is stored");
}

/// The telefon questionnaire's required answers, with a code and a fresh
/// submission token: two people's forms carrying the same card's code.
fn telefon_submission(code: &str) -> String {
    let token = uuid::Uuid::new_v4().simple().to_string();
    serde_urlencoded::to_string([
        ("_lang", "sv"),
        ("_submission", token.as_str()),
        ("_code", code),
        ("reach", "very_easy"),
        ("respect", "yes_always"),
        ("anonymous", "yes_always"),
        ("next_step", "yes_mostly"),
    ])
    .unwrap()
}

#[tokio::test]
#[cfg_attr(
    not(enkat_postgres),
    ignore = "PostgreSQL tests skipped: set ENKAT_TEST_POSTGRES_URL=postgres://... to run them"
)]
async fn a_code_sent_to_two_instances_at_the_same_moment_is_accepted_once() {
    const CODES: usize = 10;
    // The smallest batch telefon takes (4 × its min_report_n); CODES of it are sent.
    const BATCH: usize = 20;
    let (database_url, _) = fresh_database_url(Backend::Postgres).await;
    let (first, second) = tokio::join!(Server::start(&database_url, &[]), Server::start(&database_url, &[]));
    let output = Command::new(ENKAT)
        .args(["codes", "create", "telefon", "--count", &BATCH.to_string(), "--label", "Samtidigt"])
        .arg("--questionnaires")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/questionnaires"))
        .args(["--database-url", &database_url])
        // The instances' key: codes are stored under it.
        .env(KEY_VARIABLE, TEST_KEY)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let csv = String::from_utf8(output.stdout).unwrap();
    let codes: Vec<&str> = csv.lines().skip(1).filter_map(|line| line.split(',').next()).collect();
    assert_eq!(codes.len(), BATCH);
    let codes = &codes[..CODES];

    let client = Client::new();
    let (first_url, second_url) = (first.url("/s/telefon"), second.url("/s/telefon"));
    for code in codes {
        let (one, other) = tokio::join!(
            client.post_form(&first_url, telefon_submission(code)),
            client.post_form(&second_url, telefon_submission(code)),
        );
        let mut replies = [one.unwrap(), other.unwrap()];
        replies.sort_by_key(|reply| reply.status);
        assert_eq!(replies[0].status, 303, "one person is thanked: {}", replies[0].body);
        assert_eq!(replies[1].status, 403, "the other is refused: {}", replies[1].body);
        assert!(
            replies[1].body.contains("Koden är redan använd eller finns inte."),
            "the other is told the code is used: {}",
            replies[1].body
        );
    }
    let store = enkat::store::Store::connect(&database_url).await.unwrap();
    assert_eq!(store.count_responses("telefon").await.unwrap(), CODES as i64, "one response per code");
}
