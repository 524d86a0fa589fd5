//! One-time codes, on both databases: staff create a batch and get cards,
//! a person answers with a code once and only once, and nothing stored
//! pairs a code with the response it gave.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::common::{Backend, PASSWORD, Page, TestApp};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use enkat::clock::Clock;
use enkat::codes::Code;
use enkat::questionnaire::Answer;
use enkat::report::period::Period;
use enkat::store::{CodeBatch, NewResponse, Store};
use enkat::web::codes::CodeGuard;
use enkat::web::{self, AppState};
use scraper::Selector;
use tower::ServiceExt;

on_both_databases!(
    a_coded_questionnaire_asks_for_the_code_from_the_card_first,
    the_start_page_speaks_english_when_asked,
    a_card_gives_one_response_and_then_says_it_is_used,
    a_refused_form_keeps_its_code_and_does_not_use_it,
    a_mistyped_code_is_caught_before_any_lookup,
    a_form_sent_without_its_code_stores_nothing,
    sixteen_people_sending_one_code_at_once_store_one_response,
    a_revoked_batch_refuses_its_codes,
    the_staff_page_shows_used_codes_only_for_closed_periods,
    the_codes_page_warns_never_to_name_a_person_in_a_label,
    every_card_has_a_qr_code_that_reads_as_its_link,
    a_card_of_a_questionnaire_with_a_neutral_title_does_not_name_it,
    the_codes_download_as_csv_and_nothing_more_is_stored,
    creating_and_revoking_codes_is_audited_without_the_codes,
    a_batch_needs_a_count_of_20_to_1000_and_a_label,
    a_batch_below_four_times_min_report_n_is_refused_on_the_page_and_by_the_command_line,
    an_open_questionnaire_has_no_codes_and_ignores_kod,
    the_results_page_links_to_the_codes_only_when_the_questionnaire_uses_them,
    while_braking_right_and_wrong_codes_are_told_alike_at_once_and_admitted_forms_are_stored,
    a_flood_of_wrong_codes_never_holds_back_a_real_respondent,
    reopening_a_card_link_never_tells_whether_its_code_was_used,
    every_page_answering_a_kod_request_carries_the_script_that_clears_it,
    no_column_or_foreign_key_links_codes_to_responses,
    a_response_given_with_a_code_looks_like_one_given_openly,
    clearing_after_use_removes_what_pairs_a_code_with_its_response,
    a_kiosk_link_stays_in_kiosk_mode_from_the_code_to_the_next_person,
    the_database_holds_no_sha256_of_any_issued_code,
    codes_stored_as_sha256_before_keys_are_rekeyed_once_and_keep_working,
);

const ID: &str = "nexus-kort";
/// The smallest batch the questionnaire takes: 4 × its min_report_n (5).
const BATCH: usize = 20;
const USED: &str = "Koden är redan använd eller finns inte.";
const MISTYPED: &str = "Koden verkar felskriven – kontrollera tecknen.";

async fn coded_app(backend: Backend) -> TestApp {
    TestApp::with_questionnaires(backend, "tests/fixtures/coded").await
}

/// A staff member's session cookie and CSRF token.
struct Staff {
    cookie: String,
    csrf: String,
}

async fn staff(app: &TestApp) -> Staff {
    let cookie = app.logged_in_admin().await;
    let csrf = app.csrf_token(&cookie).await;
    Staff { cookie, csrf }
}

/// Creates a batch through the staff page; returns the cards page and the
/// codes on it.
async fn create_batch(app: &TestApp, staff: &Staff, count: usize, label: &str) -> (Page, Vec<String>) {
    let count = count.to_string();
    let fields = [("_csrf", staff.csrf.as_str()), ("count", count.as_str()), ("label", label)];
    let page = app.post_form_as(&staff.cookie, &format!("/staff/q/{ID}/codes"), &fields).await;
    assert_eq!(page.status, StatusCode::OK, "the cards page: {}", page.body);
    let codes = page.texts(".card-code");
    (page, codes)
}

fn answers(code: &str) -> Vec<(&str, &str)> {
    vec![("_lang", "sv"), ("_code", code), ("overall", "fairly_satisfied"), ("comment", "Bra stöd.")]
}

async fn responses(app: &TestApp) -> i64 {
    app.store.count_responses(ID).await.unwrap()
}

/// The questionnaire's batches as staff see them today.
async fn batches(app: &TestApp) -> Vec<CodeBatch> {
    app.store.code_batches(app.catalog.get(ID).unwrap(), app.today()).await.unwrap()
}

/// One SQL count, on either database.
async fn sql_count(store: &Store, query: &'static str) -> i64 {
    match store {
        Store::Sqlite(pool) => sqlx::query_scalar(query).fetch_one(pool).await.unwrap(),
        Store::Postgres(pool) => sqlx::query_scalar(query).fetch_one(pool).await.unwrap(),
    }
}

/// `enkat codes ARGS` through the real binary, on the database at `url`,
/// serving the coded test questionnaire.
fn enkat_codes(url: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_enkat"))
        .arg("codes")
        .args(args)
        .env("DATABASE_URL", url)
        .env("ENKAT_QUESTIONNAIRES", "tests/fixtures/coded")
        .env("ENKAT_PUBLIC_URL", "https://enkat.example.org")
        // PostgreSQL has no key file next to it: the test servers' key.
        .env("ENKAT_KEY", if url.starts_with("postgres") { crate::common::server::TEST_KEY } else { "" })
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("enkat runs")
}

#[track_caller]
fn assert_used_page(page: &Page) {
    assert_eq!(page.status, StatusCode::FORBIDDEN, "{}", page.body);
    assert!(page.text(".code-refused").contains(USED), "the page says the code is used: {}", page.body);
}

async fn a_coded_questionnaire_asks_for_the_code_from_the_card_first(backend: Backend) {
    let app = coded_app(backend).await;
    let page = app.get(&format!("/s/{ID}")).await;

    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.text("h1"), "Vad tyckte du om stödet från Nexus?");
    assert!(page.text(".intro").contains("Dina svar hjälper oss"), "the intro is shown");
    assert_eq!(page.text("label[for=code]"), "Kod från kortet");
    assert!(page.text("#code-hint").contains("10 tecken"), "the hint gives the format");
    let form = "form[method=get][action=\"/s/nexus-kort\"]";
    assert_eq!(page.attributes(form, "action").len(), 1, "a GET form to the questionnaire");
    for (attribute, value) in [
        ("name", "kod"),
        ("autocomplete", "off"),
        ("autocapitalize", "characters"),
        ("spellcheck", "false"),
        ("inputmode", "text"),
    ] {
        assert_eq!(page.attributes(&format!("{form} input#code"), attribute), [value], "{attribute}");
    }
    assert!(page.attributes("input[name=overall]", "name").is_empty(), "no question before a code is given");
}

async fn the_start_page_speaks_english_when_asked(backend: Backend) {
    let app = coded_app(backend).await;
    let page = app.get(&format!("/s/{ID}?lang=en")).await;
    assert_eq!(page.text("label[for=code]"), "Code from your card");
    assert_eq!(page.attributes("input[name=lang]", "value"), ["en"], "the language goes along with the code");

    let page = app.get(&format!("/s/{ID}?lang=en&kod=ABCDE")).await;
    assert!(page.text("#code-error").contains("A code has 10 characters"), "{}", page.body);
    let page = app.start(&format!("/s/{ID}?lang=en&kod=22222-22222")).await;
    assert!(page.text(".code-refused").contains("already been used or does not exist"), "{}", page.body);
}

async fn a_card_gives_one_response_and_then_says_it_is_used(backend: Backend) {
    let app = coded_app(backend).await;
    let staff = staff(&app).await;
    let (_, codes) = create_batch(&app, &staff, BATCH, "Mottagningen").await;
    assert_eq!(codes.len(), BATCH);
    let code = &codes[0];

    let start = app.get(&format!("/s/{ID}?kod={code}")).await;
    assert_eq!(start.status, StatusCode::OK, "{}", start.body);
    assert_eq!(start.attributes("input[name=_code]", "value"), [code.as_str()], "the start page carries the code");
    let english = start.attributes("a[hreflang=en]", "href");
    assert_eq!(english, [format!("?lang=en&kod={code}")], "switching language keeps the code");
    let form = app.start(&format!("/s/{ID}?kod={code}")).await;
    assert_eq!(form.attributes("input[name=_code]", "value"), [code.as_str()], "the form carries the code");
    assert_eq!(form.attributes("input[name=overall]", "name").len(), 5, "the questions are shown");

    let sent = app.post_form(&format!("/s/{ID}"), &answers(code)).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    assert_eq!(sent.header("location"), format!("/s/{ID}/tack?lang=sv"));
    let stored = app.store.responses(ID).await.unwrap();
    assert_eq!(stored.len(), 1, "the response is stored");
    assert_eq!(stored[0].answers[0].option_id.as_deref(), Some("fairly_satisfied"));

    assert_used_page(&app.start(&format!("/s/{ID}?kod={code}")).await);
    assert_used_page(&app.post_form(&format!("/s/{ID}"), &answers(code)).await);
    assert_eq!(responses(&app).await, 1, "a used code stores nothing more");

    let typed_differently = code.to_lowercase().replace('-', " ");
    assert_used_page(&app.start(&format!("/s/{ID}?kod={}", typed_differently.replace(' ', "+"))).await);
}

async fn a_refused_form_keeps_its_code_and_does_not_use_it(backend: Backend) {
    let app = coded_app(backend).await;
    let staff = staff(&app).await;
    let (_, codes) = create_batch(&app, &staff, BATCH, "Mottagningen").await;
    let code = &codes[0];

    let without_overall: Vec<_> = answers(code).into_iter().filter(|(name, _)| *name != "overall").collect();
    let refused = app.post_form(&format!("/s/{ID}"), &without_overall).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.attributes("input[name=_code]", "value"), [code.as_str()], "the form keeps the code");
    assert_eq!(responses(&app).await, 0);

    assert_eq!(app.start(&format!("/s/{ID}?kod={code}")).await.status, StatusCode::OK, "the code still opens the form");
    let sent = app.post_form(&format!("/s/{ID}"), &answers(code)).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "and gives its response once fixed");
    assert_eq!(responses(&app).await, 1);
}

async fn a_mistyped_code_is_caught_before_any_lookup(backend: Backend) {
    let app = coded_app(backend).await;
    let staff = staff(&app).await;
    let (_, codes) = create_batch(&app, &staff, BATCH, "Mottagningen").await;
    let code = &codes[0];
    let mut swapped: Vec<char> = code.chars().collect();
    // Two different neighbours, not the dash.
    let at = (0..4).chain(6..9).find(|&at| swapped[at] != swapped[at + 1]).unwrap();
    swapped.swap(at, at + 1);
    let swapped: String = swapped.into_iter().collect();

    // With the database closed, only a check that needs no lookup can answer.
    app.store.close().await;
    let page = app.get(&format!("/s/{ID}?kod={swapped}")).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
    assert_eq!(page.text("#code-error"), format!("Fel: {MISTYPED}"));
    assert_eq!(page.attributes("input#code", "value"), [swapped.as_str()], "what was typed stays in the field");
    assert!(page.text("title").starts_with("Fel: "));

    let cases = [
        ("OOOOO-11111", "Koden innehåller ett tecken som inga koder har."),
        ("ABCDE-ABCD", "En kod har 10 tecken"),
        ("ABCDE-ABCDEF", "En kod har 10 tecken"),
    ];
    for (typed, message) in cases {
        let page = app.get(&format!("/s/{ID}?kod={typed}")).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{typed}");
        assert!(page.text("#code-error").contains(message), "{typed}: {}", page.text("#code-error"));
    }
    let sent = app.post_form(&format!("/s/{ID}"), &answers(&swapped)).await;
    assert_eq!(sent.status, StatusCode::UNPROCESSABLE_ENTITY, "a mistyped code in a form is refused before storing");
    assert!(sent.text("#code-error").contains(MISTYPED));
}

async fn a_form_sent_without_its_code_stores_nothing(backend: Backend) {
    let app = coded_app(backend).await;
    let without: Vec<_> = answers("").into_iter().filter(|(name, _)| *name != "_code").collect();
    let page = app.post_form(&format!("/s/{ID}"), &without).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(page.text("#code-error"), "Fel: Skriv koden från kortet.");
    assert_used_page(&app.post_form(&format!("/s/{ID}"), &answers("22222-22222")).await);
    assert_eq!(responses(&app).await, 0);
}

async fn sixteen_people_sending_one_code_at_once_store_one_response(backend: Backend) {
    let app = coded_app(backend).await;
    let staff = staff(&app).await;
    let (_, codes) = create_batch(&app, &staff, BATCH, "Mottagningen").await;
    let body = serde_urlencoded::to_string(answers(&codes[0])).unwrap();

    let sends: Vec<_> = (0..16)
        .map(|_| {
            let router = app.router.clone();
            let request = Request::post(format!("/s/{ID}"))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body.clone()))
                .unwrap();
            tokio::spawn(async move { router.oneshot(request).await.unwrap().status() })
        })
        .collect();
    let mut statuses = Vec::new();
    for send in sends {
        statuses.push(send.await.unwrap());
    }

    let stored = statuses.iter().filter(|status| **status == StatusCode::SEE_OTHER).count();
    let refused = statuses.iter().filter(|status| **status == StatusCode::FORBIDDEN).count();
    assert_eq!((stored, refused), (1, 15), "one is thanked, the others told the code is used: {statuses:?}");
    assert_eq!(responses(&app).await, 1, "exactly one response is stored");
}

async fn a_revoked_batch_refuses_its_codes(backend: Backend) {
    let app = coded_app(backend).await;
    let staff = staff(&app).await;
    let (_, codes) = create_batch(&app, &staff, BATCH, "Borttappade kort").await;
    let batch = batches(&app).await.remove(0);

    let revoke = format!("/staff/q/{ID}/codes/{}/revoke", batch.id);
    let refused = app.post_form_as(&staff.cookie, &revoke, &[]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "no revoking without the CSRF token");
    assert_eq!(app.start(&format!("/s/{ID}?kod={}", codes[0])).await.status, StatusCode::OK);

    let revoked = app.post_form_as(&staff.cookie, &revoke, &[("_csrf", &staff.csrf)]).await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    assert_eq!(revoked.header("location"), format!("/staff/q/{ID}/codes"));
    assert_used_page(&app.start(&format!("/s/{ID}?kod={}", codes[0])).await);
    assert_used_page(&app.post_form(&format!("/s/{ID}"), &answers(&codes[1])).await);
    assert_eq!(responses(&app).await, 0);

    let page = app.get_as(&staff.cookie, &format!("/staff/q/{ID}/codes")).await;
    let row = page.text(&format!("tr[data-batch=\"{}\"]", batch.id));
    assert!(row.contains(&format!("Återkallad ({BATCH} oanvända)")), "{row}");
}

/// A clock stopped at `instant` (RFC 3339) in Stockholm.
fn clock_at(instant: &str) -> Clock {
    Clock::fixed(instant.parse().expect("an RFC 3339 instant"), "Europe/Stockholm").expect("a known time zone")
}

/// The batches' rows of the codes page: label, created, codes, used per
/// closed period, status.
async fn batch_rows(app: &TestApp, cookie: &str) -> Vec<String> {
    let page = app.get_as(cookie, &format!("/staff/q/{ID}/codes")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.texts(".code-batches tbody tr")
}

async fn the_staff_page_shows_used_codes_only_for_closed_periods(backend: Backend) {
    // Wednesday 18 November 2026. The questionnaire stores the week's
    // Monday and reports by month: November closes on Monday 7 December,
    // when no new response can be stored with a November date.
    let app = TestApp::with_clock(backend, "tests/fixtures/coded", clock_at("2026-11-18T10:00:00Z")).await;
    let staff = staff(&app).await;
    let (_, codes) = create_batch(&app, &staff, BATCH, "Mottagningen").await;
    create_batch(&app, &staff, BATCH, "Stödteamet").await;
    let codes_page = format!("/staff/q/{ID}/codes");

    let before = app.get_as(&staff.cookie, &codes_page).await;
    let rows = before.texts(".code-batches tbody tr");
    assert_eq!(rows.len(), 2, "{rows:?}");
    let reception = rows.iter().find(|row| row.starts_with("Mottagningen")).unwrap();
    assert!(
        reception.starts_with(&format!("Mottagningen 2026-11-18 {BATCH} Inga ")),
        "label, created, codes, used: {reception}"
    );
    assert!(before.text(".uses-note").contains("den senaste är oktober 2026"), "{}", before.text(".uses-note"));
    assert!(before.body.contains("Koderna visas bara en gång"), "the page warns that codes are shown once");

    let sent = app.post_form(&format!("/s/{ID}"), &answers(&codes[0])).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let after = app.get_as(&staff.cookie, &codes_page).await;
    assert_eq!(after.body, before.body, "a code used today changes nothing the page shows");

    // Sunday 6 December, late: a response today is still stored as Monday
    // 30 November, so November is still open.
    let sunday = app.restarted_on(clock_at("2026-12-06T22:30:00Z")).await;
    let cookie = sunday.login("admin", PASSWORD).await;
    assert_eq!(batch_rows(&sunday, &cookie).await, rows, "nothing changes while the period is open");

    // Monday 7 December: November has closed.
    let monday = app.restarted_on(clock_at("2026-12-07T08:00:00Z")).await;
    let cookie = monday.login("admin", PASSWORD).await;
    let closed = batch_rows(&monday, &cookie).await;
    let reception = closed.iter().find(|row| row.starts_with("Mottagningen")).unwrap();
    assert!(reception.contains(" november 2026: 1 "), "one used in November: {reception}");
    let team = closed.iter().find(|row| row.starts_with("Stödteamet")).unwrap();
    assert!(team.contains(&format!(" {BATCH} Inga ")), "{team}");

    // A use in December is not shown until December has closed.
    let sent = monday.post_form(&format!("/s/{ID}"), &answers(&codes[1])).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    assert_eq!(batch_rows(&monday, &cookie).await, closed, "December's use is not shown in December");
    let page = monday.get_as(&cookie, &codes_page).await;
    let periods = page.attributes(".code-batches li[data-period]", "data-period");
    assert_eq!(periods, ["2026-11"], "only the closed period");
    assert!(page.text(".uses-note").contains("den senaste är november 2026"));
    assert!(!page.body.contains("Kvar"), "no count of codes left, which would move with each use");

    let batch = &batches(&monday).await.into_iter().find(|batch| batch.label == "Mottagningen").unwrap();
    let november = Period::parse(enkat::questionnaire::ReportPeriod::Month, "2026-11").unwrap();
    assert_eq!(batch.used, [(november, 1)], "the store gives the closed periods' uses alone");
}

async fn the_codes_page_warns_never_to_name_a_person_in_a_label(backend: Backend) {
    let app = coded_app(backend).await;
    let staff = staff(&app).await;
    let page = app.get_as(&staff.cookie, &format!("/staff/q/{ID}/codes")).await;
    let hint = page.text("#label-hint");
    assert!(hint.starts_with("Skriv aldrig en persons namn i etiketten:"), "{hint}");
    assert_eq!(page.attributes("input#label", "aria-describedby"), ["label-hint"], "read out with the field");
    assert!(page.text("#count-hint").contains(&format!("Minst {BATCH} koder")), "{}", page.text("#count-hint"));
    assert_eq!(page.attributes("input#count", "min"), [BATCH.to_string()]);
}

/// The modules of a card's QR code, read back from its SVG path of
/// `M{x} {y}h1v1h-1z` squares, decoded as a phone would.
fn decode_qr(svg: scraper::ElementRef<'_>) -> String {
    let view_box = svg.value().attr("viewbox").or(svg.value().attr("viewBox")).expect("a viewBox");
    let size: usize = view_box.split_whitespace().nth(2).unwrap().parse().unwrap();
    let path = svg.select(&Selector::parse("path").unwrap()).next().expect("a path of modules");
    let mut dark = vec![vec![false; size]; size];
    for square in path.value().attr("d").unwrap().split('M').filter(|square| !square.is_empty()) {
        let corner = square.strip_suffix("h1v1h-1z").expect("a unit square");
        let (x, y) = corner.split_once(' ').unwrap();
        dark[y.parse::<usize>().unwrap()][x.parse::<usize>().unwrap()] = true;
    }
    const PIXELS: usize = 4;
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(size * PIXELS, size * PIXELS, |x, y| {
        if dark[y / PIXELS][x / PIXELS] { 0 } else { 255 }
    });
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code per card");
    grids[0].decode().expect("the QR code decodes").1
}

async fn every_card_has_a_qr_code_that_reads_as_its_link(backend: Backend) {
    let app = coded_app(backend).await;
    let staff = staff(&app).await;
    let (page, codes) = create_batch(&app, &staff, 23, "Mottagningen").await;

    assert_eq!(page.texts(".card-sheet").len(), 3, "10 cards a sheet: 23 cards fill three");
    assert_eq!(page.texts(".card-url"), vec!["https://enkat.example.org/s/nexus-kort"; 23]);
    assert_eq!(page.texts(".card-once"), vec!["Koden kan bara användas en gång"; 23]);
    assert!(page.texts(".card-title").iter().all(|title| title == "Vad tyckte du om stödet från Nexus?"));
    let distinct: HashSet<&String> = codes.iter().collect();
    assert_eq!(distinct.len(), 23, "every card has its own code");

    let html = page.html();
    let cards: Vec<_> = html.select(&Selector::parse(".card").unwrap()).collect();
    assert_eq!(cards.len(), 23);
    for card in cards {
        let code = card.select(&Selector::parse(".card-code").unwrap()).next().unwrap().text().collect::<String>();
        let svgs: Vec<_> = card.select(&Selector::parse("svg").unwrap()).collect();
        assert_eq!(svgs.len(), 1, "one QR code on the card");
        assert_eq!(decode_qr(svgs[0]), format!("https://enkat.example.org/s/nexus-kort?kod={code}"));
        assert!(Code::parse(&code).is_ok(), "{code} is a well-formed code");
    }
    assert!(page.attributes("img", "src").is_empty(), "no image files: the page's CSP allows inline SVG only");
}

async fn the_codes_download_as_csv_and_nothing_more_is_stored(backend: Backend) {
    let app = coded_app(backend).await;
    let staff = staff(&app).await;
    let (page, codes) = create_batch(&app, &staff, BATCH, "SMS").await;
    let carried = page.attributes("input[name=codes]", "value");
    assert_eq!(carried.len(), 1, "the CSV button carries the codes");
    let batches_before = batches(&app).await;

    let fields = [("_csrf", staff.csrf.as_str()), ("codes", carried[0].as_str())];
    let file = app.post_form_as(&staff.cookie, &format!("/staff/q/{ID}/codes/csv"), &fields).await;
    assert_eq!(file.status, StatusCode::OK, "{}", file.body);
    assert_eq!(file.header("content-type"), "text/csv; charset=utf-8");
    assert!(file.header("content-disposition").starts_with("attachment;"));
    let mut lines = file.body.lines();
    assert_eq!(lines.next(), Some("code,url"));
    let rows: Vec<&str> = lines.collect();
    let expected: Vec<String> =
        codes.iter().map(|code| format!("{code},https://enkat.example.org/s/nexus-kort?kod={code}")).collect();
    assert_eq!(rows, expected);
    assert_eq!(batches(&app).await, batches_before, "the download stores nothing");

    let without_csrf = app.post_form_as(&staff.cookie, &format!("/staff/q/{ID}/codes/csv"), &fields[1..]).await;
    assert_eq!(without_csrf.status, StatusCode::FORBIDDEN);
}

async fn creating_and_revoking_codes_is_audited_without_the_codes(backend: Backend) {
    let app = coded_app(backend).await;
    let staff = staff(&app).await;
    let (_, codes) = create_batch(&app, &staff, BATCH, "Mottagningen december").await;
    let batch = batches(&app).await.remove(0);
    let revoke = format!("/staff/q/{ID}/codes/{}/revoke", batch.id);
    app.post_form_as(&staff.cookie, &revoke, &[("_csrf", &staff.csrf)]).await;

    let created = app.store.audit_events(Some("codes_created"), 10).await.unwrap();
    assert_eq!(created.len(), 1);
    assert_eq!(created[0].actor, "admin");
    assert!(created[0].details.contains(ID) && created[0].details.contains("Mottagningen december"));
    assert!(created[0].details.contains(&format!("{BATCH} koder")), "{}", created[0].details);
    let revoked = app.store.audit_events(Some("codes_revoked"), 10).await.unwrap();
    assert_eq!(revoked.len(), 1);
    assert!(revoked[0].details.contains(&format!("{BATCH} oanvända")), "{}", revoked[0].details);
    for event in app.store.audit_events(None, 100).await.unwrap() {
        for code in &codes {
            let canonical = code.replace('-', "");
            assert!(!event.details.contains(code) && !event.details.contains(&canonical), "{}", event.details);
        }
    }
    let log = app.get_as(&staff.cookie, "/staff/audit").await;
    assert!(log.body.contains("Engångskoder skapade") && log.body.contains("Engångskoder återkallade"));
}

async fn a_batch_needs_a_count_of_20_to_1000_and_a_label(backend: Backend) {
    let app = coded_app(backend).await;
    let staff = staff(&app).await;
    let too_long = "x".repeat(101);
    let cases = [
        ("0", "x", "Antalet koder ska vara ett heltal från 20 till 1000."),
        ("1001", "x", "Antalet koder ska vara ett heltal från 20 till 1000."),
        ("tjugo", "x", "Antalet koder ska vara ett heltal från 20 till 1000."),
        ("20", "  ", "Skriv en etikett"),
        ("20", "a\nb", "Skriv en etikett"),
        ("20", too_long.as_str(), "Skriv en etikett"),
    ];
    for (count, label, message) in cases {
        let fields = [("_csrf", staff.csrf.as_str()), ("count", count), ("label", label)];
        let page = app.post_form_as(&staff.cookie, &format!("/staff/q/{ID}/codes"), &fields).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{count} {label:?}");
        assert!(page.text(".error-message").contains(message), "{count} {label:?}: {}", page.text(".error-message"));
        assert_eq!(page.attributes("input#count", "value"), [count], "what was typed is kept");
    }
    let fields = [("_csrf", staff.csrf.as_str()), ("count", "3"), ("label", "")];
    let page = app.post_form_as(&staff.cookie, &format!("/staff/q/{ID}/codes"), &fields).await;
    assert_eq!(page.texts(".error-message p").len(), 2, "both problems at once: {:?}", page.texts(".error-message p"));
    assert!(batches(&app).await.is_empty(), "no batch was created");
}

async fn a_batch_below_four_times_min_report_n_is_refused_on_the_page_and_by_the_command_line(backend: Backend) {
    let (url, _guard) = crate::common::fresh_database_url(backend).await;
    let app = TestApp::with_database(&url, "tests/fixtures/coded").await;
    let staff = staff(&app).await;
    for count in ["1", "19"] {
        let fields = [("_csrf", staff.csrf.as_str()), ("count", count), ("label", "Mottagningen")];
        let page = app.post_form_as(&staff.cookie, &format!("/staff/q/{ID}/codes"), &fields).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{count} codes: {}", page.body);
        let message = page.text(".error-message");
        assert!(message.contains("En kodserie måste ha minst 20 koder"), "{count} codes: {message}");
        assert!(message.contains("aldrig till en enskild person"), "and why: {message}");
        assert_eq!(page.attributes("input#count", "value"), [count], "the form keeps what was typed");
        assert_eq!(page.attributes("input#label", "value"), ["Mottagningen"]);
        assert!(page.texts(".card").is_empty(), "no cards");
    }

    let run = enkat_codes(&url, &["create", ID, "--count", "19", "--label", "Mottagningen"]);
    assert!(!run.status.success(), "19 codes are refused");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("a batch needs at least 20 codes"), "{stderr}");
    assert!(run.stdout.is_empty(), "no codes written: {}", String::from_utf8_lossy(&run.stdout));

    assert!(batches(&app).await.is_empty(), "no batch was created");
    assert_eq!(sql_count(&app.store, "SELECT COUNT(*) FROM code").await, 0, "no code was stored");
    assert!(app.store.audit_events(Some("codes_created"), 10).await.unwrap().is_empty(), "nothing to audit");

    let run = enkat_codes(&url, &["create", ID, "--count", "20", "--label", "Mottagningen"]);
    assert!(run.status.success(), "20 codes are enough: {}", String::from_utf8_lossy(&run.stderr));
}

async fn an_open_questionnaire_has_no_codes_and_ignores_kod(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    let page = app.start("/s/nexus?kod=ABCDE-23456").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.attributes("input[name=_code]", "value").is_empty(), "an open form carries no code");
    assert!(!page.attributes("input[name=overall]", "name").is_empty(), "the form is shown");

    let staff = staff(&app).await;
    let codes_page = app.get_as(&staff.cookie, "/staff/q/nexus/codes").await;
    assert_eq!(codes_page.status, StatusCode::OK);
    assert!(codes_page.body.contains("använder inga koder"));
    let fields = [("_csrf", staff.csrf.as_str()), ("count", "5"), ("label", "x")];
    let refused = app.post_form_as(&staff.cookie, "/staff/q/nexus/codes", &fields).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "an open questionnaire gets no codes");
}

async fn the_results_page_links_to_the_codes_only_when_the_questionnaire_uses_them(backend: Backend) {
    let app = coded_app(backend).await;
    let staff = staff(&app).await;
    let page = app.get_as(&staff.cookie, &format!("/staff/q/{ID}")).await;
    assert_eq!(page.attributes(&format!("a[href=\"/staff/q/{ID}/codes\"]"), "href").len(), 1);

    let open = TestApp::shipped(backend).await;
    let cookie = open.logged_in_admin().await;
    let page = open.get_as(&cookie, "/staff/q/nexus").await;
    assert!(page.attributes("a[href=\"/staff/q/nexus/codes\"]", "href").is_empty());
}

/// The app on `app`'s database and key, with this brake and clock.
fn router_with(app: &TestApp, guard: CodeGuard, clock: Clock) -> axum::Router {
    web::app(AppState { clock, codes: Arc::new(guard), ..app.state.clone() })
}

/// What a browser sends pressing the start page's button with `code`.
fn start_fields(code: &str) -> Vec<(String, String)> {
    [("_lang", "sv"), ("_page", "start"), ("_code", code), ("_action", "next")]
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .to_vec()
}

/// Posts `fields` to the questionnaire through `router`: status, headers, body.
async fn post_to(router: &axum::Router, fields: &[(String, String)]) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    use http_body_util::BodyExt;
    let request = Request::post(format!("/s/{ID}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(serde_urlencoded::to_string(fields).unwrap()))
        .unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    let (status, mut headers) = (response.status(), response.headers().clone());
    headers.remove(header::DATE);
    (status, headers, response.into_body().collect().await.unwrap().to_bytes().to_vec())
}

/// The form a person has filled in after pressing Start on their card's
/// page: every field it carries (the code and its mark among them) and an answer.
fn filled_in(form: &Page) -> Vec<(String, String)> {
    let mut fields = form.form_fields();
    fields.push(("overall".to_owned(), "fairly_satisfied".to_owned()));
    fields.push(("_action".to_owned(), "next".to_owned()));
    fields
}

/// Issue 15, item 3, in slow motion: while braking, one code is checked per
/// interval and every other attempt is told at once (429, `Retry-After`),
/// with the same page whether its code was right or wrong; a form whose code
/// was admitted on its start page is stored all the same, while a forged or
/// expired mark is braked like a guess.
async fn while_braking_right_and_wrong_codes_are_told_alike_at_once_and_admitted_forms_are_stored(backend: Backend) {
    let app = coded_app(backend).await;
    let staff = staff(&app).await;
    let (_, codes) = create_batch(&app, &staff, BATCH, "Mottagningen").await;
    let clock = Clock::system("Europe/Stockholm").unwrap();
    let router = router_with(&app, CodeGuard::new(2, Duration::from_secs(3600)), clock.clone());
    // Started before the brake: admitted, with its mark.
    let admitted = Page::from(post_to(&router, &start_fields(&codes[0])).await);
    assert_eq!(admitted.status, StatusCode::OK, "{}", admitted.body);
    assert_eq!(admitted.attributes("input[name=_admitted]", "value").len(), 1, "the form carries its mark");

    let unknown = Code::generate().unwrap().display();
    for _ in 0..2 {
        assert_eq!(post_to(&router, &start_fields(&unknown)).await.0, StatusCode::FORBIDDEN, "below the threshold");
    }
    assert_eq!(post_to(&router, &start_fields(&unknown)).await.0, StatusCode::FORBIDDEN, "the interval's one check");
    let started = Instant::now();
    let right = post_to(&router, &start_fields(&codes[1])).await;
    let wrong = post_to(&router, &start_fields(&unknown)).await;
    assert!(started.elapsed() < Duration::from_secs(5), "nobody waits: {:?}", started.elapsed());
    assert_eq!(right.0, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(right.1.get(header::RETRY_AFTER).unwrap(), "60");
    assert_eq!(right, wrong, "a right code and a wrong one get the same status, headers and bytes");
    let page = Page::from(right);
    assert_eq!(page.text(".code-braked"), "Många försök just nu. Vänta en minut och försök igen.");
    let mut in_english = start_fields(&codes[1]);
    in_english[0].1 = "en".to_owned();
    let english = post_to(&router, &in_english).await;
    assert!(String::from_utf8_lossy(&english.2).contains("Many attempts right now."), "in the respondent's language");

    // The admitted form: not braked, stored, its code used up.
    let mut forged = filled_in(&admitted);
    let sent = post_to(&router, &filled_in(&admitted)).await;
    assert_eq!(sent.0, StatusCode::SEE_OTHER, "{}", String::from_utf8_lossy(&sent.2));
    assert_eq!(responses(&app).await, 1, "stored while braking");

    // Another code with a mark that is not its own, or made up: braked.
    for (name, value) in forged.iter_mut() {
        if name == "_code" {
            *value = codes[2].clone();
        }
    }
    assert_eq!(post_to(&router, &forged).await.0, StatusCode::TOO_MANY_REQUESTS, "a mark for another code");
    let mut made_up = forged.clone();
    made_up.retain(|(name, _)| name != "_admitted");
    made_up.push(("_admitted".into(), format!("99999999.{}", "ab".repeat(32))));
    assert_eq!(post_to(&router, &made_up).await.0, StatusCode::TOO_MANY_REQUESTS, "a made-up mark");
    // A mark from two days ago, on a fresh brake: expired, so checked like any
    // code sent without one (and stored, as that code is live).
    let later = Clock::fixed(clock.now() + jiff::SignedDuration::from_hours(48), "Europe/Stockholm").unwrap();
    let braking_later = router_with(&app, CodeGuard::new(0, Duration::from_secs(3600)), later);
    let second = Page::from(
        post_to(&router_with(&app, CodeGuard::new(100, Duration::ZERO), clock), &start_fields(&codes[3])).await,
    );
    assert_eq!(post_to(&braking_later, &start_fields(&unknown)).await.0, StatusCode::FORBIDDEN, "the slot");
    assert_eq!(post_to(&braking_later, &filled_in(&second)).await.0, StatusCode::TOO_MANY_REQUESTS, "expired");
    assert_eq!(responses(&app).await, 1, "nothing braked was stored");
}

/// Issue 15, item 3, as it was met: 20 connections sending wrong codes as
/// fast as they can. Before, every code attempt queued behind them, 2 s
/// each, and a real card link and a completed form got 408 after 30 s with
/// nothing stored. Now each attacker is answered at once, at most one code
/// in 2 s is checked, a card link opens at once, and a form started before
/// the flood is stored.
async fn a_flood_of_wrong_codes_never_holds_back_a_real_respondent(backend: Backend) {
    const ATTACKERS: usize = 20;
    const THRESHOLD: usize = 20;
    let app = coded_app(backend).await;
    let staff = staff(&app).await;
    let (_, codes) = create_batch(&app, &staff, BATCH, "Mottagningen").await;
    let form = app.start(&format!("/s/{ID}?kod={}", codes[0])).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);

    let attack = Duration::from_secs(6);
    let started = Instant::now();
    let attackers: Vec<_> = (0..ATTACKERS)
        .map(|_| {
            let router = app.router.clone();
            tokio::spawn(async move {
                let mut answers = Vec::new();
                while started.elapsed() < attack {
                    let sent = Instant::now();
                    let (status, headers, _) =
                        post_to(&router, &start_fields(&Code::generate().unwrap().display())).await;
                    answers.push((status, headers.contains_key(header::RETRY_AFTER), sent.elapsed()));
                    // The test's runtime has one thread: a turned-away guess
                    // is answered without waiting on anything, so let the
                    // others (and the real respondents) run, as a server's
                    // connections would.
                    tokio::task::yield_now().await;
                }
                answers
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_secs(1)).await;

    let (card, sent) = tokio::join!(
        async {
            let opened = Instant::now();
            let card = app.get(&format!("/s/{ID}?kod={}", codes[1])).await;
            let pressed = app.press_start(card.clone(), None).await;
            (card, pressed, opened.elapsed())
        },
        async {
            let sent = Instant::now();
            (post_to(&app.router, &filled_in(&form)).await.0, sent.elapsed())
        }
    );
    let mut answers = Vec::new();
    for attacker in attackers {
        answers.extend(attacker.await.unwrap());
    }
    let elapsed = started.elapsed();

    let (card, pressed, card_took) = card;
    assert_eq!(card.status, StatusCode::OK, "the card link opens: {}", card.body);
    assert_eq!(card.attributes("input[name=_code]", "value"), [codes[1].as_str()]);
    assert!(
        [StatusCode::OK, StatusCode::TOO_MANY_REQUESTS].contains(&pressed.status),
        "its Start is checked or told to wait, never held: {}",
        pressed.status
    );
    assert!(card_took < Duration::from_secs(10), "the card link answered in {card_took:?}");
    assert_eq!(sent.0, StatusCode::SEE_OTHER, "the completed form is stored, not timed out");
    assert!(sent.1 < Duration::from_secs(10), "in {:?}", sent.1);
    assert_eq!(responses(&app).await, 1, "and its response is there");

    let checked = answers.iter().filter(|(status, _, _)| *status == StatusCode::FORBIDDEN).count();
    let braked = answers.iter().filter(|(status, _, _)| *status == StatusCode::TOO_MANY_REQUESTS).count();
    let slowest = answers.iter().map(|(_, _, took)| *took).max().unwrap();
    assert_eq!(checked + braked, answers.len(), "every guess is refused or turned away");
    assert!(answers.iter().all(|(status, retry, _)| *status != StatusCode::TOO_MANY_REQUESTS || *retry), "Retry-After");
    let allowed = THRESHOLD + usize::try_from(elapsed.as_secs() / 2).unwrap() + 2;
    assert!(checked <= allowed, "{checked} guesses checked in {elapsed:?}, at most {allowed}");
    assert!(braked > checked, "most guesses are turned away: {braked} braked, {checked} checked");
    assert!(slowest < Duration::from_secs(5), "every guess is answered at once, the slowest in {slowest:?}");
    eprintln!(
        "{} guesses in {elapsed:?}: {checked} checked, {braked} braked, slowest {slowest:?}; card link {card_took:?}, form {:?}",
        answers.len(),
        sent.1
    );
}

/// The columns of a table, lower case.
async fn columns(store: &Store, table: &str) -> Vec<String> {
    match store {
        Store::Sqlite(pool) => {
            sqlx::query_scalar("SELECT name FROM pragma_table_info($1)").bind(table).fetch_all(pool).await.unwrap()
        }
        Store::Postgres(pool) => sqlx::query_scalar(
            "SELECT column_name::text FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position",
        )
        .bind(table)
        .fetch_all(pool)
        .await
        .unwrap(),
    }
}

/// The tables a table's foreign keys refer to.
async fn referenced_tables(store: &Store, table: &str) -> Vec<String> {
    match store {
        Store::Sqlite(pool) => sqlx::query_scalar("SELECT \"table\" FROM pragma_foreign_key_list($1)")
            .bind(table)
            .fetch_all(pool)
            .await
            .unwrap(),
        Store::Postgres(pool) => sqlx::query_scalar(
            "SELECT DISTINCT target.relname::text FROM pg_constraint c \
             JOIN pg_class source ON source.oid = c.conrelid JOIN pg_class target ON target.oid = c.confrelid \
             WHERE c.contype = 'f' AND source.relname = $1",
        )
        .bind(table)
        .fetch_all(pool)
        .await
        .unwrap(),
    }
}

async fn no_column_or_foreign_key_links_codes_to_responses(backend: Backend) {
    let app = coded_app(backend).await;
    let store = &app.store;
    assert_eq!(
        columns(store, "response").await,
        ["id", "questionnaire_id", "version", "language", "submitted_on", "channel"]
    );
    assert_eq!(columns(store, "answer").await, ["response_id", "position", "question_id", "option_id", "text"]);
    assert_eq!(columns(store, "code").await, ["hash", "batch_id"]);
    assert_eq!(
        columns(store, "code_batch").await,
        ["id", "questionnaire_id", "label", "created_on", "size", "revoked", "withdrawn"]
    );
    // Uses are counted per batch and reporting period, never per code or day.
    assert_eq!(columns(store, "code_batch_use").await, ["batch_id", "period", "used", "dirty"]);
    for table in ["response", "answer"] {
        for column in columns(store, table).await {
            assert!(!column.contains("code") && !column.contains("batch"), "{table}.{column} refers to codes");
        }
        for target in referenced_tables(store, table).await {
            assert!(!target.starts_with("code"), "{table} has a foreign key to {target}");
        }
    }
    for table in ["code", "code_batch", "code_batch_use"] {
        for column in columns(store, table).await {
            assert!(!column.contains("response") && !column.contains("answer"), "{table}.{column} refers to responses");
            assert!(!column.ends_with("_at") && column != "used_on", "{table}.{column} would keep a time of use");
        }
        for target in referenced_tables(store, table).await {
            assert!(target.starts_with("code"), "{table} has a foreign key to {target}");
        }
    }
}

/// Every column of every response and answer row, as text, but the ids.
async fn stored_rows(store: &Store) -> Vec<Vec<String>> {
    const RESPONSES: &str = "SELECT questionnaire_id, version, language, CAST(submitted_on AS TEXT) FROM response \
         ORDER BY id";
    const ANSWERS: &str = "SELECT CAST(position AS TEXT), question_id, COALESCE(option_id, '-'), \
         COALESCE(text, '-') FROM answer ORDER BY response_id, position";
    store.settle().await.unwrap();
    type Row = (String, String, String, String);
    let (responses, answers): (Vec<Row>, Vec<Row>) = match store {
        Store::Sqlite(pool) => (
            sqlx::query_as(RESPONSES).fetch_all(pool).await.unwrap(),
            sqlx::query_as(ANSWERS).fetch_all(pool).await.unwrap(),
        ),
        Store::Postgres(pool) => (
            sqlx::query_as(RESPONSES).fetch_all(pool).await.unwrap(),
            sqlx::query_as(ANSWERS).fetch_all(pool).await.unwrap(),
        ),
    };
    responses.into_iter().chain(answers).map(|(a, b, c, d)| vec![a, b, c, d]).collect()
}

async fn a_response_given_with_a_code_looks_like_one_given_openly(backend: Backend) {
    // The same answers, once through a code and once stored openly, each on
    // a fresh database: the rows are the same but for the random ids.
    let with_code = coded_app(backend).await;
    let staff = staff(&with_code).await;
    let (_, codes) = create_batch(&with_code, &staff, BATCH, "Mottagningen").await;
    let sent = with_code.post_form(&format!("/s/{ID}"), &answers(&codes[0])).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);

    let openly = coded_app(backend).await;
    let questionnaire = openly.catalog.get(ID).unwrap();
    let given = [
        Answer { question_id: "overall".into(), option_id: Some("fairly_satisfied".into()), text: None },
        Answer { question_id: "comment".into(), option_id: None, text: Some("Bra stöd.".into()) },
    ];
    let today = openly.today();
    let on = questionnaire.date_precision.coarsen(today);
    openly.store_response(questionnaire, "sv", on, &given).await;

    let coded_rows = stored_rows(&with_code.store).await;
    assert_eq!(coded_rows.len(), 3, "one response and two answers");
    assert_eq!(coded_rows, stored_rows(&openly.store).await);
    assert_eq!(columns(&with_code.store, "response").await, columns(&openly.store, "response").await);
}

/// `enkat codes` through the real binary, on a SQLite file: the CSV it
/// writes opens the form, the list counts uses per closed period, and
/// revoke withdraws the rest.
#[tokio::test]
async fn enkat_codes_creates_lists_and_revokes_batches() {
    let folder = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", folder.path().join("enkat.db").display());
    let enkat = |args: &[&str]| enkat_codes(&url, args);

    let help = String::from_utf8_lossy(&enkat(&["create", "--help"]).stdout).into_owned();
    assert!(help.contains("Never a person's name"), "the help warns about names in labels: {help}");

    let file = folder.path().join("sms.csv");
    let count = BATCH.to_string();
    let run = enkat(&["create", ID, "--count", &count, "--label", "SMS december", "-o", file.to_str().unwrap()]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let csv = std::fs::read_to_string(&file).unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows[0], "code,url");
    assert_eq!(rows.len(), 1 + BATCH, "{csv}");
    let (code, link) = rows[1].split_once(',').unwrap();
    assert_eq!(link, format!("https://enkat.example.org/s/{ID}?kod={code}"));

    let to_stdout = enkat(&["create", ID, "--count", "25", "--label", "Till skärmen"]);
    assert!(to_stdout.status.success());
    assert_eq!(String::from_utf8_lossy(&to_stdout.stdout).lines().count(), 1 + 25, "the CSV on standard output");

    for (args, message) in [
        (vec!["create", "no-such", "--count", "20", "--label", "x"], "no questionnaire `no-such`"),
        (vec!["create", ID, "--count", "0", "--label", "x"], "from 20 to 1000"),
        (vec!["create", ID, "--count", "5", "--label", "x"], "at least 20 codes"),
        (vec!["create", ID, "--count", "20", "--label", " "], "the label must be 1 to 100 characters"),
        (vec!["revoke", "not-an-id"], "no unrevoked batch"),
    ] {
        let run = enkat(&args);
        assert!(!run.status.success(), "{args:?} fails");
        assert!(
            String::from_utf8_lossy(&run.stderr).contains(message),
            "{args:?}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
    }

    let app = TestApp::with_database(&url, "tests/fixtures/coded").await;
    let sent = app.post_form(&format!("/s/{ID}"), &answers(code)).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "a code from the file gives a response");

    let list = enkat(&["list", ID]);
    assert!(list.status.success(), "{}", String::from_utf8_lossy(&list.stderr));
    assert!(String::from_utf8_lossy(&list.stderr).contains("A label must never name a person"));
    let listed = String::from_utf8_lossy(&list.stdout).into_owned();
    assert_eq!(listed.lines().next(), Some("id\tcreated\tcodes\trevoked\tused\tlabel"));
    let line = listed.lines().find(|line| line.ends_with("\tSMS december")).expect("the batch is listed");
    let fields: Vec<&str> = line.split('\t').collect();
    assert_eq!(&fields[2..5], [count.as_str(), "no", "-"], "codes, revoked, no use in a closed period: {line}");

    // A response stored with a date in a period that has closed, straight
    // through the store: the list shows that period's use.
    let questionnaire = app.catalog.get(ID).unwrap();
    let long_ago = questionnaire.date_precision.coarsen(app.today() - time::Duration::days(100));
    let given = [Answer { question_id: "overall".into(), option_id: Some("very_satisfied".into()), text: None }];
    let response = NewResponse {
        questionnaire,
        language: "sv",
        submitted_on: long_ago,
        answers: &given,
        submission: None,
        channel: enkat::questionnaire::Channel::Web,
    };
    let (earlier, _) = rows[3].split_once(',').unwrap();
    app.store.insert_response_with_code(&response, &Code::parse(earlier).unwrap().fingerprint(&app.key)).await.unwrap();
    let listed = String::from_utf8_lossy(&enkat(&["list", ID]).stdout).into_owned();
    let line = listed.lines().find(|line| line.ends_with("\tSMS december")).unwrap();
    let period = Period::containing(questionnaire.report_period, long_ago);
    assert_eq!(line.split('\t').nth(4), Some(format!("{period}:1").as_str()), "{line}");

    let revoke = enkat(&["revoke", fields[0]]);
    assert!(revoke.status.success(), "{}", String::from_utf8_lossy(&revoke.stderr));
    let withdrawn = format!("{} unused codes deleted", BATCH - 2);
    assert!(String::from_utf8_lossy(&revoke.stdout).contains(&withdrawn));
    let (second, _) = rows[2].split_once(',').unwrap();
    assert_used_page(&app.start(&format!("/s/{ID}?kod={second}")).await);

    let audit: Vec<String> =
        app.store.audit_events(None, 10).await.unwrap().into_iter().map(|event| event.actor).collect();
    assert_eq!(audit, ["cli", "cli", "cli"], "two batches created and one revoked, by the command line");
}

/// Row versions of `table` written (`xmin`) or deleted (`xmax`) by the
/// transaction `xid`, dead or alive, read from the table's pages as someone
/// with raw database access could.
async fn row_versions_of(pool: &sqlx::PgPool, table: &str, xid: &str) -> i64 {
    sqlx::query("CREATE EXTENSION IF NOT EXISTS pageinspect")
        .execute(pool)
        .await
        .expect("this test reads raw pages: it needs PostgreSQL's pageinspect extension (postgresql-contrib)");
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM generate_series(0, pg_relation_size($2::regclass) / current_setting('block_size')::bigint - 1) \
         AS block, LATERAL heap_page_items(get_raw_page($2, block::bigint)) \
         WHERE t_xmin::text = $1 OR t_xmax::text = $1",
    )
    .bind(xid)
    .bind(table)
    .fetch_one(pool)
    .await
    .unwrap()
}

async fn clearing_after_use_removes_what_pairs_a_code_with_its_response(backend: Backend) {
    let app = coded_app(backend).await;
    let staff = staff(&app).await;
    let (_, codes) = create_batch(&app, &staff, BATCH, "Mottagningen").await;
    let questionnaire = app.catalog.get(ID).unwrap();
    let given = [Answer { question_id: "overall".into(), option_id: Some("very_satisfied".into()), text: None }];
    let today = app.today();
    let response = NewResponse {
        questionnaire,
        language: "sv",
        submitted_on: today,
        answers: &given,
        submission: None,
        channel: enkat::questionnaire::Channel::Web,
    };
    // Straight to the store: the web would also clear, seconds later.
    let fingerprint = Code::parse(&codes[0]).unwrap().fingerprint(&app.key);
    app.store.insert_response_with_code(&response, &fingerprint).await.unwrap();
    assert_eq!(sql_count(&app.store, "SELECT COUNT(*) FROM code_batch_use WHERE dirty").await, 1);

    match &app.store {
        Store::Postgres(pool) => {
            let xid: String = sqlx::query_scalar("SELECT xmin::text FROM response").fetch_one(pool).await.unwrap();
            assert_eq!(
                row_versions_of(pool, "code", &xid).await,
                1,
                "before VACUUM the used code carries the response's xid"
            );
            assert_eq!(
                row_versions_of(pool, "code_batch_use", &xid).await,
                1,
                "so does the count of the batch's uses, written in the same transaction"
            );
            app.store.vacuum_codes().await.unwrap();
            assert_eq!(row_versions_of(pool, "code", &xid).await, 0, "after VACUUM nothing pairs them");
            assert_eq!(row_versions_of(pool, "code_batch_use", &xid).await, 0, "nor the batch with the response");
        }
        Store::Sqlite(pool) => {
            let file: String = sqlx::query_scalar("SELECT file FROM pragma_database_list WHERE name = 'main'")
                .fetch_one(pool)
                .await
                .unwrap();
            let wal = std::path::PathBuf::from(format!("{file}-wal"));
            let size = || std::fs::metadata(&wal).map(|meta| meta.len()).unwrap_or(0);
            assert!(size() > 0, "the write-ahead log holds the transaction's pages, the code's and the response's");
            app.store.vacuum_codes().await.unwrap();
            assert_eq!(size(), 0, "after the checkpoint the log is empty");
        }
    }
    assert_eq!(responses(&app).await, 1);
    assert_eq!(
        sql_count(&app.store, "SELECT COUNT(*) FROM code_batch_use WHERE dirty").await,
        0,
        "every count is cleared"
    );
    assert_eq!(sql_count(&app.store, "SELECT used FROM code_batch_use").await, 1, "and still counts the use");
    let live = sql_count(&app.store, "SELECT COUNT(*) FROM code").await;
    assert_eq!(live, BATCH as i64 - 1, "the other codes are untouched");
}

/// A tablet started with `?kiosk=1`: the code entry page, the form it opens,
/// the thank-you page and the "used" page all keep kiosk mode.
async fn a_kiosk_link_stays_in_kiosk_mode_from_the_code_to_the_next_person(backend: Backend) {
    let app = coded_app(backend).await;
    let staff = staff(&app).await;
    let (_, codes) = create_batch(&app, &staff, BATCH, "Väntrummet").await;
    let code = &codes[0];

    let start = app.get(&format!("/s/{ID}?kiosk=1")).await;
    assert_eq!(start.attributes("form.code-form input[name=kiosk]", "value"), ["1"], "the code form keeps kiosk mode");
    let form = app.start(&format!("/s/{ID}?kiosk=1&kod={code}")).await;
    assert_eq!(form.attributes("input[name=_kiosk]", "value"), ["1"], "the questionnaire form is in kiosk mode");

    let mut fields = answers(code);
    fields.push(("_kiosk", "1"));
    let sent = app.post_form(&format!("/s/{ID}"), &fields).await;
    assert_eq!(sent.header("location"), format!("/s/{ID}/tack?lang=sv&kiosk=1"), "thanked in kiosk mode");
    let used = app.post_form(&format!("/s/{ID}"), &fields).await;
    let again = used.attributes("a[href*=kiosk]", "href");
    assert!(!again.is_empty(), "the used page's way back keeps kiosk mode: {}", used.body);
}

/// The plain SHA-256 of a code as typed on a card, in hex: what a stolen
/// database must not hold (45 bits are searched by one GPU in under an hour).
fn sha256_of(code: &str) -> String {
    use sha2::Digest;
    let canonical = code.replace('-', "");
    sha2::Sha256::digest(canonical.as_bytes()).iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Every stored code value, on either database.
async fn stored_code_values(store: &Store) -> Vec<String> {
    let query = "SELECT hash FROM code";
    match store {
        Store::Sqlite(pool) => sqlx::query_scalar(query).fetch_all(pool).await.unwrap(),
        Store::Postgres(pool) => sqlx::query_scalar(query).fetch_all(pool).await.unwrap(),
    }
}

/// Issue 15, item 6: a copy of the database alone gives no code. Every code
/// of a batch is looked for, as its SHA-256, in the rows and (SQLite) in the
/// raw bytes of the database file and its log.
async fn the_database_holds_no_sha256_of_any_issued_code(backend: Backend) {
    let app = coded_app(backend).await;
    let staff = staff(&app).await;
    let (_, codes) = create_batch(&app, &staff, BATCH, "Mottagningen").await;
    let stored: HashSet<String> = stored_code_values(&app.store).await.into_iter().collect();
    assert_eq!(stored.len(), BATCH);
    for code in &codes {
        assert!(!stored.contains(&sha256_of(code)), "the database holds the plain SHA-256 of {code}");
        assert!(stored.contains(&Code::parse(code).unwrap().fingerprint(&app.key)), "its keyed MAC is stored");
    }
    if let Store::Sqlite(pool) = &app.store {
        let file: String = sqlx::query_scalar("SELECT file FROM pragma_database_list WHERE name = 'main'")
            .fetch_one(pool)
            .await
            .unwrap();
        let mut bytes = std::fs::read(&file).unwrap();
        bytes.extend(std::fs::read(format!("{file}-wal")).unwrap_or_default());
        let raw = String::from_utf8_lossy(&bytes);
        for code in &codes {
            assert!(!raw.contains(&sha256_of(code)), "the database file holds the SHA-256 of {code}");
        }
    }
    // And the codes work as before.
    let sent = app.post_form(&format!("/s/{ID}"), &answers(&codes[0])).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    assert_eq!(responses(&app).await, 1);
}

/// A database from before keys holds plain SHA-256s: the first start with a
/// key rekeys them all, once; a second start changes nothing more, and
/// every code still gives its one response.
async fn codes_stored_as_sha256_before_keys_are_rekeyed_once_and_keep_working(backend: Backend) {
    let (url, _folder) = crate::common::fresh_database_url(backend).await;
    let old = Store::connect(&url).await.unwrap();
    let codes: Vec<Code> = (0..BATCH).map(|_| Code::generate().unwrap()).collect();
    let digests: Vec<String> = codes.iter().map(|code| sha256_of(code.canonical())).collect();
    let today = Clock::system("Europe/Stockholm").unwrap().today();
    old.create_code_batch(ID, "Före nycklar", today, &digests).await.unwrap();
    old.close().await;

    let key = enkat::codes::ServiceKey::generate().unwrap();
    let app = TestApp::with_database_and_key(&url, "tests/fixtures/coded", key.clone()).await;
    let stored: HashSet<String> = stored_code_values(&app.store).await.into_iter().collect();
    let expected: HashSet<String> = codes.iter().map(|code| code.fingerprint(&key)).collect();
    assert_eq!(stored, expected, "every code is rekeyed under the key, and no SHA-256 is left");
    let sent = app.post_form(&format!("/s/{ID}"), &answers(&codes[0].display())).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "a card printed before keys still works: {}", sent.body);

    // Started again with the same key: nothing is rekeyed twice.
    let again = TestApp::with_database_and_key(&url, "tests/fixtures/coded", key.clone()).await;
    let stored: HashSet<String> = stored_code_values(&again.store).await.into_iter().collect();
    assert_eq!(stored.len(), BATCH - 1);
    assert!(stored.is_subset(&expected), "the values are those of the first start");
    let sent = again.post_form(&format!("/s/{ID}"), &answers(&codes[1].display())).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    assert_eq!(again.store.count_responses(ID).await.unwrap(), 2);

    let other = enkat::codes::ServiceKey::generate().unwrap();
    assert_eq!(again.store.adopt_key(&other).await.unwrap(), enkat::store::KeyAdoption::Different);
    let stored: HashSet<String> = stored_code_values(&again.store).await.into_iter().collect();
    assert!(stored.is_subset(&expected), "another key changes nothing");
}

/// Runs `enkat ARGS` on the database at `url` with `key` in `ENKAT_KEY` (or
/// the key file), waiting at most a minute; returns its status and stderr.
fn enkat_with_key(url: &str, key: Option<&str>, args: &[&str]) -> (bool, String) {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_enkat"));
    command
        .args(args)
        .env("DATABASE_URL", url)
        .env("ENKAT_QUESTIONNAIRES", "tests/fixtures/coded")
        .env_remove("ENKAT_KEY")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    if let Some(key) = key {
        command.env("ENKAT_KEY", key);
    }
    let mut child = command.spawn().expect("enkat runs");
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            // Both streams: `serve` logs its refusal on standard output.
            let mut said = String::new();
            std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut said).unwrap();
            std::io::Read::read_to_string(&mut child.stdout.take().unwrap(), &mut said).unwrap();
            return (status.success(), said);
        }
        if started.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            child.wait().unwrap();
            return (true, "still running after a minute: it started".to_owned());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Issue 15, item 6: the key lives in a file of its own, 0600, next to a
/// SQLite database; a start with another key, or without the file of a
/// database that has one, is refused with what happened and what to do.
#[tokio::test]
async fn the_key_file_is_private_and_a_wrong_or_lost_key_refuses_to_start() {
    use std::os::unix::fs::PermissionsExt;
    let folder = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", folder.path().join("enkat.db").display());
    let key_file = folder.path().join("enkat.key");
    let create = ["codes", "create", ID, "--count", "20", "--label", "Mottagningen"];

    let (created, stderr) = enkat_with_key(&url, None, &create);
    assert!(created, "{stderr}");
    assert!(stderr.contains("back this file up"), "the operator is told to back the new key up: {stderr}");
    let mode = std::fs::metadata(&key_file).expect("the key file is next to the database").permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "only its owner may read the key file");
    let key = std::fs::read_to_string(&key_file).unwrap();
    let database = std::fs::read(folder.path().join("enkat.db")).unwrap();
    assert!(!String::from_utf8_lossy(&database).contains(key.trim()), "the key is not in the database");

    std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (created, stderr) = enkat_with_key(&url, None, &create);
    assert!(created && stderr.contains("can be read by other users"), "a loose key file is pointed out: {stderr}");
    std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o600)).unwrap();

    let wrong = "17".repeat(32);
    let serve = ["serve", "--listen", "127.0.0.1:0", "--watch", "false"];
    for args in [&serve[..], &create[..]] {
        let (started, stderr) = enkat_with_key(&url, Some(&wrong), args);
        assert!(!started, "{args:?} with another key is refused");
        assert!(stderr.contains("not the one this database was set up with"), "{args:?}: {stderr}");
    }

    std::fs::rename(&key_file, folder.path().join("elsewhere.key")).unwrap();
    for args in [&serve[..], &create[..]] {
        let (started, stderr) = enkat_with_key(&url, None, args);
        assert!(!started, "{args:?} without the key file is refused");
        assert!(stderr.contains("is missing") && stderr.contains("backup"), "{args:?}: {stderr}");
        assert!(!key_file.exists(), "no new key replaces the lost one");
    }

    // Lost for good: forgetting it is refused while codes are live; once
    // every batch is revoked, the next start makes a new key.
    let (forgotten, stderr) = enkat_with_key(&url, None, &["codes", "forget-key"]);
    assert!(!forgotten && stderr.contains("revoke every batch first"), "{stderr}");
    let app = TestApp::with_database_and_key(
        &url,
        "tests/fixtures/coded",
        enkat::codes::ServiceKey::parse(&key, "f").unwrap(),
    )
    .await;
    for batch in batches(&app).await {
        app.store.revoke_code_batch(batch.id).await.unwrap();
    }
    let (forgotten, stderr) = enkat_with_key(&url, None, &["codes", "forget-key"]);
    assert!(forgotten, "{stderr}");
    let audited = app.store.audit_events(Some(enkat::staff::action::CODES_KEY_FORGOTTEN), 10).await.unwrap();
    assert_eq!(audited.len(), 1, "forgetting the key is in the audit log");
    let (created, stderr) = enkat_with_key(&url, None, &create);
    assert!(created, "a new key, new cards: {stderr}");
    assert!(key_file.exists());
}

/// Two answers a person (or whoever holds their phone) cannot tell apart:
/// the same status, the same headers (but the date) and the same bytes.
#[track_caller]
fn assert_alike(one: &Page, other: &Page, what: &str) {
    let headers = |page: &Page| {
        let mut headers = page.headers.clone();
        headers.remove(header::DATE);
        headers
    };
    assert_eq!(one.status, other.status, "{what}: the status");
    assert_eq!(headers(one), headers(other), "{what}: the headers");
    assert!(one.bytes == other.bytes, "{what}: the page\n{}\n---\n{}", one.body, other.body);
}

/// Issue 15, item 7: a card's link left in a browser's history, opened
/// again by someone else, showed the form (200) if the person had not
/// answered and "used" (403) if they had. Now the link's answer is the same
/// page, byte for byte, before and after answering, and the same as for an
/// unknown code but for the code in it; pressing Start, or sending a whole
/// form, with a used code and with an unknown one gives identical answers.
async fn reopening_a_card_link_never_tells_whether_its_code_was_used(backend: Backend) {
    let app = coded_app(backend).await;
    let staff = staff(&app).await;
    let (_, codes) = create_batch(&app, &staff, BATCH, "Mottagningen").await;
    let code = &codes[0];
    let link = format!("/s/{ID}?kod={code}");

    let before = app.get(&link).await;
    let form = app.start(&link).await;
    let fields = filled_in(&form);
    let fields: Vec<(&str, &str)> = fields.iter().map(|(name, value)| (name.as_str(), value.as_str())).collect();
    let sent = app.post_form(&format!("/s/{ID}"), &fields).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    assert_eq!(responses(&app).await, 1);
    let after = app.get(&link).await;
    assert_alike(&before, &after, "the card link before and after answering");

    let unknown = Code::generate().unwrap().display();
    let mut other = app.get(&format!("/s/{ID}?kod={unknown}")).await;
    other.bytes = other.body.replace(&unknown, code).into_bytes();
    assert_alike(&after, &other, "a used code's link and an unknown code's, but for the code");

    let used = Page::from(post_to(&app.router, &start_fields(code)).await);
    let never = Page::from(post_to(&app.router, &start_fields(&unknown)).await);
    assert_used_page(&used);
    assert_alike(&used, &never, "Start with a used code and with an unknown one");
    let whole = |code: &str| {
        answers(code).into_iter().map(|(name, value)| (name.to_owned(), value.to_owned())).collect::<Vec<_>>()
    };
    let used = Page::from(post_to(&app.router, &whole(code)).await);
    let never = Page::from(post_to(&app.router, &whole(&unknown)).await);
    assert_used_page(&used);
    assert_alike(&used, &never, "a whole form with a used code and with an unknown one");
    assert_eq!(responses(&app).await, 1);
}

/// Issue 15, item 7: whatever answers a request with `?kod=`, the page
/// carries the script that takes the code out of the address bar and the
/// history as it loads: every page a card's link, a typed code or a
/// hand-edited address can reach, errors included.
async fn every_page_answering_a_kod_request_carries_the_script_that_clears_it(backend: Backend) {
    let app = coded_app(backend).await;
    let staff = staff(&app).await;
    let (_, codes) = create_batch(&app, &staff, BATCH, "Mottagningen").await;
    let used = &codes[1];
    let sent = app.post_form(&format!("/s/{ID}"), &answers(used)).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    let live = &codes[0];
    let unknown = Code::generate().unwrap().display();
    let not_yet_open = TestApp::with_clock(backend, "tests/fixtures/reach", clock_at("2026-11-15T12:00:00Z")).await;

    let mut pages = Vec::new();
    for (what, uri) in [
        ("the page asking for the code", format!("/s/{ID}?kod=")),
        ("a malformed code", format!("/s/{ID}?kod=ABCDE")),
        ("a mistyped code", format!("/s/{ID}?kod=22222-22223")),
        ("a live code", format!("/s/{ID}?kod={live}")),
        ("a used code", format!("/s/{ID}?kod={used}")),
        ("an unknown code", format!("/s/{ID}?kod={unknown}")),
        ("in English", format!("/s/{ID}?lang=en&kod={live}")),
        ("in Arabic", format!("/s/{ID}?lang=ar&kod={live}")),
        ("in kiosk mode", format!("/s/{ID}?kiosk=1&kod={live}")),
        ("an open questionnaire", format!("/s/nexus?kod={live}")),
        ("no such questionnaire", format!("/s/finns-inte?kod={live}")),
        ("no such page", format!("/ingenting?kod={live}")),
        ("the thank-you page", format!("/s/{ID}/tack?kod={live}")),
        ("the safety page", format!("/s/{ID}/sakert?kod={live}")),
        ("the privacy page", format!("/integritet?kod={live}")),
    ] {
        pages.push((what.to_owned(), app.get(&uri).await));
    }
    pages.push(("a questionnaire not yet open".into(), not_yet_open.get(&format!("/s/winter?kod={live}")).await));
    pages.push(("Start with a used code".into(), Page::from(post_to(&app.router, &start_fields(used)).await)));
    let braking = router_with(&app, CodeGuard::new(0, Duration::from_secs(3600)), app.clock.clone());
    post_to(&braking, &start_fields(&unknown)).await;
    pages.push(("many attempts right now".into(), Page::from(post_to(&braking, &start_fields(live)).await)));
    assert_eq!(pages.last().unwrap().1.status, StatusCode::TOO_MANY_REQUESTS);

    for (what, page) in &pages {
        assert!(
            page.attributes("script[src=\"/assets/enkat.js\"]", "src").len() == 1,
            "{what} ({}) carries the script: {}",
            page.status,
            page.body
        );
    }
    let script = app.get("/assets/enkat.js").await;
    assert!(script.body.contains("searchParams.delete(\"kod\")") && script.body.contains("history.replaceState"));
}

/// Issue 15, item 7: the safety page says, in each of its languages, what a
/// card's link leaves in the browser and what it does not tell.
#[tokio::test]
async fn the_safety_page_says_what_a_card_link_leaves_in_the_browser() {
    // The shipped questionnaire speaks all three; the page is the same for every questionnaire.
    let app = TestApp::shipped(Backend::Sqlite).await;
    for (language, leaves, tells) in [
        ("sv", "tar sidan bort koden ur adressfältet och historiken", "den visar inte om du har svarat"),
        ("en", "removes the code from the address bar and the history", "it does not show whether you have answered"),
        ("ar", "تحذف الصفحة الرمز من شريط العنوان ومن السجلّ", "فهي لا تُظهر إن كنت قد أجبت"),
    ] {
        let page = app.get(&format!("/s/nexus/sakert?lang={language}")).await;
        assert_eq!(page.status, StatusCode::OK);
        let text = page.texts("p").join(" ");
        assert!(text.contains(leaves) && text.contains(tells), "{language}: {text}");
    }
}

async fn a_card_of_a_questionnaire_with_a_neutral_title_does_not_name_it(backend: Backend) {
    // The coded questionnaire, with a neutral title: its cards may be found
    // in a bag by the person the respondent fears.
    let folder = tempfile::tempdir().unwrap();
    let source =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/coded/nexus-kort.toml")).unwrap();
    let neutral = source.replacen("access = \"code\"", "access = \"code\"\nneutral_title = true", 1);
    assert_ne!(neutral, source);
    std::fs::write(folder.path().join("nexus-kort.toml"), neutral).unwrap();
    let app = TestApp::with_questionnaires(backend, folder.path().to_str().unwrap()).await;
    let staff = staff(&app).await;
    let (page, _) = create_batch(&app, &staff, 20, "Mottagningen").await;

    assert_eq!(page.texts(".card-title"), vec!["Enkät"; 20]);
    // The link shows the questionnaire's id, which the administrator
    // chooses (docs/questionnaire-format.md says to choose a neutral one).
    let cards = page.texts(".card").concat();
    assert!(!cards.contains("Nexus"), "no card carries the title: {cards}");
}
