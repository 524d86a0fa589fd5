//! Translations that do not silently go stale: when the Swedish of a text
//! changes and a translation of it does not, `enkat check --against` warns
//! at the translation (and passes), the admin's files page lists it per
//! language, and a `reviewed` marker written after the change clears it.
//! A translation no translator has checked says so on its start page.

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use crate::common::{Backend, TestApp, fresh_database_url};
use enkat::questionnaire::{LiveCatalog, Questionnaire, parse};
use enkat::store::Store;
use time::macros::date;

const ENKAT: &str = env!("CARGO_BIN_EXE_enkat");

on_both_databases!(
    check_against_warns_at_each_stale_translation_and_passes,
    a_review_written_with_the_change_clears_its_warning,
    a_stale_translation_is_warned_about_until_it_is_seen_to,
    the_files_page_lists_stale_translations_per_language,
    an_unchecked_translation_says_so_on_its_start_page,
    the_shipped_arabic_draft_does_not_claim_to_be_checked,
);

/// A questionnaire in Swedish, with English and Arabic translations.
const STORED: &str = r#"id = "oversatt"
languages = ["sv", "en", "ar"]
title = { sv = "Om stödet", en = "About the support", ar = "عن الدعم" }

[[question]]
id = "good"
type = "text"
text = { sv = "Var stödet bra?", en = "Was the support good?", ar = "هل كان الدعم جيدًا؟" }
"#;

/// `STORED` with the question's Swedish reworded, and nothing else.
fn swedish_reworded() -> String {
    STORED.replace("\"Var stödet bra?\"", "\"Var stödet till hjälp?\"")
}

/// `text` with a `reviewed` marker for each of `languages`.
fn reviewed(text: &str, languages: &[&str]) -> String {
    let markers: String =
        languages.iter().map(|language| format!("{language} = {{ reviewed = 2026-03-09 }}\n")).collect();
    text.replace("\n[[question]]", &format!("\n[translations]\n{markers}\n[[question]]"))
}

/// `file:line:column` of the first `needle` in `source`, as enkat counts.
fn position(file: &Path, source: &str, needle: &str) -> String {
    let start = source.find(needle).expect("the needle is in the source");
    let before = &source[..start];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap().chars().count() + 1;
    format!("{}:{line}:{column}", file.display())
}

/// The warning `enkat check --against` gives at the `language` text
/// `translation` of `file`, whose Swedish changed `since`.
fn warning(file: &Path, source: &str, language: &str, translation: &str, since: &str) -> String {
    format!(
        "{}: warning: the `{language}` translation of the text of question `good` may be out of date: the `sv` text changed from \"Var stödet bra?\" to \"Var stödet till hjälp?\" {since}, and the `{language}` text did not; update it, or, if a translator finds it still right, write the day of that check in [translations] as {language} = {{ reviewed = YYYY-MM-DD }}",
        position(file, source, &format!("\"{translation}\""))
    )
}

/// A database holding `STORED` as its one version, first seen 2 March 2026.
async fn database_with_stored(backend: Backend) -> (String, Option<tempfile::TempDir>, Questionnaire) {
    let (url, guard) = fresh_database_url(backend).await;
    let stored = parse(Path::new("oversatt.toml"), STORED).expect("the stored version is valid");
    let store = Store::connect(&url).await.expect("the database opens");
    store.register_version(&stored, date!(2026 - 03 - 02)).await.unwrap();
    store.close().await;
    (url, guard, stored)
}

/// What one run of `enkat check FILE --against URL` gave.
struct Run {
    success: bool,
    stdout: String,
    stderr: Vec<String>,
}

fn check_against(url: &str, file: &Path) -> Run {
    let output = Command::new(ENKAT).arg("check").arg(file).args(["--against", url]).output().expect("enkat runs");
    Run {
        success: output.status.success(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).lines().map(str::to_owned).collect(),
    }
}

async fn check_against_warns_at_each_stale_translation_and_passes(backend: Backend) {
    let (url, _guard, _) = database_with_stored(backend).await;
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("oversatt.toml");
    let source = swedish_reworded();
    std::fs::write(&file, &source).unwrap();

    let run = check_against(&url, &file);
    assert_eq!(
        run.stderr,
        [
            warning(&file, &source, "en", "Was the support good?", "in this file"),
            warning(&file, &source, "ar", "هل كان الدعم جيدًا؟", "in this file"),
            "2 warning(s): the check passes, but read them before deploying".to_owned(),
        ]
    );
    assert!(run.success, "a warning, not an error: {}", run.stdout);
    assert!(run.stdout.contains("question `good` reworded"), "{}", run.stdout);

    // Changed in every language: nothing to warn about.
    let translated = source
        .replace("\"Was the support good?\"", "\"Did the support help?\"")
        .replace("\"هل كان الدعم جيدًا؟\"", "\"هل ساعدك الدعم؟\"");
    std::fs::write(&file, &translated).unwrap();
    let run = check_against(&url, &file);
    assert_eq!(run.stderr, Vec::<String>::new());
    assert!(run.success);
}

async fn a_review_written_with_the_change_clears_its_warning(backend: Backend) {
    let (url, _guard, _) = database_with_stored(backend).await;
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("oversatt.toml");

    // The English checked by a translator in the same edit; the Arabic not.
    let source = reviewed(&swedish_reworded(), &["en"]);
    std::fs::write(&file, &source).unwrap();
    let run = check_against(&url, &file);
    assert_eq!(
        run.stderr,
        [
            warning(&file, &source, "ar", "هل كان الدعم جيدًا؟", "in this file"),
            "1 warning(s): the check passes, but read them before deploying".to_owned(),
        ]
    );
    assert!(run.success);

    let source = reviewed(&swedish_reworded(), &["en", "ar"]);
    std::fs::write(&file, &source).unwrap();
    let run = check_against(&url, &file);
    assert_eq!(run.stderr, Vec::<String>::new(), "both reviewed with the change");
    assert!(run.success);
}

async fn a_stale_translation_is_warned_about_until_it_is_seen_to(backend: Backend) {
    // Both translations reviewed in the stored version, then the Swedish
    // changed and that version served too: the review came before the change.
    let (url, guard) = fresh_database_url(backend).await;
    let first = parse(Path::new("oversatt.toml"), &reviewed(STORED, &["en", "ar"])).unwrap();
    let changed = parse(Path::new("oversatt.toml"), &reviewed(&swedish_reworded(), &["en", "ar"])).unwrap();
    let store = Store::connect(&url).await.unwrap();
    store.register_version(&first, date!(2026 - 03 - 09)).await.unwrap();
    store.register_version(&changed, date!(2026 - 03 - 16)).await.unwrap();
    store.close().await;

    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("oversatt.toml");
    std::fs::write(&file, &changed.source).unwrap();
    let run = check_against(&url, &file);
    let since = format!("in version {} (first seen 2026-03-16)", changed.version);
    assert!(run.stdout.contains("the same as the stored version"), "{}", run.stdout);
    assert_eq!(
        run.stderr,
        [
            warning(&file, &changed.source, "en", "Was the support good?", &since),
            warning(&file, &changed.source, "ar", "هل كان الدعم جيدًا؟", &since),
            "2 warning(s): the check passes, but read them before deploying".to_owned(),
        ],
        "the file deployed as it is: still stale"
    );
    assert!(run.success);

    // A new review, written after the change, clears it.
    let rereviewed = changed.source.replace("reviewed = 2026-03-09", "reviewed = 2026-03-20");
    std::fs::write(&file, &rereviewed).unwrap();
    let run = check_against(&url, &file);
    assert_eq!(run.stderr, Vec::<String>::new());
    drop(guard);
}

async fn the_files_page_lists_stale_translations_per_language(backend: Backend) {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(folder.path().join("oversatt.toml"), reviewed(&swedish_reworded(), &["en"])).unwrap();
    let live = Arc::new(LiveCatalog::open(folder.path()).unwrap());
    let app = TestApp::with_live_catalog(backend, live.clone()).await;
    // The version before, served a week earlier.
    let before = parse(Path::new("oversatt.toml"), STORED).unwrap();
    app.store.register_version(&before, app.today() - time::Duration::days(7)).await.unwrap();
    let served = live.get("oversatt").unwrap();
    let admin = app.logged_in_admin().await;

    let page = app.get_as(&admin, "/staff/admin/questionnaires").await;
    assert_eq!(
        page.texts(".questionnaire-file .translation-review li"),
        // (`texts` puts a space between the language's name and the rest.)
        [
            "English : granskad av översättare 2026-03-09",
            "العربية : inte granskad av översättare (startsidan på det språket säger det)"
        ]
    );
    assert!(page.texts("table.stale-translations[data-language=en]").is_empty(), "the English is reviewed");
    assert_eq!(
        page.texts("table.stale-translations[data-language=ar] tbody td"),
        [
            "Frågan good".to_owned(),
            format!("{} (först använd {})", served.version, app.today()),
            "Var stödet bra?".to_owned(),
            "Var stödet till hjälp?".to_owned(),
        ]
    );
    assert!(page.text("table.stale-translations[data-language=ar] caption").contains("العربية"));

    // Translated in both: nothing stale.
    let translated = reviewed(&swedish_reworded(), &["en"]).replace("\"هل كان الدعم جيدًا؟\"", "\"هل ساعدك الدعم؟\"");
    std::fs::write(folder.path().join("oversatt.toml"), translated).unwrap();
    live.reload(|_, _| Vec::new());
    let now = live.get("oversatt").unwrap();
    app.store.register_version(&now, app.today()).await.unwrap();
    let page = app.get_as(&admin, "/staff/admin/questionnaires").await;
    assert!(page.texts("table.stale-translations").is_empty());
    assert_eq!(page.text(".questionnaire-file .no-stale"), "Ingen översättning väntar på en ändring i originalet.");
}

const NOTE_EN: &str = "This translation has not yet been checked by a translator, so some wording may be unclear.";
const NOTE_AR: &str = "لم يراجع مترجمٌ هذه الترجمة بعد، لذا قد تكون بعض العبارات غير واضحة.";

/// The note each language's start page should show, if any.
type NotesByLanguage = [(&'static str, Option<&'static str>); 3];

async fn an_unchecked_translation_says_so_on_its_start_page(backend: Backend) {
    let cases: [(&str, String, NotesByLanguage); 4] = [
        ("no translation reviewed", STORED.to_owned(), [("sv", None), ("en", Some(NOTE_EN)), ("ar", Some(NOTE_AR))]),
        ("the English reviewed", reviewed(STORED, &["en"]), [("sv", None), ("en", None), ("ar", Some(NOTE_AR))]),
        ("both reviewed", reviewed(STORED, &["en", "ar"]), [("sv", None), ("en", None), ("ar", None)]),
        (
            "a coded questionnaire's start page, none reviewed",
            STORED.replace("languages = ", "access = \"code\"\nlanguages = "),
            [("sv", None), ("en", Some(NOTE_EN)), ("ar", Some(NOTE_AR))],
        ),
    ];
    for (what, source, expected) in cases {
        let folder = tempfile::tempdir().unwrap();
        std::fs::write(folder.path().join("oversatt.toml"), &source).unwrap();
        let live = Arc::new(LiveCatalog::open(folder.path()).unwrap());
        let app = TestApp::with_live_catalog(backend, live).await;
        for (language, note) in expected {
            let page = app.get(&format!("/s/oversatt?lang={language}")).await;
            assert_eq!(page.attributes("html", "lang"), [language], "{what}: in {language}");
            let shown = page.texts(".translation-note");
            assert_eq!(shown, note.into_iter().map(str::to_owned).collect::<Vec<_>>(), "{what}: in {language}");
            assert_eq!(page.attributes(".translation-note", "lang").len(), 0, "{what}: the page's own language");
        }
    }
}

async fn the_shipped_arabic_draft_does_not_claim_to_be_checked(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    let nexus = app.catalog.get("nexus").unwrap();
    assert!(nexus.unreviewed_translation("ar"), "the shipped Arabic is a machine-assisted draft");
    let page = app.get("/s/nexus?lang=ar").await;
    assert_eq!(page.texts(".translation-note"), [NOTE_AR]);
    assert!(app.get("/s/nexus?lang=sv").await.texts(".translation-note").is_empty());
}
