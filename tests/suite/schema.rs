//! The JSON Schema that editors use while an administrator types a
//! questionnaire (`docs/questionnaire.schema.json`, the `#:schema` line at the
//! top of each file): it is exactly what `enkat schema` derives from the code,
//! it accepts every questionnaire enkat accepts, and it refuses the mistakes a
//! schema can see, so an editor underlines them before `enkat check` runs.
//!
//! Editors (taplo) read a TOML file as JSON, dates becoming strings; so does
//! `to_json` here.

use std::path::{Path, PathBuf};
use std::process::Command;

use boon::{Compiler, SchemaIndex, Schemas, ValidationError};
use serde_json::Value;

const COMMITTED: &str = "docs/questionnaire.schema.json";

/// The folders of questionnaires that `enkat check` accepts.
const VALID_FOLDERS: &[&str] = &[
    "questionnaires",
    "tests/fixtures/pages",
    "tests/fixtures/coded",
    "tests/fixtures/reach",
    "tests/fixtures/language",
];

/// A fixture of `tests/fixtures/check` whose one mistake the schema sees.
struct Refused {
    file: &'static str,
    /// The JSON pointer of the value the schema finds fault with.
    at: &'static str,
    why: &'static str,
}

/// The mistakes of `tests/fixtures/check` a schema can see. The others need
/// the whole file (an undefined scale, a missing language, an option `positive`
/// does not have …), or are TOML syntax errors, or are invisible once dates
/// are strings (`quoted-date.toml`).
const REFUSED: &[Refused] = &[
    Refused { file: "unknown-key.toml", at: "/question/0", why: "`required` misspelt `requried`" },
    Refused { file: "unknown-type.toml", at: "/question/0/type", why: "type = \"multiple\"" },
    Refused { file: "wrong-value-kind.toml", at: "/question/0/required", why: "required = \"yes\", text" },
    Refused { file: "neutral-title-quoted.toml", at: "/neutral_title", why: "neutral_title = \"true\", text" },
    Refused { file: "unknown-access.toml", at: "/access", why: "access = \"codes\"" },
    Refused { file: "unknown-date-precision.toml", at: "/date_precision", why: "date_precision = \"year\"" },
    Refused { file: "condition-unknown-key.toml", at: "/page/1/question/0/show_if", why: "`any_of` misspelt `anyof`" },
    Refused { file: "missing-key.toml", at: "/question/1", why: "a question without `type`" },
    Refused { file: "option-without-id.toml", at: "/question/0/options/1", why: "an option without `id`" },
    Refused { file: "thanks-after-intro.toml", at: "/intro/thanks", why: "`thanks` inside [intro]" },
    Refused { file: "max-length-too-large.toml", at: "/question/0/max_length", why: "max_length above 10000" },
    Refused { file: "empty-options.toml", at: "/question/0/options", why: "options = []" },
    Refused { file: "question-id-not-url-safe.toml", at: "/question/0/id", why: "a capital letter and a space" },
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// What `enkat schema` prints.
fn printed_schema() -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_enkat")).arg("schema").output().expect("enkat runs");
    assert!(output.status.success(), "enkat schema failed:\n{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("the schema is UTF-8")
}

/// The printed schema, compiled.
struct Validator {
    schemas: Schemas,
    schema: SchemaIndex,
}

fn validator() -> Validator {
    let schema: Value = serde_json::from_str(&printed_schema()).expect("enkat schema prints JSON");
    let mut schemas = Schemas::new();
    let mut compiler = Compiler::new();
    // Compiles only if the schema itself is valid draft 2020-12; `format: date`
    // is checked, as taplo does.
    compiler.set_default_draft(boon::Draft::V2020_12);
    compiler.enable_format_assertions();
    compiler.add_resource("urn:enkat:questionnaire", schema).expect("the schema is added once");
    let schema = compiler.compile("urn:enkat:questionnaire", &mut schemas).expect("a valid JSON Schema");
    Validator { schemas, schema }
}

/// A TOML value as editors see it: JSON, with dates as strings ("2026-12-01").
fn to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(text) => Value::String(text),
        toml::Value::Integer(number) => number.into(),
        toml::Value::Float(number) => number.into(),
        toml::Value::Boolean(flag) => flag.into(),
        toml::Value::Datetime(datetime) => Value::String(datetime.to_string()),
        toml::Value::Array(items) => items.into_iter().map(to_json).collect(),
        toml::Value::Table(table) => {
            Value::Object(table.into_iter().map(|(key, value)| (key, to_json(value))).collect())
        }
    }
}

#[track_caller]
fn read_as_json(path: &Path) -> Value {
    let source = std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let table: toml::Table = toml::from_str(&source).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    to_json(toml::Value::Table(table))
}

/// Every `*.toml` in `folder`, sorted; none if the folder does not exist.
fn toml_files(folder: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(root().join(folder)) else { return Vec::new() };
    let mut files: Vec<PathBuf> = entries
        .map(|entry| entry.expect("a readable folder entry").path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "toml"))
        .collect();
    files.sort();
    files
}

/// Each error as `pointer: message`: the innermost causes, where the schema
/// finds the fault (the outer ones only say that a subschema failed).
fn errors(validator: &Validator, instance: &Value) -> Vec<String> {
    fn leaves(error: &ValidationError, found: &mut Vec<String>) {
        if error.causes.is_empty() {
            found.push(format!("{}: {}", error.instance_location, error.kind));
        }
        for cause in &error.causes {
            leaves(cause, found);
        }
    }
    let mut found = Vec::new();
    if let Err(error) = validator.schemas.validate(instance, validator.schema) {
        leaves(&error, &mut found);
    }
    found
}

#[test]
fn the_committed_schema_is_what_enkat_schema_prints() {
    let committed = std::fs::read_to_string(root().join(COMMITTED)).unwrap_or_default();
    assert!(
        committed == printed_schema(),
        "{COMMITTED} is not what `enkat schema` prints: it is generated from the code, never edited by hand. \
         Run `cargo run -- schema > {COMMITTED}` and commit it."
    );
}

#[test]
fn the_schema_accepts_every_shipped_questionnaire_and_valid_fixture() {
    let validator = validator();
    let files: Vec<PathBuf> = VALID_FOLDERS.iter().flat_map(|folder| toml_files(folder)).collect();
    assert!(
        files.iter().any(|file| file.ends_with("questionnaires/nexus.toml")),
        "the shipped Nexus questionnaire should be among the files checked: {files:?}"
    );
    let mut failures = Vec::new();
    for file in &files {
        let found = errors(&validator, &read_as_json(file));
        if !found.is_empty() {
            failures.push(format!("{}:\n  {}", file.display(), found.join("\n  ")));
        }
    }
    assert!(failures.is_empty(), "the schema refuses questionnaires enkat accepts:\n{}", failures.join("\n"));
}

#[test]
fn the_schema_refuses_the_mistakes_it_can_see_where_they_are() {
    let validator = validator();
    let mut failures = Vec::new();
    for case in REFUSED {
        let path = root().join("tests/fixtures/check").join(case.file);
        let found = errors(&validator, &read_as_json(&path));
        if !found.iter().any(|error| error.starts_with(&format!("{}: ", case.at))) {
            failures.push(format!("{} ({}): no error at {}; got {found:?}", case.file, case.why, case.at));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} mistakes were not refused:\n{}",
        failures.len(),
        REFUSED.len(),
        failures.join("\n")
    );
}

#[test]
fn the_shipped_questionnaires_point_editors_at_the_schema() {
    for file in toml_files("questionnaires") {
        let source = std::fs::read_to_string(&file).expect("a readable questionnaire");
        assert_eq!(
            source.lines().next(),
            Some("#:schema ../docs/questionnaire.schema.json"),
            "{} should start with the line `#:schema ../docs/questionnaire.schema.json`, for editors",
            file.display()
        );
    }
}
