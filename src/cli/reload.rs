//! Live reload for `enkat serve`: the questionnaires folder is watched, and
//! SIGHUP asks for a reload too. Each reload keeps the promises made to the
//! people who already answered (see `versions::loosenings`), stores every new
//! version, and logs what changed and every problem as `file:line:column`.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use crate::clock::Clock;
use crate::questionnaire::translations::{Stored, stale_translations};
use crate::questionnaire::versions::loosenings;
use crate::questionnaire::{Catalog, LiveCatalog, Questionnaire};
use crate::store::Store;

/// Editors save in several steps (write a temporary file, rename it): a
/// reload waits this long after the first event so it reads the file whole.
const SETTLE: Duration = Duration::from_millis(300);

/// Reloads on SIGHUP and, with `watch`, on every change in the folder. The
/// watcher stops when the returned value is dropped, so `serve` keeps it
/// for as long as it runs.
pub fn spawn(
    live: Arc<LiveCatalog>,
    store: Store,
    clock: Clock,
    watch: bool,
) -> anyhow::Result<Option<RecommendedWatcher>> {
    let (wake, mut woken) = tokio::sync::mpsc::channel::<()>(1);
    let watcher = if watch { Some(watch_folder(&live, wake.clone())?) } else { None };

    #[cfg(unix)]
    tokio::spawn(async move {
        use tokio::signal::unix::{SignalKind, signal};
        let Ok(mut hangup) = signal(SignalKind::hangup()) else { return };
        while hangup.recv().await.is_some() {
            let _ = wake.try_send(());
        }
    });
    tokio::spawn(async move {
        while woken.recv().await.is_some() {
            tokio::time::sleep(SETTLE).await;
            while woken.try_recv().is_ok() {}
            reload(&live, &store, &clock).await;
        }
    });
    Ok(watcher)
}

fn watch_folder(live: &LiveCatalog, wake: tokio::sync::mpsc::Sender<()>) -> anyhow::Result<RecommendedWatcher> {
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if event.is_ok_and(|event| !matches!(event.kind, EventKind::Access(_))) {
            // Full means a reload is already due, which will see this change too.
            let _ = wake.try_send(());
        }
    })
    .context("cannot watch the questionnaires folder")?;
    watcher
        .watch(live.dir(), RecursiveMode::NonRecursive)
        .with_context(|| format!("cannot watch {}", live.dir().display()))?;
    Ok(watcher)
}

/// Reads the folder again and serves what passes.
pub async fn reload(live: &Arc<LiveCatalog>, store: &Store, clock: &Clock) {
    // Privacy settings may not loosen for a questionnaire with answers; when
    // the count cannot be read, it is treated as answered.
    let mut answered = BTreeSet::new();
    for questionnaire in live.catalog().iter() {
        if store.count_responses(&questionnaire.id).await.map_or(true, |count| count > 0) {
            answered.insert(questionnaire.id.clone());
        }
    }
    let reading = live.clone();
    let (store_in, today) = (store.clone(), clock.today());
    let runtime = tokio::runtime::Handle::current();
    let report = tokio::task::spawn_blocking(move || {
        reading.reload(|new, old| {
            if let Some(old) = old
                && answered.contains(&new.id)
            {
                let refused: Vec<String> = loosenings(old, new).iter().map(ToString::to_string).collect();
                if !refused.is_empty() {
                    return refused;
                }
            }
            // Stored before it is served: a response always finds its version.
            if old.is_none_or(|old| old.version != new.version)
                && let Err(error) = runtime.block_on(store_in.register_version(new, today))
            {
                return vec![format!("this version could not be stored, so it is not served yet: {error}")];
            }
            Vec::new()
        })
    })
    .await;
    let report = match report {
        Ok(report) => report,
        Err(error) => {
            tracing::error!(%error, "reloading the questionnaires failed; the old ones keep serving");
            return;
        }
    };
    let catalog = live.catalog();
    for id in report.added.iter().chain(&report.changed) {
        let Some(questionnaire) = catalog.get(id) else { continue };
        let what = if report.added.contains(id) { "now served" } else { "reloaded" };
        tracing::info!(version = %questionnaire.version, "questionnaire {id} {what}");
    }
    for id in report.added.iter().chain(&report.changed) {
        if let Some(questionnaire) = catalog.get(id) {
            log_stale_translations(store, &catalog, questionnaire).await;
        }
    }
    for id in &report.removed {
        tracing::info!("questionnaire {id} is no longer served: its file is gone (its answers are kept)");
    }
    for problem in &report.problems {
        tracing::error!("{problem} (the last good version keeps serving)");
    }
}

/// Logs a warning at each stale translated text of a served questionnaire
/// (`questionnaire::translations`): served all the same, as `enkat check
/// --against` warns and passes.
pub(super) async fn log_stale_translations(store: &Store, catalog: &Catalog, questionnaire: &Questionnaire) {
    let history = match store.readable_versions(&questionnaire.id).await {
        Ok(history) => history,
        Err(error) => {
            tracing::warn!(%error, "the stored versions of {} could not be read to look for stale translations", questionnaire.id);
            return;
        }
    };
    let history: Vec<Stored> =
        history.iter().map(|(questionnaire, first_seen)| Stored { questionnaire, first_seen: *first_seen }).collect();
    let file = catalog.file(&questionnaire.id).unwrap_or(Path::new(&questionnaire.id));
    for stale in stale_translations(&history, questionnaire) {
        tracing::warn!("{}", stale.warning(file, &questionnaire.source));
    }
}
