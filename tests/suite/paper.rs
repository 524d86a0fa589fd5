//! Paper entry (issue 18), on both databases: a member of staff types in a
//! paper form at `/staff/q/{id}/paper`; it goes through the web form's
//! checks, with the paper channel's documented differences, is stored with
//! channel `paper` and counted like any response, uses up a code like the
//! web form, and leaves one counting audit line per staff member and day.

use crate::common::{Backend, PASSWORD, Page, TestApp};
use axum::http::StatusCode;
use enkat::clock::Clock;
use enkat::store::Store;
use time::macros::date;

on_both_databases!(
    a_paper_form_is_stored_as_paper_and_counted_in_the_results,
    the_same_answers_get_the_same_verdict_on_the_web_and_on_paper_but_for_the_documented_differences,
    a_refused_paper_form_keeps_what_was_typed_and_stores_nothing,
    a_code_is_used_once_whether_on_paper_or_on_the_web,
    the_audit_log_counts_the_forms_a_day_in_one_line_without_naming_a_response,
    a_paper_form_sent_twice_is_stored_once,
    anonymous_and_csrf_less_entries_are_refused,
    a_batch_dated_in_an_earlier_period_is_stored_in_it,
);

const OPEN: &str = "papper";
const CODED: &str = "papper-kod";

async fn paper_app(backend: Backend) -> TestApp {
    TestApp::with_questionnaires(backend, "tests/fixtures/paper").await
}

/// A member of staff who is not an admin: cookie and CSRF token.
struct Staff {
    cookie: String,
    csrf: String,
}

async fn staff(app: &TestApp) -> Staff {
    app.add_staff("handlaggare", PASSWORD, false).await;
    let cookie = app.login("handlaggare", PASSWORD).await;
    let csrf = app.csrf_token(&cookie).await;
    Staff { cookie, csrf }
}

fn entry_url(id: &str) -> String {
    format!("/staff/q/{id}/paper")
}

/// Opens the entry page and sends `answers` with its token (and the CSRF
/// token), as a member of staff does.
async fn enter(app: &TestApp, staff: &Staff, id: &str, answers: &[(&str, &str)]) -> Page {
    let empty = app.get_as(&staff.cookie, &entry_url(id)).await;
    assert_eq!(empty.status, StatusCode::OK, "{}", empty.body);
    let token = empty.attributes("input[name=_submission]", "value").pop().expect("a submission token");
    send(app, staff, id, &token, answers).await
}

async fn send(app: &TestApp, staff: &Staff, id: &str, token: &str, answers: &[(&str, &str)]) -> Page {
    let mut fields = vec![("_csrf", staff.csrf.as_str()), ("_submission", token), ("_lang", "sv")];
    fields.extend_from_slice(answers);
    app.post_form_as(&staff.cookie, &entry_url(id), &fields).await
}

/// How many responses to `id` came in by `channel`, from the rows.
async fn stored(app: &TestApp, id: &str, channel: &str) -> i64 {
    const QUERY: &str = "SELECT COUNT(*) FROM response WHERE questionnaire_id = $1 AND channel = $2";
    app.store.settle().await.unwrap();
    match &app.store {
        Store::Sqlite(pool) => sqlx::query_scalar(QUERY).bind(id).bind(channel).fetch_one(pool).await.unwrap(),
        Store::Postgres(pool) => sqlx::query_scalar(QUERY).bind(id).bind(channel).fetch_one(pool).await.unwrap(),
    }
}

/// How many responses to `id` by `channel` the tallies count.
async fn tallied(app: &TestApp, id: &str, channel: &str) -> i64 {
    const QUERY: &str = "SELECT CAST(COALESCE(SUM(responses), 0) AS BIGINT) FROM response_tally \
         WHERE questionnaire_id = $1 AND channel = $2";
    match &app.store {
        Store::Sqlite(pool) => sqlx::query_scalar(QUERY).bind(id).bind(channel).fetch_one(pool).await.unwrap(),
        Store::Postgres(pool) => sqlx::query_scalar(QUERY).bind(id).bind(channel).fetch_one(pool).await.unwrap(),
    }
}

/// The questions a page marks as having a problem.
fn problems(page: &Page) -> Vec<String> {
    page.attributes(".question.has-error", "id").into_iter().map(|id| id.replace("question-", "")).collect()
}

const VALID: &[(&str, &str)] = &[
    ("overall", "good"),
    ("received", "move"),
    ("helped", "yes"),
    ("missing", "money"),
    ("missing.other", "Ett boende"),
    ("biggest", "money"),
    ("comment", "Bra stöd."),
];

async fn a_paper_form_is_stored_as_paper_and_counted_in_the_results(backend: Backend) {
    let app = paper_app(backend).await;
    let staff = staff(&app).await;
    let page = enter(&app, &staff, OPEN, VALID).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(stored(&app, OPEN, "paper").await, 1, "stored with channel 'paper'");
    assert_eq!(stored(&app, OPEN, "web").await, 0);
    assert_eq!(tallied(&app, OPEN, "paper").await, 1, "counted in the tallies, as paper");

    let next = app.get_as(&staff.cookie, page.header("location")).await;
    assert_eq!(next.text(".paper-saved"), "Formuläret är sparat (1 inmatade i dag).");
    assert!(!next.body.contains("checked"), "the next form starts empty: {}", next.body);
    assert_eq!(next.attributes("[autofocus]", "id"), ["q-overall-good"], "the focus at the first question");
}

/// One answer case: the answers, then the questions each path refuses
/// (none: stored).
struct Case {
    name: &'static str,
    answers: &'static [(&'static str, &'static str)],
    web: &'static [&'static str],
    paper: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case { name: "valid", answers: VALID, web: &[], paper: &[] },
    Case {
        name: "an exclusive option ticked with another",
        answers: &[("overall", "good"), ("received", "none"), ("received", "move")],
        web: &["received"],
        paper: &["received"],
    },
    Case {
        name: "two ticks in a single-choice question",
        answers: &[("overall", "good"), ("overall", "bad")],
        web: &["overall"],
        paper: &["overall"],
    },
    // Documented difference: the web drops the answer to a question it did
    // not show; on paper it is a contradiction to resolve.
    Case {
        name: "an answer to a question the form says to skip",
        answers: &[("overall", "good"), ("received", "none"), ("helped", "yes")],
        web: &[],
        paper: &["helped"],
    },
    Case { name: "an unknown option", answers: &[("overall", "maybe")], web: &["overall"], paper: &["overall"] },
    // Documented difference: a paper form cannot force an answer.
    Case { name: "everything blank", answers: &[], web: &["overall"], paper: &[] },
    Case {
        name: "an option not among those ticked in the question it follows",
        answers: &[("overall", "bad"), ("missing", "move"), ("biggest", "money")],
        web: &["biggest"],
        paper: &["biggest"],
    },
];

async fn the_same_answers_get_the_same_verdict_on_the_web_and_on_paper_but_for_the_documented_differences(
    backend: Backend,
) {
    let app = paper_app(backend).await;
    let staff = staff(&app).await;
    let (mut web_stored, mut paper_stored) = (0, 0);
    for case in CASES {
        let mut fields = vec![("_lang", "sv")];
        fields.extend_from_slice(case.answers);
        let web = app.post_form(&format!("/s/{OPEN}"), &fields).await;
        let paper = enter(&app, &staff, OPEN, case.answers).await;
        for (path, page, refused, count) in
            [("web", &web, case.web, &mut web_stored), ("paper", &paper, case.paper, &mut paper_stored)]
        {
            if refused.is_empty() {
                assert_eq!(page.status, StatusCode::SEE_OTHER, "{}, {path}: stored: {}", case.name, page.body);
                *count += 1;
            } else {
                assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}, {path}: refused", case.name);
                assert_eq!(problems(page), refused, "{}, {path}: the questions with a problem", case.name);
            }
            assert_eq!(stored(&app, OPEN, path).await, *count, "{}, {path}: stored or not", case.name);
        }
    }
    // What the web dropped: the skipped question's answer is not stored.
    let skipped = enter(&app, &staff, OPEN, &[("overall", "good"), ("received", "none"), ("helped", "yes")]).await;
    assert!(
        skipped.text(".error-summary").contains(
            "Enligt svaret på fråga 2 ska den här frågan hoppas över: lämna den tom eller ändra svaret på fråga 2."
        ),
        "{}",
        skipped.text(".error-summary")
    );
    let not_ticked = enter(&app, &staff, OPEN, &[("missing", "move"), ("biggest", "money")]).await;
    assert!(not_ticked.text("#error-biggest").contains("ikryssade i fråga 4"), "{}", not_ticked.text("#error-biggest"));
}

async fn a_refused_paper_form_keeps_what_was_typed_and_stores_nothing(backend: Backend) {
    let app = paper_app(backend).await;
    let staff = staff(&app).await;
    let answers = [("overall", "good"), ("received", "none"), ("received", "money"), ("comment", "Kvar")];
    let page = enter(&app, &staff, OPEN, &answers).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(page.attributes(".error-summary a", "href"), ["#q-received-move"], "a link to the question");
    assert!(page.is_checked("overall", "good") && page.is_checked("received", "none"));
    assert!(page.is_checked("received", "money"), "nothing changed silently");
    assert_eq!(page.text("#q-comment"), "Kvar");
    assert_eq!(stored(&app, OPEN, "paper").await, 0);
    assert!(app.store.audit_events(Some("paper_entered"), 10).await.unwrap().is_empty(), "nothing counted");

    let bad_period = enter(&app, &staff, OPEN, &[("_period", "1999-01"), ("overall", "good")]).await;
    assert_eq!(bad_period.status, StatusCode::UNPROCESSABLE_ENTITY, "a period the page did not offer");
    assert_eq!(bad_period.attributes(".error-summary a", "href"), ["#paper-period"]);
    assert_eq!(stored(&app, OPEN, "paper").await, 0);
}

/// The codes of a new batch, made on the staff page.
async fn codes(app: &TestApp) -> Vec<String> {
    let cookie = app.logged_in_admin().await;
    let csrf = app.csrf_token(&cookie).await;
    let fields = [("_csrf", csrf.as_str()), ("count", "20"), ("label", "Papper")];
    let page = app.post_form_as(&cookie, &format!("/staff/q/{CODED}/codes"), &fields).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.texts(".card-code")
}

async fn a_code_is_used_once_whether_on_paper_or_on_the_web(backend: Backend) {
    let app = paper_app(backend).await;
    let staff = staff(&app).await;
    let codes = codes(&app).await;

    let missing = enter(&app, &staff, CODED, &[("overall", "good")]).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY, "a coded form needs its code");
    assert_eq!(missing.attributes(".error-summary a", "href"), ["#paper-code"]);

    let first = enter(&app, &staff, CODED, &[("_code", &codes[0]), ("overall", "good")]).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.body);
    assert_eq!(web(&app, &codes[0]).await.status, StatusCode::FORBIDDEN, "used on paper: refused on the web");

    assert_eq!(web(&app, &codes[1]).await.status, StatusCode::SEE_OTHER, "used on the web");
    let again = enter(&app, &staff, CODED, &[("_code", &codes[1]), ("overall", "bad"), ("comment", "Kvar")]).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "used on the web: refused on paper");
    assert!(again.text("#error-code").contains("redan använd"), "{}", again.text("#error-code"));
    assert!(again.is_checked("overall", "bad"), "the answers kept");
    assert_eq!(again.attributes("#paper-code", "value"), [codes[1].clone()]);

    assert_eq!(stored(&app, CODED, "paper").await, 1);
    assert_eq!(stored(&app, CODED, "web").await, 1);
}

/// A web answer to the coded questionnaire with `code`.
async fn web(app: &TestApp, code: &str) -> Page {
    app.post_form(&format!("/s/{CODED}"), &[("_lang", "sv"), ("_code", code), ("overall", "good")]).await
}

async fn the_audit_log_counts_the_forms_a_day_in_one_line_without_naming_a_response(backend: Backend) {
    let app = paper_app(backend).await;
    let staff = staff(&app).await;
    for n in 1..=3 {
        let page = enter(&app, &staff, OPEN, &[("overall", "good")]).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        let next = app.get_as(&staff.cookie, page.header("location")).await;
        assert_eq!(next.text(".paper-saved"), format!("Formuläret är sparat ({n} inmatade i dag)."));
    }
    let events = app.store.audit_events(Some("paper_entered"), 10).await.unwrap();
    assert_eq!(events.len(), 1, "one line per staff member, questionnaire and day");
    let event = &events[0];
    assert_eq!((event.actor.as_str(), event.details.as_str()), ("handlaggare", "papper: 3 formulär"));
    assert_eq!(event.at.time(), time::Time::MIDNIGHT, "the day, never the moment of a form");
    assert_eq!(event.at.date(), app.today());
    const TALLY: &str = "SELECT tally FROM audit_event WHERE action = 'paper_entered'";
    let tally: i64 = match &app.store {
        Store::Sqlite(pool) => sqlx::query_scalar(TALLY).fetch_one(pool).await.unwrap(),
        Store::Postgres(pool) => sqlx::query_scalar(TALLY).fetch_one(pool).await.unwrap(),
    };
    assert_eq!(tally, 3);

    // Another questionnaire gets a line of its own; the audit page shows them.
    let coded = enter(&app, &staff, CODED, &[("_code", "AAAAA-AAAAA")]).await;
    assert_eq!(coded.status, StatusCode::UNPROCESSABLE_ENTITY, "a mistyped code stores and counts nothing");
    let admin = app.logged_in_admin().await;
    let audit = app.get_as(&admin, "/staff/audit?action=paper_entered").await;
    assert!(audit.body.contains("papper: 3 formulär"), "{}", audit.body);
    assert!(audit.body.contains("Papperssvar inmatade"));
}

async fn a_paper_form_sent_twice_is_stored_once(backend: Backend) {
    let app = paper_app(backend).await;
    let staff = staff(&app).await;
    let empty = app.get_as(&staff.cookie, &entry_url(OPEN)).await;
    let token = empty.attributes("input[name=_submission]", "value").pop().unwrap();
    let first = send(&app, &staff, OPEN, &token, &[("overall", "good")]).await;
    let second = send(&app, &staff, OPEN, &token, &[("overall", "good")]).await;
    assert_eq!((first.status, second.status), (StatusCode::SEE_OTHER, StatusCode::SEE_OTHER));
    assert_eq!(stored(&app, OPEN, "paper").await, 1, "a double click stores once");
    let after = app.get_as(&staff.cookie, second.header("location")).await;
    assert!(after.text(".paper-saved").contains("redan sparat"), "{}", after.text(".paper-saved"));
    let events = app.store.audit_events(Some("paper_entered"), 10).await.unwrap();
    assert_eq!(events[0].details, "papper: 1 formulär", "counted once");
    let next = app.get_as(&staff.cookie, &entry_url(OPEN)).await;
    assert_ne!(next.attributes("input[name=_submission]", "value"), [token], "each form gets a token of its own");
}

async fn anonymous_and_csrf_less_entries_are_refused(backend: Backend) {
    let app = paper_app(backend).await;
    let staff = staff(&app).await;
    let anonymous = app.get(&entry_url(OPEN)).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER, "to the login page");
    assert!(anonymous.header("location").starts_with("/staff/login"));
    let posted = app.post_form(&entry_url(OPEN), &[("_lang", "sv"), ("overall", "good")]).await;
    assert_eq!(posted.status, StatusCode::FORBIDDEN, "no session");
    let no_csrf = app.post_form_as(&staff.cookie, &entry_url(OPEN), &[("_lang", "sv"), ("overall", "good")]).await;
    assert_eq!(no_csrf.status, StatusCode::FORBIDDEN, "no CSRF token");
    let wrong = [("_csrf", "fel"), ("_lang", "sv"), ("overall", "good")];
    assert_eq!(app.post_form_as(&staff.cookie, &entry_url(OPEN), &wrong).await.status, StatusCode::FORBIDDEN);
    assert_eq!(stored(&app, OPEN, "paper").await, 0);
}

/// Wednesday 2 December 2026: December is running, and November, dates
/// being stored as the week's Monday, closes only on Monday 7 December.
fn early_december() -> Clock {
    Clock::fixed("2026-12-02T10:00:00Z".parse().unwrap(), "Europe/Stockholm").unwrap()
}

async fn a_batch_dated_in_an_earlier_period_is_stored_in_it(backend: Backend) {
    let app = TestApp::with_clock(backend, "tests/fixtures/paper", early_december()).await;
    let staff = staff(&app).await;
    let page = app.get_as(&staff.cookie, &entry_url(OPEN)).await;
    let periods = page.attributes("#paper-period option", "value");
    assert_eq!(periods, ["", "2026-12", "2026-11"], "today, and the periods not yet closed");

    let sent = enter(&app, &staff, OPEN, &[("_period", "2026-11"), ("overall", "good")]).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    assert!(sent.header("location").contains("period=2026-11"), "the batch's period kept");
    let next = app.get_as(&staff.cookie, sent.header("location")).await;
    assert_eq!(next.attributes("#paper-period option[selected]", "value"), ["2026-11"]);
    let december = enter(&app, &staff, OPEN, &[("_period", "2026-12"), ("overall", "good")]).await;
    assert_eq!(december.status, StatusCode::SEE_OTHER);
    let today = enter(&app, &staff, OPEN, &[("overall", "good")]).await;
    assert_eq!(today.status, StatusCode::SEE_OTHER);

    const QUERY: &str = "SELECT submitted_on FROM response WHERE channel = 'paper' ORDER BY submitted_on";
    app.store.settle().await.unwrap();
    let days: Vec<time::Date> = match &app.store {
        Store::Sqlite(pool) => sqlx::query_scalar(QUERY).fetch_all(pool).await.unwrap(),
        Store::Postgres(pool) => sqlx::query_scalar(QUERY).fetch_all(pool).await.unwrap(),
    };
    // Today is stored as its week's Monday, as on the web; a stated period
    // as its first Monday, inside it (1 December's Monday is in November).
    assert_eq!(days, [date!(2026 - 11 - 02), date!(2026 - 11 - 30), date!(2026 - 12 - 07)]);

    // A closed period has been shown: a form added to it would be the
    // difference between two downloads.
    let closed = enter(&app, &staff, OPEN, &[("_period", "2026-10"), ("overall", "good")]).await;
    assert_eq!(closed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(closed.attributes(".error-summary a", "href"), ["#paper-period"]);
    assert_eq!(stored(&app, OPEN, "paper").await, 3);
}
