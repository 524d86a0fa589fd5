//! The store counts answers for reports the same way on both databases:
//! filters by period, language and version, splits by a background question
//! or by language, and lists free texts and whole responses.

use std::collections::BTreeSet;

use crate::common::{Backend, answer, fresh_database_url, fresh_store, undo_tallies_migration};
use enkat::cli::seed::{Random, synthetic_response};
use enkat::questionnaire::{Answer, Channel, Questionnaire, Role};
use enkat::report::{AnswerCount, Filter, GroupCount, QuestionCount, Split, Tally, UNANSWERED};
use enkat::store::{NewResponse, QueuedResponse, Store, StoredResponse};
use time::Date;
use time::macros::date;

on_both_databases!(
    counts_every_answer_once,
    filters_by_period_language_and_version,
    splits_by_a_background_question_and_by_language,
    lists_free_texts_by_question_and_text_up_to_a_day,
    gives_whole_responses_for_export,
    the_tallies_kept_as_responses_arrive_equal_a_count_of_the_stored_answers,
    a_database_from_before_the_tallies_gets_its_responses_counted,
    a_breakdown_kept_per_cell_equals_a_count_of_the_answers_whatever_arrives_or_goes,
);

fn nexus() -> Questionnaire {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("questionnaires/nexus.toml");
    let source = std::fs::read_to_string(&path).unwrap();
    enkat::questionnaire::parse(&path, &source).unwrap()
}

/// Five responses: (date, language, answers).
fn fixture() -> Vec<(Date, &'static str, Vec<Answer>)> {
    vec![
        (
            date!(2026 - 11 - 02),
            "sv",
            vec![
                answer("overall", Some("very_satisfied"), None),
                answer("missing_support", Some("move"), None),
                answer("missing_support", Some("household"), None),
                answer("age", Some("age_18_29"), None),
            ],
        ),
        (
            date!(2026 - 11 - 02),
            "sv",
            vec![
                answer("overall", Some("fairly_satisfied"), None),
                answer("missing_support", Some("move"), None),
                answer("comment", None, Some("Bra stöd")),
                answer("age", Some("age_30_44"), None),
            ],
        ),
        (
            date!(2026 - 11 - 09),
            "en",
            vec![
                answer("overall", Some("very_satisfied"), None),
                answer("missing_support", Some("other"), Some("A lawyer")),
                answer("age", Some("age_30_44"), None),
            ],
        ),
        (date!(2026 - 11 - 16), "sv", vec![answer("overall", Some("dont_know"), None)]),
        (
            date!(2026 - 11 - 16),
            "en",
            vec![answer("overall", Some("very_dissatisfied"), None), answer("comment", None, Some("Too slow"))],
        ),
    ]
}

async fn store_with_fixture(backend: Backend) -> (Store, Questionnaire, Option<tempfile::TempDir>) {
    let (store, guard) = fresh_store(backend).await;
    let questionnaire = store_fixture(&store).await;
    (store, questionnaire, guard)
}

/// Stores `fixture()` as responses to the shipped Nexus questionnaire.
async fn store_fixture(store: &Store) -> Questionnaire {
    let questionnaire = nexus();
    store.register_version(&questionnaire, date!(2026 - 11 - 01)).await.unwrap();
    for (submitted_on, language, answers) in fixture() {
        let response = NewResponse {
            questionnaire: &questionnaire,
            language,
            submitted_on,
            answers: &answers,
            submission: None,
            channel: enkat::questionnaire::Channel::Web,
        };
        store.insert_response(&response).await.unwrap();
    }
    questionnaire
}

/// The tally in a stable order, for comparison.
fn sorted(mut tally: Tally) -> Tally {
    tally.responses.sort_by(|a, b| a.group.cmp(&b.group));
    tally
        .answers
        .sort_by(|a, b| (&a.group, &a.question_id, &a.option_id).cmp(&(&b.group, &b.question_id, &b.option_id)));
    tally.respondents.sort_by(|a, b| (&a.group, &a.question_id).cmp(&(&b.group, &b.question_id)));
    tally
}

fn answers_to(tally: &Tally, question: &str) -> Vec<(Option<String>, Option<String>, u64)> {
    tally
        .answers
        .iter()
        .filter(|count| count.question_id == question)
        .map(|count| (count.group.clone(), count.option_id.clone(), count.count))
        .collect()
}

fn s(text: &str) -> Option<String> {
    Some(text.to_owned())
}

async fn counts_every_answer_once(backend: Backend) {
    let (store, _, _guard) = store_with_fixture(backend).await;
    let tally = sorted(store.tally("nexus", &Filter::default(), None).await.unwrap());

    assert_eq!(tally.responses, vec![GroupCount { group: None, count: 5 }]);
    assert_eq!(
        answers_to(&tally, "overall"),
        vec![
            (None, s("dont_know"), 1),
            (None, s("fairly_satisfied"), 1),
            (None, s("very_dissatisfied"), 1),
            (None, s("very_satisfied"), 2),
        ]
    );
    assert_eq!(
        answers_to(&tally, "missing_support"),
        vec![(None, s("household"), 1), (None, s("move"), 2), (None, s("other"), 1)]
    );
    assert_eq!(answers_to(&tally, "comment"), vec![(None, None, 2)], "text answers are counted without an option");
    let respondents: Vec<(String, u64)> =
        tally.respondents.iter().map(|count| (count.question_id.clone(), count.count)).collect();
    assert!(
        respondents.contains(&("missing_support".into(), 3)),
        "three responses answered the multi question: {respondents:?}"
    );
    assert!(respondents.contains(&("overall".into(), 5)));
    assert!(respondents.contains(&("comment".into(), 2)));

    let other = store.tally("someone-else", &Filter::default(), None).await.unwrap();
    assert_eq!(other, Tally::default(), "another questionnaire's answers are not counted");
}

async fn filters_by_period_language_and_version(backend: Backend) {
    let (store, questionnaire, _guard) = store_with_fixture(backend).await;
    let responses = |tally: Tally| tally.responses.iter().map(|group| group.count).sum::<u64>();

    let november_9_on = Filter { from: Some(date!(2026 - 11 - 09)), ..Filter::default() };
    assert_eq!(responses(store.tally("nexus", &november_9_on, None).await.unwrap()), 3);
    let up_to_november_9 = Filter { to: Some(date!(2026 - 11 - 09)), ..Filter::default() };
    assert_eq!(responses(store.tally("nexus", &up_to_november_9, None).await.unwrap()), 3, "`to` is inclusive");
    let english = Filter { language: Some("en".into()), ..Filter::default() };
    let tally = sorted(store.tally("nexus", &english, None).await.unwrap());
    assert_eq!(responses(tally.clone()), 2);
    assert_eq!(answers_to(&tally, "overall"), vec![(None, s("very_dissatisfied"), 1), (None, s("very_satisfied"), 1)]);
    let this_version = Filter { version: Some(questionnaire.version.to_string()), ..Filter::default() };
    assert_eq!(responses(store.tally("nexus", &this_version, None).await.unwrap()), 5);
    let other_version = Filter { version: Some("0000000000000000".into()), ..Filter::default() };
    assert_eq!(responses(store.tally("nexus", &other_version, None).await.unwrap()), 0);
}

async fn splits_by_a_background_question_and_by_language(backend: Backend) {
    let (store, _, _guard) = store_with_fixture(backend).await;

    let by_age = sorted(store.tally("nexus", &Filter::default(), Some(&Split::Question("age".into()))).await.unwrap());
    assert_eq!(
        by_age.responses,
        vec![
            GroupCount { group: s(UNANSWERED), count: 2 },
            GroupCount { group: s("age_18_29"), count: 1 },
            GroupCount { group: s("age_30_44"), count: 2 }
        ],
        "responses that skipped the age question are a group of their own"
    );
    assert_eq!(
        answers_to(&by_age, "overall"),
        vec![
            (s(UNANSWERED), s("dont_know"), 1),
            (s(UNANSWERED), s("very_dissatisfied"), 1),
            (s("age_18_29"), s("very_satisfied"), 1),
            (s("age_30_44"), s("fairly_satisfied"), 1),
            (s("age_30_44"), s("very_satisfied"), 1),
        ]
    );
    assert!(by_age.respondents.contains(&QuestionCount {
        group: s("age_30_44"),
        question_id: "missing_support".into(),
        count: 2
    }));

    let by_language = sorted(store.tally("nexus", &Filter::default(), Some(&Split::Language)).await.unwrap());
    assert_eq!(
        by_language.responses,
        vec![GroupCount { group: s("en"), count: 2 }, GroupCount { group: s("sv"), count: 3 }]
    );
    assert!(by_language.answers.contains(&AnswerCount {
        group: s("sv"),
        question_id: "missing_support".into(),
        option_id: s("move"),
        count: 2
    }));
}

async fn lists_free_texts_by_question_and_text_up_to_a_day(backend: Backend) {
    let (store, _, _guard) = store_with_fixture(backend).await;
    let texts = |through| {
        let store = store.clone();
        async move {
            let texts: Vec<(Date, String, Option<String>, String)> = store
                .cell_texts("nexus", through)
                .await
                .unwrap()
                .into_iter()
                .map(|text| (text.submitted_on, text.question_id, text.option_id, text.text))
                .collect();
            texts
        }
    };
    assert_eq!(
        texts(date!(2026 - 11 - 30)).await,
        vec![
            (date!(2026 - 11 - 02), "comment".into(), None, "Bra stöd".into()),
            (date!(2026 - 11 - 16), "comment".into(), None, "Too slow".into()),
            (date!(2026 - 11 - 09), "missing_support".into(), Some("other".into()), "A lawyer".into()),
        ]
    );
    assert_eq!(texts(date!(2026 - 11 - 08)).await.len(), 1, "only texts stored with a date up to the day");
}

async fn gives_whole_responses_for_export(backend: Backend) {
    let (store, questionnaire, _guard) = store_with_fixture(backend).await;
    let mut records = store.response_records("nexus", &Filter::default()).await.unwrap();
    assert_eq!(records.len(), 5);
    assert!(records.iter().all(|record| record.version == questionnaire.version.as_str()));
    records.sort_by(|a, b| {
        (a.submitted_on, &a.language, &a.answers[0].option_id).cmp(&(
            b.submitted_on,
            &b.language,
            &b.answers[0].option_id,
        ))
    });
    let expected: Vec<(Date, String, Vec<Answer>)> = {
        let mut expected: Vec<_> =
            fixture().into_iter().map(|(date, language, answers)| (date, language.to_owned(), answers)).collect();
        expected.sort_by(|a, b| (a.0, &a.1, &a.2[0].option_id).cmp(&(b.0, &b.1, &b.2[0].option_id)));
        expected
    };
    let got: Vec<(Date, String, Vec<Answer>)> =
        records.into_iter().map(|record| (record.submitted_on, record.language, record.answers)).collect();
    assert_eq!(got, expected, "every response comes back whole, answers in form order");

    let versions = store.versions("nexus").await.unwrap();
    assert_eq!(versions.len(), 1);
    assert_eq!(versions[0].version, questionnaire.version.as_str());
    assert_eq!(versions[0].first_seen, date!(2026 - 11 - 01));
}

/// What `tally` must say, counted in Rust from the stored responses
/// themselves: per group (the language, or none), the responses, the
/// answers per question and option, and the responses per question.
fn counted_by_hand(responses: &[StoredResponse], filter: &Filter, by_language: bool) -> Tally {
    let mut one_by_one = Tally::default();
    let covered = responses.iter().filter(|response| {
        filter.from.is_none_or(|from| response.submitted_on >= from)
            && filter.to.is_none_or(|to| response.submitted_on <= to)
            && filter.language.as_ref().is_none_or(|language| &response.language == language)
    });
    for response in covered {
        let group = by_language.then(|| response.language.clone());
        one_by_one.responses.push(GroupCount { group: group.clone(), count: 1 });
        let mut answered = BTreeSet::new();
        for answer in &response.answers {
            let (question_id, option_id) = (answer.question_id.clone(), answer.option_id.clone());
            one_by_one.answers.push(AnswerCount { group: group.clone(), question_id, option_id, count: 1 });
            if answered.insert(&answer.question_id) {
                let question_id = answer.question_id.clone();
                one_by_one.respondents.push(QuestionCount { group: group.clone(), question_id, count: 1 });
            }
        }
    }
    sorted(one_by_one.summed())
}

/// Every way the figures are read from the tallies gives what counting the
/// stored answers gives.
async fn assert_tallies_match_the_answers(store: &Store, moment: &str) {
    let responses = store.responses("nexus").await.unwrap();
    let filters = [
        Filter::default(),
        Filter { language: Some("en".into()), ..Filter::default() },
        Filter { from: Some(date!(2026 - 06 - 01)), to: Some(date!(2026 - 09 - 30)), ..Filter::default() },
    ];
    for filter in &filters {
        for by_language in [false, true] {
            let split = by_language.then_some(Split::Language);
            let tallied = sorted(store.tally("nexus", filter, split.as_ref()).await.unwrap());
            assert_eq!(
                tallied,
                counted_by_hand(&responses, filter, by_language),
                "{moment}: the tallies for {filter:?}, split by language: {by_language}"
            );
        }
    }
}

async fn the_tallies_kept_as_responses_arrive_equal_a_count_of_the_stored_answers(backend: Backend) {
    let (store, questionnaire, _guard) = store_with_fixture(backend).await;
    let mut random = Random::new(8);
    let today = date!(2026 - 11 - 27);
    // Batches as group commit stores them, with a form sent twice in one
    // batch and once more in a later one: it is counted once.
    let mut twice = synthetic_response(&questionnaire, today, &mut random);
    twice.submission = Some("a".repeat(64));
    for round in 0..6 {
        let mut batch: Vec<QueuedResponse> =
            (0..70).map(|_| synthetic_response(&questionnaire, today, &mut random)).collect();
        if round % 3 == 0 {
            batch.push(twice.clone());
            batch.push(twice.clone());
        }
        store.insert_responses(&batch).await.unwrap();
    }
    assert_eq!(store.count_responses("nexus").await.unwrap(), 5 + 6 * 70 + 1);
    assert_tallies_match_the_answers(&store, "after storing").await;

    let purged = store.delete_responses_before(date!(2026 - 05 - 01)).await.unwrap();
    assert!(purged > 0, "the synthetic responses span a year, so some are older");
    assert_tallies_match_the_answers(&store, "after a purge").await;

    let before = sorted(store.tally("nexus", &Filter::default(), Some(&Split::Language)).await.unwrap());
    store.recount_tallies().await.unwrap();
    let recounted = sorted(store.tally("nexus", &Filter::default(), Some(&Split::Language)).await.unwrap());
    assert_eq!(recounted, before, "counting everything afresh changes nothing");
}

async fn a_database_from_before_the_tallies_gets_its_responses_counted(backend: Backend) {
    let (url, _guard) = fresh_database_url(backend).await;
    let store = Store::connect(&url).await.unwrap();
    store_fixture(&store).await;
    undo_tallies_migration(&store).await;
    store.close().await;

    let upgraded = Store::connect(&url).await.unwrap();
    let tally = sorted(upgraded.tally("nexus", &Filter::default(), None).await.unwrap());
    assert_eq!(tally.responses, vec![GroupCount { group: None, count: 5 }]);
    assert_tallies_match_the_answers(&upgraded, "after the migration").await;
}

/// Every cell of a breakdown by each background question, as staff's
/// results read it (`cell_tallies`), against the answer rows of that cell
/// counted directly (`tally` with a filter on the cell): cell by cell, group
/// by group, question by question.
async fn assert_breakdowns_match_the_answers(store: &Store, questionnaire: &Questionnaire, moment: &str) {
    let through = date!(2026 - 12 - 31);
    let unsplit: BTreeSet<_> = store
        .cell_tallies("nexus", through, None)
        .await
        .unwrap()
        .into_iter()
        .map(|(stream, day, _)| (stream, day))
        .collect();
    let background = questionnaire.questions.iter().filter(|question| question.role == Some(Role::Background));
    let mut checked = 0;
    for question in background {
        let split = Split::Question(question.id.clone());
        let cells = store.cell_tallies("nexus", through, Some(&split)).await.unwrap();
        let split_cells: BTreeSet<_> = cells.iter().map(|(stream, day, _)| (stream.clone(), *day)).collect();
        assert_eq!(split_cells, unsplit, "{moment}: the breakdown by {} has every cell with responses", question.id);
        for (stream, day, tally) in cells {
            let cell = Filter {
                from: Some(day),
                to: Some(day),
                language: Some(stream.language.clone()),
                version: Some(stream.version.clone()),
                channel: Channel::parse(&stream.channel),
            };
            let counted = store.tally("nexus", &cell, Some(&split)).await.unwrap();
            assert_eq!(sorted(tally), sorted(counted), "{moment}: by {} in {stream:?} on {day}", question.id);
            checked += 1;
        }
    }
    assert!(checked > 100, "{moment}: {checked} cells checked");
}

/// How many cells' breakdowns the database keeps (migration 0020), and the
/// earliest and latest date among them.
async fn kept_cells(backend: Backend, url: &str) -> (i64, Option<Date>, Option<Date>) {
    const KEPT: &str = "SELECT COUNT(*), MIN(submitted_on), MAX(submitted_on) FROM group_tally_cell";
    match backend {
        Backend::Sqlite => {
            let pool = sqlx::SqlitePool::connect(url).await.unwrap();
            let (n, first, last): (i64, Option<String>, Option<String>) =
                sqlx::query_as(KEPT).fetch_one(&pool).await.unwrap();
            let format = time::macros::format_description!("[year]-[month]-[day]");
            let day = |text: Option<String>| text.map(|day| Date::parse(&day, &format).unwrap());
            (n, day(first), day(last))
        }
        Backend::Postgres => {
            let pool = sqlx::PgPool::connect(url).await.unwrap();
            sqlx::query_as(KEPT).fetch_one(&pool).await.unwrap()
        }
    }
}

async fn a_breakdown_kept_per_cell_equals_a_count_of_the_answers_whatever_arrives_or_goes(backend: Backend) {
    let (url, _guard) = fresh_database_url(backend).await;
    let store = Store::connect(&url).await.unwrap();
    let questionnaire = store_fixture(&store).await;
    let mut random = Random::new(20);
    let today = date!(2026 - 11 - 27);
    let batch: Vec<QueuedResponse> = (0..400).map(|_| synthetic_response(&questionnaire, today, &mut random)).collect();
    store.insert_responses(&batch).await.unwrap();
    assert_eq!(kept_cells(backend, &url).await.0, 0, "nothing is kept before a breakdown is asked for");

    // Counted ahead, as the service does every hour: the closed periods'
    // cells, by each of the four background questions, and nothing later.
    assert_eq!(store.count_breakdowns(&questionnaire, today).await.unwrap(), 4);
    let (ahead, _, last) = kept_cells(backend, &url).await;
    assert!(ahead > 100, "each closed cell's breakdown is kept, per background question: {ahead}");
    assert!(last.is_some_and(|day| day <= date!(2026 - 10 - 31)), "only closed periods (to October): {last:?}");
    store.count_breakdowns(&questionnaire, today).await.unwrap();
    assert_eq!(kept_cells(backend, &url).await.0, ahead, "counting ahead again finds nothing to count");

    assert_breakdowns_match_the_answers(&store, &questionnaire, "counted the first time").await;
    let (kept, _, _) = kept_cells(backend, &url).await;
    assert!(kept > ahead, "the running period's cells are counted when read: {kept}");
    assert_breakdowns_match_the_answers(&store, &questionnaire, "read back as kept").await;

    // Late arrivals, first only in cells already counted (the same
    // streams and dates), then in new cells on counted dates: paper forms
    // typed in for a past period, a web response in another language.
    store.insert_responses(&batch[..15]).await.unwrap();
    assert_breakdowns_match_the_answers(&store, &questionnaire, "after late responses in counted cells").await;
    let mut late: Vec<QueuedResponse> = batch
        .iter()
        .skip(100)
        .take(40)
        .map(|response| QueuedResponse { channel: Channel::Paper, ..response.clone() })
        .collect();
    late.push(QueuedResponse {
        language: if batch[0].language == "en" { "sv" } else { "en" }.into(),
        ..batch[0].clone()
    });
    store.insert_responses(&late).await.unwrap();
    assert_breakdowns_match_the_answers(&store, &questionnaire, "after late responses in new cells").await;

    // A purge takes the kept breakdowns of its dates with the responses.
    let purge_before = date!(2026 - 05 - 01);
    assert!(store.delete_responses_before(purge_before).await.unwrap() > 0);
    assert_breakdowns_match_the_answers(&store, &questionnaire, "after a purge").await;
    let (_, first, _) = kept_cells(backend, &url).await;
    assert!(first.is_some_and(|day| day >= purge_before), "nothing kept from before the purge: {first:?}");

    store.recount_tallies().await.unwrap();
    assert_breakdowns_match_the_answers(&store, &questionnaire, "after counting the tallies afresh").await;
}
