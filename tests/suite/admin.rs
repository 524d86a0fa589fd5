//! The admin's view of the questionnaire files: what is served, the
//! problems of a broken edit (while the last good version keeps serving),
//! every stored version with what changed, and a preview of any
//! questionnaire, open or not, that stores nothing.

use std::sync::Arc;

use crate::common::{Backend, TestApp};
use axum::http::StatusCode;
use enkat::clock::Clock;
use enkat::questionnaire::{LiveCatalog, parse};

on_both_databases!(
    the_files_page_lists_what_is_served_and_every_problem_of_a_broken_edit,
    the_versions_and_what_changed_between_them_are_listed,
    a_questionnaire_not_yet_open_can_be_previewed_and_nothing_is_stored,
    a_preview_walks_the_pages_and_checks_the_answers_like_the_real_form,
    only_admins_see_the_files_and_the_preview,
    a_preview_step_without_the_sessions_csrf_token_is_refused,
);

const SMALL: &str = r#"
id = "liten"
languages = ["sv", "en"]
title = { sv = "Liten enkät", en = "Small survey" }

[scales.yes2]
options = [ { id = "yes", sv = "Ja", en = "Yes" }, { id = "no", sv = "Nej", en = "No" } ]
positive = ["yes"]

[[question]]
id = "good"
type = "scale"
scale = "yes2"
role = "satisfaction"
area = "helhet"
required = true
text = { sv = "Var det bra?", en = "Was it good?" }
"#;

async fn the_files_page_lists_what_is_served_and_every_problem_of_a_broken_edit(backend: Backend) {
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("liten.toml");
    std::fs::write(&file, SMALL).unwrap();
    let live = Arc::new(LiveCatalog::open(folder.path()).unwrap());
    let app = TestApp::with_live_catalog(backend, live.clone()).await;
    let admin = app.logged_in_admin().await;

    let page = app.get_as(&admin, "/staff/admin/questionnaires").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.text(".all-well"), "Inga fel: alla filer används som de är.");
    assert_eq!(page.text(".questionnaire-file h2"), "Liten enkät");

    std::fs::write(&file, SMALL.replace("required = true", "required = yes")).unwrap();
    live.reload(|_, _| Vec::new());
    let page = app.get_as(&admin, "/staff/admin/questionnaires").await;
    let problems = page.texts(".file-problems li");
    assert_eq!(problems.len(), 1);
    assert!(problems[0].starts_with(&format!("{}:16:12: ", file.display())), "{problems:?}");
    assert_eq!(app.start("/s/liten").await.status, StatusCode::OK, "the last good version keeps serving");
}

async fn the_versions_and_what_changed_between_them_are_listed(backend: Backend) {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(folder.path().join("liten.toml"), SMALL).unwrap();
    let live = Arc::new(LiveCatalog::open(folder.path()).unwrap());
    let app = TestApp::with_live_catalog(backend, live.clone()).await;
    let admin = app.logged_in_admin().await;

    // A reworded question, then a changed positive set, on later days.
    let reworded = SMALL.replace("Var det bra?", "Var stödet bra?");
    let positive = reworded.replace("positive = [\"yes\"]", "positive = [\"yes\", \"no\"]");
    for (days, source) in [(1, &reworded), (2, &positive)] {
        let questionnaire = parse(std::path::Path::new("liten.toml"), source).unwrap();
        let day = app.today() + time::Duration::days(days);
        app.store.register_version(&questionnaire, day).await.unwrap();
    }
    let page = app.get_as(&admin, "/staff/admin/questionnaires").await;
    let rows = page.texts(".questionnaire-file table.versions tbody tr td:last-child");
    assert_eq!(
        rows,
        [
            "–",
            "Frågan good har formulerats om",
            "Vilka svar som räknas som positiva har ändrats för good (resultaten redovisas separat per version)"
        ]
    );
    assert!(page.texts(".questionnaire-file table.versions tbody tr td:first-child")[0].ends_with("(visas nu)"));
}

async fn a_questionnaire_not_yet_open_can_be_previewed_and_nothing_is_stored(backend: Backend) {
    // A fortnight before the winter survey opens (1 December 2026).
    let before_opening = Clock::fixed("2026-11-15T12:00:00Z".parse().unwrap(), "Europe/Stockholm").unwrap();
    let app = TestApp::with_clock(backend, "tests/fixtures/reach", before_opening).await;
    let admin = app.logged_in_admin().await;
    assert!(app.get("/s/winter").await.texts("form.questionnaire").is_empty(), "respondents get no form yet");

    let page = app.start_as(&admin, "/staff/admin/preview/winter").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text(".preview-banner").contains("Inget du fyller i sparas."));
    assert_eq!(page.attributes("form.questionnaire", "action"), ["/staff/admin/preview/winter"]);

    let mut fields = page.form_fields();
    let questionnaire = app.catalog.get("winter").unwrap().clone();
    for question in questionnaire.questions.iter().filter(|question| question.required) {
        fields.push((question.id.clone(), question.kind.choices()[0].id.clone()));
    }
    fields.push(("_action".to_owned(), "next".to_owned()));
    let fields: Vec<(&str, &str)> = fields.iter().map(|(name, value)| (name.as_str(), value.as_str())).collect();
    let done = app.post_form_as(&admin, "/staff/admin/preview/winter", &fields).await;
    assert_eq!(done.status, StatusCode::OK);
    assert_eq!(done.text("h2.page-title"), "Svaren är giltiga");
    assert_eq!(app.store.count_responses("winter").await.unwrap(), 0, "a preview stores nothing");
}

async fn a_preview_walks_the_pages_and_checks_the_answers_like_the_real_form(backend: Backend) {
    let app = TestApp::with_questionnaires(backend, "tests/fixtures/pages").await;
    let admin = app.logged_in_admin().await;
    let first = app.start_as(&admin, "/staff/admin/preview/steg?lang=en").await;
    assert_eq!(first.text(".progress"), "Page 1 of 3");

    let mut fields = first.form_fields();
    fields.extend([("received", "move"), ("_action", "next")].map(|(name, value)| (name.to_owned(), value.to_owned())));
    let fields: Vec<(&str, &str)> = fields.iter().map(|(name, value)| (name.as_str(), value.as_str())).collect();
    let refused = app.post_form_as(&admin, "/staff/admin/preview/steg", &fields).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "the follow-up is required, as for a respondent");
    assert_eq!(refused.texts(".error-summary li a"), ["Did the support help you?"]);
    assert_eq!(refused.texts(".error-summary-message"), ["Choose an answer."]);
    assert!(refused.text(".preview-banner").contains("Inget du fyller i sparas."));
    assert_eq!(app.store.count_responses("steg").await.unwrap(), 0);
}

async fn only_admins_see_the_files_and_the_preview(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    app.add_staff("personal", crate::common::PASSWORD, false).await;
    let staff = app.login("personal", crate::common::PASSWORD).await;
    assert_eq!(app.get_as(&staff, "/staff/admin/questionnaires").await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get_as(&staff, "/staff/admin/preview/nexus").await.status, StatusCode::FORBIDDEN);
    assert_ne!(app.get("/staff/admin/preview/nexus").await.status, StatusCode::OK, "nor anyone logged out");
}

async fn a_preview_step_without_the_sessions_csrf_token_is_refused(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    let admin = app.logged_in_admin().await;
    let start = app.get_as(&admin, "/staff/admin/preview/nexus").await;
    let mut fields = start.form_fields();
    let csrf = app.csrf_token(&admin).await;
    assert!(fields.contains(&("_csrf".to_owned(), csrf.clone())), "the preview's form carries the token: {fields:?}");
    fields.retain(|(name, _)| name != "_csrf");
    fields.push(("_action".to_owned(), "next".to_owned()));
    let wrong = "0".repeat(csrf.len());
    for (what, token) in [("no token", None), ("a wrong token", Some(wrong.as_str()))] {
        let mut sent: Vec<(&str, &str)> = fields.iter().map(|(name, value)| (name.as_str(), value.as_str())).collect();
        sent.extend(token.map(|token| ("_csrf", token)));
        let page = app.post_form_as(&admin, "/staff/admin/preview/nexus", &sent).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{what}");
        assert_eq!(page.text("h1"), "Formuläret har gått ut", "{what}");
    }
    let page = app.start_as(&admin, "/staff/admin/preview/nexus").await;
    assert_eq!(page.status, StatusCode::OK, "with the token the preview goes on: {}", page.body);
    assert!(page.text(".preview-banner").contains("Inget du fyller i sparas."));
    assert!(page.attributes("input[name=_csrf]", "value").contains(&csrf), "and every step carries it");
}
