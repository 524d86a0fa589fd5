//! enkat: anonymous user surveys for social services.
//!
//! `questionnaire` is the domain (TOML model, validation, answers), `store`
//! keeps responses in SQLite or PostgreSQL, `web` serves the respondent's
//! form, and `cli` is what `enkat` does from the command line.

pub mod cli;
pub mod locale;
pub mod questionnaire;
pub mod report;
pub mod store;
pub mod web;
