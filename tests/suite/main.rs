//! The integration tests, as one test binary: each module is what a file of
//! its own was, and `tests/common` is compiled once for all of them (it was
//! compiled again for each of 25 binaries). `tests/safety.rs` stays a binary
//! of its own: it installs a global log subscriber for the whole process.
//! Run one module with `cargo test --test suite staff::`.

#[macro_use]
#[path = "../common/mod.rs"]
mod common;

mod accessibility;
mod admin;
mod arrival;
mod browser;
mod check;
mod check_against;
mod codes;
mod compare;
mod crash;
mod disclosure;
mod graceful;
mod group_commit;
mod hostile;
mod instances;
mod language;
mod load;
mod microdata;
mod migrations;
mod oidc;
mod older_versions;
mod operations;
mod pages;
mod paper;
mod path;
mod print;
mod public_results;
mod rate;
mod reach;
mod reload;
mod report;
mod respond;
mod results;
mod schema;
mod seed;
mod spreadsheet;
mod staff;
mod store_report;
mod translations;
mod versions;
