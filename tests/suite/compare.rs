//! Comparing two ranges of closed periods, and the trend over every closed
//! period, on both databases: the shares, their written intervals and the
//! change words where the hand-computed test says so; a withheld period
//! written as such and never drawn; the running period nowhere, whatever
//! the query asks; staff only.

use crate::common::{Backend, Page, TestApp};
use axum::http::StatusCode;
use enkat::clock::Clock;
use enkat::questionnaire::Answer;
use time::Date;
use time::macros::date;

on_both_databases!(
    staff_compare_two_months_and_see_a_change_only_where_the_test_finds_one,
    too_few_answers_are_too_few_to_say,
    the_trend_lists_every_closed_period_and_draws_no_point_for_a_withheld_one,
    the_running_period_is_never_shown_whatever_is_asked,
    a_bad_choice_is_explained_and_anonymous_requests_are_sent_to_log_in,
);

const PAGE: &str = "/staff/q/nexus/jamfor";

fn answer(question: &str, option: &str) -> Answer {
    Answer { question_id: question.into(), option_id: Some(option.into()), text: None }
}

async fn respond(app: &TestApp, on: Date, overall: &str, missed: &str) {
    let questionnaire = app.catalog.get("nexus").unwrap();
    let answers = [answer("overall", overall), answer("missing_support", missed)];
    app.store_response(questionnaire, "sv", on, &answers).await;
}

/// October 2026: 3 responses, too few ever to show (thin all year).
/// November: 40, 30 satisfied overall; 30 lacked help with the move, 10
/// housing. December: 40, 20 satisfied; 10 lacked the move, 12 the school,
/// 18 housing. January 2027, still running: 10, all satisfied.
async fn four_months(app: &TestApp) {
    for _ in 0..3 {
        respond(app, date!(2026 - 10 - 05), "very_satisfied", "move").await;
    }
    for n in 0..40 {
        let (overall, missed) = if n < 30 { ("very_satisfied", "move") } else { ("very_dissatisfied", "housing") };
        respond(app, date!(2026 - 11 - 09), overall, missed).await;
    }
    for n in 0..40 {
        let overall = if n < 20 { "fairly_satisfied" } else { "fairly_dissatisfied" };
        let missed = match n {
            0..10 => "move",
            10..22 => "school",
            _ => "housing",
        };
        respond(app, date!(2026 - 12 - 07), overall, missed).await;
    }
    for _ in 0..10 {
        respond(app, date!(2027 - 01 - 04), "very_satisfied", "school").await;
    }
}

/// Friday 15 January 2027: December 2026 has closed, January runs.
fn mid_january() -> Clock {
    Clock::fixed("2027-01-15T12:00:00Z".parse().unwrap(), "Europe/Stockholm").unwrap()
}

async fn staff_app(backend: Backend) -> (TestApp, String) {
    let app = TestApp::with_clock(backend, "questionnaires", mid_january()).await;
    four_months(&app).await;
    let cookie = app.logged_in_admin().await;
    (app, cookie)
}

/// The rows of a table, each as a person reads it.
#[track_caller]
fn rows(page: &Page, selector: &str) -> Vec<String> {
    page.texts(&format!("{selector} tbody tr"))
}

#[track_caller]
fn row(page: &Page, selector: &str, starting: &str) -> String {
    let rows = rows(page, selector);
    rows.iter().find(|row| row.starts_with(starting)).cloned().unwrap_or_else(|| panic!("{starting} in {rows:?}"))
}

async fn staff_compare_two_months_and_see_a_change_only_where_the_test_finds_one(backend: Backend) {
    let (app, cookie) = staff_app(backend).await;

    let results = app.get_as(&cookie, "/staff/q/nexus").await;
    assert_eq!(results.attributes(".compare-link a", "href"), [PAGE], "the results page links to the comparison");

    // By default, B is the latest closed month and A the month before.
    let page = app.get_as(&cookie, PAGE).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(page.text("h1"), "Jämför perioder: Vad tyckte du om stödet från Nexus?");
    assert_eq!(page.attributes("select#a_from option[selected]", "value"), ["2026-11"]);
    assert_eq!(page.attributes("select#b_to option[selected]", "value"), ["2026-12"]);
    assert_eq!(page.texts(".compared-ranges dd"), ["november 2026, antal svar: 40", "december 2026, antal svar: 40"]);
    assert_eq!(page.attributes("form.compare-form", "method"), ["get"], "a plain form, no script needed");
    assert_eq!(page.texts("form.compare-form legend"), ["Period A", "Period B", "Urval"]);

    // Helhet: 30 of 40 (Wilson 59,8–85,8 %), then 20 of 40 (35,2–64,8 %):
    // pooled 0.625, z = (0.25 − 0.025) / 0.1083 = 2.08 > 1.96: fell.
    assert_eq!(row(&page, "#compare-areas", "Helhet"), "Helhet 75,0 % 59,8–85,8 % 50,0 % 35,2–64,8 % minskat");
    // An area nobody answered: withheld in both, too few to say.
    assert_eq!(
        row(&page, "#compare-areas", "Tillgänglighet"),
        "Tillgänglighet färre än 5 svar färre än 5 svar för få svar för att säga"
    );
    // Lacked, of the 40 who answered each month. The move: 30 then 10,
    // z = (0.5 − 0.05) / 0.1061 = 4.24: fell. Housing: 10 then 18, z =
    // (0.2 − 0.05) / 0.0913 = 1.64: no clear change. The school: 0 then
    // 12, every expected cell at least 6, z = (0.3 − 0.05) / 0.0725 = 3.45:
    // rose. 0 of 40 has the interval 0 to 3.84 / 43.84 = 8.8 %.
    let lacking = "#compare-lacking-missing_support";
    for (label, figures) in [
        ("Hjälp att organisera flytten", "75,0 % 59,8–85,8 % 25,0 % 14,2–40,2 % minskat"),
        (
            "Kontakt med bostadsförmedling eller hyresvärd",
            "25,0 % 14,2–40,2 % 45,0 % 30,7–60,2 % ingen säker förändring",
        ),
        ("Kontakt med förskola eller skola", "0,0 % 0,0–8,8 % 30,0 % 18,1–45,4 % ökat"),
        // Lacked by no one in either month: the expected "yes" cells are 0.
        ("Kontakt med försörjningsstöd", "0,0 % 0,0–8,8 % 0,0 % 0,0–8,8 % för få svar för att säga"),
    ] {
        assert_eq!(row(&page, lacking, label), format!("{label} {figures}"));
    }
    assert!(page.text(&format!("{lacking} h3")).starts_with("Andel som saknade stödet:"));

    // The bars: one per shown figure, with its words; none for a withheld one.
    let bars = page.texts("#compare-areas svg g.bar title");
    assert_eq!(
        bars,
        ["A: Helhet: 75,0 % (59,8–85,8 %), n = 40", "B: Helhet: 50,0 % (35,2–64,8 %), n = 40"],
        "only Helhet has figures to draw"
    );
    assert!(page.text("#compare-areas svg > title").starts_with("Andel positiva svar per område: A jämfört med B"));
    assert_eq!(page.attributes("#compare-areas svg", "role"), ["img"]);
    assert_eq!(
        page.attributes("#compare-areas .table-scroll", "aria-label"),
        [page.text("#compare-areas table caption")],
        "the scrolling region is named by its table's caption"
    );
}

async fn too_few_answers_are_too_few_to_say(backend: Backend) {
    let (app, cookie) = staff_app(backend).await;
    // October's 3 responses are never shown: nothing to test December against.
    let page = app.get_as(&cookie, &format!("{PAGE}?a_from=2026-10&a_to=2026-10&b_from=2026-12&b_to=2026-12")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(page.texts(".compared-ranges dd")[0], "oktober 2026, antal svar: färre än 5 svar");
    assert_eq!(
        row(&page, "#compare-areas", "Helhet"),
        "Helhet färre än 5 svar 50,0 % 35,2–64,8 % för få svar för att säga"
    );
    assert_eq!(page.texts("#compare-areas svg g.bar title"), ["B: Helhet: 50,0 % (35,2–64,8 %), n = 40"]);
    assert!(page.texts("#compare-areas svg text").contains(&"färre än 5 svar".to_owned()), "said, not drawn");
    assert!(!page.body.contains(r#"class="change rose""#) && !page.body.contains(r#"class="change fell""#));

    // A range of two months: October adds nothing it may not show.
    let page = app.get_as(&cookie, &format!("{PAGE}?a_from=2026-10&a_to=2026-11&b_from=2026-12")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(row(&page, "#compare-areas", "Helhet"), "Helhet 75,0 % 59,8–85,8 % 50,0 % 35,2–64,8 % minskat");
    assert_eq!(page.texts(".compared-ranges dd")[0], "oktober 2026 – november 2026, antal svar: 40");
}

async fn the_trend_lists_every_closed_period_and_draws_no_point_for_a_withheld_one(backend: Backend) {
    let (app, cookie) = staff_app(backend).await;
    let page = app.get_as(&cookie, PAGE).await;
    assert_eq!(page.text("#trend"), "Utveckling över tid");
    assert!(page.body.find("id=\"comparison\"").unwrap() < page.body.find("id=\"trend\"").unwrap(), "comparison first");
    assert_eq!(
        rows(&page, "table.trend-responses"),
        ["oktober 2026 färre än 5 svar", "november 2026 40", "december 2026 40"]
    );
    let helhet = "#trend-areas-helhet";
    assert_eq!(
        rows(&page, helhet),
        ["oktober 2026 färre än 5 svar", "november 2026 75,0 % 59,8–85,8 % 40", "december 2026 50,0 % 35,2–64,8 % 40"]
    );
    assert_eq!(
        page.texts(&format!("{helhet} svg g.point title")),
        ["november 2026: 75,0 % (59,8–85,8 %), n = 40", "december 2026: 50,0 % (35,2–64,8 %), n = 40"],
        "a point for each shown month, none for October"
    );
    assert_eq!(page.attributes(&format!("{helhet} svg.trend-chart circle"), "r").len(), 2);
    assert!(page.text(&format!("{helhet} svg > title")).starts_with("Helhet: andel positiva"));
    assert_eq!(page.texts(&format!("{helhet} .chart-legend li"))[1], "Streck och fält: 95 % intervall");

    // The school, lacked by 0 then 12 of 40.
    assert_eq!(
        rows(&page, "#trend-lacking-missing_support-school"),
        ["oktober 2026 färre än 5 svar", "november 2026 0,0 % 0,0–8,8 % 40", "december 2026 30,0 % 18,1–45,4 % 40"]
    );
    assert!(page.text("#trend-lacking-missing_support-school caption").contains("andel som saknade stödet per period"));
    // A question nobody answered has rows, and nothing drawn.
    assert_eq!(
        rows(&page, "#trend-questions-reach"),
        ["oktober 2026 färre än 5 svar", "november 2026 färre än 5 svar", "december 2026 färre än 5 svar"]
    );
    assert!(page.texts("#trend-questions-reach svg").is_empty(), "no empty chart");
    assert!(
        page.text("#trend-questions-reach p.suppressed").starts_with("Inget diagram: färre än 5 svar i varje period")
    );
}

async fn the_running_period_is_never_shown_whatever_is_asked(backend: Backend) {
    let (app, cookie) = staff_app(backend).await;
    let page = app.get_as(&cookie, PAGE).await;
    for select in ["a_from", "a_to", "b_from", "b_to"] {
        assert_eq!(
            page.attributes(&format!("select#{select} option"), "value"),
            ["2026-10", "2026-11", "2026-12"],
            "{select} offers the closed months only"
        );
    }
    assert!(rows(&page, "table.trend-responses").iter().all(|row| !row.contains("2027")));
    assert!(page.text("p.running").starts_with("Svar från januari 2027 visas inte än"));
    // January's 10 all-satisfied answers are in no figure: December's stands.
    assert_eq!(rows(&page, "#trend-areas-helhet").last().unwrap(), "december 2026 50,0 % 35,2–64,8 % 40");

    for query in [
        "b_to=2027-01",
        "b_from=2027-01",
        "b_from=2026-12&b_to=2027-01",
        "a_from=2027-01&a_to=2027-01&b_from=2026-12&b_to=2026-12",
        "a_from=2026-11&b_from=2027-02",
    ] {
        let refused = app.get_as(&cookie, &format!("{PAGE}?{query}")).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{query}");
        assert!(refused.body.contains("har inte avslutats än"), "{query}: {}", refused.body);
        assert!(!refused.body.contains("Utveckling över tid"), "{query}: no figures at all");
    }
    let said = app.get_as(&cookie, &format!("{PAGE}?b_to=2027-01")).await;
    assert!(said.body.contains("Period B: Januari 2027 har inte avslutats än"), "{}", said.body);
    assert!(said.body.contains("visas från 2027-02-01"), "{}", said.body);
}

async fn a_bad_choice_is_explained_and_anonymous_requests_are_sent_to_log_in(backend: Backend) {
    let (app, cookie) = staff_app(backend).await;
    let cases = [
        (
            "a_from=2026-13",
            "Period A: \u{201d}2026-13\u{201d} är ingen period: skriv år och månad, till exempel 2026-11",
        ),
        ("b_from=november", "Period B: \u{201d}november\u{201d} är ingen period"),
        ("b_from=2026-12&b_to=2026-11", "Period B: Från-perioden ligger efter till-perioden."),
        ("a_from=2026-11&a_to=2026-12&b_from=2026-12", "har perioder gemensamma"),
        ("a_from=2026-12&b_from=2026-10&b_to=2026-12", "har perioder gemensamma"),
        ("lang=xx", "Enkäten finns inte på språket \u{201d}xx\u{201d}."),
    ];
    for (query, message) in cases {
        let page = app.get_as(&cookie, &format!("{PAGE}?{query}")).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{query}");
        assert!(page.body.contains(message), "{query}: {}", page.body);
    }
    assert_eq!(app.get_as(&cookie, "/staff/q/no-such/jamfor").await.status, StatusCode::NOT_FOUND);

    // Either order of the ranges is fine when they do not overlap.
    let reversed = app.get_as(&cookie, &format!("{PAGE}?a_from=2026-12&b_from=2026-11")).await;
    assert_eq!(reversed.status, StatusCode::OK);
    assert_eq!(row(&reversed, "#compare-areas", "Helhet"), "Helhet 50,0 % 35,2–64,8 % 75,0 % 59,8–85,8 % ökat");

    let anonymous = app.get(&format!("{PAGE}?b_from=2026-12")).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert!(anonymous.header("location").starts_with("/staff/login?next="), "{}", anonymous.header("location"));
    assert!(!anonymous.body.contains("Helhet"));
}
