//! `enkat print ID --lang sv -o FILE.html`: the questionnaire as a paper
//! form, the same document as `/staff/q/{id}/print` (issue 18), written to a
//! file to open in a browser and print on A4. Needs no database.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use super::QuestionnairesArgs;
use crate::web::views::print;

#[derive(Debug, Args)]
pub struct PrintArgs {
    /// The questionnaire's id, e.g. `nexus`.
    questionnaire: String,
    /// The language of the form; default the questionnaire's first.
    #[arg(long)]
    lang: Option<String>,
    /// The HTML file to write.
    #[arg(short, long, value_name = "FILE.html")]
    output: PathBuf,
    #[command(flatten)]
    questionnaires: QuestionnairesArgs,
}

pub fn run(args: PrintArgs) -> ExitCode {
    match write(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {}", super::error_line(&error));
            ExitCode::FAILURE
        }
    }
}

fn write(args: &PrintArgs) -> anyhow::Result<()> {
    let questionnaire = args.questionnaires.questionnaire(&args.questionnaire)?;
    let language = match args.lang.as_deref() {
        None => questionnaire.languages[0].as_str(),
        Some(wanted) => questionnaire.languages.iter().find(|lang| *lang == wanted).with_context(|| {
            format!(
                "questionnaire `{}` has no language `{wanted}`; it has {}",
                questionnaire.id,
                questionnaire.languages.join(", ")
            )
        })?,
    };
    let document = print::document(&questionnaire, language).into_string();
    let mut file =
        std::fs::File::create(&args.output).with_context(|| format!("cannot create {}", args.output.display()))?;
    file.write_all(document.as_bytes()).with_context(|| format!("cannot write {}", args.output.display()))?;
    println!(
        "{}: {} questions in {language} written to {}",
        questionnaire.id,
        questionnaire.questions.len(),
        args.output.display()
    );
    Ok(())
}
