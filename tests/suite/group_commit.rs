//! Group commit: responses stored together in one transaction are each
//! decided on their own. A duplicate form and a used code refuse only their
//! own response; a database error fails the whole batch and stores nothing.

use crate::common::{Backend, TestApp};
use enkat::codes::Code;
use enkat::questionnaire::{Answer, Questionnaire};
use enkat::store::{CodeToUse, CodeUse, QueuedResponse, ResponseWriter, Stored};

on_both_databases!(
    a_batch_decides_each_response_on_its_own,
    a_failed_batch_stores_nothing,
    concurrent_submissions_share_transactions_and_keep_their_outcomes,
);

/// A fixed service key: the store compares fingerprints, whatever the key.
fn key() -> enkat::codes::ServiceKey {
    enkat::codes::ServiceKey::parse(&"ab".repeat(32), "test").unwrap()
}

fn response(questionnaire: &Questionnaire, option: &str, token: Option<&str>, code: Option<&Code>) -> QueuedResponse {
    let today = time::OffsetDateTime::now_utc().date();
    let submitted_on = questionnaire.date_precision.coarsen(today);
    QueuedResponse {
        questionnaire_id: questionnaire.id.clone(),
        version: questionnaire.version.as_str().to_owned(),
        language: "sv".to_owned(),
        channel: enkat::questionnaire::Channel::Web,
        submitted_on,
        answers: vec![Answer { question_id: "overall".into(), option_id: Some(option.into()), text: None }],
        submission: token.map(str::to_owned),
        code: code.map(|code| CodeToUse::new(code.fingerprint(&key()), questionnaire, submitted_on)),
    }
}

/// The coded test questionnaire with `count` fresh codes.
async fn coded(backend: Backend, count: usize) -> (TestApp, Vec<Code>) {
    let app = TestApp::with_questionnaires(backend, "tests/fixtures/coded").await;
    let codes: Vec<Code> = (0..count).map(|_| Code::generate().unwrap()).collect();
    let fingerprints: Vec<String> = codes.iter().map(|code| code.fingerprint(&key())).collect();
    let today = time::OffsetDateTime::now_utc().date();
    app.store.create_code_batch("nexus-kort", "Mottagningen", today, &fingerprints).await.unwrap();
    (app, codes)
}

async fn a_batch_decides_each_response_on_its_own(backend: Backend) {
    let (app, codes) = coded(backend, 3).await;
    let questionnaire = app.catalog.get("nexus-kort").unwrap();
    // Stored before: its token is recorded and its code used.
    let earlier = response(questionnaire, "very_satisfied", Some("token-earlier"), Some(&codes[0]));
    assert!(matches!(
        app.store.insert_responses(std::slice::from_ref(&earlier)).await.unwrap()[..],
        [CodeUse::Answered(Stored::New(_))]
    ));

    let unused_code = &codes[1];
    let batch = [
        response(questionnaire, "very_satisfied", Some("token-a"), Some(unused_code)),
        // The same form twice in the batch: stored once, thanked twice.
        response(questionnaire, "very_satisfied", Some("token-a"), Some(unused_code)),
        // A form sent again after it was stored.
        earlier.clone(),
        // Another form with the code used before: refused, alone.
        response(questionnaire, "fairly_satisfied", Some("token-b"), Some(&codes[0])),
        // Another form with the code the first of this batch uses.
        response(questionnaire, "fairly_satisfied", Some("token-c"), Some(unused_code)),
        response(questionnaire, "very_dissatisfied", Some("token-d"), Some(&codes[2])),
    ];
    let outcomes = app.store.insert_responses(&batch).await.unwrap();
    assert!(matches!(outcomes[0], CodeUse::Answered(Stored::New(_))), "{outcomes:?}");
    assert_eq!(outcomes[1], CodeUse::Answered(Stored::Duplicate));
    assert_eq!(outcomes[2], CodeUse::Answered(Stored::Duplicate));
    assert_eq!(outcomes[3], CodeUse::Refused);
    assert_eq!(outcomes[4], CodeUse::Refused);
    assert!(matches!(outcomes[5], CodeUse::Answered(Stored::New(_))), "{outcomes:?}");
    assert_eq!(app.store.count_responses("nexus-kort").await.unwrap(), 3, "earlier, token-a and token-d");

    // A refused form keeps nothing: sent again with a live code, it is stored.
    let spare = Code::generate().unwrap();
    let today = time::OffsetDateTime::now_utc().date();
    app.store.create_code_batch("nexus-kort", "Reserv", today, &[spare.fingerprint(&key())]).await.unwrap();
    let again = response(questionnaire, "fairly_satisfied", Some("token-b"), Some(&spare));
    assert!(matches!(app.store.insert_responses(&[again]).await.unwrap()[..], [CodeUse::Answered(Stored::New(_))]));
    assert_eq!(app.store.count_responses("nexus-kort").await.unwrap(), 4);
}

async fn a_failed_batch_stores_nothing(backend: Backend) {
    let (app, codes) = coded(backend, 1).await;
    let questionnaire = app.catalog.get("nexus-kort").unwrap();
    let valid = response(questionnaire, "very_satisfied", Some("token-a"), Some(&codes[0]));
    // A version the database does not know breaks the batch's transaction.
    let broken =
        QueuedResponse { version: "no-such-version".into(), ..response(questionnaire, "very_satisfied", None, None) };
    assert!(app.store.insert_responses(&[valid.clone(), broken]).await.is_err());
    assert_eq!(app.store.count_responses("nexus-kort").await.unwrap(), 0);
    // Neither the token nor the code was kept: the same form is stored now.
    assert!(matches!(app.store.insert_responses(&[valid]).await.unwrap()[..], [CodeUse::Answered(Stored::New(_))]));
}

async fn concurrent_submissions_share_transactions_and_keep_their_outcomes(backend: Backend) {
    let (app, codes) = coded(backend, 40).await;
    let questionnaire = app.catalog.get("nexus-kort").unwrap();
    let writer = ResponseWriter::new(app.store.clone());
    // 40 forms with their own codes, each sent twice at once, and 10 with a
    // code that one of the 40 uses.
    let mut sent = Vec::new();
    for (at, code) in codes.iter().enumerate() {
        for _ in 0..2 {
            sent.push((format!("form-{at}"), code.clone()));
        }
    }
    for (at, code) in codes.iter().take(10).enumerate() {
        sent.push((format!("other-{at}"), code.clone()));
    }
    let tasks: Vec<_> = sent
        .iter()
        .map(|(token, code)| {
            let writer = writer.clone();
            let queued = response(questionnaire, "very_satisfied", Some(token), Some(code));
            tokio::spawn(async move { writer.store(queued).await.unwrap() })
        })
        .collect();
    let mut new = 0;
    let mut duplicate = 0;
    let mut refused = 0;
    for task in tasks {
        match task.await.unwrap() {
            CodeUse::Answered(Stored::New(_)) => new += 1,
            CodeUse::Answered(Stored::Duplicate) => duplicate += 1,
            CodeUse::Refused => refused += 1,
        }
    }
    // Each code gives one response; which form wins a shared code is a race.
    assert_eq!(new, 40, "one response per code");
    assert_eq!(new + duplicate + refused, 90);
    assert!(duplicate >= 30 && refused >= 10, "new {new}, duplicate {duplicate}, refused {refused}");
    assert_eq!(app.store.count_responses("nexus-kort").await.unwrap(), 40);
}
