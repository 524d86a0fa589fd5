//! `enkat seed` through the real binary: it stores the number of responses
//! asked for, each one a form the questionnaire itself accepts.

use std::process::Command;

use crate::common::{Backend, fresh_database_url};
use enkat::questionnaire::{FormInput, OTHER, QuestionKind, load_dir, validate};
use enkat::store::Store;

on_both_databases!(seeded_responses_are_counted_and_each_one_validates);

async fn seeded_responses_are_counted_and_each_one_validates(backend: Backend) {
    let (url, _guard) = fresh_database_url(backend).await;
    let output = Command::new(env!("CARGO_BIN_EXE_enkat"))
        .args(["seed", "nexus", "--responses", "500", "--seed", "8", "--database-url", &url])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("enkat runs");
    assert!(output.status.success(), "enkat seed failed: {}", String::from_utf8_lossy(&output.stderr));

    let catalog = load_dir(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/questionnaires"))).unwrap();
    let nexus = catalog.get("nexus").unwrap();
    let store = Store::connect(&url).await.unwrap();
    assert_eq!(store.count_responses("nexus").await.unwrap(), 500);
    let responses = store.responses("nexus").await.unwrap();
    let today = time::OffsetDateTime::now_utc().date();
    let mut languages = std::collections::BTreeSet::new();
    let mut texts = 0;
    for response in &responses {
        assert_eq!(response.version, nexus.version.as_str());
        assert!(nexus.languages.contains(&response.language), "language {}", response.language);
        languages.insert(response.language.clone());
        assert_eq!(response.submitted_on, nexus.date_precision.coarsen(response.submitted_on), "a coarse date");
        // Dates count back a year from today where the service runs (a day
        // ahead of UTC at most).
        assert!(response.submitted_on <= today + time::Duration::days(1));
        assert!((today - response.submitted_on).whole_days() <= 372);
        // The stored answers, sent again as a form, are accepted as they are.
        let mut fields = Vec::new();
        for answer in &response.answers {
            let other = matches!(
                nexus.question(&answer.question_id).map(|q| &q.kind),
                Some(QuestionKind::Single { .. } | QuestionKind::Multi { .. })
            );
            match (&answer.option_id, &answer.text) {
                (Some(option), Some(text)) if option == OTHER && other => {
                    fields.push((FormInput::other_field(&answer.question_id), text.clone()));
                }
                (Some(option), _) => fields.push((answer.question_id.clone(), option.clone())),
                (None, Some(text)) => {
                    texts += 1;
                    fields.push((answer.question_id.clone(), text.clone()));
                }
                (None, None) => panic!("an answer with neither option nor text"),
            }
        }
        let input = FormInput::new(nexus, fields).expect("only the questionnaire's questions");
        assert_eq!(validate(nexus, &input).as_ref(), Ok(&response.answers), "response {}", response.id);
    }
    assert_eq!(languages.len(), 3, "Swedish, English and Arabic all occur: {languages:?}");
    assert!(texts > 0, "some free text");
    store.close().await;
}
