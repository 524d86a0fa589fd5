//! One-time codes: batches, the codes' fingerprints, and their use.
//!
//! A code is used by deleting its row in the transaction that stores the
//! response; the batch row is never touched then, and no time of use is
//! kept, so nothing stored pairs a code (or a batch) with a response.
//! "Used" is counted on demand: size − withdrawn − rows left.

use time::Date;
use uuid::Uuid;

use super::{NewResponse, QueuedResponse, Store, StoreError, Stored};

/// A batch of codes as listed for staff.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
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
    /// Codes neither used nor withdrawn.
    pub remaining: i64,
}

impl CodeBatch {
    /// How many of its codes gave a response.
    pub fn used(&self) -> i64 {
        self.size - self.withdrawn - self.remaining
    }
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

const INSERT_BATCH: &str = "INSERT INTO code_batch (id, questionnaire_id, label, created_on, size) \
     VALUES ($1, $2, $3, $4, $5)";
const INSERT_CODE: &str = "INSERT INTO code (hash, batch_id) VALUES ($1, $2)";
const SELECT_BATCHES: &str = "SELECT b.id, b.questionnaire_id, b.label, b.created_on, b.size, b.revoked, b.withdrawn, \
     (SELECT COUNT(*) FROM code c WHERE c.batch_id = b.id) AS remaining \
     FROM code_batch b WHERE b.questionnaire_id = $1 ORDER BY b.created_on DESC, b.label, b.id";
const SELECT_BATCH: &str = "SELECT b.id, b.questionnaire_id, b.label, b.created_on, b.size, b.revoked, b.withdrawn, \
     (SELECT COUNT(*) FROM code c WHERE c.batch_id = b.id) AS remaining \
     FROM code_batch b WHERE b.id = $1";
// Only a live code of this questionnaire, in a batch not revoked, is used.
pub(super) const USE_CODE: &str = "DELETE FROM code WHERE hash = $1 \
     AND batch_id IN (SELECT id FROM code_batch WHERE questionnaire_id = $2 AND NOT revoked)";
const SELECT_LIVE_CODE: &str = "SELECT COUNT(*) FROM code c JOIN code_batch b ON b.id = c.batch_id \
     WHERE c.hash = $1 AND b.questionnaire_id = $2 AND NOT b.revoked";
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

    /// The batches of a questionnaire, newest first, with their counts.
    pub async fn code_batches(&self, questionnaire_id: &str) -> Result<Vec<CodeBatch>, StoreError> {
        let batches = on_pool!(self, pool => {
            sqlx::query_as(SELECT_BATCHES).bind(questionnaire_id).fetch_all(pool).await?
        });
        Ok(batches)
    }

    /// One batch, with its counts.
    pub async fn code_batch(&self, id: Uuid) -> Result<Option<CodeBatch>, StoreError> {
        let batch = on_pool!(self, pool => sqlx::query_as(SELECT_BATCH).bind(id).fetch_optional(pool).await?);
        Ok(batch)
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
    /// The batch row is not updated here: an update in this transaction would
    /// carry the response's transaction id. Call `vacuum_codes` soon after.
    pub async fn insert_response_with_code(
        &self,
        response: &NewResponse<'_>,
        code_fingerprint: &str,
    ) -> Result<CodeUse, StoreError> {
        let queued = QueuedResponse::new(response, Some(code_fingerprint.to_owned()));
        self.insert_one(queued).await
    }

    /// Clears what pairs a used code with its response below the tables.
    /// PostgreSQL: a deleted row keeps the id of the transaction that
    /// deleted it (`xmax`), the same as the response's `xmin`, until VACUUM
    /// removes it. SQLite: the write-ahead log holds the pages a transaction
    /// changed, the code's and the response's together, until a checkpoint;
    /// TRUNCATE empties the log file. Best effort: busy readers may keep a
    /// SQLite checkpoint from finishing; the next one finishes it.
    pub async fn vacuum_codes(&self) -> Result<(), StoreError> {
        match self {
            // VACUUM cannot run in a transaction: the simple protocol, alone.
            Store::Postgres(pool) => {
                sqlx::raw_sql("VACUUM code").execute(pool).await?;
            }
            Store::Sqlite(pool) => {
                sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(pool).await?;
            }
        }
        Ok(())
    }
}
