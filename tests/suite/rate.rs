//! Response rates, on both databases: staff record how many were offered an
//! open questionnaire per period (a checked form, audited), and the rate of
//! a closed period is its released responses against the people offered,
//! or against the codes live during it for a coded questionnaire.

use crate::common::{Backend, PASSWORD, Page, TestApp, answer};
use axum::http::StatusCode;
use enkat::clock::Clock;
use enkat::questionnaire::ReportPeriod;
use enkat::report::period::Period;
use enkat::report::rate::{NoRate, Rate};
use time::Date;
use time::macros::date;

on_both_databases!(
    a_staff_member_records_how_many_were_offered_and_a_later_number_replaces_it,
    a_wrong_period_or_number_is_refused_on_the_page_and_nothing_is_stored,
    an_open_questionnaire_rate_is_its_released_responses_of_those_offered,
    a_coded_questionnaire_rate_counts_the_codes_live_during_the_period,
);

const OPEN: &str = "nexus";
const CODED: &str = "nexus-kort";

/// A clock stopped at `instant` (RFC 3339) in Stockholm.
fn clock_at(instant: &str) -> Clock {
    Clock::fixed(instant.parse().expect("an RFC 3339 instant"), "Europe/Stockholm").expect("a known time zone")
}

fn month(id: &str) -> Period {
    Period::parse(ReportPeriod::Month, id).unwrap()
}

/// Wednesday 9 December 2026: November has closed (on Monday 7 December,
/// dates being stored as the week's Monday), December is running.
async fn open_app(backend: Backend) -> TestApp {
    TestApp::with_clock(backend, "questionnaires", clock_at("2026-12-09T10:00:00Z")).await
}

/// A member of staff who is not an admin, logged in: cookie and CSRF token.
async fn staff(app: &TestApp) -> (String, String) {
    app.add_staff("handlaggare", PASSWORD, false).await;
    let cookie = app.login("handlaggare", PASSWORD).await;
    let csrf = app.csrf_token(&cookie).await;
    (cookie, csrf)
}

fn page_of(id: &str) -> String {
    format!("/staff/q/{id}/erbjudna")
}

async fn record(app: &TestApp, (cookie, csrf): &(String, String), period: &str, offered: &str) -> Page {
    let fields = [("_csrf", csrf.as_str()), ("period", period), ("offered", offered)];
    app.post_form_as(cookie, &page_of(OPEN), &fields).await
}

/// The row of a period on the page: period, offered, responses, rate.
#[track_caller]
fn row(page: &Page, period: &str) -> Vec<String> {
    let selector = format!("tr[data-period=\"{period}\"]");
    vec![
        page.text(&format!("{selector} th")),
        page.text(&format!("{selector} td.offered")),
        page.text(&format!("{selector} td.responses")),
        page.text(&format!("{selector} td.rate")),
    ]
}

async fn offered_audit(app: &TestApp) -> Vec<(String, String)> {
    let events = app.store.audit_events(Some("offered_recorded"), 10).await.unwrap();
    events.into_iter().map(|event| (event.actor, event.details)).collect()
}

async fn a_staff_member_records_how_many_were_offered_and_a_later_number_replaces_it(backend: Backend) {
    let app = open_app(backend).await;
    let staff = staff(&app).await;
    let questionnaire = app.catalog.get(OPEN).unwrap();

    let empty = app.get_as(&staff.0, &page_of(OPEN)).await;
    assert_eq!(empty.status, StatusCode::OK, "{}", empty.body);
    assert_eq!(empty.text("h1"), "Svarsfrekvens: Vad tyckte du om stödet från Nexus?");
    assert!(empty.text(".rate-rule").contains("delat med antalet personer som erbjöds enkäten"));
    assert_eq!(empty.attributes("input#period", "value"), ["2026-11"], "the last closed period is suggested");
    assert_eq!(empty.attributes("form.offered input[name=_csrf]", "value"), [staff.1.as_str()], "the form has CSRF");

    let sent = record(&app, &staff, "2026-11", "120").await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    assert_eq!(sent.header("location"), page_of(OPEN));
    let page = app.get_as(&staff.0, &page_of(OPEN)).await;
    assert_eq!(
        row(&page, "2026-11"),
        ["november 2026", "120", "–", "För få svar för att visa för perioden ensam."],
        "recorded, and no rate without released responses"
    );
    assert_eq!(row(&page, "2026-12")[3], "Perioden pågår: svaren visas när den har avslutats.");

    // The running period may have a number too; a later entry replaces one.
    assert_eq!(record(&app, &staff, "2026-12", "40").await.status, StatusCode::SEE_OTHER);
    assert_eq!(record(&app, &staff, "2026-11", "1 150").await.status, StatusCode::SEE_OTHER);
    let page = app.get_as(&staff.0, &page_of(OPEN)).await;
    assert_eq!(row(&page, "2026-11")[1], "1150");
    assert_eq!(row(&page, "2026-12")[1], "40");
    let stored = app.store.offered_counts(questionnaire).await.unwrap();
    assert_eq!(stored.into_iter().collect::<Vec<_>>(), [(month("2026-11"), 1150), (month("2026-12"), 40)]);

    assert_eq!(
        offered_audit(&app).await,
        [
            ("handlaggare".to_owned(), "nexus: 2026-11: 1150 erbjudna (ersätter 120)".to_owned()),
            ("handlaggare".to_owned(), "nexus: 2026-12: 40 erbjudna".to_owned()),
            ("handlaggare".to_owned(), "nexus: 2026-11: 120 erbjudna".to_owned()),
        ],
        "who set which number for which period, newest first"
    );
}

async fn a_wrong_period_or_number_is_refused_on_the_page_and_nothing_is_stored(backend: Backend) {
    let app = open_app(backend).await;
    let staff = staff(&app).await;
    let questionnaire = app.catalog.get(OPEN).unwrap();
    let cases = [
        ("2026-13", "10", "\u{201d}2026-13\u{201d} är ingen period: skriv år och månad, till exempel 2026-11"),
        ("2026-Q4", "10", "\u{201d}2026-Q4\u{201d} är ingen period"),
        ("2026-11", "100001", "Antal erbjudna ska vara ett heltal från 0 till 100 000."),
        ("2026-11", "-3", "Antal erbjudna ska vara ett heltal från 0 till 100 000."),
        ("2026-11", "tolv", "Antal erbjudna ska vara ett heltal från 0 till 100 000."),
        ("2026-11", "", "Antal erbjudna ska vara ett heltal från 0 till 100 000."),
        (
            "2027-01",
            "10",
            "Januari 2027 (från 1 januari 2027) har inte börjat än. \
             Ange antal erbjudna för en period som har avslutats eller pågår.",
        ),
    ];
    for (period, offered, message) in cases {
        let page = record(&app, &staff, period, offered).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{period} {offered}: {}", page.body);
        let said = page.text(".error-message");
        assert!(said.contains(message), "{period} {offered}: {said}");
        assert_eq!(page.attributes("input#period", "value"), [period], "what was typed stays");
        assert_eq!(page.attributes("input#offered", "value"), [offered], "what was typed stays");
    }
    let both = record(&app, &staff, "nästa månad", "många").await;
    assert_eq!(both.texts(".error-message p").len(), 2, "every problem at once: {}", both.body);

    let forged = app.post_form_as(&staff.0, &page_of(OPEN), &[("period", "2026-11"), ("offered", "10")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "no change without the CSRF token");
    let anonymous = app.post_form(&page_of(OPEN), &[("period", "2026-11"), ("offered", "10")]).await;
    assert_eq!(anonymous.status, StatusCode::FORBIDDEN, "nor without a session");

    assert!(app.store.offered_counts(questionnaire).await.unwrap().is_empty(), "nothing stored");
    assert!(offered_audit(&app).await.is_empty(), "nothing audited");
    let page = app.get_as(&staff.0, &page_of(OPEN)).await;
    assert!(page.texts(".offered-counts td.offered").iter().all(|offered| offered == "–"), "nothing listed");
}

/// A response to the open questionnaire stored with the date `on`.
async fn respond(app: &TestApp, on: Date) {
    let questionnaire = app.catalog.get(OPEN).unwrap();
    let answers = [answer("overall", Some("fairly_satisfied"), None)];
    app.store_response(questionnaire, "sv", on, &answers).await;
}

async fn an_open_questionnaire_rate_is_its_released_responses_of_those_offered(backend: Backend) {
    let app = open_app(backend).await;
    let staff = staff(&app).await;
    // Six in October, six in November, and two in Arabic in November: too
    // few to show alone, they wait for the quarter, which has not closed.
    for _ in 0..6 {
        respond(&app, date!(2026 - 10 - 05)).await;
        respond(&app, date!(2026 - 11 - 09)).await;
    }
    for _ in 0..2 {
        let questionnaire = app.catalog.get(OPEN).unwrap();
        let answers = [answer("overall", Some("fairly_satisfied"), None)];
        let on = date!(2026 - 11 - 16);
        app.store_response(questionnaire, "ar", on, &answers).await;
    }
    record(&app, &staff, "2026-10", "24").await;
    record(&app, &staff, "2026-11", "5").await;

    let page = app.get_as(&staff.0, &page_of(OPEN)).await;
    assert_eq!(row(&page, "2026-10"), ["oktober 2026", "24", "6", "25,0 % (6 av 24)"], "6 of 24");
    assert_eq!(
        row(&page, "2026-11")[3],
        "Fler svar (6) än erbjudna (5): kontrollera antalet erbjudna.",
        "never a rate above 100 %"
    );
    let shown = page.texts(".offered-counts td.responses");
    assert_eq!(shown, ["–", "6", "6"], "the two held back are in no figure, December runs");

    record(&app, &staff, "2026-11", "30").await;
    let page = app.get_as(&staff.0, &page_of(OPEN)).await;
    assert_eq!(row(&page, "2026-11"), ["november 2026", "30", "6", "20,0 % (6 av 30)"]);

    // The entry point the results page calls, and a range of periods.
    let questionnaire = app.catalog.get(OPEN).unwrap();
    let disclosure = app.store.disclosure(questionnaire, app.today()).await.unwrap();
    let rates = app.store.response_rates(questionnaire, &disclosure, app.today()).await.unwrap();
    let november = rates.periods.iter().find(|rate| rate.from == month("2026-11")).unwrap();
    assert_eq!(november.rate, Ok(Rate { responses: 6, asked: 30 }));
    assert_eq!(rates.periods.last().unwrap().rate, Err(NoRate::Running), "December is running");
    let autumn = rates.range(&disclosure, month("2026-10"), month("2026-11"));
    assert_eq!(autumn.rate, Ok(Rate { responses: 12, asked: 54 }));
    let with_september = rates.range(&disclosure, month("2026-09"), month("2026-11"));
    assert_eq!(with_september.rate, Err(NoRate::NotOffered), "September has no number");

    // The results page says the same, for its periods and those before.
    let results = app.get_as(&staff.0, "/staff/q/nexus?from=2026-11&to=2026-11").await;
    assert_eq!(
        results.text("p.response-rate"),
        "Svarsfrekvens: 20,0 % (6 av 30) (oktober 2026: 25,0 % (6 av 24)) Så räknas svarsfrekvensen"
    );
    let autumn = app.get_as(&staff.0, "/staff/q/nexus?from=2026-10&to=2026-11").await;
    assert!(autumn.text("p.response-rate").starts_with("Svarsfrekvens: 22,2 % (12 av 54)"), "{}", autumn.body);
}

/// The coded test questionnaire's answer with `code`, as its form sends it.
async fn answer_with(app: &TestApp, code: &str) {
    let fields = [("_lang", "sv"), ("_code", code), ("overall", "fairly_satisfied")];
    let sent = app.post_form(&format!("/s/{CODED}"), &fields).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
}

async fn a_coded_questionnaire_rate_counts_the_codes_live_during_the_period(backend: Backend) {
    // Wednesday 18 November 2026: a batch of 20 cards, 6 used in November.
    let app = TestApp::with_clock(backend, "tests/fixtures/coded", clock_at("2026-11-18T10:00:00Z")).await;
    let staff = staff(&app).await;
    let fields = [("_csrf", staff.1.as_str()), ("count", "20"), ("label", "Mottagningen")];
    let cards = app.post_form_as(&staff.0, &format!("/staff/q/{CODED}/codes"), &fields).await;
    assert_eq!(cards.status, StatusCode::OK, "{}", cards.body);
    let codes = cards.texts(".card-code");
    for code in &codes[..6] {
        answer_with(&app, code).await;
    }
    let page = app.get_as(&staff.0, &page_of(CODED)).await;
    assert_eq!(row(&page, "2026-11")[3], "Perioden pågår: svaren visas när den har avslutats.");
    assert_eq!(row(&page, "2026-11")[2], "–", "no count while it runs");

    // Monday 7 December: November has closed. 6 of 20 codes: 30 %. Two more
    // are used in December.
    let december = app.restarted_on(clock_at("2026-12-07T08:00:00Z")).await;
    let cookie = december.login("handlaggare", PASSWORD).await;
    let page = december.get_as(&cookie, &page_of(CODED)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.text(".rate-rule").contains("antalet engångskoder som kunde användas under perioden"));
    assert_eq!(row(&page, "2026-11"), ["november 2026", "20", "6", "30,0 % (6 av 20)"]);
    assert!(page.attributes("form.offered", "action").is_empty(), "no offered count for a coded questionnaire");
    let csrf = december.csrf_token(&cookie).await;
    let refused = december
        .post_form_as(&cookie, &page_of(CODED), &[("_csrf", &csrf), ("period", "2026-11"), ("offered", "9")])
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    for code in &codes[6..8] {
        answer_with(&december, code).await;
    }

    // Monday 4 January 2027: December has closed. The 14 codes still live
    // in December gave 2 responses: too few to show for December alone.
    let january = app.restarted_on(clock_at("2027-01-04T08:00:00Z")).await;
    let cookie = january.login("handlaggare", PASSWORD).await;
    let page = january.get_as(&cookie, &page_of(CODED)).await;
    assert_eq!(row(&page, "2026-11"), ["november 2026", "20", "6", "30,0 % (6 av 20)"], "a shown rate stays");
    assert_eq!(row(&page, "2026-12"), ["december 2026", "14", "–", "För få svar för att visa för perioden ensam."]);

    let questionnaire = january.catalog.get(CODED).unwrap();
    let disclosure = january.store.disclosure(questionnaire, january.today()).await.unwrap();
    let rates = january.store.response_rates(questionnaire, &disclosure, january.today()).await.unwrap();
    let rows: Vec<(Period, Option<u64>)> = rates.periods.iter().map(|rate| (rate.from, rate.asked)).collect();
    assert_eq!(rows, [(month("2026-11"), Some(20)), (month("2026-12"), Some(14)), (month("2027-01"), Some(12))]);
    assert_eq!(rates.periods[0].rate, Ok(Rate { responses: 6, asked: 20 }));
}
