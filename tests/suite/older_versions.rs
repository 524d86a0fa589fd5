//! Forms shown in an earlier version of a questionnaire. A form names the
//! version it was shown in, and anyone with an old copy of the file can
//! compute an old version's id, so the answers are read with that version's
//! questions but never under weaker settings than those served now; and a
//! version replaced longer ago than the grace period is refused with a calm
//! page that leads to the questionnaire as it is now.

use std::path::Path;
use std::sync::Arc;

use crate::common::{Backend, Page, TestApp};
use axum::http::StatusCode;
use enkat::clock::Clock;
use enkat::questionnaire::{self, LiveCatalog, Questionnaire};
use time::Date;
use time::macros::date;

on_both_databases!(
    a_form_shown_before_codes_were_asked_for_is_not_stored_without_a_code,
    a_form_shown_when_the_day_was_stored_is_stored_with_the_weeks_monday,
    a_version_replaced_longer_ago_than_the_grace_period_is_refused_and_a_recent_one_taken,
    starting_again_keeps_kiosk_mode_and_the_cards_code,
);

const LITEN: &str = r#"
id = "liten"
languages = ["sv", "en"]
title = { sv = "Liten enkät", en = "Small survey" }
date_precision = "week"

[[question]]
id = "good"
type = "single"
text = { sv = "Var det bra?", en = "Was it good?" }
options = [ { id = "yes", sv = "Ja", en = "Yes" }, { id = "no", sv = "Nej", en = "No" } ]
"#;

/// The Monday of the week of `thursday_noon`.
const MONDAY: Date = date!(2026 - 03 - 09);

/// The service's clock: Thursday 12 March 2026, noon in Stockholm, a day
/// that is not its week's Monday.
fn thursday_noon() -> Clock {
    Clock::fixed("2026-03-12T11:00:00Z".parse().unwrap(), "Europe/Stockholm").unwrap()
}

/// A version of `liten`, as the service read it from `source`.
fn version_of(source: &str) -> Questionnaire {
    questionnaire::parse(Path::new("liten.toml"), source).expect("a valid version")
}

/// The app on `thursday_noon`, serving `served` from a folder of its own
/// (kept in the returned guard), its earlier versions stored as a service
/// that served them from those days left them.
async fn app_after_edits(
    backend: Backend,
    served: &str,
    earlier: &[(&Questionnaire, Date)],
) -> (TestApp, tempfile::TempDir) {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(folder.path().join("liten.toml"), served).unwrap();
    let app = TestApp::with_clock(backend, folder.path().to_str().unwrap(), thursday_noon()).await;
    for (version, first_seen) in earlier {
        app.store.register_version(version, *first_seen).await.unwrap();
    }
    (app, folder)
}

/// What a browser sends from `form` (the page of questions) with `good`
/// answered, pressing "Send"; with `version` in place of the form's own
/// when given: a form shown in that version.
fn answered(form: &Page, version: Option<&Questionnaire>) -> Vec<(String, String)> {
    let mut fields = form.form_fields();
    if let Some(version) = version {
        let named = fields.iter_mut().find(|(name, _)| name == "_version").expect("the form names its version");
        named.1 = version.version.to_string();
    }
    fields.extend([("good".to_owned(), "yes".to_owned()), ("_action".to_owned(), "next".to_owned())]);
    fields
}

async fn send(app: &TestApp, fields: &[(String, String)]) -> Page {
    let fields: Vec<(&str, &str)> = fields.iter().map(|(name, value)| (name.as_str(), value.as_str())).collect();
    app.post_form("/s/liten", &fields).await
}

/// The version and date of every stored response.
async fn stored(app: &TestApp) -> Vec<(String, Date)> {
    let responses = app.store.responses("liten").await.unwrap();
    responses.into_iter().map(|response| (response.version, response.submitted_on)).collect()
}

async fn a_form_shown_before_codes_were_asked_for_is_not_stored_without_a_code(backend: Backend) {
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("liten.toml");
    std::fs::write(&file, LITEN).unwrap();
    let live = Arc::new(LiveCatalog::open(folder.path()).unwrap());
    let app = TestApp::with_live_catalog(backend, live.clone()).await;
    let open_form = app.start("/s/liten").await;

    // The file now asks for one-time codes; the service stores the version
    // before serving it, as `serve` does.
    std::fs::write(&file, LITEN.replace("date_precision", "access = \"code\"\ndate_precision")).unwrap();
    assert!(live.reload(|_, _| Vec::new()).problems.is_empty());
    app.store.register_version(&live.get("liten").unwrap(), app.today()).await.unwrap();

    let sent = send(&app, &answered(&open_form, None)).await;
    assert_eq!(sent.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", sent.body);
    assert_eq!(sent.text("#code-error"), "Fel: Skriv koden från kortet.", "the person is asked for a code");
    assert_eq!(sent.attributes("input#code", "name"), ["kod"]);
    assert!(stored(&app).await.is_empty(), "nothing is stored without a code");
}

async fn a_form_shown_when_the_day_was_stored_is_stored_with_the_weeks_monday(backend: Backend) {
    let by_day = version_of(&LITEN.replace("\"week\"", "\"day\""));
    let (app, _folder) = app_after_edits(backend, LITEN, &[(&by_day, date!(2026 - 03 - 02))]).await;

    let form = app.start("/s/liten").await;
    let sent = send(&app, &answered(&form, Some(&by_day))).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    assert_eq!(
        stored(&app).await,
        [(by_day.version.to_string(), MONDAY)],
        "stored with the version shown, but only the week, as the file now says"
    );
}

async fn a_version_replaced_longer_ago_than_the_grace_period_is_refused_and_a_recent_one_taken(backend: Backend) {
    let reworded = |text: &str| version_of(&LITEN.replace("Var det bra?", text));
    let first = reworded("Var det bra för dig?");
    let second = reworded("Var stödet bra?");
    let third = reworded("Var stödet bra för dig?");
    // `first` was replaced on 10 March, so it was taken until the end of
    // 11 March; `second` was replaced on 11 March, and is taken today, 12 March.
    let history = [(&first, date!(2026 - 03 - 01)), (&second, date!(2026 - 03 - 10)), (&third, date!(2026 - 03 - 11))];
    let (app, _folder) = app_after_edits(backend, LITEN, &history).await;

    let form = app.start("/s/liten?lang=en").await;
    let refused = send(&app, &answered(&form, Some(&first))).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert_eq!(refused.text("h1"), "The survey has changed", "in the person's language");
    assert!(refused.text(".version-changed").contains("Nothing has been saved."));
    assert!(stored(&app).await.is_empty(), "nothing is stored");
    let start_again = refused.attributes("a.start-again", "href");
    assert_eq!(start_again, ["/s/liten?lang=en"]);
    let restarted = app.start(&start_again[0]).await;
    assert_eq!(restarted.status, StatusCode::OK);
    assert_eq!(restarted.attributes("input[name=_version]", "value"), [version_of(LITEN).version.to_string()]);

    let form = app.start("/s/liten?lang=en").await;
    let taken = send(&app, &answered(&form, Some(&second))).await;
    assert_eq!(taken.status, StatusCode::SEE_OTHER, "{}", taken.body);
    assert_eq!(stored(&app).await, [(second.version.to_string(), MONDAY)]);

    // A version never stored (made up) is checked against the questions
    // served now, and stored with them, as before.
    let form = app.start("/s/liten").await;
    let mut made_up = answered(&form, None);
    made_up.iter_mut().find(|(name, _)| name == "_version").unwrap().1 = "0123456789abcdef".to_owned();
    assert_eq!(send(&app, &made_up).await.status, StatusCode::SEE_OTHER);
    let served = version_of(LITEN).version.to_string();
    assert!(stored(&app).await.contains(&(served, MONDAY)));
}

async fn starting_again_keeps_kiosk_mode_and_the_cards_code(backend: Backend) {
    let first = version_of(LITEN);
    let second = version_of(&LITEN.replace("Var det bra?", "Var stödet bra?"));
    let served = LITEN.replace("date_precision", "access = \"code\"\nkiosk = true\ndate_precision");
    let history = [(&first, date!(2026 - 03 - 01)), (&second, date!(2026 - 03 - 05))];
    let (app, _folder) = app_after_edits(backend, &served, &history).await;

    // A tablet's form from the first version, sent with a card's code.
    let code = enkat::codes::Code::generate().unwrap().display();
    let version = first.version.to_string();
    let fields = [
        ("_lang", "sv"),
        ("_version", version.as_str()),
        ("_page", "0"),
        ("_kiosk", "1"),
        ("_code", code.as_str()),
        ("good", "yes"),
        ("_action", "next"),
    ];
    let refused = app.post_form("/s/liten", &fields).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert_eq!(refused.text("h1"), "Enkäten har ändrats");
    assert_eq!(refused.attributes("a.start-again", "href"), [format!("/s/liten?lang=sv&kiosk=1&kod={code}")]);
    assert!(stored(&app).await.is_empty());
}
