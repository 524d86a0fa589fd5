//! A respondent's safety on a shared or watched device: the way out comes
//! first on every page, the safety and privacy pages say what they must, a
//! neutral title keeps the survey's name out of the tab and the history, the
//! headers keep pages private, and nothing that could identify a person or
//! an answer reaches the logs.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Backend, Page, TestApp, required_nexus_answers};
use enkat::clock::Clock;
use enkat::web::{self, AppState, SafetySettings};

/// An exit site no default could produce, so a test sees the setting is used.
const EXIT_URL: &str = "https://vader.example.net/idag";
const CONTACT: &str = "Testkommunen, dataskyddsombudet, 018-00 00 00";

/// The questionnaires in `folder`, served with these safety settings.
async fn app_with(folder: &str, safety: SafetySettings) -> TestApp {
    let mut app = TestApp::with_questionnaires(Backend::Sqlite, folder).await;
    let clock = Clock::system("Europe/Stockholm").expect("a known time zone");
    app.router = router(&app, clock, safety);
    app
}

/// `enkat serve`'s router on the test app's database, at `clock`'s time.
fn router(app: &TestApp, clock: Clock, safety: SafetySettings) -> axum::Router {
    web::app(AppState { clock, safety: Arc::new(safety), ..app.state.clone() })
}

fn settings() -> SafetySettings {
    SafetySettings { exit_url: EXIT_URL.to_owned(), privacy_contact: CONTACT.to_owned(), hsts: false }
}

async fn shipped() -> TestApp {
    app_with("questionnaires", settings()).await
}

/// Every page a respondent of the shipped survey can meet, by name.
async fn respondent_pages(app: &TestApp) -> Vec<(&'static str, Page)> {
    let mut errors = required_nexus_answers();
    // Nothing is required: an answer that is not an option makes the errors.
    errors.retain(|(name, _)| *name != "overall");
    errors.push(("overall", "delighted"));
    let sent = app.post_form("/s/nexus", &required_nexus_answers()).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "the complete form is stored");
    vec![
        ("start page", app.get("/s/nexus").await),
        ("start page in English", app.get("/s/nexus?lang=en").await),
        ("form", app.start("/s/nexus").await),
        ("form in English", app.start("/s/nexus?lang=en").await),
        ("form with errors", app.post_form("/s/nexus", &errors).await),
        ("thank-you page", app.get(sent.header("location")).await),
        ("safety page", app.get("/s/nexus/sakert").await),
        ("safety page in English", app.get("/s/nexus/sakert?lang=en").await),
        ("privacy page", app.get("/integritet").await),
        ("privacy page in English", app.get("/integritet?lang=en").await),
        ("accessibility statement", app.get("/tillganglighet").await),
        ("accessibility statement in English", app.get("/tillganglighet?lang=en").await),
        ("not found", app.get("/s/ingen-sadan").await),
    ]
}

/// The links and fields a keyboard reaches, in Tab order (no `tabindex`
/// above 0 is used, so document order).
fn tab_stops(page: &Page) -> Vec<String> {
    let selector = "a[href], button, input:not([type=hidden]), textarea, select";
    let html = page.html();
    let selector = scraper::Selector::parse(selector).expect("a valid selector");
    html.select(&selector)
        .map(|element| {
            let classes: Vec<&str> = element.value().classes().collect();
            format!("{}.{}", element.value().name(), classes.join("."))
        })
        .collect()
}

/// The exit button is the first Tab stop, the hidden exit link the second,
/// the skip link the third, and the exit bar comes before everything else.
#[track_caller]
fn assert_exits_first(name: &str, page: &Page) {
    let stops = tab_stops(page);
    assert_eq!(
        stops[..3],
        ["a.exit-button", "a.exit-link.visually-hidden-focusable", "a.skip-link.visually-hidden-focusable"],
        "{name}: the first three Tab stops"
    );
    assert_eq!(page.attributes(".exit-bar a[rel]", "href"), [EXIT_URL, EXIT_URL], "{name}: the configured exit site");
    assert_eq!(
        page.attributes(".exit-bar a[href^=http]", "rel"),
        ["nofollow noreferrer", "nofollow noreferrer"],
        "{name}: the exit tells the neutral site nothing"
    );
    assert_eq!(page.attributes(".skip-link", "href"), ["#main"], "{name}");
    assert_eq!(page.attributes("main", "id"), ["main"], "{name}");
    assert_eq!(page.attributes("[role=status]", "id"), ["exit-status"], "{name}: where Shift's count is announced");
    let first = scraper::Selector::parse("body > .exit-bar:first-child").expect("a valid selector");
    assert!(page.html().select(&first).next().is_some(), "{name}: the exit bar is the first thing in the page");
}

#[tokio::test]
async fn every_respondent_page_offers_the_exit_first_then_a_hidden_exit_then_the_skip_link() {
    let app = shipped().await;
    for (name, page) in respondent_pages(&app).await {
        assert_exits_first(name, &page);
    }
}

/// A page a browser fetched with GET may be kept in its back/forward cache
/// despite `no-store` (Chromium does), and Back after leaving would show the
/// choices made on it. So the questions only ever come as the answer to a
/// form post, which no browser keeps there.
#[tokio::test]
async fn no_question_is_ever_on_a_page_fetched_by_link() {
    let app = shipped().await;
    let start = app.get("/s/nexus").await;
    assert_eq!(start.status, StatusCode::OK);
    assert_eq!(start.text("h1"), "Vad tyckte du om stödet från Nexus?");
    assert!(start.text(".intro").contains("Enkäten är anonym"), "the start page introduces the survey");
    let visible = "input:not([type=hidden]), textarea, select, fieldset";
    assert!(start.attributes(visible, "name").is_empty() && start.texts("fieldset").is_empty(), "no question");
    assert_eq!(start.attributes("form.questionnaire", "method"), ["post"]);
    assert_eq!(start.texts("form.questionnaire button"), ["Börja"]);

    let first = app.press_start(start, None).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.text(".progress"), "Sida 1 av 5");
    assert!(!first.is_checked("reach", "very_easy"), "the first page starts empty");
    assert_eq!(first.texts("button[name=_action]"), ["Fortsätt"], "no Back to the start page: nothing there to change");

    // Answers sent along with the start button (a script, a stale page) are
    // neither stored nor checked: the first page is shown, filled in.
    let mut fields = required_nexus_answers();
    fields.extend([("_page", "start"), ("_action", "next")]);
    let shown = app.post_form("/s/nexus", &fields).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(shown.is_checked("reach", "fairly_easy"));
    assert_eq!(app.store.count_responses("nexus").await.unwrap(), 0, "nothing is stored from the start page");
}

#[tokio::test]
async fn the_code_pages_and_the_closed_page_offer_the_exit_first_too() {
    let coded = app_with("tests/fixtures/coded", settings()).await;
    assert_exits_first("code start page", &coded.start("/s/nexus-kort").await);
    assert_exits_first("mistyped code", &coded.start("/s/nexus-kort?kod=Q7Q4M-ZX9AB").await);
    assert_exits_first("unknown code", &coded.start("/s/nexus-kort?kod=22222-22222").await);

    let mut closed = app_with("tests/fixtures/reach", settings()).await;
    let after = Clock::fixed("2027-02-01T12:00:00Z".parse().expect("an instant"), "Europe/Stockholm").expect("a zone");
    closed.router = router(&closed, after, settings());
    let page = closed.start("/s/winter").await;
    assert!(page.body.contains("inte öppen"), "the closed page: {}", page.body);
    assert_exits_first("closed survey", &page);
}

#[tokio::test]
async fn the_exit_bar_carries_the_words_the_script_announces_in_the_page_language() {
    let app = shipped().await;
    let swedish = app.start("/s/nexus").await;
    assert_eq!(
        swedish.attributes(".exit-bar", "data-shift-two-more"),
        ["Shift, tryck 2 gånger till för att lämna sidan"]
    );
    assert_eq!(
        swedish.attributes(".exit-bar", "data-shift-one-more"),
        ["Shift, tryck 1 gång till för att lämna sidan"]
    );
    let english = app.start("/s/nexus?lang=en").await;
    assert_eq!(
        english.attributes(".exit-bar", "data-shift-two-more"),
        ["Shift, press 2 more times to leave this page"]
    );
    assert_eq!(english.texts(".skip-link"), ["Skip to content"]);
}

#[tokio::test]
async fn every_respondent_page_links_to_the_safety_and_privacy_pages_in_its_footer() {
    let app = shipped().await;
    for (name, page) in respondent_pages(&app).await {
        let links = page.attributes("footer a", "href");
        let language = page.attributes("html", "lang").concat();
        // A page with answers in its form opens the safety and privacy
        // pages by buttons that send the form, so no answer is lost.
        let buttons = page.attributes("footer button[name=_aside][form=questionnaire-form]", "value");
        let in_form = !buttons.is_empty();
        assert_eq!(in_form, name.starts_with("form"), "{name}: buttons exactly on the pages of questions");
        if in_form {
            assert_eq!(buttons, ["safety", "privacy"], "{name}: the footer's pages keep the answers");
        }
        for linked in ["integritet", "tillganglighet"] {
            if in_form && linked == "integritet" {
                continue;
            }
            assert!(
                links.contains(&format!("/{linked}?lang={language}")),
                "{name}: /{linked}, in {language}: {links:?}"
            );
        }
        // Pages of no questionnaire have no safety page of one to link to.
        if !in_form && name != "not found" && !name.starts_with("privacy") && !name.starts_with("accessibility") {
            assert!(
                links.contains(&format!("/s/nexus/sakert?lang={language}")),
                "{name}: the safety page, in {language}: {links:?}"
            );
        }
    }
    let start = app.get("/s/nexus?lang=en").await;
    assert_eq!(
        start.attributes(".safety-link a", "href"),
        ["/s/nexus/sakert?lang=en"],
        "the start page points to the safety page before any question"
    );
}

#[tokio::test]
async fn the_safety_page_says_what_the_exit_does_not_do_and_where_to_call() {
    let app = shipped().await;
    let cases = [
        (
            "/s/nexus/sakert",
            "Säker användning",
            &[
                "Lämna sidan",
                "Shift",
                "raderar inte",
                "väcka misstankar",
                "privat fönster",
                "spionprogram",
                "112",
                "Kvinnofridslinjen, 020-50 50 50",
                "syns inte på telefonräkningen",
            ][..],
        ),
        (
            "/s/nexus/sakert?lang=en",
            "Using this safely",
            &[
                "Leave this page",
                "Shift",
                "do not erase",
                "raise suspicion",
                "private window",
                "spyware",
                "112",
                "020-50 50 50",
                "does not show on the phone bill",
            ][..],
        ),
    ];
    for (uri, heading, phrases) in cases {
        let page = app.get(uri).await;
        assert_eq!(page.status, StatusCode::OK, "{uri}");
        assert_eq!(page.text("h1"), heading, "{uri}");
        let text = page.texts("main").concat();
        for phrase in phrases {
            assert!(text.contains(phrase), "{uri} says {phrase:?}: {text}");
        }
        assert!(
            page.attributes("main a", "href").iter().any(|href| href.starts_with("/s/nexus?lang=")),
            "{uri}: a way back"
        );
    }
    assert_eq!(app.get("/s/ingen-sadan/sakert").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_privacy_page_says_what_is_stored_and_who_is_responsible() {
    let app = shipped().await;
    let cases = [
        (
            "/integritet",
            "sv",
            &[
                "svar",
                "språk",
                "version",
                "vecka",
                "IP-adress",
                "tid på dagen",
                "kaka",
                "slumpat",
                "engångskod",
                "för få svar",
            ][..],
        ),
        (
            "/integritet?lang=en",
            "en",
            &[
                "answers",
                "language",
                "version",
                "week",
                "IP address",
                "time of day",
                "cookie",
                "random",
                "one-time code",
                "too few answers",
            ][..],
        ),
    ];
    for (uri, language, phrases) in cases {
        let page = app.get(uri).await;
        assert_eq!(page.status, StatusCode::OK, "{uri}");
        assert_eq!(page.attributes("html", "lang"), [language], "{uri}");
        let text = page.texts("main").concat();
        for phrase in phrases.iter().chain(&[CONTACT]) {
            assert!(text.contains(phrase), "{uri} says {phrase:?}: {text}");
        }
    }
}

#[tokio::test]
async fn a_neutral_title_keeps_the_survey_out_of_the_tab_but_not_off_the_page() {
    let app = shipped().await;
    for (name, page) in respondent_pages(&app).await {
        let title = page.text("title");
        assert!(!title.contains("Nexus") && !title.contains("stöd") && !title.contains("support"), "{name}: {title}");
        assert!(page.attributes("meta[name=description]", "content").is_empty(), "{name}: no description to show");
    }
    assert_eq!(app.get("/s/nexus").await.text("title"), "Enkät", "the start page's tab says nothing");
    let form = app.start("/s/nexus").await;
    assert_eq!(form.text("title"), "Enkät – Sida 1 av 5", "the page's place, which says nothing either");
    assert_eq!(form.text("h1"), "Vad tyckte du om stödet från Nexus?", "the heading stays as written");
    assert_eq!(app.start("/s/nexus?lang=en").await.text("title"), "Survey – Page 1 of 5");
    // Nothing is required: an answer that is not an option is refused.
    let mut missing = required_nexus_answers();
    missing.pop();
    missing.push(("overall", "delighted"));
    let refused = app.post_form("/s/nexus", &missing).await.text("title");
    assert!(refused.starts_with("Fel: Enkät – Sida "), "{refused}");

    let plain = app_with("tests/fixtures/coded", settings()).await;
    assert_eq!(
        plain.get("/s/nexus-kort").await.text("title"),
        "Vad tyckte du om stödet från Nexus?",
        "without neutral_title the tab shows the title"
    );
}

#[tokio::test]
async fn respondent_pages_send_the_privacy_headers_and_never_a_cookie() {
    let app = shipped().await;
    for (name, page) in respondent_pages(&app).await {
        let policy = page.header("content-security-policy");
        for directive in ["default-src 'self'", "frame-ancestors 'none'", "form-action 'self'", "object-src 'none'"] {
            assert!(policy.contains(directive), "{name}: {directive} in {policy}");
        }
        assert!(!policy.contains("unsafe-inline") && !policy.contains("unsafe-eval"), "{name}: {policy}");
        assert_eq!(page.header("permissions-policy"), "camera=(), microphone=(), geolocation=(), interest-cohort=()");
        assert_eq!(page.header("x-robots-tag"), "noindex, nofollow", "{name}");
        assert_eq!(page.header("referrer-policy"), "no-referrer", "{name}");
        assert_eq!(page.header("x-content-type-options"), "nosniff", "{name}");
        assert_eq!(page.header("cache-control"), "no-store", "{name}");
        assert!(page.headers.get(header::SET_COOKIE).is_none(), "{name} sets no cookie");
        assert!(page.headers.get(header::STRICT_TRANSPORT_SECURITY).is_none(), "{name}: no HSTS unless configured");
        assert!(!page.body.contains(" style="), "{name}: no inline style, which the policy would block");
    }
}

/// After a quick exit, the browser's cache must hold nothing of the service:
/// a cached stylesheet alone tells whoever picks up the phone that it was opened.
#[tokio::test]
async fn nothing_the_browser_fetches_is_kept_in_its_cache_not_even_the_stylesheet_or_script() {
    let app = shipped().await;
    let mut fetched: Vec<(String, Page)> =
        respondent_pages(&app).await.into_iter().map(|(name, page)| (name.to_owned(), page)).collect();
    let pages: Vec<Page> = fetched.iter().map(|(_, page)| page.clone()).collect();
    for page in &pages {
        let addresses = [page.attributes("link[href]", "href"), page.attributes("script[src]", "src")].concat();
        for address in addresses.into_iter().filter(|address| address.starts_with('/')) {
            if !fetched.iter().any(|(name, _)| *name == address) {
                let asset = app.get(&address).await;
                assert_eq!(asset.status, StatusCode::OK, "{address}");
                fetched.push((address, asset));
            }
        }
    }
    for asset in ["/assets/enkat.css", "/assets/enkat.js"] {
        assert!(fetched.iter().any(|(name, _)| name == asset), "the pages load {asset}");
    }
    for (name, response) in &fetched {
        assert_eq!(response.header("cache-control"), "no-store", "{name}");
    }
}

#[tokio::test]
async fn hsts_is_sent_only_when_the_service_is_configured_behind_tls() {
    let app = app_with("questionnaires", SafetySettings { hsts: true, ..settings() }).await;
    for uri in ["/s/nexus", "/integritet", "/staff/login"] {
        assert_eq!(app.get(uri).await.header("strict-transport-security"), "max-age=31536000", "{uri}");
    }
}

#[tokio::test]
async fn the_script_leaves_with_shift_three_times_and_replaces_the_history_entry() {
    let app = shipped().await;
    let script = app.get("/assets/enkat.js").await.body;
    assert!(script.contains("// Quick exit"), "a section of its own");
    for needed in [
        "\"Shift\"",
        "5000",
        "location.replace",
        "form.reset()",
        "\"pagehide\"",
        "\"pageshow\"",
        "persisted",
        "data-shift-two-more",
        "exiting",
    ] {
        assert!(script.contains(needed), "the script uses {needed}");
    }
    for storage in ["localStorage", "sessionStorage", "indexedDB", "serviceWorker", "document.cookie"] {
        assert!(!script.contains(storage), "the script keeps nothing in {storage}");
    }
    let stylesheet = app.get("/assets/enkat.css").await.body;
    assert!(stylesheet.contains("html.exiting body { display: none; }"), "leaving hides the page at once");
    assert!(stylesheet.contains("scroll-padding-block-start"), "the sticky bar never covers the focus");
}

#[tokio::test]
async fn the_script_moves_the_focus_to_the_error_summary_and_its_links_to_the_fields() {
    // The browser tests (tests/browser) prove it in Chromium; this keeps the
    // parts in the script.
    let app = shipped().await;
    let script = app.get("/assets/enkat.js").await.body;
    for needed in ["querySelector(\".error-summary\")", "summary.focus()", "field.focus("] {
        assert!(script.contains(needed), "the script uses {needed}");
    }
}

/// Everything written through `tracing` by this test binary, at every level.
fn captured_logs() -> Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let logs = Arc::new(Mutex::new(Vec::new()));
        let writer = logs.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || LogWriter(writer.clone()))
            .finish();
        // Global, not per thread: SQLite's connections log from threads of their own.
        tracing::subscriber::set_global_default(subscriber).expect("the only subscriber of this test binary");
        logs
    })
    .clone()
}

struct LogWriter(Arc<Mutex<Vec<u8>>>);

impl Write for LogWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("no test panicked while logging").extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

const CLIENT_IP: &str = "203.0.113.77";
const USER_AGENT: &str = "Mozilla/5.0 (Lindqvist-Telefon 7.3.1)";
const COOKIE_VALUE: &str = "spårkaka-5150-b";
const FREE_TEXT: &str = "Han läser min post varje tisdag";
const OTHER_TEXT: &str = "Skyddat boende i Gävle";

/// A request as a browser behind a proxy sends it: with the person's
/// address, their browser's name and a cookie from elsewhere.
fn from_a_person(request: axum::http::request::Builder) -> axum::http::request::Builder {
    request
        .header("x-forwarded-for", CLIENT_IP)
        .header("x-real-ip", CLIENT_IP)
        .header(header::USER_AGENT, USER_AGENT)
        .header(header::COOKIE, format!("sida={COOKIE_VALUE}"))
}

async fn get_as_a_person(app: &TestApp, uri: &str) -> Page {
    app.send(from_a_person(Request::get(uri)).body(Body::empty()).unwrap()).await
}

async fn post_as_a_person(app: &TestApp, uri: &str, fields: &[(&str, &str)]) -> Page {
    let body = serde_urlencoded::to_string(fields).expect("form fields encode");
    let request = from_a_person(Request::post(uri)).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    app.send(request.body(Body::from(body)).unwrap()).await
}

#[tokio::test]
async fn a_whole_respondent_journey_leaves_no_address_browser_code_cookie_or_answer_in_the_logs() {
    let logs = captured_logs();
    tracing::info!("the journey starts");
    let app = app_with("tests/fixtures/coded", settings()).await;
    let cookie = app.logged_in_admin().await;
    let csrf = app.csrf_token(&cookie).await;
    // The smallest batch: 4 × the questionnaire's min_report_n (5).
    let fields = [("_csrf", csrf.as_str()), ("count", "20"), ("label", "Mottagningen")];
    let cards = app.post_form_as(&cookie, "/staff/q/nexus-kort/codes", &fields).await;
    let codes = cards.texts(".card-code");
    assert_eq!(codes.len(), 20, "codes to answer with: {}", cards.body);
    let code = codes[0].as_str();

    // The card's link, a mistyped code and a used one: the start page's ways.
    let form = get_as_a_person(&app, &format!("/s/nexus-kort?lang=sv&kod={code}")).await;
    assert_eq!(form.status, StatusCode::OK, "the code opens the form");
    let typo = get_as_a_person(&app, "/s/nexus-kort?lang=sv&kod=Q7Q4M-ZX9AB").await;
    assert_eq!(typo.status, StatusCode::UNPROCESSABLE_ENTITY, "a mistyped code is explained: {}", typo.body);

    let mut start = form.form_fields();
    start.push(("_action".to_owned(), "next".to_owned()));
    let start: Vec<(&str, &str)> = start.iter().map(|(name, value)| (name.as_str(), value.as_str())).collect();
    let questions = post_as_a_person(&app, "/s/nexus-kort", &start).await;
    let token = questions.attributes("input[name=_submission]", "value").concat();
    assert_eq!(token.len(), 32, "the started form carries its token: {}", questions.body);
    let mut answers = vec![("_lang", "sv"), ("_submission", token.as_str()), ("_code", code), ("comment", FREE_TEXT)];
    let refused = post_as_a_person(&app, "/s/nexus-kort", &answers).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "the required question is missing");
    assert!(refused.body.contains(FREE_TEXT), "the form keeps the free text");
    answers.push(("overall", "fairly_satisfied"));
    let sent = post_as_a_person(&app, "/s/nexus-kort", &answers).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "stored: {}", sent.body);
    assert_eq!(get_as_a_person(&app, sent.header("location")).await.status, StatusCode::OK);
    let used = get_as_a_person(&app, &format!("/s/nexus-kort?lang=sv&kod={code}")).await;
    assert_eq!(used.status, StatusCode::OK, "the card's link again: the same start page, telling nothing");
    let mut again = used.form_fields();
    again.push(("_action".to_owned(), "next".to_owned()));
    let again: Vec<(&str, &str)> = again.iter().map(|(name, value)| (name.as_str(), value.as_str())).collect();
    let refused = post_as_a_person(&app, "/s/nexus-kort", &again).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "a used code opens nothing");

    // The open survey too, with a free text in "Something else".
    let open = app_with("questionnaires", settings()).await;
    let mut open_answers = required_nexus_answers();
    open_answers.extend([("missing_support", "other"), ("missing_support.other", OTHER_TEXT)]);
    assert_eq!(get_as_a_person(&open, "/s/nexus?lang=en&kiosk=1").await.status, StatusCode::OK);
    assert_eq!(post_as_a_person(&open, "/s/nexus", &open_answers).await.status, StatusCode::SEE_OTHER);
    assert_eq!(get_as_a_person(&open, "/s/nexus/sakert?lang=en").await.status, StatusCode::OK);
    assert_eq!(get_as_a_person(&open, "/integritet?lang=en").await.status, StatusCode::OK);
    assert_eq!(get_as_a_person(&open, "/s/nexus?lang=en&kod=ZZZZZ").await.status, StatusCode::OK);
    let twice = get_as_a_person(&open, &format!("/s/nexus?lang=sv&lang=en&kod={code}")).await;
    assert_eq!(twice.status, StatusCode::BAD_REQUEST, "a query axum cannot read is refused");

    let logs = String::from_utf8_lossy(&logs.lock().expect("logs readable")).into_owned();
    assert!(logs.contains("the journey starts"), "the capture works");
    assert!(logs.lines().count() > 1, "the app's own events are captured too: {logs}");
    let secrets = [
        ("the client's address", CLIENT_IP),
        ("the user agent", USER_AGENT),
        ("the cookie", COOKIE_VALUE),
        ("the one-time code", code),
        ("the code as typed", "Q7Q4M-ZX9AB"),
        ("a query string", "kod="),
        ("a query string", "lang=sv"),
        ("the free text", FREE_TEXT),
        ("the text of Something else", OTHER_TEXT),
        ("an answer", "fairly_satisfied"),
        ("the submission token", token.as_str()),
    ];
    for (what, secret) in secrets {
        assert!(!logs.contains(secret), "{what} ({secret}) is in the logs:\n{logs}");
    }
    // A statement's log line carries the moment it ran: the time of a
    // response, finer than its coarse date (issue 15).
    let statements: Vec<&str> = logs.lines().filter(|line| line.contains("sqlx::query")).collect();
    assert!(
        statements.is_empty(),
        "no database statement is logged, at any level: {} lines, the first {:.300}",
        statements.len(),
        statements.first().copied().unwrap_or_default()
    );
}

#[test]
fn serve_refuses_an_exit_that_is_not_a_full_address() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_enkat"))
        .args(["serve", "--exit-url", "smhi.se", "--listen", "127.0.0.1:0"])
        .arg("--database-url")
        .arg(format!("sqlite://{}", folder.path().join("enkat.db").display()))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("enkat runs");
    assert!(!output.status.success(), "a relative exit would leave a person on a broken link");
    let said = String::from_utf8_lossy(&output.stderr).into_owned() + &String::from_utf8_lossy(&output.stdout);
    assert!(said.contains("--exit-url"), "the operator is told which option: {said}");
}

/// Someone with the logs: a line written when a person's answer could not
/// be stored would carry the moment they answered. Such failures are only
/// counted, and logged after the day under its date (issue 15, item 4).
#[tokio::test]
async fn a_failure_while_someone_answers_is_logged_only_after_the_day_under_its_date() {
    let logs = captured_logs();
    let app = shipped().await;
    let lines_with = |needle: &str| {
        let logs = String::from_utf8_lossy(&logs.lock().expect("logs readable")).into_owned();
        logs.lines().filter(|line| line.contains(needle)).map(str::to_owned).collect::<Vec<_>>()
    };
    app.store.close().await;
    let refused = post_as_a_person(&app, "/s/nexus", &required_nexus_answers()).await;
    assert_eq!(refused.status, StatusCode::SERVICE_UNAVAILABLE, "{}", refused.body);
    assert!(refused.body.contains("Inget har sparats"), "the person is told: {}", refused.body);
    assert!(
        lines_with("failed on the database").is_empty(),
        "nothing is logged while the person is there: {:?}",
        lines_with("failed on the database")
    );

    let day = time::macros::date!(2026 - 12 - 3);
    assert!(web::respondent_log::report(day) >= 1, "the day's failures are reported");
    let reported = lines_with("respondent requests failed on the database");
    assert_eq!(reported.len(), 1, "one line for the day: {reported:?}");
    assert!(reported[0].contains("day=2026-12-03"), "under the day: {}", reported[0]);
    assert!(reported[0].contains("count="), "with a count: {}", reported[0]);
}
