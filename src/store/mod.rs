//! Everything that touches SQL, for both databases: SQLite (embedded, the
//! default) and PostgreSQL (several instances against one database).
//!
//! Each query is written once, in SQL both dialects accept, and run on the
//! concrete pool of the database in use (`on_pool!`), so there is no
//! `AnyPool` and no generic database parameter.

use std::collections::HashMap;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::ConnectOptions;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use time::Date;
use uuid::Uuid;

use crate::questionnaire::{self, Answer, Channel, Problem, Questionnaire};

/// A problem with the database. Shown to people only as a calm "try again"
/// page; logged once, by whoever gives up on the operation.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("DATABASE_URL must start with sqlite: or postgres:, not `{0}:`")]
    UnsupportedUrl(String),
    #[error("there is no SQLite database at {0}")]
    NoDatabase(String),
    #[error("cannot create the folder {folder} for the SQLite database: {source}")]
    Folder { folder: String, source: std::io::Error },
    #[error("cannot make the SQLite database {file} readable by its owner only: {source}")]
    Private { file: String, source: std::io::Error },
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("cannot bring the database schema up to date: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("a backup of PostgreSQL is made with its own tool: pg_dump --format=custom --file=FILE DATABASE_URL")]
    BackupWithPgDump,
    #[error("the backup file name {0} is not valid UTF-8")]
    BackupPath(String),
    /// The transaction of a whole batch of responses failed (group commit):
    /// every response in it shares this error, and none was stored.
    #[error("{0} (a batch of responses was rolled back)")]
    Batch(std::sync::Arc<StoreError>),
    /// The task that stores responses has stopped: nothing was stored.
    #[error("the response writer has stopped")]
    WriterGone,
    /// A row of the intake that cannot be read back (see `batch::intake`).
    #[error("a response waiting in the intake cannot be read: {0}")]
    Intake(String),
    #[error("a stored response's answers cannot be read: {0}")]
    PackedAnswers(String),
}

/// The database responses are kept in.
#[derive(Debug, Clone)]
pub enum Store {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs the same body with `$pool` bound to the concrete pool of either
/// database, so that each query is written once and type-checked twice.
macro_rules! on_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match $store {
            Store::Sqlite($pool) => $body,
            Store::Postgres($pool) => $body,
        }
    };
}

mod accessibility;
mod batch;
mod codes;
mod grants;
mod inspect;
mod maintenance;
mod notes;
mod oidc;
mod rate;
mod report;
mod staff;
mod submissions;
mod writer;

pub use accessibility::StoredFeedback;
pub use batch::intake::{MOVE_AFTER, MOVE_AT};
pub use batch::{BatchConnection, CodeToUse, QueuedResponse};
pub use codes::{CodeBatch, CodeUse, KeyAdoption, RevokedBatch};
pub use inspect::CHECKED_TABLES;
pub use oidc::OidcAccount;
pub use rate::ResponseRates;
pub use report::{CellText, Snapshot, StoredVersion};
pub use staff::{
    ApiToken, AuditEvent, LoginFailureCounts, NewStaffSession, RecordedAttempt, StaffAccount, StaffCredentials,
    StaffSession, TokenHolder,
};
pub use writer::ResponseWriter;

/// A response to be stored: the answers of one person to one questionnaire.
#[derive(Debug, Clone)]
pub struct NewResponse<'a> {
    pub questionnaire: &'a Questionnaire,
    pub language: &'a str,
    /// Already coarsened to the questionnaire's date precision.
    pub submitted_on: Date,
    pub answers: &'a [Answer],
    /// The SHA-256 (hex) of the form's one-time submission token, or `None`
    /// for a form that carried none (a page from before tokens, a script):
    /// such a response is stored without protection against a second send.
    pub submission: Option<&'a str>,
    /// The web form, or a paper form typed in by staff.
    pub channel: Channel,
}

/// What became of a response handed to `Store::insert_response`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    /// Stored, under this id.
    New(Uuid),
    /// The same form was sent before (its submission token is already
    /// recorded): nothing more was stored, and the person is thanked again.
    Duplicate,
}

/// A response as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    pub id: Uuid,
    pub questionnaire_id: String,
    pub version: String,
    pub language: String,
    pub submitted_on: Date,
    pub answers: Vec<Answer>,
}

#[derive(sqlx::FromRow)]
struct ResponseRow {
    id: Uuid,
    questionnaire_id: String,
    version: String,
    language: String,
    submitted_on: Date,
}

#[derive(sqlx::FromRow)]
struct AnswerRow {
    response_id: Uuid,
    question_id: String,
    option_id: Option<String>,
    text: Option<String>,
}

/// How long a SQLite connection waits for another's lock before it gives up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

const INSERT_VERSION: &str = "INSERT INTO questionnaire_version (questionnaire_id, version, source, first_seen, position) \
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (questionnaire_id, version) DO NOTHING";
const NEXT_VERSION_POSITION: &str =
    "SELECT COALESCE(MAX(position), 0) + 1 FROM questionnaire_version WHERE questionnaire_id = $1";
const SELECT_RESPONSES: &str = "SELECT id, questionnaire_id, version, language, submitted_on \
     FROM response WHERE questionnaire_id = $1 ORDER BY submitted_on, id";
const SELECT_ANSWERS: &str = "SELECT a.response_id, a.question_id, a.option_id, a.text \
     FROM answer a JOIN response r ON r.id = a.response_id \
     WHERE r.questionnaire_id = $1 ORDER BY a.response_id, a.position";
const COUNT_RESPONSES: &str = "SELECT COUNT(*) FROM response WHERE questionnaire_id = $1";
const SELECT_VERSION_SOURCE: &str =
    "SELECT source FROM questionnaire_version WHERE questionnaire_id = $1 AND version = $2";

impl Store {
    /// Opens the database named by `url` and brings its schema up to date.
    /// A SQLite file (and its folder) is created on first use.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        let scheme = url.split(':').next().unwrap_or_default();
        let store = match scheme {
            "sqlite" => {
                let options = SqliteConnectOptions::from_str(url)?
                    .create_if_missing(true)
                    // WAL lets readers work during writes; FULL syncs the WAL at
                    // every commit, so an acknowledged response survives a power cut.
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Full)
                    .foreign_keys(true)
                    // Freed pages are zeroed: a used (deleted) one-time code
                    // leaves nothing behind to pair with a response.
                    .pragma("secure_delete", "on")
                    .busy_timeout(BUSY_TIMEOUT)
                    // A logged statement carries the moment it ran: the time
                    // of a response, finer than its coarse date.
                    .disable_statement_logging();
                create_parent_folder(options.get_filename())?;
                keep_private(options.get_filename())?;
                Store::Sqlite(SqlitePoolOptions::new().max_connections(8).connect_with(options).await?)
            }
            "postgres" | "postgresql" => {
                let options = PgConnectOptions::from_str(url)?.disable_statement_logging();
                Store::Postgres(PgPoolOptions::new().max_connections(16).connect_with(options).await?)
            }
            other => return Err(StoreError::UnsupportedUrl(other.to_owned())),
        };
        store.migrate().await?;
        // Responses a stopped (or killed) service left in the intake.
        store.settle().await?;
        Ok(store)
    }

    /// Empties SQLite's write-ahead log (checkpoint TRUNCATE) if no reader
    /// holds an older snapshot; returns whether it did. It never waits for
    /// one: a checkpoint that waits holds off every writer while it does,
    /// for up to `BUSY_TIMEOUT`, and a reader (an export of a million
    /// responses) may keep its snapshot for minutes.
    pub(crate) async fn truncate_wal(connection: &mut sqlx::SqliteConnection) -> Result<bool, StoreError> {
        sqlx::query("PRAGMA busy_timeout = 0").execute(&mut *connection).await?;
        let checkpoint: Result<(i64, i64, i64), sqlx::Error> =
            sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)").fetch_one(&mut *connection).await;
        let restore = format!("PRAGMA busy_timeout = {}", BUSY_TIMEOUT.as_millis());
        sqlx::query(sqlx::AssertSqlSafe(restore)).execute(&mut *connection).await?;
        let (busy, _, _) = checkpoint?;
        Ok(busy == 0)
    }

    /// Moves the responses waiting in the intake (SQLite, `batch::intake`)
    /// into the tables every read uses. Whatever reads response or answer
    /// rows calls this first, so that it sees every acknowledged response;
    /// the tallies count them from the start. Nothing to do on PostgreSQL,
    /// where group commit writes into those tables directly. A store opened
    /// read-only (`open_read_only`) cannot move anything, and reads without
    /// the responses of the last seconds.
    pub async fn settle(&self) -> Result<(), StoreError> {
        if let Store::Sqlite(pool) = self {
            let mut connection = pool.acquire().await?;
            if batch::intake::any_waiting(&mut connection).await? {
                match batch::intake::move_all(&mut connection).await {
                    // SQLITE_READONLY: the service that writes will move them.
                    Err(StoreError::Database(sqlx::Error::Database(error))) if error.code().as_deref() == Some("8") => {
                    }
                    moved => {
                        moved?;
                    }
                }
            }
        }
        Ok(())
    }

    /// `connect`, for commands that work on the database a service already
    /// uses: a SQLite file that is not there is an error (a mistyped path),
    /// not a new empty database.
    pub async fn connect_existing(url: &str) -> Result<Store, StoreError> {
        if url.starts_with("sqlite:") {
            let file = SqliteConnectOptions::from_str(url)?.get_filename().to_owned();
            if !file.exists() {
                return Err(StoreError::NoDatabase(file.display().to_string()));
            }
        }
        Store::connect(url).await
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(pool) => sqlx::migrate!("migrations/sqlite").run(pool).await?,
            Store::Postgres(pool) => sqlx::migrate!("migrations/postgres").run(pool).await?,
        }
        Ok(())
    }

    /// Which database this is, for log lines.
    pub fn kind(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "SQLite",
            Store::Postgres(_) => "PostgreSQL",
        }
    }

    /// Stores the text of this version of the questionnaire, unless it is
    /// already stored; `today` is kept as the date it was first seen.
    pub async fn register_version(&self, questionnaire: &Questionnaire, today: Date) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            // Two instances registering at once may share a position: then the
            // version decides, which only orders a list.
            let position: i64 = sqlx::query_scalar(NEXT_VERSION_POSITION).bind(&questionnaire.id).fetch_one(pool).await?;
            sqlx::query(INSERT_VERSION)
                .bind(&questionnaire.id)
                .bind(questionnaire.version.as_str())
                .bind(&questionnaire.source)
                .bind(today)
                .bind(position)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// The stored text of a version of a questionnaire.
    pub async fn version_source(&self, questionnaire_id: &str, version: &str) -> Result<Option<String>, StoreError> {
        let source = on_pool!(self, pool => {
            sqlx::query_scalar(SELECT_VERSION_SOURCE)
                .bind(questionnaire_id)
                .bind(version)
                .fetch_optional(pool)
                .await?
        });
        Ok(source)
    }

    /// A stored version of a questionnaire, read back from its stored text:
    /// `None` if it is not stored, `Some(Err(problems))` if its text no
    /// longer loads (an older enkat's format), which each caller treats in
    /// its own way (most leave it out; some say why).
    pub async fn stored_questionnaire(
        &self,
        questionnaire_id: &str,
        version: &str,
    ) -> Result<Option<Result<Questionnaire, Vec<Problem>>>, StoreError> {
        let Some(source) = self.version_source(questionnaire_id, version).await? else { return Ok(None) };
        Ok(Some(read_back(version, source)))
    }

    /// Every stored version of a questionnaire that still loads, with the
    /// day it was first seen, in the order they were first served: the
    /// history the staleness of translations is judged over.
    pub async fn readable_versions(&self, questionnaire_id: &str) -> Result<Vec<(Questionnaire, Date)>, StoreError> {
        let mut readable = Vec::new();
        for stored in self.versions(questionnaire_id).await? {
            if let Some(Ok(questionnaire)) = self.stored_questionnaire(questionnaire_id, &stored.version).await? {
                readable.push((questionnaire, stored.first_seen));
            }
        }
        Ok(readable)
    }

    /// Stores a response and all its answers in a transaction of its own:
    /// all or nothing. Returns only after the commit, so an acknowledged
    /// response is durable.
    ///
    /// Everything that decides whether a response may be stored happens in
    /// the transaction, before the response row (see `insert_responses`):
    /// recording the submission token (`response.submission`) first, so
    /// that a form sent twice is recognised as the same form and thanked
    /// (`Stored::Duplicate`) before a second check could refuse it as a
    /// reuse. Two sends racing each other are serialised by the token's
    /// primary key: the second insert waits for the first transaction and
    /// then finds the row. The web stores through `ResponseWriter` instead,
    /// which commits the responses sent at the same moment together.
    pub async fn insert_response(&self, response: &NewResponse<'_>) -> Result<Stored, StoreError> {
        match self.insert_one(QueuedResponse::new(response, None)).await? {
            CodeUse::Answered(stored) => Ok(stored),
            CodeUse::Refused => unreachable!("only a response with a code can be refused, and this one has none"),
        }
    }

    /// Stores one response in a transaction of its own (`insert_responses`).
    async fn insert_one(&self, response: QueuedResponse) -> Result<CodeUse, StoreError> {
        let outcomes = self.insert_responses(std::slice::from_ref(&response)).await?;
        Ok(outcomes[0])
    }

    /// Every stored response to a questionnaire, with its answers in form order.
    pub async fn responses(&self, questionnaire_id: &str) -> Result<Vec<StoredResponse>, StoreError> {
        self.settle().await?;
        let (responses, answers): (Vec<ResponseRow>, Vec<AnswerRow>) = on_pool!(self, pool => {
            let responses = sqlx::query_as(SELECT_RESPONSES).bind(questionnaire_id).fetch_all(pool).await?;
            let answers = sqlx::query_as(SELECT_ANSWERS).bind(questionnaire_id).fetch_all(pool).await?;
            (responses, answers)
        });
        let mut stored: Vec<StoredResponse> = responses
            .into_iter()
            .map(|row| StoredResponse {
                id: row.id,
                questionnaire_id: row.questionnaire_id,
                version: row.version,
                language: row.language,
                submitted_on: row.submitted_on,
                answers: Vec::new(),
            })
            .collect();
        let position: HashMap<Uuid, usize> =
            stored.iter().enumerate().map(|(at, response)| (response.id, at)).collect();
        for row in answers {
            if let Some(&at) = position.get(&row.response_id) {
                stored[at].answers.push(Answer {
                    question_id: row.question_id,
                    option_id: row.option_id,
                    text: row.text,
                });
            }
        }
        Ok(stored)
    }

    /// Whether the database answers, for health checks.
    pub async fn ping(&self) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query("SELECT 1").execute(pool).await?;
        });
        Ok(())
    }

    /// How many responses a questionnaire has.
    pub async fn count_responses(&self, questionnaire_id: &str) -> Result<i64, StoreError> {
        self.settle().await?;
        let count = on_pool!(self, pool => {
            sqlx::query_scalar(COUNT_RESPONSES).bind(questionnaire_id).fetch_one(pool).await?
        });
        Ok(count)
    }

    /// Closes every connection, letting SQLite checkpoint its WAL.
    pub async fn close(&self) {
        // A stop leaves nothing in arrival order behind (`batch::intake`);
        // what a failure here leaves is moved at the next start.
        if let Err(error) = self.settle().await {
            tracing::warn!(%error, "the intake could not be moved before closing; it will be at the next start");
        }
        on_pool!(self, pool => pool.close().await)
    }
}

/// Creates the SQLite file readable and writable by its owner only (0600),
/// or narrows an existing one to that, with its WAL and shared-memory files.
/// SQLite gives the files it creates beside the database the database file's
/// own permissions, whatever the process's umask; a file of answers must not
/// be readable by every user of the machine (issue 15).
fn keep_private(file: &Path) -> Result<(), StoreError> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    if file.as_os_str().is_empty() || file == Path::new(":memory:") {
        return Ok(());
    }
    let failed = |source| StoreError::Private { file: file.display().to_string(), source };
    match std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(file) {
        Ok(_) => return Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(error) => return Err(failed(error)),
    }
    let beside = |suffix: &str| {
        let mut name = file.as_os_str().to_owned();
        name.push(suffix);
        std::path::PathBuf::from(name)
    };
    for path in [file.to_owned(), beside("-wal"), beside("-shm")] {
        match std::fs::metadata(&path) {
            Ok(metadata) if metadata.permissions().mode() & 0o077 != 0 => {
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).map_err(failed)?;
            }
            Ok(_) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => return Err(failed(error)),
        }
    }
    Ok(())
}

fn create_parent_folder(file: &Path) -> Result<(), StoreError> {
    match file.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => std::fs::create_dir_all(folder)
            .map_err(|source| StoreError::Folder { folder: folder.display().to_string(), source }),
        _ => Ok(()),
    }
}

/// A stored version's text, parsed, remembered for the life of the process.
/// Results pages and exports read every older version on each request, and
/// parsing them again each time was most of a summary's work. A version is
/// named by the hash of its text, so its parse never changes; the text is
/// compared all the same, so a version can never be read back as another.
fn read_back(version: &str, source: String) -> Result<Questionnaire, Vec<Problem>> {
    type Parsed = Result<Questionnaire, Vec<Problem>>;
    static READ: std::sync::LazyLock<std::sync::Mutex<HashMap<String, (String, Parsed)>>> =
        std::sync::LazyLock::new(Default::default);
    let read = || READ.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((text, parsed)) = read().get(version)
        && *text == source
    {
        return parsed.clone();
    }
    let parsed = questionnaire::parse(Path::new(version), &source);
    read().insert(version.to_owned(), (source, parsed.clone()));
    parsed
}

#[cfg(test)]
mod tests {
    use super::read_back;

    #[test]
    fn a_version_read_back_again_is_the_same_and_another_text_is_parsed_anew() {
        let source = include_str!("../../tests/fixtures/small/v.toml").to_owned();
        let first = read_back("v1", source.clone()).expect("the fixture loads");
        let again = read_back("v1", source.clone()).expect("the fixture loads");
        assert_eq!(first.version, again.version);
        assert_eq!(first.id, again.id);
        // The same name with another text (never the case for a real
        // version, which is its text's hash) is not the remembered parse.
        let broken = format!("{source}\n[[question]]\nid = \"\"\n");
        assert!(read_back("v1", broken).is_err(), "another text is parsed, not recalled");
    }
}
