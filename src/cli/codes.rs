//! `enkat codes ...`: one-time codes on the server's command line, e.g. for
//! codes sent by SMS: create a batch (its codes written once, as CSV), list
//! the batches with their codes used per closed reporting period, revoke a
//! batch. Audited with actor `cli`.

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, anyhow, ensure};
use clap::Subcommand;
use uuid::Uuid;

use super::key::{KeyArgs, service_key};
use super::{CLI_ACTOR, DatabaseArgs, QuestionnairesArgs, TimeZoneArgs, run_to_completion};
use crate::clock::Clock;
use crate::codes::{BatchRequest, Code, write_csv};
use crate::questionnaire::{Access, Questionnaire};
use crate::report::period::last_closed;
use crate::staff::action;
use crate::store::Store;

/// `enkat codes ...`
#[derive(Debug, Subcommand)]
pub enum CodesCommand {
    /// Create a batch of one-time codes for a questionnaire with
    /// `access = "code"`, and write them as CSV (`code,url`). The codes are
    /// shown this once: only their MAC under the service key is stored. A batch goes to a
    /// group (a place and a month), never to one person, and its label
    /// never names a person.
    Create {
        /// The questionnaire's id, e.g. `nexus`.
        questionnaire: String,
        /// How many codes: at least 4 × the questionnaire's `min_report_n`
        /// (20 for the default 5), at most 1000.
        #[arg(long)]
        count: String,
        /// What the batch is for (1-100 characters), e.g. "Reception
        /// December". Never a person's name: with the batch's used codes it
        /// would tell that this person answered.
        #[arg(long)]
        label: String,
        /// The CSV file to write; standard output if left out.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// The address people use to reach the service, for the links.
        #[arg(long, env = "ENKAT_PUBLIC_URL", default_value = "http://127.0.0.1:3000")]
        public_url: String,
        #[command(flatten)]
        questionnaires: QuestionnairesArgs,
        #[command(flatten)]
        time_zone: TimeZoneArgs,
        #[command(flatten)]
        database: DatabaseArgs,
        #[command(flatten)]
        key: KeyArgs,
    },
    /// List a questionnaire's batches: id, created, codes, revoked, the codes
    /// used in each closed reporting period (`2026-10:3`), label. The
    /// current period's uses are never shown.
    List {
        questionnaire: String,
        #[command(flatten)]
        questionnaires: QuestionnairesArgs,
        #[command(flatten)]
        time_zone: TimeZoneArgs,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Revoke a batch, by the id `enkat codes list` shows: its unused codes
    /// are deleted.
    Revoke {
        batch: String,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// After the service key is lost for good: forget the database's key so
    /// the next start makes a new one. Refused while any unused code is
    /// left: revoke every batch first, then print new cards.
    ForgetKey {
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

/// Runs `enkat codes ...`.
pub fn run(command: CodesCommand) -> ExitCode {
    run_to_completion(async {
        match command {
            CodesCommand::Create {
                questionnaire,
                count,
                label,
                output,
                public_url,
                questionnaires,
                time_zone,
                database,
                key,
            } => {
                let batch = NewBatch { questionnaire, count, label, output, public_url };
                create(batch, &questionnaires, &time_zone, &database, &key).await
            }
            CodesCommand::List { questionnaire, questionnaires, time_zone, database } => {
                list(&questionnaire, &questionnaires, &time_zone, &database).await
            }
            CodesCommand::Revoke { batch, database } => revoke(&batch, &database).await,
            CodesCommand::ForgetKey { database } => forget_key(&database).await,
        }
    })
}

/// What `enkat codes create` was asked for.
struct NewBatch {
    questionnaire: String,
    count: String,
    label: String,
    output: Option<PathBuf>,
    public_url: String,
}

/// `enkat codes create`: stores the batch's fingerprints, then writes the
/// codes once; a batch whose codes could not be written is revoked.
async fn create(
    batch: NewBatch,
    questionnaires: &QuestionnairesArgs,
    time_zone: &TimeZoneArgs,
    database: &DatabaseArgs,
    key: &KeyArgs,
) -> anyhow::Result<()> {
    let NewBatch { questionnaire, count, label, output, public_url } = batch;
    let served = coded(questionnaires, &questionnaire)?;
    // Refused before the database is opened: nothing is created.
    let request = BatchRequest::parse(&count, &label, served.min_report_n)?;
    let clock = time_zone.clock()?;
    let today = clock.today();
    let store = Store::connect(&database.database_url).await?;
    let (key, notes) = service_key(key, &database.database_url, &store).await?;
    for note in notes {
        eprintln!("{note}");
    }
    let codes = request.generate()?;
    let fingerprints: Vec<String> = codes.iter().map(|code| code.fingerprint(&key)).collect();
    let id = store.create_code_batch(&questionnaire, &request.label, today, &fingerprints).await?;
    let details = format!("{questionnaire}: {} koder, \u{201d}{}\u{201d}", request.size, request.label);
    store.record_audit(CLI_ACTOR, action::CODES_CREATED, &details, clock.now_utc()).await?;
    if let Err(error) = write_codes(&public_url, &questionnaire, &codes, output.as_ref()) {
        // Codes nobody can read must not stay live.
        store.revoke_code_batch(id).await?;
        return Err(error);
    }
    eprintln!("Batch {id}: {} codes for {questionnaire}. They are not stored and cannot be shown again.", request.size);
    store.close().await;
    Ok(())
}

/// `enkat codes list`: the batches, with their uses per closed period only.
async fn list(
    questionnaire: &str,
    questionnaires: &QuestionnairesArgs,
    time_zone: &TimeZoneArgs,
    database: &DatabaseArgs,
) -> anyhow::Result<()> {
    let served = coded(questionnaires, questionnaire)?;
    let today = time_zone.clock()?.today();
    let closed = last_closed(served.report_period, served.date_precision, today);
    let store = Store::connect(&database.database_url).await?;
    let batches = store.code_batches(&served, today).await?;
    eprintln!(
        "Used codes are counted per closed reporting period (the latest is {closed}); \
         the current period's are never shown. A label must never name a person."
    );
    println!("id\tcreated\tcodes\trevoked\tused\tlabel");
    for batch in batches {
        let used: Vec<String> = batch.used.iter().map(|(period, used)| format!("{period}:{used}")).collect();
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}",
            batch.id,
            batch.created_on,
            batch.size,
            if batch.revoked { "yes" } else { "no" },
            if used.is_empty() { "-".to_owned() } else { used.join(" ") },
            batch.label
        );
    }
    store.close().await;
    Ok(())
}

/// `enkat codes revoke`: the batch's unused codes are deleted.
async fn revoke(batch: &str, database: &DatabaseArgs) -> anyhow::Result<()> {
    let no_such_batch = || anyhow!("there is no unrevoked batch with id {batch}");
    let id = Uuid::parse_str(batch).map_err(|_| no_such_batch())?;
    let store = Store::connect(&database.database_url).await?;
    let revoked = store.revoke_code_batch(id).await?.ok_or_else(no_such_batch)?;
    let details = format!(
        "{}: \u{201d}{}\u{201d}, {} oanvända koder återkallade",
        revoked.questionnaire_id, revoked.label, revoked.withdrawn
    );
    store.record_audit(CLI_ACTOR, action::CODES_REVOKED, &details, Clock::utc().now_utc()).await?;
    println!("Batch {id} revoked: {} unused codes deleted.", revoked.withdrawn);
    store.close().await;
    Ok(())
}

/// `enkat codes forget-key`: refused while any unused code is left.
async fn forget_key(database: &DatabaseArgs) -> anyhow::Result<()> {
    let store = Store::connect(&database.database_url).await?;
    ensure!(
        store.forget_key().await?,
        "unused codes are left: revoke every batch first (`enkat codes list`, `enkat codes revoke`); nothing was changed"
    );
    store.record_audit(CLI_ACTOR, action::CODES_KEY_FORGOTTEN, "", Clock::utc().now_utc()).await?;
    println!("The service key is forgotten: the next start makes a new one. Print new cards.");
    store.close().await;
    Ok(())
}

/// The questionnaire `id` from the questionnaires folder, if it uses codes.
fn coded(questionnaires: &QuestionnairesArgs, id: &str) -> anyhow::Result<Arc<Questionnaire>> {
    let served = questionnaires.questionnaire(id)?;
    ensure!(
        served.access == Access::Code,
        "the questionnaire `{id}` is open to anyone with the link (access = \"open\"); it uses no codes"
    );
    Ok(served)
}

/// Writes the CSV to `output`, or to standard output.
fn write_codes(public_url: &str, questionnaire: &str, codes: &[Code], output: Option<&PathBuf>) -> anyhow::Result<()> {
    let target = output.map_or_else(|| "standard output".to_owned(), |path| path.display().to_string());
    let failed = || format!("cannot write {target}");
    let mut out: Box<dyn Write> = match output {
        Some(path) => Box::new(BufWriter::new(super::create_private_file(path).with_context(failed)?)),
        None => Box::new(std::io::stdout().lock()),
    };
    write_csv(public_url, questionnaire, codes, &mut out).map_err(std::io::Error::from).with_context(failed)?;
    out.flush().with_context(failed)
}
