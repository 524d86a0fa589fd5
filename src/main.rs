use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    enkat::cli::run(enkat::cli::Cli::parse())
}
