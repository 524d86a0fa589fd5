//! A clean stop: SIGTERM while answers are under way. Every request the
//! server had begun to receive is finished, thanked and stored; then the
//! process exits with status 0. On SQLite and PostgreSQL.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::common::server::{Client, Server, nexus_submission, stored_nexus_responses};
use crate::common::{Backend, fresh_database_url};
use axum::body::Bytes;
use axum::http::{Request, header};
use http_body_util::BodyExt;
use http_body_util::channel::Channel;

/// Answers whose body is half sent when the signal comes.
const HALF_SENT: usize = 32;
/// Clients sending whole answers all along, before and after the signal.
const CLIENTS: usize = 16;

on_both_databases!(sigterm_finishes_every_answer_under_way_then_exits_with_status_0);

async fn sigterm_finishes_every_answer_under_way_then_exits_with_status_0(backend: Backend) {
    let (database_url, _folder) = fresh_database_url(backend).await;
    let mut server = Server::start(&database_url, &[]).await;
    let url = server.url("/s/nexus");

    // Clients answering all the time: each answer is thanked, or its
    // connection was refused or closed before it was read, never a 5xx.
    let stop = Arc::new(AtomicBool::new(false));
    let next = Arc::new(AtomicUsize::new(0));
    let thanked = Arc::new(Mutex::new(HashSet::new()));
    let statuses = Arc::new(Mutex::new(Vec::new()));
    let steady: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let (url, stop, next) = (url.clone(), stop.clone(), next.clone());
            let (thanked, statuses) = (thanked.clone(), statuses.clone());
            tokio::spawn(async move {
                let client = Client::new();
                while !stop.load(Ordering::Relaxed) {
                    let comment = format!("steady {}", next.fetch_add(1, Ordering::Relaxed));
                    match client.post_form(&url, nexus_submission(&comment)).await {
                        Ok(reply) if reply.status == 303 => {
                            thanked.lock().unwrap().insert(comment);
                        }
                        Ok(reply) => statuses.lock().unwrap().push(reply.status),
                        Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
                    }
                }
            })
        })
        .collect();

    // Answers under way: headers and half the body sent, the rest held back.
    let mut rests = Vec::new();
    let mut half_sent = Vec::new();
    for n in 0..HALF_SENT {
        let comment = format!("under way {n}");
        let body = Bytes::from(nexus_submission(&comment));
        let (mut sender, channel) = Channel::<Bytes, std::convert::Infallible>::new(1);
        let request = Request::post(&url)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::CONTENT_LENGTH, body.len())
            .body(channel.boxed())
            .unwrap();
        let client = Client::new();
        half_sent.push(tokio::spawn(async move { (comment, client.send(request).await) }));
        sender.send_data(body.slice(..body.len() / 2)).await.unwrap();
        rests.push((sender, body.slice(body.len() / 2..)));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;

    server.signal("TERM");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        Client::new().get(&server.url("/healthz")).await.is_err(),
        "once told to stop, the server takes no new connection"
    );
    for (mut sender, rest) in rests {
        sender.send_data(rest).await.unwrap();
    }
    for send in half_sent {
        let (comment, reply) = send.await.unwrap();
        let reply = reply.unwrap_or_else(|error| panic!("{comment:?} gets an answer: {error}"));
        assert_eq!(reply.status, 303, "{comment:?} is thanked: {}", reply.body);
        thanked.lock().unwrap().insert(comment);
    }

    let status = server.exit_status(Duration::from_secs(20)).await;
    assert_eq!(status.and_then(|status| status.code()), Some(0), "a clean stop; log:\n{}", server.log());
    stop.store(true, Ordering::Relaxed);
    for client in steady {
        client.await.unwrap();
    }
    assert_eq!(*statuses.lock().unwrap(), Vec::<u16>::new(), "an answer that is read is thanked");

    let thanked = thanked.lock().unwrap().clone();
    let stored: HashSet<String> =
        stored_nexus_responses(&database_url).await.into_iter().map(|(comment, _)| comment).collect();
    assert!(thanked.len() > HALF_SENT, "the steady clients were thanked too");
    assert_eq!(stored, thanked, "what was thanked is stored, and nothing else");
}
