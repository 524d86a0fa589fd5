//! Any bytes as a questionnaire file: `enkat check` and `serve` must answer
//! with problems, never panic, and a file that loads must load the same way
//! twice and hang together (every question on a page, every condition on a
//! question that exists).

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(source) = std::str::from_utf8(bytes) else { return };
    let file = Path::new("fuzz.toml");
    let Ok(questionnaire) = enkat::questionnaire::parse(file, source) else { return };
    let again = enkat::questionnaire::parse(file, source).expect("a file that loaded once loads again");
    assert_eq!(questionnaire.version, again.version, "the version is a function of the text");
    for (index, question) in questionnaire.questions.iter().enumerate() {
        assert!(questionnaire.page_of_question(&question.id).is_some(), "question {index} is on no page");
        if let Some(condition) = &question.condition {
            assert!(questionnaire.question_index(&condition.question).is_some(), "a condition on no question");
        }
    }
});
