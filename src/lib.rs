//! enkat: anonymous user surveys for social services.
//!
//! `questionnaire` is the domain (TOML model, checking, answers, the form's
//! flow), `report` the figures staff see and the disclosure rules over them,
//! `accessibility` the accessibility statement and reports of problems,
//! `codes` the one-time codes of coded questionnaires, `retention` how long
//! responses are kept, `staff` the rules for staff accounts and logins,
//! `store` keeps responses and accounts in SQLite or PostgreSQL, `web`
//! serves the respondent's form and the staff pages, and `cli` is what
//! `enkat` does from the command line. docs/ARCHITECTURE.md has the rest.

pub mod accessibility;
pub mod cli;
pub mod clock;
pub mod codes;
pub mod locale;
pub mod questionnaire;
pub mod report;
pub mod retention;
pub mod staff;
pub mod store;
pub mod web;
