//! `cargo bench --bench export`: the exports of 1,000,000 Nexus responses,
//! on SQLite and on PostgreSQL.
//!
//! - the summary (`enkat export nexus --what summary`, the figures of the
//!   results page), timed in process and as the real binary, against the
//!   same counting written by hand and run by the database's own client
//!   (`sqlite3`, `psql`): the ratio is what matters on a shared machine;
//! - a breakdown of every closed period by a background question, as the
//!   results page makes it: the first (which counts and keeps the counts),
//!   later ones, and one after a week of new responses;
//! - the responses CSV, run as the real binary, with its peak memory
//!   (`/usr/bin/time -v`, else `VmHWM` polled from `/proc/PID/status`),
//!   against the same rows dumped by the database's own client.
//!
//! The databases are filled once (plain SQL in large transactions, random
//! but plausible Nexus answers) and reused by later runs. Settings:
//! `ENKAT_BENCH_RESPONSES` (default 1000000), `ENKAT_BENCH_DIR` (default
//! `target/bench-export`, for the SQLite file and the exported files),
//! `ENKAT_BENCH_RUNS` (default 3, the best run counts), `ENKAT_BENCH_ONLY`
//! (`summary`, `breakdown` or `csv`: that section alone),
//! `ENKAT_BENCH_POSTGRES_URL` (default `postgres://enkat@127.0.0.1:55999/postgres`;
//! a database `enkat_bench_export` is created there; `skip` leaves
//! PostgreSQL out). A missing `sqlite3`, `psql` or server is reported and
//! that part skipped, never a failure.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::str::FromStr;
use std::time::{Duration, Instant};

use enkat::cli::seed::{Random, synthetic_response};
use enkat::questionnaire::{self, QuestionKind, Questionnaire, Test};
use enkat::report::release::Scope;
use enkat::report::{self, Filter, Split, csv::Dialect};
use enkat::store::{QueuedResponse, Store};
use sqlx::postgres::{PgPoolCopyExt, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{AssertSqlSafe, Connection};
use time::{Date, Month};
use uuid::Uuid;

const QUESTIONNAIRE: &str = "nexus";
/// The background question the breakdown is by.
const BREAKDOWN_BY: &str = "age";
/// Responses written per transaction while seeding.
const SEED_BATCH: usize = 20_000;
/// Each timing is the best of this many runs (`ENKAT_BENCH_RUNS`): the
/// machine is shared, and the least disturbed run is the closest to the truth.
const RUNS: usize = 3;

fn runs() -> usize {
    std::env::var("ENKAT_BENCH_RUNS").ok().and_then(|n| n.parse().ok()).filter(|&n| n > 0).unwrap_or(RUNS)
}

/// The summary's counting written by hand for the database's own client,
/// as enkat does it: adding up the tallies kept as responses are stored
/// (migration 0006): responses, answers per option, respondents per question.
const HAND_WRITTEN_SUMMARY: &str = "\
SELECT SUM(responses) FROM response_tally WHERE questionnaire_id = 'nexus';
SELECT question_id, option_id, SUM(answers) FROM answer_tally WHERE questionnaire_id = 'nexus' \
GROUP BY question_id, option_id;
SELECT question_id, SUM(respondents) FROM question_tally WHERE questionnaire_id = 'nexus' GROUP BY question_id;
";

/// The same counting over the answer rows themselves, as anyone would write
/// it without the tallies (and as enkat did before them): what the tallies save.
const HAND_WRITTEN_ROW_COUNT: &str = "\
SELECT COUNT(*) FROM response WHERE questionnaire_id = 'nexus';
SELECT a.question_id, a.option_id, COUNT(*) FROM answer a JOIN response r ON r.id = a.response_id \
WHERE r.questionnaire_id = 'nexus' GROUP BY a.question_id, a.option_id;
SELECT a.question_id, COUNT(DISTINCT a.response_id) FROM answer a JOIN response r ON r.id = a.response_id \
WHERE r.questionnaire_id = 'nexus' GROUP BY a.question_id;
";

/// Every answer of every response, in the order the responses export
/// reads them: the rows the CSV is made of, by hand.
const HAND_WRITTEN_RESPONSES: &str = "\
SELECT r.id, r.submitted_on, r.language, r.version, a.question_id, a.option_id, a.text \
FROM response r LEFT JOIN answer a ON a.response_id = r.id WHERE r.questionnaire_id = 'nexus' \
ORDER BY r.id, a.position;
";

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a tokio runtime");
    runtime.block_on(run());
}

struct Settings {
    responses: usize,
    dir: PathBuf,
    postgres: Option<String>,
    questionnaires: PathBuf,
}

async fn run() {
    let settings = Settings {
        responses: std::env::var("ENKAT_BENCH_RESPONSES").ok().and_then(|n| n.parse().ok()).unwrap_or(1_000_000),
        dir: std::env::var_os("ENKAT_BENCH_DIR").map_or_else(|| PathBuf::from("target/bench-export"), PathBuf::from),
        postgres: match std::env::var("ENKAT_BENCH_POSTGRES_URL") {
            Ok(url) if url == "skip" => None,
            Ok(url) => Some(url),
            Err(_) => Some("postgres://enkat@127.0.0.1:55999/postgres".to_owned()),
        },
        questionnaires: PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/questionnaires")),
    };
    std::fs::create_dir_all(&settings.dir).expect("the bench folder");
    let catalog = questionnaire::load_dir(&settings.questionnaires).expect("the shipped questionnaires load");
    let nexus = catalog.get(QUESTIONNAIRE).expect("the Nexus questionnaire");
    println!("enkat export bench: {} responses to `{QUESTIONNAIRE}`", settings.responses);

    let sqlite_file = std::path::absolute(settings.dir.join("export-bench.db")).expect("an absolute path");
    let sqlite_url = format!("sqlite://{}", sqlite_file.display());
    seed_sqlite(&sqlite_url, nexus, settings.responses).await;
    bench_database("SQLite", &sqlite_url, nexus, &settings, |sql| {
        client_available("sqlite3").then(|| {
            let mut command = Command::new("sqlite3");
            command.arg(&sqlite_file).arg(sql);
            command
        })
    })
    .await;

    let Some(server) = &settings.postgres else {
        println!("\nPostgreSQL: skipped (ENKAT_BENCH_POSTGRES_URL=skip)");
        return;
    };
    let Some(postgres_url) = bench_postgres_database(server).await else { return };
    seed_postgres(&postgres_url, nexus, settings.responses).await;
    bench_database("PostgreSQL", &postgres_url, nexus, &settings, |sql| {
        client_available("psql").then(|| {
            let mut command = Command::new("psql");
            command.args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", &postgres_url, "-c", sql]);
            command
        })
    })
    .await;
}

/// Runs every measurement on one database; `client` gives the database's
/// own client running a piece of SQL, or `None` when it is not installed.
async fn bench_database(
    name: &str,
    url: &str,
    nexus: &Questionnaire,
    settings: &Settings,
    client: impl Fn(&str) -> Option<Command>,
) {
    println!("\n== {name}");
    let store = Store::connect(url).await.expect("the bench database opens");
    let stored = store.count_responses(QUESTIONNAIRE).await.expect("a count");
    println!("stored responses: {stored}");
    if section("summary") {
        bench_summary(url, nexus, settings, &client, &store, name).await;
    }
    store.close().await;
    if section("breakdown") {
        bench_breakdown(url, nexus).await;
    }
    if section("csv") {
        bench_responses_csv(url, settings, &client, name);
    }
}

/// Whether `ENKAT_BENCH_ONLY` (`summary`, `breakdown` or `csv`; unset: all)
/// asks for this section.
fn section(name: &str) -> bool {
    std::env::var("ENKAT_BENCH_ONLY").map_or(true, |only| only == name)
}

/// The summary in process, as the real binary, and by hand.
async fn bench_summary(
    url: &str,
    nexus: &Questionnaire,
    settings: &Settings,
    client: &impl Fn(&str) -> Option<Command>,
    store: &Store,
    name: &str,
) {
    // The summary, in process: what both the CLI and the staff route do.
    let filter = Filter::default();
    let in_process = best_of(runs(), || async {
        let (tally, _) = store.tally_across_versions(nexus, &filter, None).await.expect("the tally");
        let summary = report::summarize(nexus, &tally);
        let mut out = Vec::new();
        report::csv::write_summary(&summary, Dialect::Standard, &mut out).expect("the summary CSV");
        std::hint::black_box(out);
    })
    .await;
    println!("summary export, in process (tally + figures + CSV): {}", seconds(in_process));
    let filtered = Filter { language: Some("sv".to_owned()), ..Filter::default() };
    let in_process_filtered = best_of(runs(), || async {
        let (tally, _) = store.tally_across_versions(nexus, &filtered, None).await.expect("the tally");
        std::hint::black_box(report::summarize(nexus, &tally));
    })
    .await;
    println!("summary export, in process, filtered on language sv: {}", seconds(in_process_filtered));

    let summary_file = settings.dir.join(format!("summary-{}.csv", name.to_lowercase()));
    let cli_summary = best_of(runs(), || async {
        let status = export_command(url, settings, "summary", &summary_file).status().expect("enkat runs");
        assert!(status.success(), "enkat export --what summary failed");
    })
    .await;
    println!("summary export, `enkat export --what summary` (whole process): {}", seconds(cli_summary));
    let hand = hand_written(client, HAND_WRITTEN_SUMMARY).await;
    match hand {
        Some(hand) => {
            println!("hand-written SQL over the tallies in the database's own client: {}", seconds(hand));
            println!(
                "ratio enkat / hand-written: in process {:.2}, whole process {:.2}",
                in_process.as_secs_f64() / hand.as_secs_f64(),
                cli_summary.as_secs_f64() / hand.as_secs_f64()
            );
        }
        None => println!("hand-written SQL: skipped, the database's own client is not installed"),
    }
    if let Some(rows) = hand_written(client, HAND_WRITTEN_ROW_COUNT).await {
        println!("hand-written SQL counting the answer rows instead (no tallies): {}", seconds(rows));
    }
    println!("target summary <= 1 s: {}", if in_process <= Duration::from_secs(1) { "met" } else { "MISSED" });
}

/// The responses CSV, as the real binary, with its peak memory, against
/// the same rows dumped by the database's own client.
fn bench_responses_csv(url: &str, settings: &Settings, client: &impl Fn(&str) -> Option<Command>, name: &str) {
    let responses_file = settings.dir.join(format!("responses-{}.csv", name.to_lowercase()));
    let started = Instant::now();
    let peak = peak_memory(export_command(url, settings, "responses", &responses_file));
    let export_time = started.elapsed();
    let rows = count_lines(&responses_file).saturating_sub(1);
    println!("responses CSV, `enkat export --what responses --format csv`: {} for {rows} rows", seconds(export_time));
    if let Some(mut command) = client(HAND_WRITTEN_RESPONSES) {
        let started = Instant::now();
        let status = command.stdout(Stdio::null()).status().expect("the client runs");
        assert!(status.success(), "the hand-written SQL failed");
        let hand = started.elapsed();
        println!(
            "the same rows by hand in the database's own client (to /dev/null): {}; ratio {:.2}",
            seconds(hand),
            export_time.as_secs_f64() / hand.as_secs_f64()
        );
    }
    match peak {
        Some(kib) => println!(
            "responses CSV peak RSS: {:.1} MB; target < 100 MB: {}",
            kib as f64 / 1024.0,
            if kib < 100 * 1024 { "met" } else { "MISSED" }
        ),
        None => println!("responses CSV peak RSS: not measured (neither /usr/bin/time nor /proc)"),
    }
}

/// A breakdown of every closed period by a background question, as the
/// results page makes it (`cell_tallies` split, then disclosure control):
/// the first one, which counts every cell's answer rows and keeps the counts
/// (migration 0020); later ones, which read what was kept; and one after a
/// week of new responses, which counts that week's cells again.
async fn bench_breakdown(url: &str, nexus: &Questionnaire) {
    let store = Store::connect(url).await.expect("the bench database opens");
    // The seeded responses are dated in 2026: every period of it has closed.
    let today = Date::from_calendar_date(2027, Month::February, 15).expect("a date");
    let split = Split::Question(BREAKDOWN_BY.to_owned());
    let breakdown = || async {
        let disclosure = store.disclosure(nexus, today).await.expect("the disclosure");
        let periods = disclosure.periods();
        let (Some(&from), Some(&to)) = (periods.first(), periods.last()) else { panic!("closed periods") };
        let scope = Scope { from, to, language: None, version: None, channel: None };
        let rows = store.cell_tallies(QUESTIONNAIRE, disclosure.last_closed().last_day(), Some(&split)).await;
        std::hint::black_box(disclosure.breakdown(&scope, &split, rows.expect("the counts")));
    };
    forget_kept_breakdowns(url).await;
    let started = Instant::now();
    breakdown().await;
    let first = started.elapsed();
    println!("breakdown by `{BREAKDOWN_BY}`, first (counts the answer rows, keeps the counts): {}", seconds(first));
    let kept = best_of(runs(), breakdown).await;
    println!(
        "breakdown by `{BREAKDOWN_BY}`, kept: {}; ratio first / kept {:.0}",
        seconds(kept),
        first.as_secs_f64() / kept.as_secs_f64()
    );
    // A week of new responses (as a late week of paper forms would be), on
    // the last Monday of 2026: its cells are counted again, the rest read.
    let mut random = Random::new(2027);
    let week = Date::from_calendar_date(2026, Month::December, 28).expect("a Monday");
    let late: Vec<_> = (0..2_000)
        .map(|_| QueuedResponse { submitted_on: week, ..synthetic_response(nexus, week, &mut random) })
        .collect();
    store.insert_responses(&late).await.expect("a week of responses");
    let started = Instant::now();
    breakdown().await;
    let after_week = started.elapsed();
    println!("breakdown by `{BREAKDOWN_BY}` after a week of 2,000 new responses: {}", seconds(after_week));
    println!(
        "target breakdown <= 1 s: {} (kept), {} (after a week)",
        if kept <= Duration::from_secs(1) { "met" } else { "MISSED" },
        if after_week <= Duration::from_secs(1) { "met" } else { "MISSED" }
    );
    store.close().await;
}

/// Deletes the breakdowns kept by an earlier run, so the first is timed cold.
async fn forget_kept_breakdowns(url: &str) {
    let tables = ["group_tally_cell", "group_response_tally", "group_answer_tally", "group_question_tally"];
    for table in tables {
        let statement = AssertSqlSafe(format!("DELETE FROM {table}"));
        if url.starts_with("sqlite:") {
            let mut connection = sqlx::SqliteConnection::connect(url).await.expect("the bench database");
            sqlx::query(statement).execute(&mut connection).await.expect("deleted");
        } else {
            let mut connection = sqlx::PgConnection::connect(url).await.expect("the bench database");
            sqlx::query(statement).execute(&mut connection).await.expect("deleted");
        }
    }
}

/// The best time of the database's own client running `sql`, or `None`
/// when the client is not installed.
async fn hand_written(client: &impl Fn(&str) -> Option<Command>, sql: &str) -> Option<Duration> {
    client(sql)?;
    Some(
        best_of(runs(), || async {
            let mut command = client(sql).expect("the client");
            let output = command.stderr(Stdio::inherit()).output().expect("the client runs");
            assert!(output.status.success(), "the hand-written SQL failed");
        })
        .await,
    )
}

fn export_command(url: &str, settings: &Settings, what: &str, output: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_enkat"));
    command
        .args(["export", QUESTIONNAIRE, "--what", what, "--format", "csv", "--database-url", url, "--questionnaires"])
        .arg(&settings.questionnaires)
        .arg("-o")
        .arg(output)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

/// Runs `command` to its end and returns its peak resident memory in KiB.
fn peak_memory(mut command: Command) -> Option<u64> {
    if Path::new("/usr/bin/time").exists() {
        let program = command.get_program().to_owned();
        let args: Vec<_> = command.get_args().map(ToOwned::to_owned).collect();
        let output = Command::new("/usr/bin/time")
            .arg("-v")
            .arg(program)
            .args(args)
            .stdout(Stdio::null())
            .output()
            .expect("/usr/bin/time runs");
        assert!(output.status.success(), "the export failed: {}", String::from_utf8_lossy(&output.stderr));
        let report = String::from_utf8_lossy(&output.stderr);
        return report
            .lines()
            .find_map(|line| line.trim().strip_prefix("Maximum resident set size (kbytes): "))
            .and_then(|kib| kib.trim().parse().ok());
    }
    // Without GNU time: poll the child's high-water mark until it ends.
    let mut child = command.spawn().expect("enkat runs");
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = None;
    loop {
        if let Ok(status) = std::fs::read_to_string(&status_file)
            && let Some(kib) = status
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|value| value.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        {
            peak = peak.max(Some(kib));
        }
        if let Some(status) = child.try_wait().expect("the child") {
            assert!(status.success(), "the export failed");
            return peak;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn count_lines(path: &Path) -> usize {
    std::fs::read(path).map(|bytes| bytes.iter().filter(|&&byte| byte == b'\n').count()).unwrap_or(0)
}

async fn best_of<F: Future<Output = ()>>(runs: usize, mut run: impl FnMut() -> F) -> Duration {
    let mut best = Duration::MAX;
    for _ in 0..runs {
        let started = Instant::now();
        run().await;
        best = best.min(started.elapsed());
    }
    best
}

fn seconds(duration: Duration) -> String {
    format!("{:.3} s", duration.as_secs_f64())
}

fn client_available(name: &str) -> bool {
    let found = Command::new(name).arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok();
    if !found {
        println!("`{name}` is not installed: the comparison with hand-written SQL is skipped");
    }
    found
}

/// Creates (once) the database `enkat_bench_export` on the server `server`
/// and returns its URL; `None`, with a note, when the server does not answer.
async fn bench_postgres_database(server: &str) -> Option<String> {
    let mut connection = match sqlx::PgConnection::connect(server).await {
        Ok(connection) => connection,
        Err(error) => {
            println!("\nPostgreSQL: skipped, {server} does not answer: {error}");
            return None;
        }
    };
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'enkat_bench_export')")
            .fetch_one(&mut connection)
            .await
            .expect("pg_database");
    if !exists {
        sqlx::raw_sql("CREATE DATABASE enkat_bench_export").execute(&mut connection).await.expect("CREATE DATABASE");
    }
    let (base, _) = server.rsplit_once('/').expect("a URL with a database name");
    Some(format!("{base}/enkat_bench_export"))
}

// ---------------------------------------------------------------------------
// Seeding: plain SQL, not enkat's insert path, which is not what is measured.
// ---------------------------------------------------------------------------

/// A small, seeded pseudo-random generator (SplitMix64): the same database
/// on every machine, and no extra dependency.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True with probability `percent` / 100.
    fn percent(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

struct SeedAnswer {
    question_id: String,
    option_id: Option<String>,
    text: Option<String>,
}

struct SeedResponse {
    id: Uuid,
    language: &'static str,
    submitted_on: Date,
    answers: Vec<SeedAnswer>,
}

/// One plausible response: scales lean positive with some "don't know",
/// optional questions are sometimes skipped, multi questions get one to four
/// ticks or their exclusive option, conditions (`show_if`) are followed.
fn random_response(questionnaire: &Questionnaire, dice: &mut Dice) -> SeedResponse {
    let language = match dice.below(100) {
        0..80 => "sv",
        80..92 => "en",
        _ => "ar",
    };
    // A Monday of 2026: the stored date of a weekly coarsened questionnaire.
    let first_monday = Date::from_calendar_date(2026, Month::January, 5).expect("a date");
    let submitted_on = first_monday + time::Duration::weeks(dice.below(52) as i64);
    let mut answers: Vec<SeedAnswer> = Vec::new();
    for question in &questionnaire.questions {
        if let Some(condition) = &question.condition {
            let chosen: Vec<&str> = answers
                .iter()
                .filter(|answer| answer.question_id == condition.question)
                .filter_map(|answer| answer.option_id.as_deref())
                .collect();
            let shown = match &condition.test {
                Test::AnyOf(options) => chosen.iter().any(|id| options.iter().any(|option| option == id)),
                Test::NoneOf(options) => {
                    !chosen.is_empty() && !chosen.iter().any(|id| options.iter().any(|option| option == id))
                }
                Test::Answered(answered) => chosen.is_empty() != *answered,
            };
            if !shown {
                continue;
            }
        }
        if !question.required && dice.percent(8) {
            continue;
        }
        let one = |option: &str| SeedAnswer {
            question_id: question.id.clone(),
            option_id: Some(option.to_owned()),
            text: None,
        };
        match &question.kind {
            QuestionKind::Scale(scale) => {
                let steps = scale.options.len();
                let option = if scale.dont_know.is_some() && dice.percent(6) {
                    questionnaire::DONT_KNOW.to_owned()
                } else {
                    // The lower of two throws: the positive end is likelier.
                    scale.options[dice.below(steps).min(dice.below(steps))].id.clone()
                };
                answers.push(one(&option));
            }
            QuestionKind::Single { options, other } => {
                if *other && dice.percent(4) {
                    answers.push(SeedAnswer {
                        question_id: question.id.clone(),
                        option_id: Some(questionnaire::OTHER.to_owned()),
                        text: Some(format!("Något annat, nr {}", dice.below(1000))),
                    });
                } else {
                    answers.push(one(&options[dice.below(options.len())].id));
                }
            }
            QuestionKind::Multi { options, other } => {
                let exclusive: Vec<_> = options.iter().filter(|option| option.exclusive).collect();
                let plain: Vec<_> = options.iter().filter(|option| !option.exclusive).collect();
                if !exclusive.is_empty() && dice.percent(25) {
                    answers.push(one(&exclusive[dice.below(exclusive.len())].id));
                    continue;
                }
                let mut ticked = vec![false; plain.len()];
                for _ in 0..1 + dice.below(4) {
                    ticked[dice.below(plain.len())] = true;
                }
                for (option, _) in plain.iter().zip(&ticked).filter(|(_, ticked)| **ticked) {
                    answers.push(one(&option.id));
                }
                if *other && dice.percent(5) {
                    answers.push(SeedAnswer {
                        question_id: question.id.clone(),
                        option_id: Some(questionnaire::OTHER.to_owned()),
                        text: Some(format!("Hjälp med något annat, nr {}", dice.below(1000))),
                    });
                }
            }
            QuestionKind::Text { .. } => {
                if dice.percent(15) {
                    answers.push(SeedAnswer {
                        question_id: question.id.clone(),
                        option_id: None,
                        text: Some(format!("En synpunkt, nummer {}, med \"citat\" och, komma", dice.below(100_000))),
                    });
                }
            }
        }
    }
    let mut id = [0_u8; 16];
    id[..8].copy_from_slice(&dice.next().to_le_bytes());
    id[8..].copy_from_slice(&dice.next().to_le_bytes());
    SeedResponse { id: uuid::Builder::from_random_bytes(id).into_uuid(), language, submitted_on, answers }
}

/// The responses still missing for `wanted`, in batches; the seed depends on
/// how many are stored, so a continued run does not repeat ids.
fn batches(questionnaire: &Questionnaire, stored: usize, wanted: usize) -> impl Iterator<Item = Vec<SeedResponse>> {
    let mut dice = Dice(0x656e_6b61_7400 + stored as u64);
    let mut left = wanted.saturating_sub(stored);
    std::iter::from_fn(move || {
        (left > 0).then(|| {
            let size = left.min(SEED_BATCH);
            left -= size;
            let mut batch: Vec<_> = (0..size).map(|_| random_response(questionnaire, &mut dice)).collect();
            // Sorted by id, so each batch meets the tables' id order once.
            batch.sort_by_key(|response| response.id);
            batch
        })
    })
}

fn sql_text(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

fn sql_optional(text: Option<&str>) -> String {
    text.map_or_else(|| "NULL".to_owned(), sql_text)
}

/// Migrates the bench database, stores the questionnaire's version and
/// returns how many responses it already holds, if fewer than `wanted`.
async fn responses_to_add(url: &str, questionnaire: &Questionnaire, wanted: usize) -> Option<usize> {
    let store = Store::connect(url).await.expect("the bench database");
    store
        .register_version(questionnaire, Date::from_calendar_date(2026, Month::January, 1).expect("a date"))
        .await
        .expect("the version");
    let stored = usize::try_from(store.count_responses(QUESTIONNAIRE).await.expect("a count")).unwrap_or_default();
    store.close().await;
    (stored < wanted).then_some(stored)
}

/// The seeding wrote rows by SQL, past enkat's insert path that keeps the
/// tallies: count them once afterwards.
async fn count_tallies(url: &str) {
    let started = Instant::now();
    let store = Store::connect(url).await.expect("the bench database");
    store.recount_tallies().await.expect("the tallies");
    store.close().await;
    println!("counted the tallies in {}", seconds(started.elapsed()));
}

async fn seed_sqlite(url: &str, questionnaire: &Questionnaire, wanted: usize) {
    let Some(stored) = responses_to_add(url, questionnaire, wanted).await else { return };
    println!("seeding SQLite: {} responses to add", wanted - stored);
    let started = Instant::now();
    // Seeding only: no fsync, a large cache. The service's own settings
    // apply again when enkat opens the file.
    let options = SqliteConnectOptions::from_str(url)
        .expect("a SQLite URL")
        .synchronous(SqliteSynchronous::Off)
        .pragma("cache_size", "-1000000");
    let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options).await.expect("SQLite");
    let version = questionnaire.version.as_str();
    for batch in batches(questionnaire, stored, wanted) {
        let mut responses =
            String::from("INSERT INTO response (id, questionnaire_id, version, language, submitted_on) VALUES ");
        let mut answers: Vec<String> = Vec::new();
        for (at, response) in batch.iter().enumerate() {
            let id = format!("X'{}'", response.id.simple());
            let _ = write!(
                responses,
                "{}({id}, 'nexus', '{version}', '{}', '{}')",
                if at == 0 { "" } else { "," },
                response.language,
                response.submitted_on
            );
            for (position, answer) in response.answers.iter().enumerate() {
                answers.push(format!(
                    "({id}, {position}, '{}', {}, {})",
                    answer.question_id,
                    sql_optional(answer.option_id.as_deref()),
                    sql_optional(answer.text.as_deref())
                ));
            }
        }
        let mut transaction = pool.begin().await.expect("a transaction");
        sqlx::raw_sql(AssertSqlSafe(responses)).execute(&mut *transaction).await.expect("responses");
        for chunk in answers.chunks(5_000) {
            let sql = format!(
                "INSERT INTO answer (response_id, position, question_id, option_id, text) VALUES {}",
                chunk.join(",")
            );
            sqlx::raw_sql(AssertSqlSafe(sql)).execute(&mut *transaction).await.expect("answers");
        }
        transaction.commit().await.expect("commit");
    }
    sqlx::raw_sql("ANALYZE").execute(&pool).await.expect("ANALYZE");
    pool.close().await;
    count_tallies(url).await;
    println!("seeded SQLite in {}", seconds(started.elapsed()));
}

/// COPY text format: tab-separated, `\N` for NULL; the seeded texts have
/// no tabs, newlines or backslashes.
fn copy_optional(text: Option<&str>) -> &str {
    text.unwrap_or("\\N")
}

/// Sends `rows` (COPY text format) through the `COPY ... FROM STDIN` statement.
async fn copy_rows(pool: &sqlx::PgPool, statement: &str, rows: String) {
    let mut copy = pool.copy_in_raw(statement).await.expect(statement);
    copy.send(rows.into_bytes()).await.expect(statement);
    copy.finish().await.expect(statement);
}

async fn seed_postgres(url: &str, questionnaire: &Questionnaire, wanted: usize) {
    let Some(stored) = responses_to_add(url, questionnaire, wanted).await else { return };
    println!("seeding PostgreSQL: {} responses to add", wanted - stored);
    let started = Instant::now();
    let pool = PgPoolOptions::new().max_connections(1).connect(url).await.expect("PostgreSQL");
    let version = questionnaire.version.as_str();
    for batch in batches(questionnaire, stored, wanted) {
        let mut responses = String::new();
        let mut answers = String::new();
        for response in &batch {
            let _ = writeln!(
                responses,
                "{}\tnexus\t{version}\t{}\t{}",
                response.id, response.language, response.submitted_on
            );
            for (position, answer) in response.answers.iter().enumerate() {
                let _ = writeln!(
                    answers,
                    "{}\t{position}\t{}\t{}\t{}",
                    response.id,
                    answer.question_id,
                    copy_optional(answer.option_id.as_deref()),
                    copy_optional(answer.text.as_deref())
                );
            }
        }
        copy_rows(&pool, "COPY response (id, questionnaire_id, version, language, submitted_on) FROM STDIN", responses)
            .await;
        copy_rows(&pool, "COPY answer (response_id, position, question_id, option_id, text) FROM STDIN", answers).await;
    }
    count_tallies(url).await;
    sqlx::raw_sql("VACUUM ANALYZE").execute(&pool).await.expect("VACUUM ANALYZE");
    pool.close().await;
    println!("seeded PostgreSQL in {}", seconds(started.elapsed()));
}
