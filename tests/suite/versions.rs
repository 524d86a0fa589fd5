//! Results across versions of a questionnaire edited while answers came in:
//! a reworded question counts its answers together, a question whose
//! positive answers changed counts only the versions where it was asked as
//! now, and staff see a note saying which versions were kept apart and why.

use std::path::Path;
use std::sync::Arc;

use crate::common::{Backend, TestApp};
use enkat::questionnaire::{LiveCatalog, Questionnaire};
use enkat::report::{self, Figure, Filter};

on_both_databases!(a_reworded_question_counts_together_and_a_changed_scale_is_kept_apart);

const FIRST: &str = r#"
id = "liten"
languages = ["sv"]
title = { sv = "Liten enkät" }
min_report_n = 3

[scales.yes2]
options = [ { id = "yes", sv = "Ja" }, { id = "no", sv = "Nej" } ]
positive = ["yes"]

[[question]]
id = "good"
type = "scale"
scale = "yes2"
role = "satisfaction"
area = "helhet"
text = { sv = "Var det bra?" }

[[question]]
id = "comment"
type = "text"
text = { sv = "Något mer?" }
"#;

/// Replaces the file, reloads, and stores the new version as `serve` does.
async fn edit(app: &TestApp, live: &LiveCatalog, file: &Path, source: &str) -> Arc<Questionnaire> {
    std::fs::write(file, source).unwrap();
    assert!(live.reload(|_, _| Vec::new()).problems.is_empty());
    let served = live.get("liten").unwrap();
    app.store.register_version(&served, app.today()).await.unwrap();
    served
}

/// `count` people answer `good` with `answer`, on the form they are shown now.
async fn answer(app: &TestApp, count: usize, answer: &str) {
    for _ in 0..count {
        let form = app.start("/s/liten").await;
        let mut fields = form.form_fields();
        fields.extend([("good".to_owned(), answer.to_owned()), ("_action".to_owned(), "next".to_owned())]);
        let fields: Vec<(&str, &str)> = fields.iter().map(|(name, value)| (name.as_str(), value.as_str())).collect();
        assert_eq!(app.post_form("/s/liten", &fields).await.status, 303);
    }
}

async fn share_positive(app: &TestApp, questionnaire: &Questionnaire) -> (u64, f64) {
    let (tally, _) = app.store.tally_across_versions(questionnaire, &Filter::default(), None).await.unwrap();
    let summary = report::summarize(questionnaire, &tally);
    let figures = &summary.question("good").unwrap().figures;
    match (&figures.n, &figures.share_positive) {
        (Figure::Shown(n), Some(Figure::Shown(share))) => (*n, *share),
        other => panic!("figures withheld: {other:?}"),
    }
}

async fn a_reworded_question_counts_together_and_a_changed_scale_is_kept_apart(backend: Backend) {
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("liten.toml");
    std::fs::write(&file, FIRST).unwrap();
    let live = Arc::new(LiveCatalog::open(folder.path()).unwrap());
    let app = TestApp::with_live_catalog(backend, live.clone()).await;
    let admin = app.logged_in_admin().await;

    answer(&app, 3, "yes").await;
    let reworded = edit(&app, &live, &file, &FIRST.replace("Var det bra?", "Var stödet bra?")).await;
    answer(&app, 3, "no").await;
    assert_eq!(share_positive(&app, &reworded).await, (6, 0.5), "rewording keeps the answers together");
    let page = app.get_as(&admin, "/staff/q/liten").await;
    assert!(page.texts(".versions-apart").is_empty(), "nothing is kept apart");

    let versions_before: Vec<String> =
        app.store.versions("liten").await.unwrap().into_iter().map(|version| version.version).collect();
    let widened =
        edit(&app, &live, &file, &FIRST.replace("positive = [\"yes\"]", "positive = [\"yes\", \"no\"]")).await;
    answer(&app, 3, "no").await;
    assert_eq!(share_positive(&app, &widened).await, (3, 1.0), "only the answers given since `no` counts as positive");

    let page = app.get_as(&admin, "/staff/q/liten").await;
    let note = page.text(".versions-apart li");
    assert!(note.starts_with("”Var det bra?”: svaren från version"), "{note}");
    for version in &versions_before {
        assert!(note.contains(version.as_str()), "{note} names {version}");
    }
    // Staff see every version and what changed.
    assert_eq!(page.text(".version-history summary"), "Enkäten har ändrats: 3 versioner");
    assert_eq!(
        page.texts(".version-history tbody td:last-child"),
        [
            "–",
            "Frågan good har formulerats om",
            "Frågan good har formulerats om Vilka svar som räknas som positiva har ändrats för good (resultaten redovisas separat per version)"
        ]
    );
    // The free-text question did not change: all nine responses count for it.
    let (tally, _) = app.store.tally_across_versions(&widened, &Filter::default(), None).await.unwrap();
    let total: u64 = tally.responses.iter().map(|group| group.count).sum();
    assert_eq!(total, 9);
}
