//! The questionnaires folder while the service runs: read again on every
//! change, so administrators can edit a file without a restart, and never
//! worse for it. A file that passes validation replaces what was served
//! from it; one that fails keeps its last good version serving, with its
//! problems kept for admins to read. A new file appears, a deleted one stops
//! being served (its stored answers stay).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use super::load::{Problem, parse_file, toml_files_in, whole_file};
use super::{Catalog, Questionnaire};

/// The questionnaires served now, and every version served since start.
#[derive(Debug)]
pub struct LiveCatalog {
    dir: PathBuf,
    /// Replaced whole on each reload, so a request sees one consistent catalog.
    current: RwLock<Arc<Catalog>>,
    /// What each file last gave: serialises reloads too.
    files: Mutex<BTreeMap<PathBuf, FileState>>,
    /// Every version served since start, by (id, version), so a form shown
    /// before an edit and sent after it is checked against what was shown.
    served: Mutex<HashMap<(String, String), Arc<Questionnaire>>>,
}

#[derive(Debug, Clone, Default)]
struct FileState {
    /// The last version of this file that passed, if any did.
    good: Option<Arc<Questionnaire>>,
    /// What is wrong with the file as it is now; empty when it is fine.
    problems: Vec<Problem>,
}

/// What one reload did, for the log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reload {
    /// Ids served in a new version.
    pub changed: Vec<String>,
    /// Ids served for the first time.
    pub added: Vec<String>,
    /// Ids no longer served (their file is gone).
    pub removed: Vec<String>,
    /// Every problem in the folder now, whether or not the file changed.
    pub problems: Vec<Problem>,
}

impl LiveCatalog {
    /// Reads the folder at start: every file must pass, as there is no
    /// earlier version to keep serving.
    pub fn open(dir: &Path) -> Result<LiveCatalog, Vec<Problem>> {
        let live = LiveCatalog {
            dir: dir.to_path_buf(),
            current: RwLock::new(Arc::new(Catalog::default())),
            files: Mutex::new(BTreeMap::new()),
            served: Mutex::new(HashMap::new()),
        };
        let reload = live.reload(|_, _| Vec::new());
        if reload.problems.is_empty() { Ok(live) } else { Err(reload.problems) }
    }

    /// A catalog fixed once, for tests and one-off commands: never reloaded.
    pub fn fixed(catalog: Catalog) -> LiveCatalog {
        let live = LiveCatalog {
            dir: PathBuf::new(),
            current: RwLock::new(Arc::new(Catalog::default())),
            files: Mutex::new(BTreeMap::new()),
            served: Mutex::new(HashMap::new()),
        };
        live.replace(catalog);
        live
    }

    /// The folder this catalog reads.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The questionnaires served now.
    pub fn catalog(&self) -> Arc<Catalog> {
        self.current.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    pub fn get(&self, id: &str) -> Option<Arc<Questionnaire>> {
        self.catalog().get(id).cloned()
    }

    /// A version served since the service started, current or not.
    pub fn version(&self, id: &str, version: &str) -> Option<Arc<Questionnaire>> {
        let served = self.served.lock().unwrap_or_else(PoisonError::into_inner);
        served.get(&(id.to_owned(), version.to_owned())).cloned()
    }

    /// The problems of the files as they are now (a file with problems keeps
    /// its last good version serving).
    pub fn problems(&self) -> Vec<Problem> {
        let files = self.files.lock().unwrap_or_else(PoisonError::into_inner);
        files.values().flat_map(|state| state.problems.iter().cloned()).collect()
    }

    /// Reads the folder again. `admit` sees each valid file's questionnaire
    /// before it is served, with the version served from that file until now,
    /// and may give reasons not to serve it (a privacy setting loosened after
    /// answers came in); a refused file is treated as one with problems.
    pub fn reload(&self, admit: impl Fn(&Questionnaire, Option<&Questionnaire>) -> Vec<String>) -> Reload {
        let mut files = self.files.lock().unwrap_or_else(PoisonError::into_inner);
        let before = self.catalog();
        let paths = match toml_files_in(&self.dir) {
            Ok(paths) => paths,
            Err(error) => {
                // The folder itself cannot be read (renamed, permissions):
                // keep serving everything as it was.
                let problem = whole_file(&self.dir, format!("cannot read this folder: {error}"));
                return Reload { problems: vec![problem], ..Reload::default() };
            }
        };
        files.retain(|path, _| paths.contains(path));
        for path in &paths {
            let state = files.entry(path.clone()).or_default();
            match parse_file(path) {
                Ok(questionnaire) => {
                    let reasons = admit(&questionnaire, state.good.as_deref());
                    if reasons.is_empty() {
                        state.good = Some(Arc::new(questionnaire));
                        state.problems.clear();
                    } else {
                        state.problems = reasons.into_iter().map(|reason| whole_file(path, reason)).collect();
                    }
                }
                Err(problems) => state.problems = problems,
            }
        }

        let mut catalog = Catalog::default();
        let mut from_file: BTreeMap<String, PathBuf> = BTreeMap::new();
        for (path, state) in files.iter_mut() {
            let Some(good) = &state.good else { continue };
            if let Some(first) = from_file.get(&good.id) {
                state.problems.push(whole_file(
                    path,
                    format!(
                        "the id `{}` is already used by {}: every questionnaire needs its own id",
                        good.id,
                        first.display()
                    ),
                ));
                continue;
            }
            from_file.insert(good.id.clone(), path.clone());
            catalog.insert_from(good.clone(), path);
        }

        let mut reload = Reload::default();
        for questionnaire in catalog.iter() {
            match before.get(&questionnaire.id) {
                None => reload.added.push(questionnaire.id.clone()),
                Some(old) if old.version != questionnaire.version => reload.changed.push(questionnaire.id.clone()),
                Some(_) => {}
            }
        }
        reload.removed = before.iter().filter(|old| catalog.get(&old.id).is_none()).map(|old| old.id.clone()).collect();
        reload.problems = files.values().flat_map(|state| state.problems.iter().cloned()).collect();
        self.replace(catalog);
        reload
    }

    fn replace(&self, catalog: Catalog) {
        {
            let mut served = self.served.lock().unwrap_or_else(PoisonError::into_inner);
            for questionnaire in catalog.iter() {
                served
                    .entry((questionnaire.id.clone(), questionnaire.version.as_str().to_owned()))
                    .or_insert_with(|| questionnaire.clone());
            }
        }
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(catalog);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALID: &str = r#"
id = "ID"
languages = ["en"]
title = { en = "TITLE" }

[[question]]
id = "q"
type = "text"
text = { en = "Say something" }
"#;

    fn file(id: &str, title: &str) -> String {
        VALID.replace("ID", id).replace("TITLE", title)
    }

    fn write(dir: &Path, name: &str, text: &str) {
        std::fs::write(dir.join(name), text).unwrap();
    }

    fn title(live: &LiveCatalog, id: &str) -> Option<String> {
        live.get(id).map(|questionnaire| questionnaire.title.get("en").to_owned())
    }

    #[test]
    fn a_valid_edit_replaces_an_invalid_one_keeps_the_last_good_version() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "a.toml", &file("a", "First"));
        let live = LiveCatalog::open(dir.path()).unwrap();
        let first_version = live.get("a").unwrap().version.clone();

        write(dir.path(), "a.toml", &file("a", "Second"));
        let reload = live.reload(|_, _| Vec::new());
        assert_eq!(reload.changed, ["a"]);
        assert!(reload.problems.is_empty());
        assert_eq!(title(&live, "a").as_deref(), Some("Second"));
        assert!(live.version("a", first_version.as_str()).is_some(), "the version shown before is still known");

        write(dir.path(), "a.toml", &file("a", "Third").replace("type = \"text\"", "type = \"txt\""));
        let reload = live.reload(|_, _| Vec::new());
        assert_eq!(reload.problems.len(), 1);
        assert!(reload.problems[0].to_string().starts_with(&format!("{}:", dir.path().join("a.toml").display())));
        assert_eq!(title(&live, "a").as_deref(), Some("Second"), "the last good version keeps serving");
        assert_eq!(live.problems(), reload.problems);

        write(dir.path(), "a.toml", &file("a", "Fourth"));
        assert!(live.reload(|_, _| Vec::new()).problems.is_empty());
        assert!(live.problems().is_empty(), "fixed: no problem is kept");
    }

    #[test]
    fn new_files_appear_and_deleted_ones_stop_being_served() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "a.toml", &file("a", "A"));
        let live = LiveCatalog::open(dir.path()).unwrap();
        write(dir.path(), "b.toml", &file("b", "B"));
        std::fs::remove_file(dir.path().join("a.toml")).unwrap();
        let reload = live.reload(|_, _| Vec::new());
        assert_eq!((reload.added, reload.removed), (vec!["b".to_owned()], vec!["a".to_owned()]));
        assert!(live.get("a").is_none());
        assert!(live.get("b").is_some());
    }

    #[test]
    fn a_refused_version_is_not_served() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "a.toml", &file("a", "First"));
        let live = LiveCatalog::open(dir.path()).unwrap();
        write(dir.path(), "a.toml", &file("a", "Second"));
        let reload = live.reload(|new, old| {
            assert_eq!(old.map(|old| old.title.get("en")), Some("First"));
            vec![format!("not `{}`", new.title.get("en"))]
        });
        assert_eq!(reload.problems[0].message, "not `Second`");
        assert_eq!(title(&live, "a").as_deref(), Some("First"));
    }

    #[test]
    fn a_second_file_with_a_served_id_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "a.toml", &file("a", "A"));
        let live = LiveCatalog::open(dir.path()).unwrap();
        write(dir.path(), "copy.toml", &file("a", "Copy"));
        let reload = live.reload(|_, _| Vec::new());
        assert_eq!(reload.problems.len(), 1);
        assert!(reload.problems[0].message.contains("is already used by"));
        assert_eq!(title(&live, "a").as_deref(), Some("A"));
    }

    #[test]
    fn a_broken_file_at_start_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "a.toml", "id = ");
        assert!(LiveCatalog::open(dir.path()).is_err());
    }
}
