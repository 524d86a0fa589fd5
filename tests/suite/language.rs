//! Every respondent in their own language: the language is taken from the
//! browser's `Accept-Language` when the link names none, Arabic pages run
//! right to left, and staff read every response in the questionnaire's
//! default language whatever language it was given in.

use crate::common::{Backend, PASSWORD, Page, TestApp};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use enkat::clock::Clock;

on_both_databases!(
    an_arabic_browser_gets_the_arabic_form_written_right_to_left,
    the_link_beats_the_browser_and_the_browser_beats_the_default,
    the_safety_and_privacy_pages_follow_the_browser_too,
    numbers_keep_their_order_on_a_right_to_left_page,
    the_not_open_page_in_arabic_isolates_the_date,
    an_arabic_response_is_stored_as_arabic_and_thanked_in_arabic,
    arabic_responses_are_reported_in_swedish_with_their_language,
);

/// A GET as a browser set to `accept_language` sends it.
async fn get_in(app: &TestApp, uri: &str, accept_language: &str) -> Page {
    let request = Request::get(uri).header(header::ACCEPT_LANGUAGE, accept_language);
    app.send(request.body(Body::empty()).unwrap()).await
}

/// The answers of one Arabic respondent, as the Arabic form sends them.
fn arabic_answers() -> Vec<(&'static str, &'static str)> {
    vec![
        ("_lang", "ar"),
        ("reach", "very_easy"),
        ("information", "fairly_easy"),
        ("respect", "yes_always"),
        ("listened", "yes_always"),
        ("influence", "a_lot"),
        ("safe", "very_safe"),
        ("improved", "much_better"),
        ("overall", "very_satisfied"),
        ("missing_support", "housing"),
        ("comment", "شكرًا لكم على كل شيء."),
    ]
}

/// Sends the Arabic form from a browser set to Arabic.
async fn send_arabic_form(app: &TestApp) -> Page {
    let body = serde_urlencoded::to_string(arabic_answers()).unwrap();
    let request = Request::post("/s/nexus")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT_LANGUAGE, "ar");
    app.send(request.body(Body::from(body)).unwrap()).await
}

#[track_caller]
fn assert_language(page: &Page, lang: &str, dir: &str, why: &str) {
    assert_eq!(page.status, StatusCode::OK, "{why}");
    assert_eq!(page.attributes("html", "lang"), [lang], "{why}");
    assert_eq!(page.attributes("html", "dir"), [dir], "{why}");
}

async fn an_arabic_browser_gets_the_arabic_form_written_right_to_left(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    let page = get_in(&app, "/s/nexus", "ar,en;q=0.5").await;

    assert_language(&page, "ar", "rtl", "Arabic is the browser's first choice");
    assert_eq!(page.text("h1"), "ما رأيك في الدعم الذي قدّمته Nexus؟");
    assert_eq!(page.texts(".exit-button"), ["غادر الصفحة"]);
    assert_eq!(page.attributes("input[name=_lang]", "value"), ["ar"], "the form carries the choice on");
    assert_eq!(page.attributes(".safety-link a", "href"), ["/s/nexus/sakert?lang=ar"], "and so do the links");
    assert_eq!(page.texts("nav.languages a"), ["Svenska", "English"]);
    assert_eq!(page.attributes("nav.languages a", "lang"), ["sv", "en"], "each link in its own language");
    assert_eq!(page.attributes("nav.languages a", "dir"), ["ltr", "ltr"], "and its own direction");
    assert!(page.header("vary").contains("accept-language"), "the page varies by the header: {:?}", page.headers);
    assert!(page.headers.get(header::SET_COOKIE).is_none(), "the choice is never kept in a cookie");
    assert_eq!(page.texts("button[name=_action]"), ["ابدأ"]);
    let form = app.press_start(page, None).await;
    assert_language(&form, "ar", "rtl", "the questions follow the start page's language");
    assert_eq!(form.text("h2.page-title"), "رأيك", "the first page's title in Arabic");

    let swedish = app.get("/s/nexus").await;
    let arabic_link = swedish.html().select(&scraper::Selector::parse("nav.languages a[lang=ar]").unwrap()).count();
    assert_eq!(arabic_link, 1, "the Swedish start page links to the Arabic one");
    assert_eq!(swedish.attributes("nav.languages a[lang=ar]", "dir"), ["rtl"]);
    assert_eq!(swedish.attributes("nav.languages a[lang=ar]", "href"), ["?lang=ar"]);
    assert_eq!(swedish.texts("nav.languages a[lang=ar]"), ["العربية"]);
}

async fn the_link_beats_the_browser_and_the_browser_beats_the_default(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    let cases = [
        ("/s/nexus", "en-GB,en;q=0.9", "en", "ltr", "British English finds English"),
        ("/s/nexus", "ar-SE", "ar", "rtl", "Arabic as written in Sweden finds Arabic"),
        ("/s/nexus", "fi", "sv", "ltr", "Finnish is not offered: the questionnaire's first language"),
        ("/s/nexus", "*", "sv", "ltr", "any language at all: the first"),
        ("/s/nexus", "ar;q=0, en;q=0.3", "en", "ltr", "q=0 refuses a language"),
        ("/s/nexus?lang=en", "ar,en;q=0.5", "en", "ltr", "a language named in the link wins over the browser"),
        ("/s/nexus?lang=sv", "ar", "sv", "ltr", "the default named in the link too"),
        ("/s/nexus?lang=xx", "ar", "ar", "rtl", "a language the survey lacks is passed over for the browser's"),
        ("/s/nexus/tack", "ar", "ar", "rtl", "the thank-you page"),
    ];
    for (uri, accept, lang, dir, why) in cases {
        let page = get_in(&app, uri, accept).await;
        assert_language(&page, lang, dir, &format!("{uri} with {accept}: {why}"));
        assert!(page.headers.get(header::SET_COOKIE).is_none(), "{uri}: no cookie");
    }
    assert_language(&app.start("/s/nexus").await, "sv", "ltr", "no header: the default");
}

async fn the_safety_and_privacy_pages_follow_the_browser_too(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    let safety = get_in(&app, "/s/nexus/sakert", "ar").await;
    assert_language(&safety, "ar", "rtl", "the safety page");
    assert_eq!(safety.text("h1"), "الاستخدام الآمن");
    let text = safety.texts("main").concat();
    for phrase in ["112", "Kvinnofridslinjen", "020-50 50 50", "Shift"] {
        assert!(text.contains(phrase), "the Arabic safety page says {phrase:?}: {text}");
    }
    // A phone number is a link to call, isolated left to right as `<bdi>` is.
    assert!(safety.texts("main a.phone[dir=ltr]").contains(&"020-50 50 50".to_owned()), "the number as written");
    assert!(safety.attributes("main a.phone", "href").contains(&"tel:020505050".to_owned()), "one tap calls it");
    assert!(safety.attributes("main a", "href").contains(&"/s/nexus?lang=ar".to_owned()), "a way back, in Arabic");
    assert!(safety.header("vary").contains("accept-language"));

    let privacy = get_in(&app, "/integritet", "ar").await;
    assert_language(&privacy, "ar", "rtl", "the privacy page");
    assert_eq!(privacy.text("h1"), "الخصوصية");
    assert!(
        privacy.texts("main bdi").contains(&"Uppsala kommun, socialförvaltningen".to_owned()),
        "the Swedish name of who is responsible keeps its order: {:?}",
        privacy.texts("main bdi")
    );
    assert_language(&get_in(&app, "/integritet", "en-US").await, "en", "ltr", "English for an English browser");
    assert_language(&get_in(&app, "/integritet?lang=sv", "ar").await, "sv", "ltr", "the link wins");
    assert_language(&get_in(&app, "/integritet", "de").await, "sv", "ltr", "German: Swedish, the home language");
}

async fn numbers_keep_their_order_on_a_right_to_left_page(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    // The age and the comment are on later pages: "Change" opens a page
    // without checking the ones before it.
    let about_you = app.post_form("/s/nexus", &[("_lang", "ar"), ("_change", "age")]).await;
    let labels = about_you.texts("#question-age .choice label bdi");
    assert_eq!(labels, ["18–29", "30–44", "45–64", "65"], "ranges are isolated, so 18–29 does not read 29–18");
    assert_eq!(about_you.attributes("#question-age .choice label bdi", "dir"), ["ltr"; 4], "digits run left to right");
    let own_words = app.post_form("/s/nexus", &[("_lang", "ar"), ("_change", "comment")]).await;
    assert_eq!(own_words.text("#question-comment .limit bdi"), "2000", "the character limit");

    // Every required question answered, and a comment over the limit.
    let nexus = app.catalog.get("nexus").unwrap().clone();
    let mut fields: Vec<(String, String)> = nexus
        .questions
        .iter()
        .filter(|question| question.required)
        .map(|question| (question.id.clone(), question.kind.choices()[0].id.clone()))
        .collect();
    fields.extend([("_lang".into(), "ar".into()), ("_page".into(), "4".into()), ("comment".into(), "أ".repeat(2001))]);
    let fields: Vec<(&str, &str)> = fields.iter().map(|(name, value)| (name.as_str(), value.as_str())).collect();
    let refused = app.post_form("/s/nexus", &fields).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.attributes("html", "dir"), ["rtl"], "a refused form stays in Arabic");
    assert!(refused.texts("#question-comment .error-message bdi").contains(&"2000".to_owned()));

    let swedish = app.start("/s/nexus?lang=sv").await;
    assert!(swedish.texts("bdi").is_empty(), "a left-to-right page needs no isolation");
    assert!(swedish.texts(".limit").is_empty(), "page 1 has no free-text question");
}

async fn the_not_open_page_in_arabic_isolates_the_date(backend: Backend) {
    let clock = Clock::fixed("2026-11-15T12:00:00Z".parse().unwrap(), "Europe/Stockholm").unwrap();
    let app = TestApp::with_clock(backend, "tests/fixtures/language", clock).await;
    let page = get_in(&app, "/s/winter-ar", "ar").await;
    assert_language(&page, "ar", "rtl", "the calm page, in Arabic");
    assert_eq!(page.text("p.not-open"), "الاستبيان غير مفتوح حاليًا.");
    assert_eq!(page.texts("main p bdi"), ["1 ديسمبر 2026"], "the date is one unit in the sentence");

    let swedish = app.start("/s/winter-ar").await;
    assert!(swedish.texts("main p").contains(&"Den öppnar den 1 december 2026.".to_owned()));
}

async fn an_arabic_response_is_stored_as_arabic_and_thanked_in_arabic(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    let form = get_in(&app, "/s/nexus", "ar").await;
    assert_eq!(form.attributes("input[name=_lang]", "value"), ["ar"]);

    let sent = send_arabic_form(&app).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    assert_eq!(sent.header("location"), "/s/nexus/tack?lang=ar");
    assert!(sent.headers.get(header::SET_COOKIE).is_none());
    assert_eq!(app.store.count_responses("nexus").await.unwrap(), 1);

    // Followed as a browser would, with a Swedish browser: the link decides.
    let thanks = get_in(&app, "/s/nexus/tack?lang=ar", "sv").await;
    assert_language(&thanks, "ar", "rtl", "the thank-you page, in the language answered in");
    assert_eq!(thanks.text("h1"), "شكرًا!");
    let help_numbers = thanks.texts(".help a.phone[dir=ltr]");
    assert_eq!(help_numbers, ["112", "020-50 50 50", "018-727 00 00"], "phone numbers are isolated links");
    assert_eq!(thanks.attributes(".help a.phone", "href"), ["tel:112", "tel:020505050", "tel:0187270000"]);
}

async fn arabic_responses_are_reported_in_swedish_with_their_language(backend: Backend) {
    let answered = TestApp::shipped(backend).await;
    for _ in 0..5 {
        assert_eq!(send_arabic_form(&answered).await.status, StatusCode::SEE_OTHER);
    }
    // Staff see them once the month they were given in has closed.
    let app = answered.later(70).await;
    let admin = app.logged_in_admin().await;

    let page = app.get_as(&admin, "/staff/q/nexus?lang=ar").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.attributes("html", "lang"), ["sv"]);
    assert_eq!(page.text(".response-count strong"), "5", "the language is a filter");
    assert_eq!(page.attributes("#lang option[selected]", "value"), ["ar"]);
    assert!(page.texts("#lang option").contains(&"ar – العربية".to_owned()), "{:?}", page.texts("#lang option"));
    assert_eq!(
        page.texts("#result-overall table tbody tr").first().map(String::as_str),
        Some("Mycket nöjd 5 100,0 %"),
        "options in Swedish"
    );
    let main = page.texts("main").concat();
    assert!(main.contains("Hur nöjd eller missnöjd är du sammantaget med stödet från Nexus?"), "questions in Swedish");
    assert!(!main.contains("راضٍ"), "no Arabic option text on the staff page");
    assert!(main.contains("شكرًا لكم على كل شيء."), "free text is shown as written");

    let breakdown = app.get_as(&admin, "/staff/q/nexus?by=language&target=overall").await;
    assert!(breakdown.texts("table.breakdown tbody tr").iter().any(|row| row.starts_with("ar – العربية 5 ")));

    let summary = app.get_as(&admin, "/staff/q/nexus/export/summary.csv").await.body;
    let overall =
        summary.lines().find(|line| line.starts_with("overall,") && line.contains(",very_satisfied,")).unwrap();
    assert!(
        overall.starts_with(
            "overall,Hur nöjd eller missnöjd är du sammantaget med stödet från Nexus?,satisfaction,helhet,very_satisfied,Mycket nöjd,5,"
        ),
        "{overall}"
    );
    assert!(!summary.contains("راضٍ"), "no Arabic in the summary export");

    // Whole responses come once their month has closed: 70 days on, it has.
    let later = Clock::fixed(
        app.clock.now().checked_add(jiff::SignedDuration::from_hours(70 * 24)).unwrap(),
        "Europe/Stockholm",
    )
    .unwrap();
    let later = app.on_clock(later).await;
    let admin = later.login("admin", PASSWORD).await;
    let responses = later.get_as(&admin, "/staff/q/nexus/export/responses.csv").await.body;
    let mut reader = csv::Reader::from_reader(responses.as_bytes());
    let header = reader.headers().unwrap().clone();
    let language = header.iter().position(|name| name == "language").expect("a language column");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 5);
    assert!(rows.iter().all(|row| &row[language] == "ar"), "every row says ar: five alike are shown");
    let texts = later.get_as(&admin, "/staff/q/nexus/export/texts.csv").await.body;
    assert_eq!(texts.matches("شكرًا لكم على كل شيء.").count(), 5, "texts as written, in a list of their own: {texts}");

    let workbook = later.get_as(&admin, "/staff/q/nexus/export/responses.xlsx").await;
    assert_eq!(workbook.status, StatusCode::OK);
    let labels = xlsx_first_rows(&workbook.bytes);
    assert!(labels.contains("Hur nöjd eller missnöjd är du sammantaget med stödet från Nexus?"), "{labels}");
    assert!(!labels.contains("راضٍ") && !labels.contains("ما مدى"), "the workbook's labels are Swedish: {labels}");
}

/// The first two rows of a workbook's first sheet, as text.
fn xlsx_first_rows(bytes: &[u8]) -> String {
    use calamine::Reader;
    let mut workbook = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("an xlsx file");
    let name = workbook.sheet_names().first().cloned().expect("a sheet");
    let range = workbook.worksheet_range(&name).expect("the sheet reads");
    range.rows().take(2).flatten().map(|cell| cell.to_string()).collect::<Vec<_>>().join("|")
}
