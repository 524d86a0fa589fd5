//! `enkat check --against DATABASE_URL`: the checked files compared with the
//! versions stored in a database, before they are deployed there. What the
//! comparison finds is decided in `questionnaire::compat`; this reads the
//! database (read-only) and prints.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use crate::questionnaire::compat::{AnswerCounts, Baseline, compare};
use crate::questionnaire::translations::{Stored, stale_translations};
use crate::questionnaire::{Catalog, Questionnaire};
use crate::store::{CHECKED_TABLES, Store};

/// Compares every questionnaire in `catalog` with the database at `url`.
pub fn run(catalog: &Catalog, url: &str) -> ExitCode {
    super::run_to_completion(async {
        let store = Store::open_read_only(url).await.context("cannot open the database")?;
        let outcome = against(catalog, &store).await;
        store.close().await;
        let refused = outcome?;
        anyhow::ensure!(
            refused == 0,
            "{refused} change(s) refused: they would break what those who already answered were promised"
        );
        Ok(())
    })
}

/// Prints what the comparison finds; returns how many changes are refused.
async fn against(catalog: &Catalog, store: &Store) -> anyhow::Result<usize> {
    const DATABASE: &str = "cannot read the database";
    let missing = store.missing_tables().await.context(DATABASE)?;
    anyhow::ensure!(
        missing.len() != CHECKED_TABLES.len(),
        "the database has no enkat tables: it is not a database `enkat serve` has used (is the URL right?); nothing was compared"
    );
    anyhow::ensure!(
        missing.is_empty(),
        "the database lacks the table(s) {}: it is not (or not wholly) an enkat database; nothing was compared",
        missing.join(", ")
    );
    let (mut refused, mut warned) = (0, 0);
    for new in catalog.iter() {
        let stored: Vec<(String, time::Date)> = store
            .versions(&new.id)
            .await
            .context(DATABASE)?
            .into_iter()
            .map(|stored| (stored.version, stored.first_seen))
            .collect();
        let file = catalog.file(&new.id).unwrap_or(Path::new(&new.id));
        let (versions, first_seen) = match Baseline::choose(&stored, new.version.as_str()) {
            Baseline::New => {
                println!("{}: not in the database yet: nothing to compare with", new.id);
                continue;
            }
            Baseline::Unchanged { version } => {
                println!("{}: the same as the stored version {version}", new.id);
                // A translation that went stale in an earlier version is
                // still stale: said every time until it is seen to.
                warned += warn_stale_translations(store, file, new).await.context(DATABASE)?;
                continue;
            }
            Baseline::Latest { versions, first_seen } => (versions, first_seen),
        };
        let mut old: Vec<Questionnaire> = Vec::new();
        for version in &versions {
            // A stored text this enkat cannot read any more (the format has
            // changed since) cannot be compared; say so rather than guess.
            match store.stored_questionnaire(&new.id, version).await.context(DATABASE)? {
                None => {}
                Some(Ok(parsed)) => old.push(parsed),
                Some(Err(problems)) => eprintln!(
                    "{}: warning: the stored version {version} cannot be read any more ({}), so it is not compared",
                    new.id,
                    problems.first().map(|problem| problem.message.as_str()).unwrap_or_default()
                ),
            }
        }
        let answers = answer_counts(store, &new.id).await.context(DATABASE)?;
        let verdict = compare(file, new, &old, &answers);
        println!(
            "{}: compared with the stored version {} (first seen {first_seen}); {} response(s) stored",
            new.id,
            versions.join(" and "),
            answers.responses
        );
        for note in &verdict.notes {
            println!("  {note}");
        }
        for problem in verdict.warnings.iter().chain(&verdict.refusals) {
            eprintln!("{problem}");
        }
        warned += verdict.warnings.len();
        refused += verdict.refusals.len();
        warned += warn_stale_translations(store, file, new).await.context(DATABASE)?;
    }
    for id in store.questionnaire_ids().await.context(DATABASE)? {
        if catalog.get(&id).is_none() {
            let responses = store.count_responses(&id).await.context(DATABASE)?;
            println!(
                "{id}: in the database ({responses} response(s)) but in none of the checked files: its answers stay, and it is not served"
            );
        }
    }
    match (warned, refused) {
        (0, _) => {}
        (_, 0) => eprintln!("{warned} warning(s): the check passes, but read them before deploying"),
        _ => eprintln!("{warned} warning(s)"),
    }
    Ok(refused)
}

/// Prints a warning at each translated text of `new` whose original changed
/// since it was last written or reviewed, over every stored version and the
/// file; returns how many.
async fn warn_stale_translations(
    store: &Store,
    file: &Path,
    new: &Questionnaire,
) -> Result<usize, crate::store::StoreError> {
    let history = store.readable_versions(&new.id).await?;
    let history: Vec<Stored> =
        history.iter().map(|(questionnaire, first_seen)| Stored { questionnaire, first_seen: *first_seen }).collect();
    let stale = stale_translations(&history, new);
    for translation in &stale {
        eprintln!("{}", translation.warning(file, &new.source));
    }
    Ok(stale.len())
}

/// The answers stored for a questionnaire, every version together.
async fn answer_counts(store: &Store, id: &str) -> Result<AnswerCounts, crate::store::StoreError> {
    let tally = store.count_stored_answers(id).await?;
    let mut counts =
        AnswerCounts { responses: tally.responses.iter().map(|group| group.count).sum(), ..AnswerCounts::default() };
    for question in tally.respondents {
        *counts.questions.entry(question.question_id).or_default() += question.count;
    }
    for answer in tally.answers {
        if let Some(option) = answer.option_id {
            *counts.options.entry((answer.question_id, option)).or_default() += answer.count;
        }
    }
    Ok(counts)
}
