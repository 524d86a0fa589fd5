//! Reaching respondents: a questionnaire takes answers only from its opening
//! day to its closing day (Stockholm time), a form sent twice is stored once,
//! and kiosk mode leaves a shared tablet empty for the next person.

use crate::common::{Backend, Page, TestApp};
use axum::http::StatusCode;
use enkat::clock::Clock;
use time::macros::date;

on_both_databases!(
    the_survey_is_closed_until_its_opening_day_begins_in_stockholm,
    the_survey_is_open_until_its_closing_day_ends_in_stockholm,
    the_closed_page_speaks_english_when_asked,
    a_form_sent_before_opening_gets_the_calm_page_and_stores_nothing,
    a_form_loaded_before_closing_and_sent_after_gets_the_calm_page_and_stores_nothing,
    the_same_form_sent_twice_is_stored_once_and_thanked_twice,
    two_forms_are_two_responses,
    two_people_starting_from_the_same_start_page_get_tokens_of_their_own,
    a_start_page_from_before_keeps_the_token_it_carries,
    a_refused_form_keeps_its_token_and_does_not_use_it_up,
    a_form_without_a_token_is_still_stored,
    a_kiosk_thank_you_page_returns_to_an_empty_form,
    a_kiosk_form_can_be_started_afresh,
    a_link_can_ask_for_kiosk_mode,
    an_ordinary_form_is_not_in_kiosk_mode,
    old_submission_tokens_are_forgotten,
);

const FIXTURES: &str = "tests/fixtures/reach";

/// The service's clock stopped at `instant` (UTC), in Stockholm.
fn at(instant: &str) -> Clock {
    Clock::fixed(instant.parse().expect("an RFC 3339 instant"), "Europe/Stockholm").expect("a known time zone")
}

/// 1 December 2026 begins in Stockholm (CET, UTC+1) at 23:00 UTC the day before.
const LAST_SECOND_BEFORE_OPENING: &str = "2026-11-30T22:59:59Z";
const FIRST_SECOND_OF_OPENING_DAY: &str = "2026-11-30T23:00:00Z";
const LAST_SECOND_OF_CLOSING_DAY: &str = "2027-01-31T22:59:59Z";
const FIRST_SECOND_AFTER_CLOSING: &str = "2027-01-31T23:00:00Z";

/// The app serving the test questionnaires, at a moment when all are open.
async fn app(backend: Backend) -> TestApp {
    TestApp::with_clock(backend, FIXTURES, at("2026-12-15T12:00:00Z")).await
}

#[track_caller]
fn token_of(page: &Page) -> String {
    let tokens = page.attributes("input[type=hidden][name=_submission]", "value");
    assert_eq!(tokens.len(), 1, "the form carries one submission token: {}", page.body);
    tokens.into_iter().next().unwrap()
}

/// A complete answer, sent with the form's token (if any).
fn answers(token: Option<&str>) -> Vec<(&str, &str)> {
    let mut fields = vec![("_lang", "sv"), ("overall", "fairly_satisfied"), ("comment", "Tack.")];
    fields.extend(token.map(|token| ("_submission", token)));
    fields
}

#[track_caller]
fn assert_thanked(page: &Page, location: &str) {
    assert_eq!(page.status, StatusCode::SEE_OTHER, "the person is sent on: {}", page.body);
    assert_eq!(page.header("location"), location);
}

#[track_caller]
fn assert_shows_form(page: &Page) {
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.attributes("form[method=post]", "action"), ["/s/winter"], "the form is shown");
}

#[track_caller]
fn assert_not_open(page: &Page, status: StatusCode, when: &str) {
    assert_eq!(page.status, status, "{}", page.body);
    assert!(page.attributes("form", "method").is_empty(), "no form while the survey is not open");
    assert_eq!(page.text("p.not-open"), "Enkäten är inte öppen just nu.");
    assert!(page.texts("main p").contains(&when.to_owned()), "the page says {when:?}: {:?}", page.texts("main p"));
    assert_eq!(page.texts(".exit-button"), ["Lämna sidan"], "the way out is there as on every page");
}

async fn count(app: &TestApp, questionnaire: &str) -> i64 {
    app.store.count_responses(questionnaire).await.unwrap()
}

async fn the_survey_is_closed_until_its_opening_day_begins_in_stockholm(backend: Backend) {
    let before = TestApp::with_clock(backend, FIXTURES, at(LAST_SECOND_BEFORE_OPENING)).await;
    let page = before.get("/s/winter").await;
    assert_not_open(&page, StatusCode::OK, "Den öppnar den 1 december 2026.");

    let opening = TestApp::with_clock(backend, FIXTURES, at(FIRST_SECOND_OF_OPENING_DAY)).await;
    assert_shows_form(&opening.start("/s/winter").await);
}

async fn the_survey_is_open_until_its_closing_day_ends_in_stockholm(backend: Backend) {
    let last = TestApp::with_clock(backend, FIXTURES, at(LAST_SECOND_OF_CLOSING_DAY)).await;
    let page = last.start("/s/winter").await;
    assert_shows_form(&page);
    let sent = last.post_form("/s/winter", &answers(Some(&token_of(&page)))).await;
    assert_thanked(&sent, "/s/winter/tack?lang=sv");
    assert_eq!(count(&last, "winter").await, 1, "an answer on the last second of the closing day is stored");

    let after = TestApp::with_clock(backend, FIXTURES, at(FIRST_SECOND_AFTER_CLOSING)).await;
    let page = after.get("/s/winter").await;
    assert_not_open(&page, StatusCode::OK, "Den stängde den 31 januari 2027. Tack för att du ville svara.");
}

async fn the_closed_page_speaks_english_when_asked(backend: Backend) {
    let app = TestApp::with_clock(backend, FIXTURES, at(LAST_SECOND_BEFORE_OPENING)).await;
    let page = app.get("/s/winter?lang=en").await;
    assert_eq!(page.attributes("html", "lang"), ["en"]);
    assert_eq!(page.text("p.not-open"), "The survey is not open just now.");
    assert!(page.texts("main p").contains(&"It opens on 1 December 2026.".to_owned()), "{:?}", page.texts("main p"));
    assert_eq!(page.texts(".exit-button"), ["Leave this page"]);

    let after = TestApp::with_clock(backend, FIXTURES, at(FIRST_SECOND_AFTER_CLOSING)).await;
    let page = after.get("/s/winter?lang=en").await;
    let closed = "It closed on 31 January 2027. Thank you for wanting to answer.".to_owned();
    assert!(page.texts("main p").contains(&closed), "{:?}", page.texts("main p"));
}

async fn a_form_sent_before_opening_gets_the_calm_page_and_stores_nothing(backend: Backend) {
    let app = TestApp::with_clock(backend, FIXTURES, at(LAST_SECOND_BEFORE_OPENING)).await;
    let page = app.post_form("/s/winter", &answers(Some("0123456789abcdef0123456789abcdef"))).await;
    assert_not_open(&page, StatusCode::FORBIDDEN, "Den öppnar den 1 december 2026.");
    assert_eq!(count(&app, "winter").await, 0, "nothing is stored before the survey opens");

    let opening = TestApp::with_clock(backend, FIXTURES, at(FIRST_SECOND_OF_OPENING_DAY)).await;
    let sent = opening.post_form("/s/winter", &answers(None)).await;
    assert_thanked(&sent, "/s/winter/tack?lang=sv");
    assert_eq!(count(&opening, "winter").await, 1, "an answer in the first second of the opening day is stored");
}

async fn a_form_loaded_before_closing_and_sent_after_gets_the_calm_page_and_stores_nothing(backend: Backend) {
    let before = TestApp::with_clock(backend, FIXTURES, at(LAST_SECOND_OF_CLOSING_DAY)).await;
    let token = token_of(&before.start("/s/winter?lang=en").await);

    let after = TestApp::with_clock(backend, FIXTURES, at(FIRST_SECOND_AFTER_CLOSING)).await;
    let mut fields = answers(Some(&token));
    fields[0] = ("_lang", "en");
    // Even a field the questionnaire no longer has gets the calm page, not an error.
    fields.push(("removed_question", "yes"));
    let page = after.post_form("/s/winter", &fields).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN, "{}", page.body);
    assert_eq!(page.attributes("html", "lang"), ["en"], "in the language the person answered in");
    assert_eq!(page.text("p.not-open"), "The survey is not open just now.");
    assert_eq!(count(&after, "winter").await, 0, "nothing is stored after the survey closes");
}

async fn the_same_form_sent_twice_is_stored_once_and_thanked_twice(backend: Backend) {
    let app = app(backend).await;
    let token = token_of(&app.start("/s/link").await);

    let first = app.post_form("/s/link", &answers(Some(&token))).await;
    let second = app.post_form("/s/link", &answers(Some(&token))).await;

    assert_thanked(&first, "/s/link/tack?lang=sv");
    assert_thanked(&second, "/s/link/tack?lang=sv");
    assert_eq!(count(&app, "link").await, 1, "a double click stores one response");
}

async fn two_forms_are_two_responses(backend: Backend) {
    let app = app(backend).await;
    let one = token_of(&app.start("/s/link").await);
    let two = token_of(&app.start("/s/link").await);
    assert_ne!(one, two, "every form started gets a token of its own");

    assert_thanked(&app.post_form("/s/link", &answers(Some(&one))).await, "/s/link/tack?lang=sv");
    assert_thanked(&app.post_form("/s/link", &answers(Some(&two))).await, "/s/link/tack?lang=sv");
    assert_eq!(count(&app, "link").await, 2);
}

async fn two_people_starting_from_the_same_start_page_get_tokens_of_their_own(backend: Backend) {
    let app = app(backend).await;
    let start = app.get("/s/link").await;
    assert!(
        start.attributes("input[name=_submission]", "value").is_empty(),
        "the start page is the same for everyone: no token yet"
    );
    let one = token_of(&app.press_start(start.clone(), None).await);
    let two = token_of(&app.press_start(start, None).await);
    assert_ne!(one, two, "the token is drawn when a form is started");

    for token in [&one, &one, &two] {
        assert_thanked(&app.post_form("/s/link", &answers(Some(token))).await, "/s/link/tack?lang=sv");
    }
    assert_eq!(count(&app, "link").await, 2, "two people's forms are two responses, one form sent twice is one");
}

async fn a_start_page_from_before_keeps_the_token_it_carries(backend: Backend) {
    // A start page loaded before tokens were drawn on starting carried one.
    let app = app(backend).await;
    let fields = [("_lang", "sv"), ("_page", "start"), ("_submission", "0123456789abcdef0123456789abcdef")];
    let first = app.post_form("/s/link", &fields).await;
    assert_eq!(token_of(&first), "0123456789abcdef0123456789abcdef");
}

async fn a_refused_form_keeps_its_token_and_does_not_use_it_up(backend: Backend) {
    let app = app(backend).await;
    let token = token_of(&app.start("/s/link").await);

    let without_overall: Vec<_> = answers(Some(&token)).into_iter().filter(|(name, _)| *name != "overall").collect();
    let refused = app.post_form("/s/link", &without_overall).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(token_of(&refused), token, "the form shown again carries the same token");
    assert_eq!(count(&app, "link").await, 0);

    let fixed = app.post_form("/s/link", &answers(Some(&token))).await;
    assert_thanked(&fixed, "/s/link/tack?lang=sv");
    assert_eq!(count(&app, "link").await, 1, "the refused send did not use the token up");
}

async fn a_form_without_a_token_is_still_stored(backend: Backend) {
    // A page loaded before tokens existed, or a script: accepted, without
    // protection against a second send.
    let app = app(backend).await;
    assert_thanked(&app.post_form("/s/link", &answers(None)).await, "/s/link/tack?lang=sv");
    assert_thanked(&app.post_form("/s/link", &answers(None)).await, "/s/link/tack?lang=sv");
    assert_eq!(count(&app, "link").await, 2);
}

async fn a_kiosk_thank_you_page_returns_to_an_empty_form(backend: Backend) {
    let app = app(backend).await;
    let form = app.start("/s/lobby?lang=en").await;
    let token = token_of(&form);
    let mut fields = answers(Some(&token));
    fields[0] = ("_lang", "en");
    fields.push(("_kiosk", "1"));
    let sent = app.post_form("/s/lobby", &fields).await;
    assert_thanked(&sent, "/s/lobby/tack?lang=en&kiosk=1");

    let thanks = app.get("/s/lobby/tack?lang=en&kiosk=1").await;
    assert_eq!(thanks.status, StatusCode::OK);
    assert_eq!(
        thanks.attributes("head meta[http-equiv=refresh]", "content"),
        ["10;url=/s/lobby?kiosk=1&lang=en"],
        "the page returns to an empty form without JavaScript"
    );
    assert!(thanks.text(".kiosk-restart").contains("The form starts again in a moment"));
    assert_eq!(thanks.attributes(".kiosk-restart a", "href"), ["/s/lobby?kiosk=1&lang=en"]);
    assert_eq!(thanks.texts(".kiosk-restart a"), ["Start again now"]);
}

async fn a_kiosk_form_can_be_started_afresh(backend: Backend) {
    let app = app(backend).await;
    let page = app.start("/s/lobby").await;
    assert_eq!(page.attributes(".kiosk-restart a", "href"), ["/s/lobby?kiosk=1&lang=sv"]);
    assert_eq!(page.texts(".kiosk-restart a"), ["Börja om"]);
    assert_eq!(page.attributes("form", "data-kiosk-restart"), ["/s/lobby?kiosk=1&lang=sv"]);
    assert_eq!(page.attributes("input[type=hidden][name=_kiosk]", "value"), ["1"]);

    let script = app.get("/assets/enkat.js").await.body;
    assert!(script.contains("Kiosk mode, idle reset"), "the script has its idle-reset section");
    for part in ["form[data-kiosk-restart]", "3 * 60 * 1000", "form.reset()", "location.replace(freshUrl)"] {
        assert!(script.contains(part), "the idle reset uses {part}");
    }
    for event in ["\"input\"", "\"click\"", "\"keydown\""] {
        assert!(script.contains(event), "touching the form ({event}) starts the wait again");
    }
}

async fn a_link_can_ask_for_kiosk_mode(backend: Backend) {
    let app = app(backend).await;
    let page = app.get("/s/link?kiosk=1&lang=en").await;
    assert_eq!(page.attributes("form", "data-kiosk-restart"), ["/s/link?kiosk=1&lang=en"]);
    assert_eq!(page.attributes("input[type=hidden][name=_kiosk]", "value"), ["1"]);
    assert_eq!(
        page.attributes("nav.languages a", "href"),
        ["?lang=sv&kiosk=1"],
        "changing language stays in kiosk mode"
    );

    let started = app.press_start(page, None).await;
    assert_eq!(started.attributes("input[type=hidden][name=_kiosk]", "value"), ["1"], "kiosk mode is carried on");
    let token = token_of(&started);
    let mut fields = answers(Some(&token));
    fields[0] = ("_lang", "en");
    fields.push(("_kiosk", "1"));
    assert_thanked(&app.post_form("/s/link", &fields).await, "/s/link/tack?lang=en&kiosk=1");
    let thanks = app.get("/s/link/tack?lang=en&kiosk=1").await;
    assert_eq!(thanks.attributes("meta[http-equiv=refresh]", "content"), ["10;url=/s/link?kiosk=1&lang=en"]);
}

async fn an_ordinary_form_is_not_in_kiosk_mode(backend: Backend) {
    let app = app(backend).await;
    let page = app.start("/s/link").await;
    assert!(page.attributes("form", "data-kiosk-restart").is_empty());
    assert!(page.texts(".kiosk-restart").is_empty());
    assert!(page.attributes("input[name=_kiosk]", "value").is_empty());
    let thanks = app.get("/s/link/tack?lang=sv").await;
    assert!(thanks.attributes("meta[http-equiv=refresh]", "content").is_empty(), "an ordinary thank-you page stays");
}

async fn old_submission_tokens_are_forgotten(backend: Backend) {
    // The token's date is the response's coarse date: the Monday of the week.
    let app = TestApp::with_clock(backend, FIXTURES, at("2026-12-17T12:00:00Z")).await;
    let token = token_of(&app.start("/s/link").await);
    assert_thanked(&app.post_form("/s/link", &answers(Some(&token))).await, "/s/link/tack?lang=sv");

    assert_eq!(app.store.forget_submissions_before(date!(2026 - 12 - 14)).await.unwrap(), 0, "not older than that");
    assert_eq!(app.store.forget_submissions_before(date!(2026 - 12 - 15)).await.unwrap(), 1);

    // Forgotten: the same form would now be stored again.
    assert_thanked(&app.post_form("/s/link", &answers(Some(&token))).await, "/s/link/tack?lang=sv");
    assert_eq!(count(&app, "link").await, 2);
}
