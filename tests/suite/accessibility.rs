//! The accessibility statement (`/tillganglighet`, DOS-lagen) and reports of
//! accessibility problems, on both databases: the statement has every item
//! Digg asks for in each language, from the organisation's own file when one
//! is given; a report keeps only its words, page and week, and only admins
//! read it; every respondent page links to the statement.

use std::sync::Arc;
use std::time::Duration;

use crate::common::{Backend, PASSWORD, Page, TestApp, required_nexus_answers, server};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use enkat::accessibility::feedback::week_of;
use enkat::web::statement::StatementState;
use enkat::web::{self, AppState};

on_both_databases!(
    the_statement_shows_every_required_item_in_each_language,
    a_municipality_file_gives_the_statement_its_own_facts,
    a_report_keeps_only_its_words_page_and_week_and_only_admins_read_it,
    an_empty_or_too_long_report_is_refused_in_the_pages_language_and_nothing_is_stored,
    a_report_from_another_site_or_in_a_flood_is_refused_and_nothing_is_stored,
    every_respondent_page_links_to_the_statement_in_its_language,
    the_statement_is_kept_out_of_the_cache_and_has_the_way_out,
);

/// A municipality's own statement file.
const STORBY: &str = r#"
organisation = "Storby kommun, individ- och familjeomsorgen"
contact_email = "tillganglighet@storby.se"
contact_phone = "0123-45 67 89"
status = "partial"
assessed_on = 2026-10-05
updated_on = 2026-10-12

[[gaps]]
fixed_by = 2027-06-30
text = { sv = "Diagrammen saknar textalternativ." }
"#;

/// What each language's page must say, besides the organisation's facts.
struct Expected {
    lang: &'static str,
    dir: &'static str,
    title: &'static str,
    status: &'static str,
    fixed_by: &'static str,
    assessed: &'static str,
}

const LANGUAGES: [Expected; 3] = [
    Expected {
        lang: "sv",
        dir: "ltr",
        title: "Tillgänglighetsredogörelse",
        status: "delvis förenlig",
        fixed_by: "Åtgärdas senast 31 mars 2027",
        assessed: "Senaste bedömningen gjordes den 3 december 2026.",
    },
    Expected {
        lang: "en",
        dir: "ltr",
        title: "Accessibility statement",
        status: "partially complies",
        fixed_by: "To be fixed by 31 March 2027",
        assessed: "The last assessment was made on 3 December 2026.",
    },
    Expected {
        lang: "ar",
        dir: "rtl",
        title: "بيان إمكانية الوصول",
        status: "توافقًا جزئيًا",
        fixed_by: "يُصلَح في موعد أقصاه 31 مارس 2027",
        // The date is a `<bdi>` of its own: `texts` puts a space after it.
        assessed: "أُجري آخر تقييم في 3 ديسمبر 2026 .",
    },
];

/// The app serving `statement` (a file's text), with a brake of `limit`
/// reports in an hour.
fn with_statement(app: &TestApp, statement: &str, limit: usize) -> axum::Router {
    let statement = enkat::accessibility::parse("storby.toml", statement).expect("a valid statement");
    let accessibility = Arc::new(StatementState::with_brake(statement, limit, Duration::from_secs(3600)));
    web::app(AppState { accessibility, ..app.state.clone() })
}

async fn reports(app: &TestApp) -> usize {
    app.store.feedback().await.unwrap().len()
}

async fn the_statement_shows_every_required_item_in_each_language(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    for expected in LANGUAGES {
        let page = app.get(&format!("/tillganglighet?lang={}", expected.lang)).await;
        let lang = expected.lang;
        assert_eq!(page.status, StatusCode::OK, "{lang}");
        assert_eq!(page.attributes("html", "lang"), [lang]);
        assert_eq!(page.attributes("html", "dir"), [expected.dir], "{lang}");
        assert_eq!(page.text("h1"), expected.title, "{lang}");
        // Who it applies to: the organisation and the service.
        assert!(page.text("p.lead").contains("Uppsala kommun, socialförvaltningen"), "{lang}: {}", page.text("p.lead"));
        // Compliance against WCAG 2.1 AA / EN 301 549.
        let compliance = page.text("p.compliance");
        for words in [expected.status, "WCAG 2.1", "AA", "EN 301 549"] {
            assert!(compliance.contains(words), "{lang}: {words} in {compliance}");
        }
        // Known gaps, each with its date, in the page's language.
        let gaps = page.texts("ul.gaps > li");
        assert_eq!(gaps.len(), 2, "{lang}: {gaps:?}");
        // (`texts` puts a space between the date's `<bdi>` and the full stop.)
        assert!(gaps.iter().all(|gap| gap.contains(expected.fixed_by)), "{lang}: {gaps:?}");
        assert!(page.attributes("ul.gaps span[lang]", "lang").is_empty(), "{lang}: every gap written in it");
        // How to report: the form, and the organisation's own contact.
        assert_eq!(page.attributes("form.report", "action"), ["/tillganglighet"], "{lang}");
        assert_eq!(page.attributes("form.report textarea", "name"), ["text"], "{lang}");
        assert_eq!(page.attributes("form.report input[name=lang]", "value"), [lang]);
        assert!(page.text("ul.contact").contains("018-727 00 00"), "{lang}");
        // Digg's complaints route.
        assert_eq!(page.attributes("a[href='https://www.digg.se/tdosanmalan']", "href").len(), 1, "{lang}");
        // When and how it was assessed.
        assert_eq!(page.text("p.assessed"), expected.assessed, "{lang}");
        assert!(page.text("p.method").contains("axe"), "{lang}: {}", page.text("p.method"));
        assert!(page.text("p.updated").contains("2026"), "{lang}");
    }
    let unknown = app.get("/tillganglighet?lang=xx").await;
    assert_eq!(unknown.attributes("html", "lang"), ["sv"], "an unknown language falls back to Swedish");
}

async fn a_municipality_file_gives_the_statement_its_own_facts(backend: Backend) {
    let mut app = TestApp::shipped(backend).await;
    app.router = with_statement(&app, STORBY, 20);
    for lang in ["sv", "en", "ar"] {
        let page = app.get(&format!("/tillganglighet?lang={lang}")).await;
        assert!(page.text("p.lead").contains("Storby kommun, individ- och familjeomsorgen"), "{lang}");
        assert_eq!(page.attributes("ul.contact a", "href"), ["mailto:tillganglighet@storby.se"], "{lang}");
        assert!(page.text("ul.contact").contains("0123-45 67 89"), "{lang}");
        assert!(page.text("p.assessed").contains("2026"), "{lang}");
        let gaps = page.texts("ul.gaps > li");
        assert_eq!(gaps.len(), 1, "{lang}");
        assert!(gaps[0].starts_with("Diagrammen saknar textalternativ."), "{lang}: {gaps:?}");
        // Written only in Swedish: marked as Swedish on the other pages.
        let marked = page.attributes("ul.gaps span[lang]", "lang");
        assert_eq!(marked, if lang == "sv" { vec![] } else { vec!["sv".to_owned()] }, "{lang}");
        assert_eq!(page.text("p.method"), app_default_method(lang), "{lang}: the standard wording");
    }
    let swedish = app.get("/tillganglighet").await;
    assert_eq!(swedish.text("p.assessed"), "Senaste bedömningen gjordes den 5 oktober 2026.");
    assert_eq!(swedish.text("p.updated"), "Redogörelsen uppdaterades senast den 12 oktober 2026.");
}

fn app_default_method(lang: &str) -> String {
    enkat::locale::get(lang).statement.method_default.clone()
}

#[tokio::test]
async fn a_broken_statement_file_refuses_to_start_with_its_line_and_column() {
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("storby.toml");
    std::fs::write(&file, STORBY.replace("status = \"partial\"", "status = \"mostly\"")).unwrap();
    let database = format!("sqlite:{}", folder.path().join("enkat.db").display());
    let output = std::process::Command::new(server::ENKAT)
        .args(["serve", "--listen", "127.0.0.1:0", "--database-url", &database, "--watch", "false"])
        .args(["--questionnaires", concat!(env!("CARGO_MANIFEST_DIR"), "/questionnaires")])
        .arg("--accessibility-statement")
        .arg(&file)
        .env("NO_COLOR", "1")
        .output()
        .expect("enkat runs");
    assert!(!output.status.success(), "refuses to start");
    let said = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    let line = STORBY.lines().position(|line| line.starts_with("status")).unwrap() + 1;
    assert!(said.contains(&format!("{}:{line}:10: unknown variant `mostly`", file.display())), "{said}");
    assert!(!folder.path().join("enkat.db").exists(), "stopped before the database was opened");

    std::fs::write(&file, "organisation = ").unwrap();
    let output = std::process::Command::new(server::ENKAT)
        .args(["serve", "--listen", "127.0.0.1:0", "--database-url", &database, "--watch", "false"])
        .args(["--questionnaires", concat!(env!("CARGO_MANIFEST_DIR"), "/questionnaires")])
        .env("ENKAT_ACCESSIBILITY_STATEMENT", &file)
        .env("NO_COLOR", "1")
        .output()
        .expect("enkat runs");
    assert!(!output.status.success(), "refuses to start");
    let said = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(said.contains(&format!("{}:1:", file.display())), "the file named by the variable: {said}");
}

/// Sends a report from the statement page in `lang`.
async fn report(app: &TestApp, lang: &str, text: &str, page: &str) -> Page {
    app.post_form("/tillganglighet", &[("lang", lang), ("text", text), ("page", page)]).await
}

async fn a_report_keeps_only_its_words_page_and_week_and_only_admins_read_it(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    let sent = report(&app, "en", "The exit button covers the text at 400 % zoom.", "/s/nexus, page 2").await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    assert_eq!(sent.header("location"), "/tillganglighet/tack?lang=en");
    let thanks = app.get(sent.header("location")).await;
    assert_eq!(thanks.text("h1"), "Thank you for your report");
    assert!(!thanks.body.contains("400 %"), "nothing of what was written is shown back");

    // Only the words, the page and the week: nothing else is even a column.
    assert_eq!(table_columns(&app.store).await, ["id", "text", "page", "week", "handled"]);
    let stored = app.store.feedback().await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].text, "The exit button covers the text at 400 % zoom.");
    assert_eq!(stored[0].page.as_deref(), Some("/s/nexus, page 2"));
    assert_eq!(stored[0].week, week_of(app.today()), "the Monday of the week, never the day");
    assert_eq!(stored[0].week.weekday(), time::Weekday::Monday);
    assert!(!stored[0].handled);
    assert_eq!(app.store.count_responses("nexus").await.unwrap(), 0, "no response is made of it");

    // Anonymous and staff who are not admins never see it.
    let anonymous = app.get("/staff/admin/tillganglighet").await;
    assert_ne!(anonymous.status, StatusCode::OK);
    assert!(!anonymous.body.contains("400 %"));
    app.add_staff("personal", PASSWORD, false).await;
    let staff = app.login("personal", PASSWORD).await;
    let refused = app.get_as(&staff, "/staff/admin/tillganglighet").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(!refused.body.contains("400 %"));
    let staff_csrf = app.csrf_token(&staff).await;
    let id = stored[0].id.to_string();
    let delete = format!("/staff/admin/tillganglighet/{id}/ta-bort");
    let refused = app.post_form_as(&staff, &delete, &[("_csrf", &staff_csrf)]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "nor delete it");
    assert_eq!(reports(&app).await, 1);

    // An admin reads it; reading is audited, without the words.
    let admin = app.logged_in_admin().await;
    let page = app.get_as(&admin, "/staff/admin/tillganglighet").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.text(".feedback-text"), "The exit button covers the text at 400 % zoom.");
    assert_eq!(page.text(".feedback-page"), "Gäller: /s/nexus, page 2");
    let read = app.store.audit_events(Some("accessibility_read"), 10).await.unwrap();
    assert_eq!(read.len(), 1);
    assert_eq!((read[0].actor.as_str(), read[0].details.as_str()), ("admin", "1 rapporter"));

    // Marked handled, then deleted: both audited, by id only.
    let csrf = app.csrf_token(&admin).await;
    let handled = format!("/staff/admin/tillganglighet/{id}/hanterad");
    let without_token = app.post_form_as(&admin, &handled, &[("handled", "1")]).await;
    assert_eq!(without_token.status, StatusCode::FORBIDDEN, "a post needs the session's CSRF token");
    let marked = app.post_form_as(&admin, &handled, &[("_csrf", &csrf), ("handled", "1")]).await;
    assert_eq!(marked.status, StatusCode::SEE_OTHER, "{}", marked.body);
    assert!(app.store.feedback().await.unwrap()[0].handled);
    let deleted = app.post_form_as(&admin, &delete, &[("_csrf", &csrf)]).await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER, "{}", deleted.body);
    assert_eq!(reports(&app).await, 0);
    let again = app.post_form_as(&admin, &delete, &[("_csrf", &csrf)]).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND, "gone");
    for (action, details) in [("accessibility_handled", format!("{id}: hanterad")), ("accessibility_deleted", id)] {
        let events = app.store.audit_events(Some(action), 10).await.unwrap();
        assert_eq!(events.len(), 1, "{action}");
        assert_eq!((events[0].actor.as_str(), events[0].details.as_str()), ("admin", details.as_str()), "{action}");
    }
}

/// The column names of the reports' table, as the database reports them.
async fn table_columns(store: &enkat::store::Store) -> Vec<String> {
    const TABLE: &str = "accessibility_feedback";
    match store {
        enkat::store::Store::Sqlite(pool) => sqlx::query_scalar("SELECT name FROM pragma_table_info($1) ORDER BY cid")
            .bind(TABLE)
            .fetch_all(pool)
            .await
            .unwrap(),
        enkat::store::Store::Postgres(pool) => sqlx::query_scalar(
            "SELECT column_name::text FROM information_schema.columns \
             WHERE table_name = $1 AND table_schema = current_schema() ORDER BY ordinal_position",
        )
        .bind(TABLE)
        .fetch_all(pool)
        .await
        .unwrap(),
    }
}

async fn an_empty_or_too_long_report_is_refused_in_the_pages_language_and_nothing_is_stored(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    let too_long = "å".repeat(2001);
    let long_page = "p".repeat(201);
    for lang in ["sv", "en", "ar"] {
        let locale = enkat::locale::get(lang);
        let texts = &locale.statement;
        let cases = [
            ("empty", "  \n ", "", texts.error_empty.clone(), "report-text"),
            ("too long", too_long.as_str(), "", texts.error_too_long.replace("{max}", "2000"), "report-text"),
            (
                "page too long",
                "Knappen",
                long_page.as_str(),
                texts.error_page_too_long.replace("{max}", "200"),
                "report-page",
            ),
        ];
        for (what, text, page, message, field) in cases {
            let refused = report(&app, lang, text, page).await;
            assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{lang}, {what}");
            assert_eq!(refused.attributes("html", "lang"), [lang], "{what}");
            assert!(refused.text("title").starts_with(&locale.error_prefix), "{lang}, {what}");
            assert_eq!(refused.text(".error-summary a"), message, "{lang}, {what}");
            assert_eq!(refused.attributes(".error-summary a", "href"), [format!("#{field}")], "{lang}, {what}");
            assert_eq!(refused.attributes(&format!("#{field}"), "aria-invalid"), ["true"], "{lang}, {what}");
            assert_eq!(refused.text("#report-text"), text.trim(), "{lang}, {what}: what was written is kept");
            assert_eq!(refused.attributes("#report-page", "value"), [page], "{lang}, {what}");
            assert_eq!(refused.header("cache-control"), "no-store");
        }
    }
    assert_eq!(reports(&app).await, 0, "nothing stored");
}

async fn a_report_from_another_site_or_in_a_flood_is_refused_and_nothing_is_stored(backend: Backend) {
    let mut app = TestApp::shipped(backend).await;
    let body = "lang=en&text=Hidden+text&page=";
    for (name, value) in [("sec-fetch-site", "cross-site"), ("origin", "https://evil.example")] {
        let request = Request::post("/tillganglighet")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::HOST, "enkat.example.org")
            .header(name, value)
            .body(Body::from(body))
            .unwrap();
        let refused = app.send(request).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{name}: {value}");
        assert_eq!(refused.text("h1"), "The report could not be received", "{name}");
    }
    assert_eq!(reports(&app).await, 0);

    app.router = with_statement(&app, STORBY, 2);
    for n in 0..2 {
        assert_eq!(report(&app, "sv", &format!("Rapport {n}"), "").await.status, StatusCode::SEE_OTHER);
    }
    let braked = report(&app, "ar", "Rapport 3", "").await;
    assert_eq!(braked.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(braked.header("retry-after"), "600");
    assert_eq!(braked.text("h1"), enkat::locale::get("ar").statement.busy_title);
    assert_eq!(reports(&app).await, 2, "the third was not stored");
    let empty = report(&app, "sv", "", "").await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY, "a mistake is told, not braked");
}

async fn every_respondent_page_links_to_the_statement_in_its_language(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    let sent = app.post_form("/s/nexus", &required_nexus_answers()).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "the complete form is stored");
    let reported = report(&app, "en", "Something", "").await;
    for lang in ["sv", "en", "ar"] {
        let pages = [
            ("start page", app.get(&format!("/s/nexus?lang={lang}")).await),
            ("form", app.start(&format!("/s/nexus?lang={lang}")).await),
            ("thank-you page", app.get(&format!("/s/nexus/tack?lang={lang}")).await),
            ("safety page", app.get(&format!("/s/nexus/sakert?lang={lang}")).await),
            ("privacy page", app.get(&format!("/integritet?lang={lang}")).await),
            ("statement", app.get(&format!("/tillganglighet?lang={lang}")).await),
            ("report thanks", app.get(&format!("/tillganglighet/tack?lang={lang}")).await),
            ("refused report", report(&app, lang, "", "").await),
        ];
        for (name, page) in pages {
            assert_eq!(page.attributes("html", "lang"), [lang], "{name}");
            let link = page.attributes("footer a[href^='/tillganglighet']", "href");
            assert_eq!(link, [format!("/tillganglighet?lang={lang}")], "{name} in {lang}");
            assert_eq!(page.text("footer a[href^='/tillganglighet']"), enkat::locale::get(lang).statement.link);
        }
    }
    let others = [
        ("not found", app.get("/s/ingen-sadan").await),
        ("code start page (Swedish only)", app.get("/s/nexus-kort").await),
        ("report thanks", app.get(reported.header("location")).await),
    ];
    for (name, page) in others {
        assert_eq!(page.attributes("footer a[href^='/tillganglighet']", "href").len(), 1, "{name}");
    }
}

async fn the_statement_is_kept_out_of_the_cache_and_has_the_way_out(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    let pages = [
        ("statement", app.get("/tillganglighet").await),
        ("statement in Arabic", app.get("/tillganglighet?lang=ar").await),
        ("refused report", report(&app, "sv", "", "").await),
        ("report thanks", app.get("/tillganglighet/tack?lang=en").await),
    ];
    for (name, page) in pages {
        assert_eq!(page.header("cache-control"), "no-store", "{name}");
        assert_eq!(page.header("referrer-policy"), "no-referrer", "{name}");
        assert!(page.cookie("enkat_staff").is_none() && page.headers.get(header::SET_COOKIE).is_none(), "{name}");
        assert_eq!(page.attributes(".exit-bar a.exit-button", "href"), ["https://www.smhi.se/"], "{name}");
        assert_eq!(page.texts("a.skip-link").len(), 1, "{name}");
    }
}
