//! The respondent's journey through the shipped Nexus questionnaire: open the
//! link, answer, get thanked; and every way an answer can be refused, which
//! must store nothing and keep what the person gave.

use crate::common::{Backend, TestApp};
use axum::http::StatusCode;
use enkat::questionnaire::Answer;
use time::{Duration, Weekday};

on_both_databases!(
    the_form_shows_every_question_in_swedish_by_default,
    the_form_speaks_english_when_asked,
    a_complete_response_is_stored_and_thanked,
    a_reload_of_the_thank_you_page_stores_nothing_more,
    a_missing_required_answer_is_explained_and_the_answers_are_kept,
    an_option_that_does_not_exist_is_refused,
    two_answers_to_a_single_choice_question_are_refused,
    an_exclusive_option_combined_with_others_is_refused,
    a_too_long_comment_is_refused_and_kept,
    something_else_without_saying_what_is_refused,
    a_field_outside_the_questionnaire_stores_nothing,
    an_unknown_questionnaire_is_a_calm_not_found_page,
    the_stored_response_holds_nothing_that_identifies_the_person,
    every_version_of_the_questionnaire_is_stored_once_with_its_text,
    the_start_page_is_the_same_for_everyone_in_one_language_and_version,
);

/// `crate::common::complete_nexus_answers` with one field's values replaced (or removed, if `values` is empty).
fn answers_with(name: &str, values: &[&'static str]) -> Vec<(&'static str, &'static str)> {
    let mut fields: Vec<_> =
        crate::common::complete_nexus_answers().into_iter().filter(|(field, _)| *field != name).collect();
    let name: &'static str = Box::leak(name.to_owned().into_boxed_str());
    fields.extend(values.iter().map(|value| (name, *value)));
    fields
}

#[track_caller]
fn assert_refused(page: &crate::common::Page, question: &str, message: &str) {
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "a refused form is answered with 422");
    assert!(page.text("title").starts_with("Fel: "), "the title starts with `Fel:`: {}", page.text("title"));
    // The question is the link; its message stands on its own line, apart.
    let summary = page.texts(".error-summary li .error-summary-message");
    assert!(
        summary.iter().any(|line| line.contains(message)),
        "the error summary says {message:?}; it says {summary:?}"
    );
    let inline = page.text(&format!("#question-{question} .error-message"));
    assert!(inline.contains(message), "the question {question} says {message:?}; it says {inline:?}");
}

async fn assert_nothing_stored(app: &TestApp) {
    assert_eq!(app.store.count_responses("nexus").await.unwrap(), 0, "nothing may be stored");
}

async fn the_form_shows_every_question_in_swedish_by_default(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    let page = app.start("/s/nexus").await;

    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.attributes("html", "lang"), ["sv"]);
    assert_eq!(
        page.text("title"),
        "Enkät – Sida 1 av 5",
        "the tab tells an onlooker nothing: the survey has `neutral_title`"
    );
    assert_eq!(page.text("h1"), "Vad tyckte du om stödet från Nexus?");
    assert_eq!(page.header("cache-control"), "no-store", "answers must never be kept in the browser's cache");
    assert_eq!(page.attributes("form", "autocomplete"), ["off"]);
    assert_eq!(page.attributes("form", "method"), ["post"]);

    // The first of four pages: the satisfaction questions.
    let questionnaire = app.catalog.get("nexus").unwrap();
    let legends = page.texts("legend .question-text");
    let labels = page.texts("label.question-label");
    assert_eq!(page.text("h2.page-title"), "Vad du tyckte");
    assert_eq!(legends.len() + labels.len(), 8);
    for question in &questionnaire.questions[questionnaire.pages[0].questions.clone()] {
        let text = question.text.get("sv");
        assert!(
            legends.iter().chain(&labels).any(|shown| shown == text),
            "question {} is shown as a legend or label",
            question.id
        );
    }
    // Nothing is required (the intro says any question may be skipped), so nothing is marked.
    assert!(page.texts("legend .required, legend .optional").is_empty(), "no question marked when all are alike");
    assert!(page.texts(".choice label").contains(&"Vet inte / ej aktuellt".to_owned()));
    assert_eq!(page.texts(".exit-button"), ["Lämna sidan"]);
    assert_eq!(page.attributes("link[rel=stylesheet]", "href"), ["/assets/enkat.css"]);
    assert_eq!(
        page.attributes("script[defer]", "src"),
        ["/assets/enkat.js"],
        "one script, which answering does not need"
    );
    assert!(page.texts("script:not([src])").is_empty(), "no inline script");
    assert!(app.get("/assets/enkat.css").await.body.contains(".exit-bar"));
}

async fn the_form_speaks_english_when_asked(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    let page = app.get("/s/nexus?lang=en").await;

    assert_eq!(page.attributes("html", "lang"), ["en"]);
    assert_eq!(page.text("h1"), "What did you think of the support from Nexus?");
    assert_eq!(page.texts(".exit-button"), ["Leave this page"]);
    assert_eq!(page.attributes("input[name=_lang]", "value"), ["en"], "the form carries the language");
    assert_eq!(page.texts("nav.languages a"), ["Svenska", "العربية"]);

    let unknown = app.start("/s/nexus?lang=xx").await;
    assert_eq!(unknown.attributes("html", "lang"), ["sv"], "an unknown language falls back to the default");
}

async fn a_complete_response_is_stored_and_thanked(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    let mut fields = crate::common::complete_nexus_answers();
    fields.retain(|(name, _)| *name != "_lang");
    fields.push(("_lang", "en"));

    let page = app.post_form("/s/nexus", &fields).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "a stored response redirects (POST/redirect/GET)");
    assert_eq!(page.header("location"), "/s/nexus/tack?lang=en");

    let thanks = app.get("/s/nexus/tack?lang=en").await;
    assert_eq!(thanks.status, StatusCode::OK);
    assert!(thanks.body.contains("Thank you for your answers!"));
    assert!(thanks.body.contains("112"), "the thank-you page says where to get help");
    assert!(!thanks.body.contains("Hjälp med juridiken"), "the thank-you page shows no answers");

    let stored = app.store.responses("nexus").await.unwrap();
    assert_eq!(stored.len(), 1);
    let response = &stored[0];
    assert_eq!(response.language, "en");
    assert_eq!(response.version, app.catalog.get("nexus").unwrap().version.as_str());
    let answer = |question: &str, option: Option<&str>, text: Option<&str>| Answer {
        question_id: question.into(),
        option_id: option.map(Into::into),
        text: text.map(Into::into),
    };
    assert_eq!(
        response.answers,
        vec![
            answer("reach", Some("fairly_easy"), None),
            answer("information", Some("very_easy"), None),
            answer("respect", Some("yes_always"), None),
            answer("listened", Some("yes_mostly"), None),
            answer("influence", Some("quite_little"), None),
            answer("safe", Some("very_safe"), None),
            answer("improved", Some("dont_know"), None),
            answer("overall", Some("fairly_satisfied"), None),
            answer("received_support", Some("move"), None),
            answer("received_support", Some("housing"), None),
            answer("missing_support", Some("belongings"), None),
            answer("missing_support", Some("other"), Some("Hjälp med juridiken")),
            answer("most_needed", Some("belongings"), None),
            answer("comment", None, Some("Tack för allt.")),
            answer("age", Some("age_30_44"), None),
        ]
    );
    // Coarsened to the Monday of the ISO week (the Nexus setting).
    let today = app.today();
    assert_eq!(response.submitted_on.weekday(), Weekday::Monday);
    assert!(response.submitted_on <= today && today - response.submitted_on < Duration::days(7));
}

async fn a_reload_of_the_thank_you_page_stores_nothing_more(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    app.post_form("/s/nexus", &crate::common::complete_nexus_answers()).await;
    app.get("/s/nexus/tack").await;
    app.get("/s/nexus/tack").await;
    assert_eq!(app.store.count_responses("nexus").await.unwrap(), 1);
}

async fn a_missing_required_answer_is_explained_and_the_answers_are_kept(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    // Nothing in the Nexus form is required (`path::page_one_sent_empty_goes_on`):
    // a problem of another kind keeps the answers given, on the page with it.
    let page = app.post_form("/s/nexus", &answers_with("reach", &["excellent"])).await;
    assert_refused(&page, "reach", "Svaret finns inte bland alternativen.");
    assert_eq!(
        page.attributes(".error-summary a", "href"),
        ["#q-reach-very_easy"],
        "the summary links to the question's first answer"
    );
    assert_eq!(page.texts(".error-summary li a"), ["Hur lätt eller svårt var det att komma i kontakt med Nexus?"]);
    assert_eq!(page.attributes("#q-reach-very_easy", "id").len(), 1, "the link's target exists");
    assert!(page.is_checked("information", "very_easy"), "other answers are still filled in");
    // The answers on later pages travel along with the page with the problem.
    let carried = |name: &str| page.attributes(&format!("input[type=hidden][name='{name}']"), "value");
    assert_eq!(carried("received_support"), ["move", "housing"]);
    assert_eq!(carried("comment"), ["Tack för allt."]);
    assert_eq!(carried("missing_support.other"), ["Hjälp med juridiken"]);
    assert_nothing_stored(&app).await;
}

async fn an_option_that_does_not_exist_is_refused(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    let page = app.post_form("/s/nexus", &answers_with("overall", &["delighted"])).await;
    assert_refused(&page, "overall", "Svaret finns inte bland alternativen.");
    assert_nothing_stored(&app).await;
}

async fn two_answers_to_a_single_choice_question_are_refused(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    let page = app.post_form("/s/nexus", &answers_with("age", &["age_18_29", "age_65_plus"])).await;
    assert_refused(&page, "age", "Välj bara ett svar.");
    assert_nothing_stored(&app).await;
}

async fn an_exclusive_option_combined_with_others_is_refused(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    let page = app.post_form("/s/nexus", &answers_with("received_support", &["none", "move"])).await;
    assert_refused(&page, "received_support", "”Jag fick inget praktiskt stöd” kan inte kombineras med andra svar.");
    assert!(page.is_checked("received_support", "none"), "the person's choices are shown as they made them");
    assert!(page.is_checked("received_support", "move"));
    assert_nothing_stored(&app).await;
}

async fn a_too_long_comment_is_refused_and_kept(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    let comment: &'static str = Box::leak("å".repeat(2001).into_boxed_str());
    let page = app.post_form("/s/nexus", &answers_with("comment", &[comment])).await;
    assert_refused(&page, "comment", "Svaret är för långt. Skriv högst 2000 tecken.");
    assert_eq!(page.text("#q-comment"), comment, "the text is kept so the person can shorten it");
    assert_nothing_stored(&app).await;

    let exactly = "å".repeat(2000);
    let page = app.post_form("/s/nexus", &answers_with("comment", &[Box::leak(exactly.into_boxed_str())])).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "2000 characters (not bytes) are allowed");
}

async fn something_else_without_saying_what_is_refused(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    let mut fields = answers_with("missing_support.other", &[]);
    fields.push(("missing_support", "other"));
    let page = app.post_form("/s/nexus", &fields).await;
    assert_refused(&page, "missing_support", "Skriv vad du menar med ”Annat”");
    assert_nothing_stored(&app).await;
}

async fn a_field_outside_the_questionnaire_stores_nothing(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    let mut fields = crate::common::complete_nexus_answers();
    fields.push(("ip_address", "192.0.2.1"));
    let page = app.post_form("/s/nexus", &fields).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains("Inget har sparats."), "the page says nothing was stored");
    assert_nothing_stored(&app).await;
}

async fn an_unknown_questionnaire_is_a_calm_not_found_page(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    for page in [
        app.get("/s/no-such-survey").await,
        app.post_form("/s/no-such-survey", &crate::common::complete_nexus_answers()).await,
    ] {
        assert_eq!(page.status, StatusCode::NOT_FOUND);
        assert_eq!(page.text("h1"), "Sidan finns inte");
        assert!(page.body.contains("Page not found"), "the page is in English too");
        assert_eq!(page.texts(".exit-button").len(), 1, "even this page has the exit");
    }
}

async fn the_stored_response_holds_nothing_that_identifies_the_person(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    for _ in 0..3 {
        app.post_form("/s/nexus", &crate::common::complete_nexus_answers()).await;
    }
    assert_eq!(
        table_columns(&app.store, "response").await,
        ["id", "questionnaire_id", "version", "language", "submitted_on", "channel"]
    );
    assert_eq!(
        table_columns(&app.store, "answer").await,
        ["response_id", "position", "question_id", "option_id", "text"]
    );

    for response in app.store.responses("nexus").await.unwrap() {
        assert_eq!(response.id.get_version_num(), 4, "ids are random UUIDs, never time-ordered");
    }
}

async fn every_version_of_the_questionnaire_is_stored_once_with_its_text(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    let questionnaire = app.catalog.get("nexus").unwrap();
    // Registering again (a restart) changes nothing.
    app.store.register_version(questionnaire, app.today()).await.unwrap();
    let source = app.store.version_source("nexus", questionnaire.version.as_str()).await.unwrap();
    assert_eq!(source.as_deref(), Some(questionnaire.source.as_str()));
    assert_eq!(source.unwrap(), std::fs::read_to_string("questionnaires/nexus.toml").unwrap());
}

/// The column names of a table, in order, as the database itself reports them.
async fn table_columns(store: &enkat::store::Store, table: &str) -> Vec<String> {
    match store {
        enkat::store::Store::Sqlite(pool) => sqlx::query_scalar("SELECT name FROM pragma_table_info($1) ORDER BY cid")
            .bind(table)
            .fetch_all(pool)
            .await
            .unwrap(),
        enkat::store::Store::Postgres(pool) => sqlx::query_scalar(
            "SELECT column_name::text FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position",
        )
        .bind(table)
        .fetch_all(pool)
        .await
        .unwrap(),
    }
}

#[tokio::test]
async fn healthz_says_the_process_lives_and_readyz_that_it_can_take_answers() {
    let app = TestApp::shipped(Backend::Sqlite).await;
    let alive = app.get("/healthz").await;
    assert_eq!((alive.status, alive.body.as_str()), (StatusCode::OK, "ok"));
    let ready = app.get("/readyz").await;
    assert_eq!((ready.status, ready.body.as_str()), (StatusCode::OK, "ready"));
    assert_eq!(ready.header("cache-control"), "no-store");

    app.store.close().await;
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE, "a closed database is reported");
    assert_eq!(ready.body, "not ready: the database does not answer");
    assert_eq!(app.get("/healthz").await.status, StatusCode::OK, "the process still lives");
}

#[tokio::test]
async fn readyz_is_not_ready_without_a_questionnaire() {
    let folder = tempfile::tempdir().unwrap();
    let app = TestApp::with_questionnaires(Backend::Sqlite, folder.path().to_str().unwrap()).await;
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(ready.body, "not ready: no questionnaire is loaded");
}

#[tokio::test]
async fn when_the_database_fails_the_person_is_told_nothing_was_stored() {
    let app = TestApp::shipped(Backend::Sqlite).await;
    app.store.close().await;
    let page = app.post_form("/s/nexus", &crate::common::complete_nexus_answers()).await;
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(page.text("h1"), "Något gick fel hos oss");
    assert!(page.body.contains("Inget har sparats."), "the person knows to try again");
}

async fn the_start_page_is_the_same_for_everyone_in_one_language_and_version(backend: Backend) {
    // An open questionnaire's start page is rendered once per version and
    // kept: it must still be the right page for each way of opening it.
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("nexus.toml");
    let source = std::fs::read_to_string("questionnaires/nexus.toml").unwrap();
    std::fs::write(&file, &source).unwrap();
    let live = std::sync::Arc::new(enkat::questionnaire::LiveCatalog::open(folder.path()).unwrap());
    let app = TestApp::with_live_catalog(backend, live.clone()).await;

    let swedish = app.get("/s/nexus").await;
    assert_eq!(swedish.status, StatusCode::OK);
    assert_eq!(swedish.header("content-type"), "text/html; charset=utf-8");
    assert_eq!(app.get("/s/nexus?lang=sv").await.bytes, swedish.bytes, "the same bytes for the same language");
    let english = app.get("/s/nexus?lang=en").await;
    assert_eq!(english.attributes("html", "lang"), ["en"]);
    assert_eq!(english.text("h1"), "What did you think of the support from Nexus?");
    let arabic = app.get("/s/nexus?lang=ar").await;
    assert_eq!(arabic.attributes("html", "lang"), ["ar"]);
    assert_ne!(english.bytes, swedish.bytes);
    assert_eq!(app.get("/s/nexus?lang=en").await.bytes, english.bytes);
    let kiosk = app.get("/s/nexus?lang=en&kiosk=1").await;
    assert_eq!(kiosk.attributes("form.questionnaire input[name=_kiosk]", "value"), ["1"], "kiosk mode is carried");
    assert!(english.attributes("form.questionnaire input[name=_kiosk]", "value").is_empty(), "and only there");
    assert!(swedish.attributes("input[name=_submission]", "value").is_empty(), "no token on a page for everyone");
    for page in [&swedish, &english, &arabic, &kiosk] {
        assert!(page.header("vary").contains("accept-language"), "the page still varies by language");
        assert_eq!(page.header("cache-control"), "no-store", "and is kept out of every cache");
    }

    // Edited while served: the next visitor gets the new version's page.
    let edited = source.replace("Vad tyckte du om stödet från Nexus?", "Vad tyckte du om Nexus?");
    std::fs::write(&file, &edited).unwrap();
    assert!(live.reload(|_, _| Vec::new()).problems.is_empty());
    let after = app.get("/s/nexus").await;
    assert_eq!(after.text("h1"), "Vad tyckte du om Nexus?");
    let versions = after.attributes("input[name=_version]", "value");
    assert_ne!(versions, swedish.attributes("input[name=_version]", "value"), "the form names the new version");
    let english_after = app.get("/s/nexus?lang=en").await;
    assert_ne!(english_after.bytes, english.bytes, "every language's page is of the new version");
    assert_eq!(english_after.attributes("input[name=_version]", "value"), versions);
}
