//! One-time codes: batches, the codes' fingerprints, and their use.
//!
//! A code is used by deleting its row in the transaction that stores the
//! response, which also counts the use against the code's batch and the
//! reporting period of the response's stored date (`code_batch_use`). No
//! time of use is kept, so nothing stored pairs a code with a response.
//! The codes left in a batch change with every use, so they are never
//! counted for anyone: staff see a batch's uses only per closed period.

use std::collections::HashMap;

use time::Date;
use uuid::Uuid;

use super::{NewResponse, QueuedResponse, Store, StoreError, Stored};
use crate::codes::ServiceKey;
use crate::questionnaire::Questionnaire;
use crate::report::period::{Period, last_closed};

/// A batch of codes as listed for staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeBatch {
    pub id: Uuid,
    pub questionnaire_id: String,
    /// What the batch is for, as the staff member wrote it.
    pub label: String,
    /// The day it was created (a date only, nothing finer).
    pub created_on: Date,
    /// How many codes it was created with.
    pub size: i64,
    pub revoked: bool,
    /// Unused codes deleted when it was revoked.
    pub withdrawn: i64,
    /// Codes used in each reporting period that had closed when the batch
    /// was read, oldest first; periods without a use are left out. The
    /// current period's uses are never here.
    pub used: Vec<(Period, i64)>,
}

/// What became of a response sent with a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeUse {
    /// The code was live: it is gone and the response is stored (or the same
    /// form had been stored before, see `Stored::Duplicate`).
    Answered(Stored),
    /// No live code of this questionnaire has this fingerprint: unknown,
    /// used already, or revoked. Nothing was stored.
    Refused,
}

/// A revoked batch: what the audit log says about it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RevokedBatch {
    pub questionnaire_id: String,
    pub label: String,
    /// Unused codes deleted now.
    pub withdrawn: i64,
}

/// What the database said of the service key at start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyAdoption {
    /// The database had no key yet: this one is now its key, and the codes
    /// it held as plain SHA-256 (from before keys) were rekeyed under it.
    Adopted { rekeyed: u64 },
    /// The database was set up with this key.
    Same,
    /// The database was set up with another key: nothing was changed.
    Different,
}

#[derive(sqlx::FromRow)]
struct BatchRow {
    id: Uuid,
    questionnaire_id: String,
    label: String,
    created_on: Date,
    size: i64,
    revoked: bool,
    withdrawn: i64,
}

#[derive(sqlx::FromRow)]
struct UseRow {
    batch_id: Uuid,
    period: String,
    used: i64,
}

const INSERT_BATCH: &str = "INSERT INTO code_batch (id, questionnaire_id, label, created_on, size) \
     VALUES ($1, $2, $3, $4, $5)";
const INSERT_CODE: &str = "INSERT INTO code (hash, batch_id) VALUES ($1, $2)";
const SELECT_BATCHES: &str = "SELECT id, questionnaire_id, label, created_on, size, revoked, withdrawn \
     FROM code_batch WHERE questionnaire_id = $1 ORDER BY created_on DESC, label, id";
const SELECT_USES: &str = "SELECT u.batch_id, u.period, u.used FROM code_batch_use u \
     JOIN code_batch b ON b.id = u.batch_id WHERE b.questionnaire_id = $1";
const SELECT_BATCH_QUESTIONNAIRE: &str = "SELECT questionnaire_id FROM code_batch WHERE id = $1";
// Only a live code of this questionnaire, in a batch not revoked, is used;
// its batch is returned, to count the use in.
pub(super) const USE_CODE: &str = "DELETE FROM code WHERE hash = $1 \
     AND batch_id IN (SELECT id FROM code_batch WHERE questionnaire_id = $2 AND NOT revoked) RETURNING batch_id";
const SELECT_DIRTY_USES: &str = "SELECT batch_id, period FROM code_batch_use WHERE dirty";
const CLEAR_USE: &str = "UPDATE code_batch_use SET dirty = FALSE WHERE batch_id = $1 AND period = $2 AND dirty";
const SELECT_LIVE_CODE: &str = "SELECT COUNT(*) FROM code c JOIN code_batch b ON b.id = c.batch_id \
     WHERE c.hash = $1 AND b.questionnaire_id = $2 AND NOT b.revoked";
const CLAIM_KEY: &str = "INSERT INTO code_key (id, check_value) VALUES (1, $1) ON CONFLICT DO NOTHING";
const SELECT_KEY_CHECK: &str = "SELECT check_value FROM code_key WHERE id = 1";
const SELECT_CODE_HASHES: &str = "SELECT hash FROM code";
const REKEY_CODE: &str = "UPDATE code SET hash = $1 WHERE hash = $2";
const COUNT_CODES: &str = "SELECT COUNT(*) FROM code";
const FORGET_KEY: &str = "DELETE FROM code_key";
const WITHDRAW_CODES: &str = "DELETE FROM code WHERE batch_id = $1";
const REVOKE_BATCH: &str = "UPDATE code_batch SET revoked = TRUE, withdrawn = $2 \
     WHERE id = $1 AND NOT revoked RETURNING questionnaire_id, label, withdrawn";

impl Store {
    /// Stores a new batch and the fingerprints of its codes, all or nothing;
    /// returns the batch's id (random, like a response's).
    pub async fn create_code_batch(
        &self,
        questionnaire_id: &str,
        label: &str,
        created_on: Date,
        fingerprints: &[String],
    ) -> Result<Uuid, StoreError> {
        let id = Uuid::new_v4();
        let size = i64::try_from(fingerprints.len()).unwrap_or(i64::MAX);
        on_pool!(self, pool => {
            let mut transaction = pool.begin().await?;
            sqlx::query(INSERT_BATCH)
                .bind(id)
                .bind(questionnaire_id)
                .bind(label)
                .bind(created_on)
                .bind(size)
                .execute(&mut *transaction)
                .await?;
            for fingerprint in fingerprints {
                sqlx::query(INSERT_CODE).bind(fingerprint).bind(id).execute(&mut *transaction).await?;
            }
            transaction.commit().await?;
        });
        Ok(id)
    }

    /// Whether the database was set up with a service key (any key): if
    /// so, a key file that is missing is a lost key, never one to create.
    pub async fn has_key(&self) -> Result<bool, StoreError> {
        let check: Option<String> = on_pool!(self, pool => {
            sqlx::query_scalar(SELECT_KEY_CHECK).fetch_optional(pool).await?
        });
        Ok(check.is_some())
    }

    /// Makes `key` the database's service key if it has none yet, rekeying
    /// every stored code (plain SHA-256 before keys) to its MAC, all in one
    /// transaction that also stores the key's check value, so it happens
    /// once; or tells whether `key` is the one it was set up with. Two
    /// instances starting at once: the second waits on the first's row and
    /// then compares.
    pub async fn adopt_key(&self, key: &ServiceKey) -> Result<KeyAdoption, StoreError> {
        let check = key.check_value();
        let adoption = on_pool!(self, pool => {
            let mut transaction = pool.begin().await?;
            let claimed = sqlx::query(CLAIM_KEY).bind(&check).execute(&mut *transaction).await?.rows_affected() == 1;
            if claimed {
                let digests: Vec<String> = sqlx::query_scalar(SELECT_CODE_HASHES).fetch_all(&mut *transaction).await?;
                for digest in &digests {
                    let keyed = key.fingerprint_of_digest(digest);
                    sqlx::query(REKEY_CODE).bind(keyed).bind(digest).execute(&mut *transaction).await?;
                }
                transaction.commit().await?;
                KeyAdoption::Adopted { rekeyed: u64::try_from(digests.len()).unwrap_or(u64::MAX) }
            } else {
                let stored: String = sqlx::query_scalar(SELECT_KEY_CHECK).fetch_one(&mut *transaction).await?;
                transaction.rollback().await?;
                if stored == check { KeyAdoption::Same } else { KeyAdoption::Different }
            }
        });
        Ok(adoption)
    }

    /// Forgets the database's service key, after a key was lost for good,
    /// so the next start makes a new one. Refused (`false`, nothing changed)
    /// while any live code is left: revoke every batch first.
    pub async fn forget_key(&self) -> Result<bool, StoreError> {
        let forgotten = on_pool!(self, pool => {
            let mut transaction = pool.begin().await?;
            let live: i64 = sqlx::query_scalar(COUNT_CODES).fetch_one(&mut *transaction).await?;
            if live == 0 {
                sqlx::query(FORGET_KEY).execute(&mut *transaction).await?;
                transaction.commit().await?;
            } else {
                transaction.rollback().await?;
            }
            live == 0
        });
        Ok(forgotten)
    }

    /// The batches of a questionnaire, newest first, with their codes used
    /// in each reporting period that has closed by `today`; never the uses
    /// of a period still open.
    pub async fn code_batches(&self, questionnaire: &Questionnaire, today: Date) -> Result<Vec<CodeBatch>, StoreError> {
        let closed = last_closed(questionnaire.report_period, questionnaire.date_precision, today);
        let (batches, uses): (Vec<BatchRow>, Vec<UseRow>) = on_pool!(self, pool => {
            let batches = sqlx::query_as(SELECT_BATCHES).bind(&questionnaire.id).fetch_all(pool).await?;
            let uses = sqlx::query_as(SELECT_USES).bind(&questionnaire.id).fetch_all(pool).await?;
            (batches, uses)
        });
        let mut used: HashMap<Uuid, Vec<(Period, i64)>> = HashMap::new();
        for row in uses {
            // A period of another kind (`report_period` changed) cannot be
            // told closed or not: it is left out.
            if let Ok(period) = Period::parse(closed.kind(), &row.period)
                && period <= closed
            {
                used.entry(row.batch_id).or_default().push((period, row.used));
            }
        }
        Ok(batches
            .into_iter()
            .map(|row| {
                let mut used = used.remove(&row.id).unwrap_or_default();
                used.sort_unstable();
                CodeBatch {
                    id: row.id,
                    questionnaire_id: row.questionnaire_id,
                    label: row.label,
                    created_on: row.created_on,
                    size: row.size,
                    revoked: row.revoked,
                    withdrawn: row.withdrawn,
                    used,
                }
            })
            .collect())
    }

    /// The questionnaire a batch belongs to; `None` if there is no such batch.
    pub async fn code_batch_questionnaire(&self, id: Uuid) -> Result<Option<String>, StoreError> {
        let questionnaire = on_pool!(self, pool => {
            sqlx::query_scalar(SELECT_BATCH_QUESTIONNAIRE).bind(id).fetch_optional(pool).await?
        });
        Ok(questionnaire)
    }

    /// Whether a live code of this questionnaire has this fingerprint: not
    /// used, not revoked. Only reads; using it is `insert_response_with_code`.
    pub async fn is_code_live(&self, questionnaire_id: &str, code_fingerprint: &str) -> Result<bool, StoreError> {
        let count: i64 = on_pool!(self, pool => {
            sqlx::query_scalar(SELECT_LIVE_CODE).bind(code_fingerprint).bind(questionnaire_id).fetch_one(pool).await?
        });
        Ok(count > 0)
    }

    /// Revokes a batch: deletes its unused codes and marks it revoked, in
    /// one transaction. `None` if there is no such batch or it was revoked
    /// already.
    pub async fn revoke_code_batch(&self, id: Uuid) -> Result<Option<RevokedBatch>, StoreError> {
        let revoked = on_pool!(self, pool => {
            let mut transaction = pool.begin().await?;
            let withdrawn = sqlx::query(WITHDRAW_CODES).bind(id).execute(&mut *transaction).await?.rows_affected();
            let revoked: Option<RevokedBatch> = sqlx::query_as(REVOKE_BATCH)
                .bind(id)
                .bind(i64::try_from(withdrawn).unwrap_or(i64::MAX))
                .fetch_optional(&mut *transaction)
                .await?;
            if revoked.is_some() {
                transaction.commit().await?;
            } else {
                transaction.rollback().await?;
            }
            revoked
        });
        Ok(revoked)
    }

    /// Stores a response and uses up the code with this fingerprint, in one
    /// transaction: either the code was live and is now gone with the
    /// response stored, or nothing changed (`CodeUse::Refused`). Two people
    /// sending one code at once: the DELETE's row lock (PostgreSQL) or the
    /// write lock (SQLite) lets one through; the other deletes no row.
    ///
    /// The use is counted against the code's batch in this transaction, and
    /// so carries the response's transaction id: call `vacuum_codes` soon after.
    pub async fn insert_response_with_code(
        &self,
        response: &NewResponse<'_>,
        code_fingerprint: &str,
    ) -> Result<CodeUse, StoreError> {
        let queued = QueuedResponse::new(response, Some(code_fingerprint.to_owned()));
        self.insert_one(queued).await
    }

    /// Clears what pairs a used code, or its batch, with its response below
    /// the tables. PostgreSQL: a deleted code row keeps the id of the
    /// transaction that deleted it (`xmax`), the same as the response's
    /// `xmin`, until VACUUM removes it; so does the batch's count of uses,
    /// as the `xmin` of the version written then, until it is written again
    /// (here, in a transaction of its own) and VACUUM removes the old one.
    /// SQLite: the write-ahead log holds the pages a transaction changed,
    /// the code's and the response's together, until a checkpoint; TRUNCATE
    /// empties the log file. Best effort: a reader may keep a SQLite
    /// checkpoint from emptying it for up to two minutes; after that the
    /// writer's next one does (`batch::intake`).
    pub async fn vacuum_codes(&self) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            let dirty: Vec<(Uuid, String)> = sqlx::query_as(SELECT_DIRTY_USES).fetch_all(pool).await?;
            // One row a transaction: holding one lock at a time, this never
            // waits in a cycle with a group commit adding to the counts.
            for (batch_id, period) in dirty {
                sqlx::query(CLEAR_USE).bind(batch_id).bind(period).execute(pool).await?;
            }
        });
        match self {
            // VACUUM cannot run in a transaction: the simple protocol, alone.
            Store::Postgres(pool) => {
                sqlx::raw_sql("VACUUM code, code_batch_use").execute(pool).await?;
            }
            Store::Sqlite(pool) => {
                // Never waited on (that would hold off every writer): tried
                // again each second while a reader keeps the log full.
                for _ in 0..120 {
                    if Store::truncate_wal(&mut *pool.acquire().await?).await? {
                        break;
                    }
                    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                }
            }
        }
        Ok(())
    }
}
