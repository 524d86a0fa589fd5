//! Keeping the database in order while it serves: deleting responses past
//! their retention period, and copying a SQLite database for backup.

use std::path::Path;

use time::Date;

use super::{Store, StoreError};

/// Responses are deleted this many at a time, each batch its own short
/// transaction, so that a first purge of years of responses never holds
/// the (SQLite: only) write lock long enough to delay a person's answer.
const DELETE_BATCH: i64 = 5_000;

const DELETE_OLD_RESPONSES: &str =
    "DELETE FROM response WHERE id IN (SELECT id FROM response WHERE submitted_on < $1 LIMIT $2)";
/// The tallies (migrations 0006 and 0020) of the same dates: they count
/// only those responses, since the dates of both are the same coarsened dates.
const DELETE_OLD_TALLIES: [&str; 7] = [
    "DELETE FROM response_tally WHERE submitted_on < $1",
    "DELETE FROM answer_tally WHERE submitted_on < $1",
    "DELETE FROM question_tally WHERE submitted_on < $1",
    "DELETE FROM group_tally_cell WHERE submitted_on < $1",
    "DELETE FROM group_response_tally WHERE submitted_on < $1",
    "DELETE FROM group_answer_tally WHERE submitted_on < $1",
    "DELETE FROM group_question_tally WHERE submitted_on < $1",
];
/// Counting every stored response afresh: the same counting as migration
/// 0006, which filled the tallies of the responses stored before it. The
/// breakdowns' counts (migration 0020) are counted again when next asked for.
const RECOUNT_TALLIES: [&str; 10] = [
    "DELETE FROM response_tally",
    "DELETE FROM answer_tally",
    "DELETE FROM question_tally",
    "DELETE FROM group_tally_cell",
    "DELETE FROM group_response_tally",
    "DELETE FROM group_answer_tally",
    "DELETE FROM group_question_tally",
    "INSERT INTO response_tally (questionnaire_id, version, language, channel, submitted_on, responses) \
     SELECT questionnaire_id, version, language, channel, submitted_on, COUNT(*) \
     FROM response GROUP BY questionnaire_id, version, language, channel, submitted_on",
    "INSERT INTO answer_tally (questionnaire_id, version, language, channel, submitted_on, question_id, option_id, answers) \
     SELECT r.questionnaire_id, r.version, r.language, r.channel, r.submitted_on, a.question_id, COALESCE(a.option_id, ''), COUNT(*) \
     FROM answer a JOIN response r ON r.id = a.response_id \
     GROUP BY r.questionnaire_id, r.version, r.language, r.channel, r.submitted_on, a.question_id, COALESCE(a.option_id, '')",
    "INSERT INTO question_tally (questionnaire_id, version, language, channel, submitted_on, question_id, respondents) \
     SELECT r.questionnaire_id, r.version, r.language, r.channel, r.submitted_on, a.question_id, COUNT(DISTINCT a.response_id) \
     FROM answer a JOIN response r ON r.id = a.response_id \
     GROUP BY r.questionnaire_id, r.version, r.language, r.channel, r.submitted_on, a.question_id",
];
/// Moves the purge mark (migration 0008) forward to `$1`, never back.
const MOVE_PURGE_MARK_SQLITE: &str = "INSERT INTO purge_mark (id, purged_before) VALUES (1, $1) \
     ON CONFLICT (id) DO UPDATE SET purged_before = MAX(purged_before, excluded.purged_before)";
const MOVE_PURGE_MARK_POSTGRES: &str = "INSERT INTO purge_mark (id, purged_before) VALUES (1, $1) \
     ON CONFLICT (id) DO UPDATE SET purged_before = GREATEST(purge_mark.purged_before, excluded.purged_before)";
const SELECT_PURGE_MARK: &str = "SELECT purged_before FROM purge_mark WHERE id = 1";
const COUNT_OLD_RESPONSES: &str = "SELECT COUNT(*) FROM response WHERE submitted_on < $1";
const COUNT_ALL_RESPONSES: &str = "SELECT COUNT(*) FROM response";

impl Store {
    /// Deletes every response dated before `day`, with its answers (they
    /// go with it, `ON DELETE CASCADE`) and the tallies that count them;
    /// returns how many responses.
    pub async fn delete_responses_before(&self, day: Date) -> Result<u64, StoreError> {
        self.settle().await?;
        // The mark first: a purge cut short has still told the figures
        // which periods may be partly gone.
        match self {
            Store::Sqlite(pool) => {
                sqlx::query(MOVE_PURGE_MARK_SQLITE).bind(day).execute(pool).await?;
            }
            Store::Postgres(pool) => {
                sqlx::query(MOVE_PURGE_MARK_POSTGRES).bind(day).execute(pool).await?;
            }
        }
        let mut deleted = 0;
        loop {
            let batch = on_pool!(self, pool => {
                sqlx::query(DELETE_OLD_RESPONSES).bind(day).bind(DELETE_BATCH).execute(pool).await?.rows_affected()
            });
            deleted += batch;
            if batch == 0 {
                break;
            }
        }
        // After the responses: a purge cut short leaves counts of deleted
        // responses until the next purge deletes them, never responses
        // missing from the figures.
        on_pool!(self, pool => {
            let mut transaction = pool.begin().await?;
            for statement in DELETE_OLD_TALLIES {
                sqlx::query(statement).bind(day).execute(&mut *transaction).await?;
            }
            transaction.commit().await?;
        });
        Ok(deleted)
    }

    /// The day before which responses may have been deleted for
    /// retention, if any purge ever ran.
    pub async fn purge_mark(&self) -> Result<Option<Date>, StoreError> {
        let mark = on_pool!(self, pool => {
            sqlx::query_scalar(SELECT_PURGE_MARK).fetch_optional(pool).await?
        });
        Ok(mark)
    }

    /// Counts every stored response afresh into the tallies the figures
    /// add up, in one transaction. Needed only when responses were stored
    /// by other means than enkat, such as the export benchmark's SQL.
    pub async fn recount_tallies(&self) -> Result<(), StoreError> {
        self.settle().await?;
        on_pool!(self, pool => {
            let mut transaction = pool.begin().await?;
            for statement in RECOUNT_TALLIES {
                sqlx::query(statement).execute(&mut *transaction).await?;
            }
            transaction.commit().await?;
        });
        Ok(())
    }

    /// How many responses are dated before `day`: what a purge would delete.
    pub async fn count_responses_before(&self, day: Date) -> Result<i64, StoreError> {
        self.settle().await?;
        let count = on_pool!(self, pool => {
            sqlx::query_scalar(COUNT_OLD_RESPONSES).bind(day).fetch_one(pool).await?
        });
        Ok(count)
    }

    /// How many responses there are, to all questionnaires.
    pub async fn count_all_responses(&self) -> Result<i64, StoreError> {
        self.settle().await?;
        let count = on_pool!(self, pool => sqlx::query_scalar(COUNT_ALL_RESPONSES).fetch_one(pool).await?);
        Ok(count)
    }

    /// Writes a consistent copy of a SQLite database to `target` (which must
    /// not exist) while it keeps serving: `VACUUM INTO` reads one snapshot,
    /// so responses stored meanwhile are either wholly in the copy or not.
    /// PostgreSQL has its own tool for this, `pg_dump`.
    pub async fn backup_to(&self, target: &Path) -> Result<(), StoreError> {
        self.settle().await?;
        match self {
            Store::Sqlite(pool) => {
                let target = target.to_str().ok_or_else(|| StoreError::BackupPath(target.display().to_string()))?;
                sqlx::query("VACUUM INTO $1").bind(target).execute(pool).await?;
                Ok(())
            }
            Store::Postgres(_) => Err(StoreError::BackupWithPgDump),
        }
    }
}
