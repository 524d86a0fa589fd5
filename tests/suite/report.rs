//! The committee's report, on both databases: one printable document with
//! the title, the period, the method, the overview and the ranking of
//! lacked support, with no form or navigation but the notes form (marked
//! not to print); and "Vad vi gör nu", saved for a closed period with CSRF,
//! replaced by a later save, audited, refused with nothing stored when it
//! is too long or for a period that runs.

use crate::common::{Backend, PASSWORD, Page, TestApp};
use axum::http::StatusCode;
use enkat::clock::Clock;
use enkat::questionnaire::{Answer, ReportPeriod};
use enkat::report::period::Period;
use time::Date;
use time::macros::date;

on_both_databases!(
    the_report_has_title_period_method_overview_and_ranking_and_nothing_to_click_on_paper,
    a_note_is_saved_for_a_closed_period_replaced_audited_and_shown_in_the_report,
    a_bad_note_is_refused_on_the_page_and_nothing_is_stored,
);

const TITLE: &str = "Vad tyckte du om stödet från Nexus?";
const REPORT: &str = "/staff/q/nexus/rapport?from=2026-11&to=2026-11";

/// Wednesday 9 December 2026: November has closed (on Monday 7 December,
/// dates being stored as the week's Monday), December is running.
fn december() -> Clock {
    Clock::fixed("2026-12-09T10:00:00Z".parse().expect("an instant"), "Europe/Stockholm").expect("a zone")
}

fn answer(question: &str, option: &str) -> Answer {
    Answer { question_id: question.into(), option_id: Some(option.into()), text: None }
}

/// One Nexus response on `on`: `overall` and the supports missed.
async fn respond(app: &TestApp, on: Date, overall: &str, missed: &[&str]) {
    let questionnaire = app.catalog.get("nexus").unwrap();
    let mut answers = vec![answer("overall", overall)];
    answers.extend(missed.iter().map(|option| answer("missing_support", option)));
    app.store_response(questionnaire, "sv", on, &answers).await;
}

/// Six responses in November: every one missed help with a move, five
/// missed household goods.
async fn november(app: &TestApp) {
    for n in 0..6 {
        let missed: &[&str] = if n < 5 { &["move", "household"] } else { &["move"] };
        respond(app, date!(2026 - 11 - 09), "fairly_satisfied", missed).await;
    }
}

/// The app on 9 December with November's responses, and a member of staff
/// (not an admin) logged in: cookie and CSRF token.
async fn app_with_staff(backend: Backend) -> (TestApp, (String, String)) {
    let app = TestApp::with_clock(backend, "questionnaires", december()).await;
    november(&app).await;
    app.add_staff("handlaggare", PASSWORD, false).await;
    let cookie = app.login("handlaggare", PASSWORD).await;
    let csrf = app.csrf_token(&cookie).await;
    (app, (cookie, csrf))
}

async fn save(app: &TestApp, (cookie, csrf): &(String, String), period: &str, note: &str) -> Page {
    app.post_form_as(cookie, REPORT, &[("_csrf", csrf.as_str()), ("period", period), ("note", note)]).await
}

async fn note_audit(app: &TestApp) -> Vec<(String, String)> {
    let events = app.store.audit_events(Some("period_note_saved"), 10).await.unwrap();
    events.into_iter().map(|event| (event.actor, event.details)).collect()
}

async fn the_report_has_title_period_method_overview_and_ranking_and_nothing_to_click_on_paper(backend: Backend) {
    let (app, (cookie, _)) = app_with_staff(backend).await;
    let results = app.get_as(&cookie, "/staff/q/nexus?from=2026-11&to=2026-11&by=language").await;
    assert_eq!(
        results.attributes(".report-link a", "href"),
        [REPORT],
        "the results page links to the report with its filter, without the breakdown"
    );

    let page = app.get_as(&cookie, REPORT).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(page.text("h1"), TITLE);
    assert_eq!(page.text(".report-period"), "Period: november 2026");
    let method = page.text(".method");
    for said in ["Andel positiva", "Mycket nöjd, Ganska nöjd", "färre än 5 svar", "avslutats", "räknas ihop"] {
        assert!(method.contains(said), "the method says {said:?}: {method}");
    }
    assert_eq!(page.text(".overview .response-count"), "Antal svar: 6");
    assert!(page.text(".overview .response-rate").starts_with("Svarsfrekvens: Antal erbjudna saknas."));
    assert!(page.text(".method .rate-rule").contains("erbjöds enkäten"), "how the rate is counted");
    assert_eq!(page.text("#trend"), "Utveckling över tid", "the trend over the closed periods");
    let lacked = page.texts(".overview-lacked tbody th");
    assert_eq!(
        lacked[..2],
        ["Hjälp att organisera flytten", "Hjälp att skaffa möbler, husgeråd och kläder"],
        "the move (6), then household goods (5)"
    );
    assert!(page.texts("#support-unmet ~ .result-question .ranking tbody th").len() >= 2, "the whole ranking");
    assert!(!page.texts("#areas").is_empty() && !page.texts("#satisfaction").is_empty(), "the areas and the questions");

    // Nothing on paper to click: no staff bar, filter, exports or logout.
    for absent in [".staff-bar", ".results-filter", ".exports", "nav", ".staff-logout"] {
        assert!(page.texts(absent).is_empty(), "no {absent} in the report");
    }
    assert_eq!(page.attributes("form", "method"), ["post"], "one form: the note's");
    assert_eq!(page.attributes(".no-print form.period-note", "method"), ["post"], "and it is not printed");
    assert_eq!(page.attributes(".no-print select#note-period option", "value"), ["2026-11"]);
    assert_eq!(page.header("cache-control"), "no-store");

    // The report's period must have closed, as on the results page.
    let running = app.get_as(&cookie, "/staff/q/nexus/rapport?from=2026-12").await;
    assert_eq!(running.status, StatusCode::BAD_REQUEST, "{}", running.body);
    let anonymous = app.get("/staff/q/nexus/rapport").await;
    assert_ne!(anonymous.status, StatusCode::OK, "staff only");
}

async fn a_note_is_saved_for_a_closed_period_replaced_audited_and_shown_in_the_report(backend: Backend) {
    let (app, staff) = app_with_staff(backend).await;
    let empty = app.get_as(&staff.0, REPORT).await;
    assert!(empty.texts(".now-note").is_empty(), "no note, no heading");
    assert_eq!(empty.attributes("form.period-note input[name=_csrf]", "value"), [staff.1.as_str()]);

    let sent = save(&app, &staff, "2026-11", "Vi ordnar flytthjälp.\r\n\r\nOch ringer tillbaka inom en vecka.").await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    assert_eq!(sent.header("location"), REPORT, "back to the same report");
    let page = app.get_as(&staff.0, REPORT).await;
    assert_eq!(page.text(".now-note h2"), "Vad vi gör nu");
    assert_eq!(page.texts(".now-note p"), ["Vi ordnar flytthjälp.", "Och ringer tillbaka inom en vecka."]);
    assert_eq!(
        page.text("textarea#note"),
        "Vi ordnar flytthjälp. Och ringer tillbaka inom en vecka.",
        "the form holds the saved text"
    );

    let again = save(&app, &staff, "2026-11", "Vi ordnar flytthjälp från januari.").await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
    let page = app.get_as(&staff.0, REPORT).await;
    assert_eq!(page.texts(".now-note p"), ["Vi ordnar flytthjälp från januari."], "a later save replaces it");
    let questionnaire = app.catalog.get("nexus").unwrap();
    let stored = app.store.period_notes(questionnaire).await.unwrap();
    let november = Period::parse(ReportPeriod::Month, "2026-11").unwrap();
    assert_eq!(stored.into_iter().collect::<Vec<_>>(), [(november, "Vi ordnar flytthjälp från januari.".to_owned())]);
    assert_eq!(
        note_audit(&app).await,
        [
            (
                "handlaggare".to_owned(),
                "nexus: 2026-11: Vad vi gör nu, 34 tecken (ersätter den tidigare texten)".to_owned()
            ),
            ("handlaggare".to_owned(), "nexus: 2026-11: Vad vi gör nu, 57 tecken".to_owned()),
        ],
        "who saved a note for which period, newest first"
    );

    // A report over October and November shows November's under its name.
    let both = app.get_as(&staff.0, "/staff/q/nexus/rapport?from=2026-10&to=2026-11").await;
    assert_eq!(both.status, StatusCode::OK, "{}", both.body);
    assert_eq!(both.texts(".now-note h3"), ["november 2026"]);
    assert_eq!(both.attributes("select#note-period option", "value"), ["2026-11", "2026-10"]);
}

async fn a_bad_note_is_refused_on_the_page_and_nothing_is_stored(backend: Backend) {
    let (app, staff) = app_with_staff(backend).await;
    let too_long = "å".repeat(2001);
    let cases = [
        ("2026-11", too_long.as_str(), "Texten har 2001 tecken. Den får ha högst 2 000 tecken."),
        ("2026-12", "Vi gör mer.", "December 2026 har inte avslutats än."),
        ("2026-13", "Vi gör mer.", "\u{201d}2026-13\u{201d} är ingen period"),
    ];
    for (period, note, message) in cases {
        let page = save(&app, &staff, period, note).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{period}: {}", page.body);
        let said = page.text(".error-message");
        assert!(said.contains(message), "{period}: {said}");
        assert_eq!(page.text("textarea#note"), note.split_whitespace().collect::<Vec<_>>().join(" "), "kept");
        assert_eq!(page.text("h1"), TITLE, "the report again, with the problem");
    }
    let forged = app.post_form_as(&staff.0, REPORT, &[("period", "2026-11"), ("note", "Forged.")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "no change without the CSRF token");
    let anonymous = app.post_form(REPORT, &[("period", "2026-11"), ("note", "Forged.")]).await;
    assert_eq!(anonymous.status, StatusCode::FORBIDDEN, "nor without a session");

    let questionnaire = app.catalog.get("nexus").unwrap();
    assert!(app.store.period_notes(questionnaire).await.unwrap().is_empty(), "nothing stored");
    assert!(note_audit(&app).await.is_empty(), "nothing audited");
    assert!(app.get_as(&staff.0, REPORT).await.texts(".now-note").is_empty(), "nothing shown");
}
