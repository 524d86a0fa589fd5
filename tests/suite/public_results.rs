//! Results given back to the people who answer (`publish_results`), on
//! both databases: `/s/{id}/resultat` exists only when the questionnaire
//! says so; it shows the latest closed period's released figures as staff
//! see them and never the running period's answers, a thin period or a free
//! text; it carries the staff's "Vad vi gör nu"; and it is a respondent's
//! page like any other, in Arabic right to left, with the exit bar and
//! `no-store`.

use crate::common::{Backend, PASSWORD, TestApp};
use axum::http::StatusCode;
use enkat::clock::Clock;
use enkat::questionnaire::Answer;
use time::Date;
use time::macros::date;

on_both_databases!(
    the_page_exists_only_when_the_questionnaire_publishes_its_results,
    a_thin_period_shows_no_figure_and_the_running_period_never_shows,
    the_latest_closed_period_is_shown_with_the_note_in_every_language,
);

const FOLDER: &str = "tests/fixtures/published";
const PAGE: &str = "/s/stod/resultat";

/// Wednesday 9 December 2026: November has closed, December is running.
fn december() -> Clock {
    Clock::fixed("2026-12-09T10:00:00Z".parse().expect("an instant"), "Europe/Stockholm").expect("a zone")
}

fn answer(question: &str, option: &str) -> Answer {
    Answer { question_id: question.into(), option_id: Some(option.into()), text: None }
}

/// One response to `stod` on `on`, with a comment no page may show.
async fn respond(app: &TestApp, on: Date, respect: &str, overall: &str, missed: &[&str]) {
    let questionnaire = app.catalog.get("stod").unwrap();
    let mut answers = vec![answer("respect", respect), answer("overall", overall)];
    answers.extend(missed.iter().map(|option| answer("missing_support", option)));
    answers.push(Answer { question_id: "comment".into(), option_id: None, text: Some("HEMLIG KOMMENTAR".into()) });
    app.store_response(questionnaire, "sv", on, &answers).await;
}

/// Ten responses in December, the running period, unlike any in November:
/// all dissatisfied, all missing help with money.
async fn running_period(app: &TestApp) {
    for _ in 0..10 {
        respond(app, date!(2026 - 12 - 07), "very_dissatisfied", "very_dissatisfied", &["money"]).await;
    }
}

async fn the_page_exists_only_when_the_questionnaire_publishes_its_results(backend: Backend) {
    let shipped = TestApp::with_clock(backend, "questionnaires", december()).await;
    let page = shipped.get("/s/nexus/resultat").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND, "nexus does not publish its results");
    assert_eq!(page.body, shipped.get("/s/okand/resultat").await.body, "the same 404 as an unknown questionnaire");
    assert!(shipped.get("/s/nexus").await.texts(".results-link").is_empty(), "no link from the start page");

    let app = TestApp::with_clock(backend, FOLDER, december()).await;
    let page = app.get(PAGE).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let start = app.get("/s/stod?lang=en").await;
    assert_eq!(start.attributes(".results-link a", "href"), ["/s/stod/resultat?lang=en"], "linked from the start page");
}

async fn a_thin_period_shows_no_figure_and_the_running_period_never_shows(backend: Backend) {
    let app = TestApp::with_clock(backend, FOLDER, december()).await;
    // Four in November: fewer than min_report_n = 5.
    for _ in 0..4 {
        respond(&app, date!(2026 - 11 - 09), "very_satisfied", "fairly_satisfied", &["housing", "move"]).await;
    }
    running_period(&app).await;
    let page = app.get(&format!("{PAGE}?lang=sv")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(page.text(".results-period"), "Svar från 1 november 2026 – 30 november 2026.");
    assert_eq!(
        page.text(".results-too-few"),
        "Färre än 5 personer svarade under perioden. För att ingen ska kunna pekas ut visas inga siffror."
    );
    assert!(page.texts(".results-areas, .results-lacked, .results-responses").is_empty(), "no figure at all");
    let main = page.text("main");
    for digit in ["4", "10", "14", "%"] {
        assert!(!main.replace("1 november 2026 – 30 november 2026", "").contains(digit), "{digit:?} in {main}");
    }
    assert!(!page.body.contains("HEMLIG"), "never a free text");
}

async fn the_latest_closed_period_is_shown_with_the_note_in_every_language(backend: Backend) {
    let app = TestApp::with_clock(backend, FOLDER, december()).await;
    // Six in November: respect 4 of 6 positive, overall 3 of 6; every one
    // missed help with a move, five help with housing, one help with money.
    for n in 0..6 {
        let respect = if n < 4 { "very_satisfied" } else { "very_dissatisfied" };
        let overall = if n < 3 { "fairly_satisfied" } else { "fairly_dissatisfied" };
        let missed: &[&str] = match n {
            0 => &["move", "housing", "money"],
            1..5 => &["move", "housing"],
            _ => &["move"],
        };
        respond(&app, date!(2026 - 11 - 16), respect, overall, missed).await;
    }
    running_period(&app).await;

    // Staff write what they do now, on the report page.
    app.add_staff("handlaggare", PASSWORD, false).await;
    let cookie = app.login("handlaggare", PASSWORD).await;
    let csrf = app.csrf_token(&cookie).await;
    let fields = [("_csrf", csrf.as_str()), ("period", "2026-11"), ("note", "Vi ordnar flytthjälp från januari.")];
    let saved = app.post_form_as(&cookie, "/staff/q/stod/rapport", &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);

    let page = app.get(&format!("{PAGE}?lang=sv")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(page.header("cache-control"), "no-store");
    assert_eq!(page.attributes(".exit-bar a.exit-button", "href").len(), 1, "the exit bar");
    assert_eq!(page.text("title"), "Resultat från enkäten – Enkät", "a neutral tab title");
    assert_eq!(page.text(".results-responses"), "Antal svar: 6", "November's, never December's");
    assert_eq!(
        page.texts(".results-areas tbody tr"),
        ["Bemötande 67 %", "Helhet 50 %"],
        "the shares staff see for November alone"
    );
    assert_eq!(
        page.texts(".results-lacked li"),
        ["Hjälp att flytta: 100 %", "Hjälp med bostad: 83 %", "Hjälp med ekonomin: 17 %"],
        "help with money: one of six in November; December's ten never count"
    );
    assert_eq!(page.text(".results-now h2"), "Vad vi gör nu");
    assert_eq!(page.text(".results-now p"), "Vi ordnar flytthjälp från januari.");
    assert!(!page.body.contains("HEMLIG"), "never a free text");

    // The same as staff see on the report for November.
    let report = app.get_as(&cookie, "/staff/q/stod/rapport?from=2026-11&to=2026-11").await;
    assert_eq!(report.text(".overview .response-count"), "Antal svar: 6");
    assert_eq!(
        report.texts(".overview-lacked tbody th"),
        ["Hjälp att flytta", "Hjälp med bostad", "Hjälp med ekonomin"]
    );
    assert_eq!(report.texts(".overview-lacked tbody td.num")[1], "100,0 %");

    let arabic = app.get(&format!("{PAGE}?lang=ar")).await;
    assert_eq!(arabic.status, StatusCode::OK, "{}", arabic.body);
    assert_eq!(arabic.attributes("html", "dir"), ["rtl"]);
    assert_eq!(arabic.attributes("html", "lang"), ["ar"]);
    assert_eq!(arabic.text("h1"), "نتائج الاستبيان");
    assert_eq!(arabic.text("title"), "نتائج الاستبيان – استبيان");
    // Each number in a <bdi dir="ltr"> of its own (a space between the
    // text nodes here), so that it keeps its order right to left.
    assert_eq!(
        arabic.texts(".results-lacked li"),
        ["المساعدة في الانتقال: 100 ٪", "المساعدة في السكن: 83 ٪", "المساعدة في الشؤون المالية: 17 ٪"]
    );
    assert_eq!(arabic.texts(".results-lacked li bdi[dir=ltr]"), ["100", "83", "17"]);
    assert_eq!(arabic.texts(".results-areas tbody th"), ["المعاملة", "التقييم العام"]);
    assert_eq!(arabic.text(".results-now p"), "Vi ordnar flytthjälp från januari.");
    assert_eq!(arabic.attributes(".results-now [lang]", "lang"), ["sv"], "staff's Swedish, marked as such");
    assert_eq!(arabic.header("cache-control"), "no-store");
    assert_eq!(arabic.attributes(".exit-bar a.exit-button", "href").len(), 1);

    let english = app.get(&format!("{PAGE}?lang=en")).await;
    assert_eq!(english.text(".results-responses"), "Number of answers: 6");
    assert_eq!(
        english.texts(".results-lacked li"),
        ["Help with moving: 100%", "Help with housing: 83%", "Help with money: 17%"]
    );
}
