//! Any bytes as the body of a form sent to the shipped Nexus questionnaire,
//! decoded as axum's `Form` decodes it: every step must answer with problems
//! or answers, never panic, and whatever is accepted must be something the
//! questionnaire asks, within its limits: nothing else can reach the store.

#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use enkat::questionnaire::{
    FormInput, OTHER, OTHER_MAX_LENGTH, Questionnaire, QuestionKind, parse, validate, validate_until,
};
use libfuzzer_sys::fuzz_target;

fn nexus() -> &'static Questionnaire {
    static NEXUS: OnceLock<Questionnaire> = OnceLock::new();
    NEXUS.get_or_init(|| {
        let source = include_str!("../../questionnaires/nexus.toml");
        parse(Path::new("nexus.toml"), source).expect("the shipped questionnaire loads")
    })
}

fuzz_target!(|body: &[u8]| {
    let Ok(pairs) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(body) else { return };
    let questionnaire = nexus();
    let Ok(input) = FormInput::new(questionnaire, pairs) else { return };
    let shown = questionnaire.shown(&input);
    for page in 0..questionnaire.pages.len() {
        let _ = validate_until(questionnaire, &input, page);
    }
    let Ok(answers) = validate(questionnaire, &input) else { return };
    for answer in &answers {
        let index = questionnaire.question_index(&answer.question_id).expect("an answer to a question that exists");
        assert!(shown.question(index), "an answer to a question that is not shown: {}", answer.question_id);
        let question = &questionnaire.questions[index];
        match &question.kind {
            QuestionKind::Text { max_length } => {
                assert!(answer.option_id.is_none());
                let text = answer.text.as_deref().unwrap_or_default();
                assert!(text.chars().count() <= *max_length, "a text over its limit");
            }
            kind => {
                let option = answer.option_id.as_deref().expect("a choice names its option");
                let known = kind.choices().iter().any(|choice| choice.id == option);
                assert!(known || (kind.has_other() && option == OTHER), "an unknown option `{option}`");
                if let Some(text) = &answer.text {
                    assert_eq!(option, OTHER, "only \"other\" carries a text");
                    assert!(text.chars().count() <= OTHER_MAX_LENGTH, "an \"other\" text over its limit");
                }
            }
        }
    }
});
