//! Reading questionnaire files: the files of a folder, TOML syntax, and
//! every problem found (by `check`), each with its file, line, column and a
//! sentence an administrator can act on.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::Questionnaire;
use super::check::Checker;
pub(super) use super::check::option_span;
use super::raw::RawQuestionnaire;

/// One mistake in a questionnaire file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.file.display(), self.line, self.column, self.message)
    }
}

/// The questionnaires the service serves, by id.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    questionnaires: BTreeMap<String, Arc<Questionnaire>>,
    /// The file each questionnaire was read from, when loaded from files
    /// (`load_paths`), so later checks can point into it.
    files: BTreeMap<String, PathBuf>,
}

impl Catalog {
    pub fn get(&self, id: &str) -> Option<&Arc<Questionnaire>> {
        self.questionnaires.get(id)
    }

    /// The file the questionnaire `id` was read from by `load_paths`.
    pub fn file(&self, id: &str) -> Option<&Path> {
        self.files.get(id).map(PathBuf::as_path)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Arc<Questionnaire>> {
        self.questionnaires.values()
    }

    pub fn len(&self) -> usize {
        self.questionnaires.len()
    }

    pub fn is_empty(&self) -> bool {
        self.questionnaires.is_empty()
    }

    /// Adds a questionnaire read from `file`, so later checks can point into it.
    pub(super) fn insert_from(&mut self, questionnaire: Arc<Questionnaire>, file: &Path) {
        self.files.insert(questionnaire.id.clone(), file.to_path_buf());
        self.insert(questionnaire);
    }

    pub(super) fn insert(&mut self, questionnaire: Arc<Questionnaire>) {
        self.questionnaires.insert(questionnaire.id.clone(), questionnaire);
    }
}

/// Reads and validates one file.
pub(super) fn parse_file(file: &Path) -> Result<Questionnaire, Vec<Problem>> {
    let source = std::fs::read_to_string(file)
        .map_err(|error| vec![whole_file(file, format!("cannot read this file: {error}"))])?;
    parse(file, &source)
}

/// Loads every `*.toml` file in `dir`.
pub fn load_dir(dir: &Path) -> Result<Catalog, Vec<Problem>> {
    load_paths(&[dir.to_path_buf()])
}

/// Loads the given files, and every `*.toml` file in the given folders.
/// All problems in all files are reported, not just the first.
pub fn load_paths(paths: &[PathBuf]) -> Result<Catalog, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut files = Vec::new();
    for path in paths {
        if !path.exists() {
            problems.push(whole_file(path, "there is no file or folder with this name".to_owned()));
        } else if path.is_dir() {
            match toml_files_in(path) {
                Ok(found) => files.extend(found),
                Err(error) => problems.push(whole_file(path, format!("cannot read this folder: {error}"))),
            }
        } else {
            files.push(path.clone());
        }
    }
    // A file named twice (alone and inside its folder) is read once.
    let mut seen_files = std::collections::BTreeSet::new();
    files.retain(|file| seen_files.insert(file.canonicalize().unwrap_or_else(|_| file.clone())));

    let mut catalog = Catalog::default();
    let mut seen_in: BTreeMap<String, PathBuf> = BTreeMap::new();
    for file in files {
        let source = match std::fs::read_to_string(&file) {
            Ok(source) => source,
            Err(error) => {
                problems.push(whole_file(&file, format!("cannot read this file: {error}")));
                continue;
            }
        };
        match parse(&file, &source) {
            Ok(questionnaire) => {
                if let Some(first) = seen_in.get(&questionnaire.id) {
                    let span = id_span(&source);
                    problems.push(at(
                        &file,
                        &source,
                        span,
                        format!(
                            "the id `{}` is already used by {}: every questionnaire needs its own id",
                            questionnaire.id,
                            first.display()
                        ),
                    ));
                    continue;
                }
                seen_in.insert(questionnaire.id.clone(), file.clone());
                catalog.files.insert(questionnaire.id.clone(), file.clone());
                catalog.questionnaires.insert(questionnaire.id.clone(), Arc::new(questionnaire));
            }
            Err(found) => problems.extend(found),
        }
    }
    if problems.is_empty() { Ok(catalog) } else { Err(problems) }
}

pub(super) fn toml_files_in(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_file() && path.extension().is_some_and(|ext| ext == "toml") {
            files.push(path);
        }
    }
    // Sorted, so that problems and duplicate ids are reported the same way every time.
    files.sort();
    Ok(files)
}

fn id_span(source: &str) -> Range<usize> {
    toml::from_str::<RawQuestionnaire>(source).map(|raw| raw.id.span()).unwrap_or(0..0)
}

pub(super) fn whole_file(file: &Path, message: String) -> Problem {
    Problem { file: file.to_path_buf(), line: 1, column: 1, message }
}

pub(super) fn at(file: &Path, source: &str, span: Range<usize>, message: String) -> Problem {
    let before = &source[..span.start.min(source.len())];
    let line = before.matches('\n').count() + 1;
    // A byte-order mark, which some editors add, is not a column.
    let column = before.rsplit('\n').next().unwrap_or_default().chars().filter(|c| *c != '\u{feff}').count() + 1;
    Problem { file: file.to_path_buf(), line, column, message }
}

/// Parses and validates one questionnaire file. `file` is only used to name
/// where each problem is.
pub fn parse(file: &Path, source: &str) -> Result<Questionnaire, Vec<Problem>> {
    // The parser may stop at a later symptom of a syntax error (an unclosed
    // string inside `{ }` is reported at the next table); the earliest
    // error is the one to fix.
    let (_, syntax_errors) = toml::de::DeTable::parse_recoverable(source);
    if let Some(error) = syntax_errors.into_iter().min_by_key(|error| error.span().map_or(0, |span| span.start)) {
        let span = error.span().unwrap_or(0..0);
        return Err(vec![at(file, source, span.clone(), explain_toml_error(error.message(), &source[span]))]);
    }
    let raw: RawQuestionnaire = match toml::from_str(source) {
        Ok(raw) => raw,
        Err(error) => {
            let span = error.span().unwrap_or(0..0);
            let message = explain_toml_error(error.message(), &source[span.clone()]);
            return Err(vec![at(file, source, span, message)]);
        }
    };
    let mut check = Checker::default();
    let questionnaire = check.questionnaire(raw, source);
    let problems = check.problems_in_file_order();
    if problems.is_empty() {
        Ok(questionnaire)
    } else {
        Err(problems.into_iter().map(|(span, message)| at(file, source, span, message)).collect())
    }
}

/// Turns serde's wording into advice, and suggests the key that was meant
/// when an unknown key looks like a typo.
fn explain_toml_error(message: &str, at_error: &str) -> String {
    let message = message.trim();
    if message == "duplicate key" {
        return format!("the key `{}` is given twice here: keep one", at_error.trim());
    }
    if let Some(rest) = message.strip_prefix("unknown variant `")
        && let Some((value, expected)) = rest.split_once("`, expected ")
    {
        let allowed = expected.trim_start_matches("one of ").replace('`', "").replace(" or ", ", ");
        return format!("`{value}` is not allowed here: use one of {allowed}");
    }
    if let Some(rest) = message.strip_prefix("invalid type: ")
        && let Some((found, expected)) = rest.split_once(", expected ")
    {
        let found = found.replace("map", "a table").replace("sequence", "a list").replace("string ", "the text ");
        let expected = match expected {
            "a boolean" => "true or false, without quotes",
            "a string" => "a text in quotes",
            "i64" | "an integer" => "a whole number, without quotes",
            "a sequence" => "a list in [ ]",
            "a TOML datetime" => "a date without quotes, like 2026-12-01",
            _ => "a table",
        };
        let hint = if found == "a table" && expected == "a text in quotes" {
            ". Keys written after a [table] header belong to that table: if this key belongs to the top of the file, move it above the first header"
        } else {
            ""
        };
        return format!("this should be {expected}, but it is {found}{hint}");
    }
    if let Some(rest) = message.strip_prefix("unknown field `")
        && let Some((key, expected)) = rest.split_once("`, expected ")
    {
        let allowed: Vec<&str> =
            expected.trim_start_matches("one of ").split(", ").map(|name| name.trim_matches('`')).collect();
        let suggestion = allowed
            .iter()
            .filter(|candidate| strsim::damerau_levenshtein(key, candidate) <= 2)
            .min_by_key(|candidate| strsim::damerau_levenshtein(key, candidate));
        let hint = match suggestion {
            Some(candidate) => format!("did you mean `{candidate}`? "),
            None => String::new(),
        };
        return format!("unknown key `{key}`: {hint}The keys allowed here are {}", allowed.join(", "));
    }
    if let Some(field) = message.strip_prefix("missing field `").and_then(|rest| rest.strip_suffix('`')) {
        return format!("the key `{field}` is missing here: add it");
    }
    message.to_owned()
}
