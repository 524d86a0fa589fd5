//! Reading a database without changing it, for `enkat check --against`: an
//! administrator checks edited files against the production database before
//! deploying them, and that check must leave it exactly as it was.

use std::str::FromStr;
use std::time::Duration;

use sqlx::ConnectOptions;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};

use super::{Store, StoreError};
use crate::report::{AnswerCount, GroupCount, QuestionCount, Tally};

/// The tables the comparison reads; all made by the first migration.
pub const CHECKED_TABLES: [&str; 3] = ["questionnaire_version", "response", "answer"];

const SQLITE_TABLES: &str = "SELECT name FROM sqlite_master WHERE type = 'table'";
const POSTGRES_TABLES: &str =
    "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema()";
// Counted from the rows, not from the tallies: the database may be older
// than this enkat (migration 0006 made the tallies), and it is not migrated.
const COUNT_RESPONSES: &str = "SELECT COUNT(*) FROM response WHERE questionnaire_id = $1";
const COUNT_ANSWERS: &str = "SELECT a.question_id, a.option_id, COUNT(*) \
     FROM answer a JOIN response r ON r.id = a.response_id WHERE r.questionnaire_id = $1 \
     GROUP BY a.question_id, a.option_id";
const COUNT_RESPONDENTS: &str = "SELECT a.question_id, COUNT(DISTINCT a.response_id) \
     FROM answer a JOIN response r ON r.id = a.response_id WHERE r.questionnaire_id = $1 \
     GROUP BY a.question_id";
const SELECT_QUESTIONNAIRE_IDS: &str =
    "SELECT DISTINCT questionnaire_id FROM questionnaire_version ORDER BY questionnaire_id";

impl Store {
    /// Opens an existing database read-only: a SQLite file is neither
    /// created nor migrated (nor switched to WAL), and every PostgreSQL
    /// transaction is read-only. Use `connect` to serve.
    pub async fn open_read_only(url: &str) -> Result<Store, StoreError> {
        let scheme = url.split(':').next().unwrap_or_default();
        match scheme {
            "sqlite" => {
                let options = SqliteConnectOptions::from_str(url)?
                    .read_only(true)
                    .create_if_missing(false)
                    .busy_timeout(Duration::from_secs(10))
                    .disable_statement_logging();
                let file = options.get_filename();
                if !file.exists() {
                    return Err(StoreError::NoDatabase(file.display().to_string()));
                }
                Ok(Store::Sqlite(SqlitePoolOptions::new().max_connections(1).connect_with(options).await?))
            }
            "postgres" | "postgresql" => {
                let options = PgConnectOptions::from_str(url)?
                    .options([("default_transaction_read_only", "on")])
                    .disable_statement_logging();
                Ok(Store::Postgres(PgPoolOptions::new().max_connections(1).connect_with(options).await?))
            }
            other => Err(StoreError::UnsupportedUrl(other.to_owned())),
        }
    }

    /// Which of `CHECKED_TABLES` the database lacks: all of them when it is
    /// not enkat's database at all.
    pub async fn missing_tables(&self) -> Result<Vec<&'static str>, StoreError> {
        let tables: Vec<String> = match self {
            Store::Sqlite(pool) => sqlx::query_scalar(SQLITE_TABLES).fetch_all(pool).await?,
            Store::Postgres(pool) => sqlx::query_scalar(POSTGRES_TABLES).fetch_all(pool).await?,
        };
        Ok(CHECKED_TABLES.into_iter().filter(|table| !tables.iter().any(|found| found == table)).collect())
    }

    /// The ids of every questionnaire with a stored version.
    pub async fn questionnaire_ids(&self) -> Result<Vec<String>, StoreError> {
        let ids = on_pool!(self, pool => {
            sqlx::query_scalar(SELECT_QUESTIONNAIRE_IDS).fetch_all(pool).await?
        });
        Ok(ids)
    }

    /// Every answer stored for a questionnaire, all versions together,
    /// counted from the rows themselves (see `COUNT_ANSWERS`).
    pub async fn count_stored_answers(&self, questionnaire_id: &str) -> Result<Tally, StoreError> {
        type Answers = Vec<(String, Option<String>, i64)>;
        type Respondents = Vec<(String, i64)>;
        let (responses, answers, respondents): (i64, Answers, Respondents) = on_pool!(self, pool => {
            let responses = sqlx::query_scalar(COUNT_RESPONSES).bind(questionnaire_id).fetch_one(pool).await?;
            let answers = sqlx::query_as(COUNT_ANSWERS).bind(questionnaire_id).fetch_all(pool).await?;
            let respondents = sqlx::query_as(COUNT_RESPONDENTS).bind(questionnaire_id).fetch_all(pool).await?;
            (responses, answers, respondents)
        });
        let count = |n: i64| u64::try_from(n).unwrap_or_default();
        Ok(Tally {
            responses: vec![GroupCount { group: None, count: count(responses) }],
            answers: answers
                .into_iter()
                .map(|(question_id, option_id, n)| AnswerCount { group: None, question_id, option_id, count: count(n) })
                .collect(),
            respondents: respondents
                .into_iter()
                .map(|(question_id, n)| QuestionCount { group: None, question_id, count: count(n) })
                .collect(),
        })
    }
}
