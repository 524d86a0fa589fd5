//! `enkat export`: the same files as the results page's download links,
//! written on the server, e.g. by a scheduled job. Audited like a download.
//! Whole responses, their notes and the free texts come from closed periods
//! only, by the server's clock, as on the web.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, ensure};
use clap::{Args, ValueEnum};
use futures_util::TryStreamExt;
use indicatif::{ProgressBar, ProgressStyle};
use time::Date;

use super::{CLI_ACTOR, DatabaseArgs, QuestionnairesArgs, TimeZoneArgs, run_to_completion};
use crate::questionnaire::{Channel, Questionnaire};
use crate::report::csv::{Dialect, ResponsesCsv};
use crate::report::microdata;
use crate::report::period::Period;
use crate::report::{self, Filter, ResponsesCounter, ResponsesPlan};
use crate::staff::action;
use crate::store::{Snapshot, Store, StoreError};

/// `--channel web` or `--channel paper`.
fn parse_channel(text: &str) -> Result<Channel, String> {
    Channel::parse(text).ok_or_else(|| format!("no channel `{text}`: web or paper"))
}

/// Above this many responses, a progress bar shows how far the file is.
const PROGRESS_FROM: u64 = 10_000;

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The questionnaire's id, e.g. `nexus`.
    questionnaire: String,
    /// The aggregated summary (small groups suppressed); every response of
    /// the closed periods (k-anonymous) or that file's notes; or the free
    /// texts per closed period.
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
    #[command(flatten)]
    time_zone: TimeZoneArgs,
    /// Only responses in this language.
    #[arg(long)]
    lang: Option<String>,
    /// Only responses to this version of the questionnaire.
    #[arg(long)]
    version: Option<String>,
    /// Only responses that came in by this channel: web or paper.
    #[arg(long, value_parser = parse_channel)]
    channel: Option<Channel>,
    /// `excel-sv` for Swedish Excel: semicolons, decimal comma, BOM.
    #[arg(long, default_value = "standard", value_parser = parse_dialect)]
    dialect: Dialect,
    /// Refused: free texts are never joined to the responses any more; they
    /// are their own list, `--what texts`.
    #[arg(long, hide = true)]
    text: bool,
    /// The file to write.
    #[arg(short, long)]
    output: PathBuf,
    #[command(flatten)]
    database: DatabaseArgs,
    #[command(flatten)]
    questionnaires: QuestionnairesArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum What {
    Summary,
    Responses,
    /// The notes on the responses file: what it covers, the rule, what was
    /// blanked (`responses.xlsx` has them as a sheet).
    ResponsesNotes,
    Texts,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Csv,
    Xlsx,
}

fn parse_dialect(text: &str) -> Result<Dialect, String> {
    text.parse::<Dialect>().map_err(|error| error.to_string())
}

/// Runs `enkat export ...`.
pub fn run(args: ExportArgs) -> ExitCode {
    run_to_completion(export(args))
}

async fn export(args: ExportArgs) -> anyhow::Result<()> {
    let questionnaire = &*args.questionnaires.questionnaire(&args.questionnaire)?;
    if let Some(language) = &args.lang {
        ensure!(questionnaire.languages.contains(language), "the questionnaire has no language `{language}`");
    }
    ensure!(
        !args.text,
        "--text is no more: free texts are never joined to a response, since a text can name its writer and \
         would then show everything else they answered; export them as a list of their own with --what texts"
    );
    let kind = questionnaire.report_period;
    let period = |text: &Option<String>| {
        text.as_deref().map(|text| Period::parse(kind, text)).transpose().map_err(crate::report::ScopeError::from)
    };
    let asked = Filter {
        from: period(&args.from)?.map(Period::first_day),
        to: period(&args.to)?.map(Period::last_day),
        language: args.lang.clone(),
        version: args.version.clone(),
        channel: args.channel,
    };
    // Whole responses and texts come from closed periods only; the summary
    // from the units of closed periods (report::release).
    let clock = args.time_zone.clock()?;
    let today = clock.today();
    let (closed, last_closed) = microdata::closed_only(&asked, questionnaire, today);
    let filter = if args.what == What::Summary { asked } else { closed };
    let store = Store::connect(&args.database.database_url).await?;

    // Written beside the target and renamed at the end, so a failed export
    // never leaves half a file under the name a script reads.
    let partial = PathBuf::from(format!("{}.partial", args.output.display()));
    let written = write_file(&args, questionnaire, &store, &filter, (today, last_closed), &partial).await;
    let rows = match written {
        Ok(rows) => rows,
        Err(error) => {
            let _ = std::fs::remove_file(&partial);
            return Err(error);
        }
    };
    std::fs::rename(&partial, &args.output).with_context(|| cannot_write(&args.output))?;

    let details = format!("{} {:?} {:?} {filter:?}", questionnaire.id, args.what, args.format);
    store.record_audit(CLI_ACTOR, action::EXPORT, &details, clock.now_utc()).await?;
    store.close().await;
    eprintln!("wrote {} ({rows} rows)", args.output.display());
    Ok(())
}

fn cannot_write(path: &Path) -> String {
    format!("cannot write {}", path.display())
}

/// Writes the export to `path`; returns how many rows it has.
async fn write_file(
    args: &ExportArgs,
    questionnaire: &Questionnaire,
    store: &Store,
    filter: &Filter,
    (today, last_closed): (Date, Period),
    path: &Path,
) -> anyhow::Result<usize> {
    let file = super::create_private_file(path).with_context(|| cannot_write(path))?;
    let mut out = BufWriter::new(file);
    let rows = match args.what {
        What::Summary => {
            let disclosure = store.disclosure(questionnaire, today).await?;
            let scope = disclosure.scope(
                args.from.as_deref(),
                args.to.as_deref(),
                args.lang.clone(),
                args.version.clone(),
                args.channel.map(|channel| channel.as_str().to_owned()),
            )?;
            let summary = disclosure.summary(&scope);
            let rows = summary.questions.iter().map(|question| question.figures.options.len()).sum();
            match args.format {
                Format::Csv => report::csv::write_summary(&summary, args.dialect, &mut out)?,
                Format::Xlsx => {
                    out.write_all(&report::xlsx::summary_workbook(&summary)?).with_context(|| cannot_write(path))?
                }
            }
            rows
        }
        What::Responses => write_responses(args, questionnaire, store, filter, last_closed, &mut out, path).await?,
        What::ResponsesNotes => {
            let mut snapshot = store.snapshot().await?;
            let plan =
                count_responses(&mut snapshot, questionnaire, filter, last_closed, &ProgressBar::hidden()).await?;
            let notes = plan.notes(filter).to_text();
            out.write_all(notes.as_bytes()).with_context(|| cannot_write(path))?;
            notes.lines().count()
        }
        What::Texts => {
            let mut snapshot = store.snapshot().await?;
            let texts = snapshot.listed_texts(questionnaire, filter).await?;
            match args.format {
                Format::Csv => report::csv::write_texts(&texts, args.dialect, &mut out)?,
                Format::Xlsx => {
                    out.write_all(&report::xlsx::texts_workbook(&texts)?).with_context(|| cannot_write(path))?
                }
            }
            texts.len()
        }
    };
    out.flush().with_context(|| cannot_write(path))?;
    out.into_inner()
        .map_err(|error| error.into_error())
        .with_context(|| cannot_write(path))?
        .sync_all()
        .with_context(|| cannot_write(path))?;
    Ok(rows)
}

/// Every response of the closed periods, k-anonymous; returns how many rows.
async fn write_responses(
    args: &ExportArgs,
    questionnaire: &Questionnaire,
    store: &Store,
    filter: &Filter,
    last_closed: Period,
    out: &mut BufWriter<std::fs::File>,
    path: &Path,
) -> anyhow::Result<usize> {
    let responses = store.count_matching(&questionnaire.id, filter).await?;
    // Read twice: once to count, once to write.
    let passes = match args.format {
        Format::Csv => 2,
        Format::Xlsx => 1,
    };
    let progress =
        if responses >= PROGRESS_FROM { ProgressBar::new(responses * passes) } else { ProgressBar::hidden() };
    progress.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} responses read, {eta} left")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut snapshot = store.snapshot().await?;
    let written = match args.format {
        // Counted, then written row by row from the database to the
        // file: memory stays flat however many responses there are.
        Format::Csv => {
            let plan = count_responses(&mut snapshot, questionnaire, filter, last_closed, &progress).await?;
            let mut csv = ResponsesCsv::new(&plan, args.dialect, &mut *out)?;
            let mut records =
                snapshot.stream_response_records(&questionnaire.id, filter).inspect_ok(|_| progress.inc(1));
            while let Some(record) = records.try_next().await? {
                csv.write(&record)?;
            }
            csv.finish()?;
            plan.rows()
        }
        // A workbook is built in memory by rust_xlsxwriter in any case.
        Format::Xlsx => {
            let records: Vec<_> = snapshot
                .stream_response_records(&questionnaire.id, filter)
                .inspect_ok(|_| progress.inc(1))
                .try_collect()
                .await?;
            let texts = snapshot.listed_texts(questionnaire, filter).await?;
            let plan = ResponsesPlan::from_records(questionnaire, &records, last_closed);
            let notes = plan.notes(filter);
            out.write_all(&report::xlsx::responses_workbook(&plan, records, &texts, &notes)?)
                .with_context(|| cannot_write(path))?;
            plan.rows()
        }
    };
    progress.finish_and_clear();
    Ok(usize::try_from(written).unwrap_or(usize::MAX))
}

/// The first pass of the responses export: counts the combinations of
/// quasi-identifiers of every response in the snapshot.
async fn count_responses<'q>(
    snapshot: &mut Snapshot,
    questionnaire: &'q Questionnaire,
    filter: &Filter,
    last_closed: Period,
    progress: &ProgressBar,
) -> Result<ResponsesPlan<'q>, StoreError> {
    let mut counter = ResponsesCounter::new(questionnaire);
    let mut combinations = snapshot.background_combinations(questionnaire, filter);
    while let Some((record, n)) = combinations.try_next().await? {
        counter.add_many(&record, n);
        progress.inc(n);
    }
    Ok(counter.plan(last_closed))
}
