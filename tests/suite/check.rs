//! `enkat check`, as the people who write questionnaires use it: every mistake in a
//! file is reported on stderr as `file:line:column: message`, pointing at the mistake,
//! in words that say what to fix; the run then fails. A good file passes and is listed
//! on stdout.
//!
//! Each `tests/fixtures/check/<name>.toml` is a short questionnaire that would be
//! valid but for the one mistake its first line describes; `CASES` says where that
//! mistake is and what the message must say about it.

use std::collections::BTreeSet;
use std::process::Command;

const FIXTURES: &str = "tests/fixtures/check";

/// The fixture with two mistakes; every other fixture in `FIXTURES` has exactly one.
const TWO_MISTAKES: &str = "two-mistakes.toml";

struct Case {
    /// A file in `FIXTURES`.
    file: &'static str,
    /// Where the mistake is: 1-based, the column counted in characters.
    line: usize,
    column: usize,
    message_contains: &'static str,
    /// The mistake the fixture contains.
    why: &'static str,
}

const CASES: &[Case] = &[
    // Pages and conditions.
    Case {
        file: "condition-unknown-question.toml",
        line: 24,
        column: 24,
        message_contains: "names `recieved`, which is not a question of this questionnaire; the questions it can name are received",
        why: "`show_if` names a misspelt question",
    },
    Case {
        file: "condition-unknown-key.toml",
        line: 24,
        column: 36,
        message_contains: "unknown key `anyof`: did you mean `any_of`?",
        why: "a condition's `any_of` is misspelt",
    },
    Case {
        file: "condition-later-question.toml",
        line: 12,
        column: 24,
        message_contains: "names `helped`, which is not before it",
        why: "a question's condition looks at a later question",
    },
    Case {
        file: "page-condition-same-page.toml",
        line: 20,
        column: 24,
        message_contains: "a page's condition can only name a question on an earlier page",
        why: "a page's condition looks at a question on the page itself",
    },
    Case {
        file: "condition-unknown-option.toml",
        line: 24,
        column: 46,
        message_contains: "names the option `moving`, which `received` does not have; its options are move, none",
        why: "`any_of` names an option that does not exist",
    },
    Case {
        file: "condition-on-free-text.toml",
        line: 20,
        column: 45,
        message_contains: "`received` is a free-text question without options: use answered = true or answered = false",
        why: "`any_of` on a free-text question",
    },
    Case {
        file: "condition-two-tests.toml",
        line: 24,
        column: 11,
        message_contains: "uses more than one of any_of, none_of and answered: keep one",
        why: "a condition with two tests",
    },
    Case {
        file: "condition-no-test.toml",
        line: 24,
        column: 11,
        message_contains: "add any_of = [...], none_of = [...] or answered = true",
        why: "a condition without a test",
    },
    Case {
        file: "question-outside-pages.toml",
        line: 19,
        column: 6,
        message_contains: "write this question as [[page.question]]",
        why: "a top-level question beside pages",
    },
    Case {
        file: "empty-page.toml",
        line: 18,
        column: 1,
        message_contains: "page 2 has no questions",
        why: "a page without questions",
    },
    // The file is not valid TOML.
    Case {
        file: "missing-equals.toml",
        line: 8,
        column: 6,
        message_contains: "expected `=`",
        why: "the `=` between `type` and its value is missing",
    },
    // The string runs to the end of line 4, where its closing quote is missing; the
    // `[[question]]` on line 6 is where the TOML parser first gets lost, not the mistake.
    Case {
        file: "unclosed-string.toml",
        line: 4,
        column: 86,
        message_contains: "expected `\"`",
        why: "the English title has no closing quote",
    },
    Case {
        file: "duplicate-key.toml",
        line: 11,
        column: 1,
        message_contains: "the key `required` is given twice here",
        why: "`required` is written twice in one question",
    },
    // Keys: unknown, missing, or of the wrong kind.
    Case {
        file: "unknown-key.toml",
        line: 9,
        column: 1,
        message_contains: "unknown key `requried`: did you mean `required`?",
        why: "`required` is misspelt `requried`",
    },
    Case {
        file: "missing-key.toml",
        line: 11,
        column: 1,
        message_contains: "the key `type` is missing",
        why: "the second question has no `type`",
    },
    Case {
        file: "wrong-value-kind.toml",
        line: 9,
        column: 12,
        message_contains: "should be true or false, without quotes, but it is the text \"yes\"",
        why: "`required = \"yes\"` is text, not true or false",
    },
    Case {
        file: "thanks-after-intro.toml",
        line: 9,
        column: 10,
        message_contains: "move it above the first header",
        why: "`thanks` is written under `[intro]`, so it is read as a language of the intro",
    },
    // Languages and texts.
    Case {
        file: "unknown-language.toml",
        line: 3,
        column: 26,
        message_contains: "no interface text in the language `fi`",
        why: "`languages` lists `fi`, which enkat does not speak",
    },
    Case {
        file: "language-listed-twice.toml",
        line: 3,
        column: 26,
        message_contains: "the language `sv` is listed twice",
        why: "`languages` lists `sv` twice",
    },
    Case {
        file: "missing-language-text.toml",
        line: 4,
        column: 9,
        message_contains: "title is not written in `en`",
        why: "the title has Swedish but no English",
    },
    Case {
        file: "undeclared-language-text.toml",
        line: 9,
        column: 68,
        message_contains: "is written in `fi`, which is not in `languages`",
        why: "a question text has a Finnish version in a survey in sv and en",
    },
    Case {
        file: "empty-text.toml",
        line: 9,
        column: 50,
        message_contains: "question `comment` is empty",
        why: "the English text of a question is blank",
    },
    Case {
        file: "option-missing-language.toml",
        line: 9,
        column: 3,
        message_contains: "option `money` of list `practical` is not written in `en`",
        why: "an option of a list has Swedish but no English",
    },
    // Ids.
    Case {
        file: "questionnaire-id-not-url-safe.toml",
        line: 2,
        column: 6,
        message_contains: "the questionnaire id `Nexus Survey` is not allowed",
        why: "the questionnaire id has capital letters and a space",
    },
    Case {
        file: "question-id-not-url-safe.toml",
        line: 7,
        column: 6,
        message_contains: "the question id `Your comment` is not allowed",
        why: "a question id has a capital letter and a space",
    },
    Case {
        file: "option-id-not-url-safe.toml",
        line: 12,
        column: 10,
        message_contains: "the option id `stökigt` is not allowed",
        why: "an option id contains `ö`",
    },
    Case {
        file: "duplicate-question-id.toml",
        line: 12,
        column: 6,
        message_contains: "already a question with the id `comment`",
        why: "two questions have the id `comment`; the second is the mistake",
    },
    Case {
        file: "duplicate-option-id.toml",
        line: 13,
        column: 3,
        message_contains: "two options with the id `yes`",
        why: "two options of one question have the id `yes`; the second is the mistake, and it is one mistake",
    },
    Case {
        file: "option-clashes-with-list.toml",
        line: 18,
        column: 3,
        message_contains: "two options with the id `money`",
        why: "a question's own option has the same id as an option from its `options_from` list",
    },
    Case {
        file: "reserved-option-id.toml",
        line: 10,
        column: 3,
        message_contains: "`dont_know` is a reserved option id",
        why: "a scale has an option with the reserved id `dont_know`",
    },
    Case {
        file: "other-clash.toml",
        line: 13,
        column: 3,
        message_contains: "also an option with the reserved id `other`",
        why: "a question has `other = true` and an option with the id `other`",
    },
    Case {
        file: "option-without-id.toml",
        line: 12,
        column: 3,
        message_contains: "has no `id`",
        why: "an option has no `id`",
    },
    // Translations.
    Case {
        file: "translation-unknown-language.toml",
        line: 7,
        column: 1,
        message_contains: "[translations] names `ar`, which is not in `languages` (sv, en): remove it, or add the language",
        why: "a reviewed marker for a language the questionnaire does not have",
    },
    Case {
        file: "translation-of-original.toml",
        line: 7,
        column: 1,
        message_contains: "`sv` is the original language (the first in `languages`), not a translation",
        why: "a reviewed marker for the original",
    },
    Case {
        file: "reviewed-quoted.toml",
        line: 7,
        column: 19,
        message_contains: "this should be a date without quotes, like 2026-12-01",
        why: "`reviewed = \"2026-12-01\"` is text, not a date",
    },
    Case {
        file: "reviewed-with-time.toml",
        line: 7,
        column: 19,
        message_contains: "`reviewed` must be a date only, without quotes or time, like reviewed = 2026-12-01",
        why: "the day of a review with a time of day",
    },
    Case {
        file: "translation-unknown-key.toml",
        line: 7,
        column: 8,
        message_contains: "unknown key `reviwed`: did you mean `reviewed`?",
        why: "`reviewed` misspelt",
    },
    // Settings.
    Case {
        file: "quoted-date.toml",
        line: 4,
        column: 9,
        message_contains: "this should be a date without quotes, like 2026-12-01",
        why: "`opens = \"2026-12-01\"` is text, not a date",
    },
    Case {
        file: "closes-before-opens.toml",
        line: 5,
        column: 10,
        message_contains: "`closes` (2026-11-30) is before `opens` (2026-12-01)",
        why: "the survey closes the day before it opens",
    },
    Case {
        file: "neutral-title-quoted.toml",
        line: 5,
        column: 17,
        message_contains: "should be true or false, without quotes, but it is the text \"true\"",
        why: "`neutral_title = \"true\"` is text, and the tab would show the title after all",
    },
    Case {
        file: "unknown-access.toml",
        line: 4,
        column: 10,
        message_contains: "`codes` is not allowed here: use one of open, code",
        why: "`access = \"codes\"` is not an access mode",
    },
    Case {
        file: "unknown-date-precision.toml",
        line: 4,
        column: 18,
        message_contains: "`year` is not allowed here: use one of day, week, month",
        why: "`date_precision = \"year\"` is not one of the precisions",
    },
    Case {
        file: "empty-options.toml",
        line: 10,
        column: 11,
        message_contains: "the options of question `again` are empty",
        why: "a single question has `options = []`",
    },
    Case {
        file: "positive-not-an-option.toml",
        line: 13,
        column: 31,
        message_contains: "`positive` names `fairly_satisfed`, which is not an option of scale `satisfied4`",
        why: "`positive` names a misspelt option id",
    },
    Case {
        file: "unknown-type.toml",
        line: 8,
        column: 8,
        message_contains: "`multiple` is not allowed here: use one of scale, single, multi, text",
        why: "`type = \"multiple\"` is not a question type",
    },
    Case {
        file: "undefined-scale.toml",
        line: 18,
        column: 9,
        message_contains: "there is no scale `satisfied5`",
        why: "a question uses the scale `satisfied5`, but only `satisfied4` is defined",
    },
    Case {
        file: "undefined-list.toml",
        line: 16,
        column: 16,
        message_contains: "there is no list `practcal`",
        why: "`options_from` names a misspelt list",
    },
    Case {
        file: "key-for-other-type.toml",
        line: 16,
        column: 9,
        message_contains: "`scale` does not apply to question `again`, which is of type \"single\"",
        why: "a single question has a `scale`",
    },
    Case {
        file: "max-length-too-large.toml",
        line: 9,
        column: 14,
        message_contains: "`max_length` must be between 1 and 10000",
        why: "`max_length = 20000` is above the limit",
    },
    Case {
        file: "exclusive-in-single.toml",
        line: 12,
        column: 65,
        message_contains: "`exclusive` only makes sense in a question of type \"multi\"",
        why: "an option of a single question is marked `exclusive = true`",
    },
    Case {
        file: "two-exclusive-options.toml",
        line: 7,
        column: 6,
        message_contains: "more than one exclusive option",
        why: "a multi question has two exclusive options",
    },
    Case {
        file: "role-for-other-type.toml",
        line: 9,
        column: 8,
        message_contains: "this role needs a question of type \"single\" or \"multi\"",
        why: "a text question has role = \"background\"",
    },
    Case {
        file: "satisfaction-without-area.toml",
        line: 16,
        column: 6,
        message_contains: "has role \"satisfaction\" but no `area`",
        why: "a satisfaction question has no `area`",
    },
    Case {
        file: "area-without-satisfaction.toml",
        line: 10,
        column: 8,
        message_contains: "`area` is only used for questions with role = \"satisfaction\"",
        why: "a received_support question has an `area`",
    },
    Case {
        file: "no-questions.toml",
        line: 1,
        column: 1,
        message_contains: "has no questions",
        why: "the questionnaire has no [[question]]",
    },
];

impl Case {
    fn path(&self) -> String {
        format!("{FIXTURES}/{}", self.file)
    }

    fn expected_line(&self) -> String {
        format!("{}:{}:{}: …{}…", self.path(), self.line, self.column, self.message_contains)
    }

    fn is_reported_by(&self, run: &Run) -> bool {
        let prefix = format!("{}:{}:{}: ", self.path(), self.line, self.column);
        run.problems().iter().any(|line| line.starts_with(&prefix) && line.contains(self.message_contains))
    }
}

/// The outcome of one `enkat check`.
struct Run {
    /// The exit code; `None` if the process was killed.
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    /// The problem lines on stderr, without the closing count.
    fn problems(&self) -> Vec<&str> {
        self.stderr.lines().filter(|line| !line.ends_with(" problem(s) found")).collect()
    }
}

/// Runs `enkat check PATHS...` from the crate root, so that paths relative to
/// it are printed exactly as given.
fn check(paths: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_enkat"))
        .arg("check")
        .args(paths)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("enkat runs");
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A failed check exits with 1: not 0, and not a crash.
#[track_caller]
fn assert_fails(run: &Run, what: &str) {
    assert_eq!(run.code, Some(1), "checking {what} should fail with exit code 1\nstderr:\n{}", run.stderr);
}

#[track_caller]
fn assert_passes(run: &Run, what: &str) {
    assert_eq!(run.code, Some(0), "checking {what} should pass\nstderr:\n{}", run.stderr);
    assert!(run.stderr.is_empty(), "checking {what} should print nothing on stderr, got:\n{}", run.stderr);
}

/// The problem at `index` (0 is the first) starts with `prefix`, that is
/// `file:line:column: `, and its message contains `message_contains`.
#[track_caller]
fn assert_problem(run: &Run, index: usize, prefix: &str, message_contains: &str) {
    let problems = run.problems();
    let line = problems.get(index).copied().unwrap_or_default();
    assert!(
        line.starts_with(prefix) && line.contains(message_contains),
        "problem {} should be `{prefix}…{message_contains}…`, got `{line}`\nstderr:\n{}",
        index + 1,
        run.stderr
    );
}

#[track_caller]
fn assert_problem_count(run: &Run, count: usize) {
    assert_eq!(run.problems().len(), count, "expected {count} problem(s)\nstderr:\n{}", run.stderr);
    assert!(
        run.stderr.ends_with(&format!("\n{count} problem(s) found\n")),
        "stderr should end with the count `{count} problem(s) found`:\n{}",
        run.stderr
    );
}

#[test]
fn each_mistake_is_reported_once_at_its_line_and_column_in_plain_words() {
    let mut failures = Vec::new();
    for case in CASES {
        let run = check(&[&case.path()]);
        let mut wrong = Vec::new();
        if run.code != Some(1) {
            wrong.push(format!("exit code {:?}, expected 1", run.code));
        }
        if !case.is_reported_by(&run) {
            wrong.push(format!("no line `{}`", case.expected_line()));
        }
        if run.problems().len() != 1 || !run.stderr.ends_with("\n1 problem(s) found\n") {
            wrong.push(format!("{} problems reported for one mistake", run.problems().len()));
        }
        if !wrong.is_empty() {
            failures.push(format!("{} ({}): {}\nstderr:\n{}", case.file, case.why, wrong.join("; "), run.stderr));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures were not reported as expected:\n\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

#[test]
fn every_fixture_has_a_case_and_every_case_a_fixture() {
    let on_disk: BTreeSet<String> = std::fs::read_dir(format!("{}/{FIXTURES}", env!("CARGO_MANIFEST_DIR")))
        .expect("the fixtures folder exists")
        .map(|entry| entry.expect("a readable folder entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".toml") && name != TWO_MISTAKES)
        .collect();
    let in_cases: BTreeSet<String> = CASES.iter().map(|case| case.file.to_owned()).collect();
    assert_eq!(in_cases.len(), CASES.len(), "a fixture is listed twice in CASES");
    assert_eq!(on_disk, in_cases, "the single-mistake fixtures on disk and in CASES differ");
}

#[test]
fn the_shipped_questionnaires_pass() {
    let run = check(&["questionnaires"]);
    assert_passes(&run, "questionnaires/");
    assert!(
        run.stdout.lines().any(|line| line.starts_with("nexus: ")),
        "the nexus questionnaire should be listed on stdout, got:\n{}",
        run.stdout
    );
}

#[test]
fn all_mistakes_in_a_file_are_reported_in_one_run_in_file_order() {
    let path = format!("{FIXTURES}/{TWO_MISTAKES}");
    let run = check(&[&path]);
    assert_fails(&run, &path);
    assert_problem(&run, 0, &format!("{path}:18:9: "), "there is no scale `satisfied5`");
    assert_problem(&run, 1, &format!("{path}:26:8: "), "the text of question `comment` is not written in `en`");
    assert_problem_count(&run, 2);
}

#[test]
fn checking_a_folder_goes_on_after_a_broken_file_and_reports_every_one() {
    let run = check(&[FIXTURES]);
    assert_fails(&run, FIXTURES);
    for file in CASES.iter().map(|case| case.file).chain([TWO_MISTAKES]) {
        let prefix = format!("{FIXTURES}/{file}:");
        assert!(
            run.problems().iter().any(|line| line.starts_with(&prefix)),
            "checking the folder should report {file}\nstderr:\n{}",
            run.stderr
        );
    }
}

#[test]
fn two_questionnaires_with_the_same_id_are_reported() {
    let folder = format!("{FIXTURES}/duplicate-ids");
    for file in ["first.toml", "second.toml"] {
        assert_passes(&check(&[&format!("{folder}/{file}")]), file);
    }
    let run = check(&[&folder]);
    assert_fails(&run, &folder);
    assert_problem(
        &run,
        0,
        &format!("{folder}/second.toml:2:6: "),
        &format!("the id `shared` is already used by {folder}/first.toml"),
    );
    assert_problem_count(&run, 1);
}

#[test]
fn a_path_that_does_not_exist_is_reported_by_name() {
    let path = format!("{FIXTURES}/no-such-file.toml");
    let run = check(&[&path]);
    assert_fails(&run, &path);
    assert_problem(&run, 0, &format!("{path}:1:1: "), "there is no file or folder with this name");
    assert_problem_count(&run, 1);
}
