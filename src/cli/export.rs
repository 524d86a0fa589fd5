//! `enkat export`: the same files as the results page's download links,
//! written on the server, e.g. by a scheduled job. Audited like a download.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use futures_util::TryStreamExt;
use indicatif::{ProgressBar, ProgressStyle};
use time::Date;

use super::{CLI_ACTOR, DatabaseArgs, run_to_completion};
use crate::clock::Clock;
use crate::questionnaire::{self, Questionnaire};
use crate::report::csv::{Dialect, ResponsesCsv};
use crate::report::period::Period;
use crate::report::{self, Filter, ReportError};
use crate::staff::action;
use crate::store::{Store, StoreError};

/// Above this many responses, a progress bar shows how far the file is.
const PROGRESS_FROM: u64 = 10_000;

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The questionnaire's id, e.g. `nexus`.
    questionnaire: String,
    /// The aggregated summary (small groups suppressed), or every response.
    #[arg(long, value_enum, default_value_t = What::Summary)]
    what: What,
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    format: Format,
    /// First reporting period included, e.g. 2026-01 (months), 2026-Q1,
    /// 2026-H1 or 2026, as the questionnaire's `report_period`; default the
    /// first with answers. Only closed periods can be exported.
    #[arg(long)]
    from: Option<String>,
    /// Last reporting period included; default the last closed one.
    #[arg(long)]
    to: Option<String>,
    /// The service's time zone, which decides which periods have closed.
    #[arg(long, env = "ENKAT_TIME_ZONE", default_value = "Europe/Stockholm")]
    time_zone: String,
    /// Only responses in this language.
    #[arg(long)]
    lang: Option<String>,
    /// Only responses to this version of the questionnaire.
    #[arg(long)]
    version: Option<String>,
    /// `excel-sv` for Swedish Excel: semicolons, decimal comma, BOM.
    #[arg(long, default_value = "standard", value_parser = parse_dialect)]
    dialect: Dialect,
    /// Include free-text answers (responses only).
    #[arg(long)]
    text: bool,
    /// The file to write.
    #[arg(short, long)]
    output: PathBuf,
    #[command(flatten)]
    database: DatabaseArgs,
    /// Folder of questionnaire files (`*.toml`).
    #[arg(long, env = "ENKAT_QUESTIONNAIRES", default_value = "questionnaires")]
    questionnaires: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum What {
    Summary,
    Responses,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Csv,
    Xlsx,
}

fn parse_dialect(text: &str) -> Result<Dialect, String> {
    text.parse::<Dialect>().map_err(|error| error.to_string())
}

#[derive(Debug, thiserror::Error)]
enum ExportError {
    #[error("the questionnaires could not be loaded:\n{0}")]
    Questionnaires(String),
    #[error("there is no questionnaire `{0}` in the questionnaires folder")]
    UnknownQuestionnaire(String),
    #[error("the questionnaire has no language `{0}`")]
    UnknownLanguage(String),
    #[error("{0}")]
    Period(#[from] crate::report::ScopeError),
    #[error(transparent)]
    Clock(#[from] crate::clock::UnknownTimeZone),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Report(#[from] ReportError),
    #[error("cannot write {path}: {source}")]
    Write { path: String, source: std::io::Error },
}

/// Runs `enkat export ...`.
pub fn run(args: ExportArgs) -> ExitCode {
    run_to_completion(export(args))
}

async fn export(args: ExportArgs) -> Result<(), ExportError> {
    let catalog = questionnaire::load_dir(&args.questionnaires).map_err(|problems| {
        ExportError::Questionnaires(problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))
    })?;
    let questionnaire = catalog
        .get(&args.questionnaire)
        .ok_or_else(|| ExportError::UnknownQuestionnaire(args.questionnaire.clone()))?;
    if let Some(language) = &args.lang
        && !questionnaire.languages.contains(language)
    {
        return Err(ExportError::UnknownLanguage(language.clone()));
    }
    let kind = questionnaire.report_period;
    let period = |text: &Option<String>| {
        text.as_deref().map(|text| Period::parse(kind, text)).transpose().map_err(crate::report::ScopeError::from)
    };
    let filter = Filter {
        from: period(&args.from)?.map(Period::first_day),
        to: period(&args.to)?.map(Period::last_day),
        language: args.lang.clone(),
        version: args.version.clone(),
    };
    let today = Clock::system(&args.time_zone)?.today();
    let store = Store::connect(&args.database.database_url).await?;

    // Written beside the target and renamed at the end, so a failed export
    // never leaves half a file under the name a script reads.
    let partial = PathBuf::from(format!("{}.partial", args.output.display()));
    let written = write_file(&args, questionnaire, &store, &filter, today, &partial).await;
    let rows = match written {
        Ok(rows) => rows,
        Err(error) => {
            let _ = std::fs::remove_file(&partial);
            return Err(error);
        }
    };
    std::fs::rename(&partial, &args.output).map_err(|source| write_error(&args.output, source))?;

    let details = format!(
        "{} {:?} {:?} {filter:?}{}",
        questionnaire.id,
        args.what,
        args.format,
        if args.text { " text=1" } else { "" }
    );
    store.record_audit(CLI_ACTOR, action::EXPORT, &details).await?;
    store.close().await;
    eprintln!("wrote {} ({rows} rows)", args.output.display());
    Ok(())
}

fn write_error(path: &Path, source: std::io::Error) -> ExportError {
    ExportError::Write { path: path.display().to_string(), source }
}

/// Writes the export to `path`; returns how many rows it has.
async fn write_file(
    args: &ExportArgs,
    questionnaire: &Questionnaire,
    store: &Store,
    filter: &Filter,
    today: Date,
    path: &Path,
) -> Result<usize, ExportError> {
    let file = File::create(path).map_err(|source| write_error(path, source))?;
    let mut out = BufWriter::new(file);
    let rows = match args.what {
        What::Summary => {
            let disclosure = store.disclosure(questionnaire, today).await?;
            let scope =
                disclosure.scope(args.from.as_deref(), args.to.as_deref(), args.lang.clone(), args.version.clone())?;
            let summary = disclosure.summary(&scope);
            let rows = summary.questions.iter().map(|question| question.figures.options.len()).sum();
            match args.format {
                Format::Csv => report::csv::write_summary(&summary, args.dialect, &mut out)?,
                Format::Xlsx => out
                    .write_all(&report::xlsx::summary_workbook(&summary)?)
                    .map_err(|source| write_error(path, source))?,
            }
            rows
        }
        What::Responses => {
            let rows = store.count_matching(&questionnaire.id, filter).await?;
            let progress = if rows >= PROGRESS_FROM { ProgressBar::new(rows) } else { ProgressBar::hidden() };
            progress.set_style(
                ProgressStyle::with_template("{bar:40} {pos}/{len} responses, {eta} left")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            let mut records = store.stream_response_records(&questionnaire.id, filter).inspect_ok(|_| progress.inc(1));
            let written = match args.format {
                // Row by row from the database to the file: memory stays
                // flat however many responses there are.
                Format::Csv => {
                    let mut csv = ResponsesCsv::new(questionnaire, args.text, args.dialect, &mut out)?;
                    let mut written = 0;
                    while let Some(record) = records.try_next().await? {
                        csv.write(&record)?;
                        written += 1;
                    }
                    csv.finish()?;
                    written
                }
                // A workbook is built in memory by rust_xlsxwriter in any case.
                Format::Xlsx => {
                    let records: Vec<_> = records.try_collect().await?;
                    let written = records.len();
                    out.write_all(&report::xlsx::responses_workbook(questionnaire, records, args.text)?)
                        .map_err(|source| write_error(path, source))?;
                    written
                }
            };
            progress.finish_and_clear();
            written
        }
    };
    out.flush().map_err(|source| write_error(path, source))?;
    out.into_inner()
        .map_err(|error| write_error(path, error.into_error()))?
        .sync_all()
        .map_err(|source| write_error(path, source))?;
    Ok(rows)
}
