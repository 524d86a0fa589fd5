//! Which SKR quality area each satisfaction question belongs to.
//!
//! The loaded [`Question`](crate::questionnaire::Question) does not carry its
//! `area` (validation checks it, then drops it), so it is read back here from
//! the questionnaire's own source text, which every `Questionnaire` keeps.
//! Once `Question` has an `area` field, this module can go.

use serde::Deserialize;

use crate::questionnaire::{Area, Questionnaire};

/// Only the parts of the file needed here; serde skips every other key.
#[derive(Deserialize)]
struct Source {
    #[serde(default)]
    question: Vec<QuestionArea>,
}

#[derive(Deserialize)]
struct QuestionArea {
    id: String,
    area: Option<Area>,
}

/// The area of every question that has one, by question id.
pub(crate) fn question_areas(questionnaire: &Questionnaire) -> Vec<(String, Area)> {
    // A questionnaire comes from `questionnaire::parse`, so its source has
    // already been read as this TOML; one built by hand without a source
    // simply has no areas.
    let Ok(source) = toml::from_str::<Source>(&questionnaire.source) else {
        return Vec::new();
    };
    source.question.into_iter().filter_map(|question| Some((question.id, question.area?))).collect()
}
