//! The intake (SQLite): responses are acknowledged once appended here, and
//! moved into the random-keyed tables within seconds, many at a time.
//!
//! Written straight into `response`, `answer` and `submission`, a response
//! lands on B-tree pages of its own (its id and its token's hash are
//! random), and each commit writes every page it touched out in full, to
//! the write-ahead log and again at the checkpoint: about 60 KB for a few
//! hundred bytes of answers, which bounded group commit to a fifth of what
//! SQLite can store in one transaction. Appended here, a batch fills a few
//! pages at the end of one table. The move then writes thousands of
//! responses in one transaction, in the order of their random ids, where
//! they share the tables' pages.
//!
//! The price is a window: a row here follows arrival order (`seq`), for
//! at most `MOVE_AFTER`. The move deletes the rows it moved (their pages
//! are zeroed, `secure_delete`) and then empties the write-ahead log
//! (checkpoint TRUNCATE), where the appended pages were also in order.
//! Whatever reads responses moves the intake first (`Store::settle`), so
//! nothing acknowledged is missing from a read.

use std::collections::HashSet;
use std::sync::LazyLock;
use std::time::Duration;

use sqlx::pool::PoolConnection;
use sqlx::{Connection, Sqlite, SqliteConnection};
use time::Date;
use uuid::Uuid;

// The batch's statements and macros, which the macros' bodies name.
use super::{
    ADD_TO_ANSWER_TALLY, ADD_TO_CODE_BATCH_USE, ADD_TO_QUESTION_TALLY, ADD_TO_RESPONSE_TALLY, AnswerRow,
    FORGET_SUBMISSION, INSERT_ANSWERS, INSERT_RESPONSES, Inserts, Placeholders, QueuedResponse, RECORD_SUBMISSIONS,
    TallyIncrements, USE_CODE, chunks,
};
use crate::questionnaire::{Answer, Channel};
use crate::store::{CodeUse, Store, StoreError, Stored};

/// The longest a response waits in the intake before it is moved: the
/// window in which the database files still tell the order of arrival.
pub const MOVE_AFTER: Duration = Duration::from_secs(2);
/// Moved sooner when this many have gathered: bounds the table, and the
/// move's memory (`MOVE_CHUNK` at a time).
pub const MOVE_AT: usize = 16_384;
/// Responses moved per transaction.
const MOVE_CHUNK: i64 = 8_192;

static INSERT_INTAKE: LazyLock<Inserts> = LazyLock::new(|| {
    Inserts::new(
        "INSERT INTO intake (id, questionnaire_id, version, language, channel, submitted_on, token_hash, answers)",
        8,
        "",
    )
});
/// The tokens among `$1` (a JSON array) already recorded by a moved response.
const RECORDED_AMONG: &str = "SELECT token_hash FROM submission WHERE token_hash IN (SELECT value FROM json_each($1))";
/// The tokens among `$1` (a JSON array) of responses waiting in the intake.
const WAITING_AMONG: &str = "SELECT token_hash FROM intake WHERE token_hash IN (SELECT value FROM json_each($1))";
const IN_INTAKE: &str = "SELECT token_hash FROM intake WHERE token_hash IS NOT NULL";
const ANY_IN_INTAKE: &str = "SELECT EXISTS (SELECT 1 FROM intake)";
/// The next rows to move, in the order of their random ids: the order the
/// move writes them in says nothing of the order they came in.
const NEXT_TO_MOVE: &str = "SELECT seq, id, questionnaire_id, version, language, channel, submitted_on, \
     token_hash, answers FROM intake ORDER BY id LIMIT $1";
const FORGET_MOVED: &str = "DELETE FROM intake WHERE seq IN (SELECT value FROM json_each($1))";

/// A response's answers as the intake keeps them, in form order.
fn pack(answers: &[Answer]) -> String {
    let rows: Vec<(&str, Option<&str>, Option<&str>)> = answers
        .iter()
        .map(|answer| (answer.question_id.as_str(), answer.option_id.as_deref(), answer.text.as_deref()))
        .collect();
    serde_json::to_string(&rows).expect("strings always serialise")
}

fn unpack(packed: &str) -> Result<Vec<Answer>, StoreError> {
    let rows: Vec<(String, Option<String>, Option<String>)> =
        serde_json::from_str(packed).map_err(|error| StoreError::Intake(error.to_string()))?;
    Ok(rows.into_iter().map(|(question_id, option_id, text)| Answer { question_id, option_id, text }).collect())
}

/// What the writer knows of the intake between batches.
#[derive(Debug, Default)]
pub struct Intake {
    /// The submission tokens of the responses waiting here: a form sent
    /// again before its first copy was moved is found here, not in
    /// `submission`.
    tokens: HashSet<String>,
    /// How many responses this writer has appended since the last move.
    pub held: usize,
    /// When the oldest of them was acknowledged.
    pub oldest: Option<tokio::time::Instant>,
}

impl Intake {
    /// The intake as a (re)started writer finds it: whatever an earlier run
    /// left is moved at once.
    pub async fn open(connection: &mut SqliteConnection) -> Result<Intake, StoreError> {
        move_all(connection).await?;
        let tokens: Vec<String> = sqlx::query_scalar(IN_INTAKE).fetch_all(&mut *connection).await?;
        Ok(Intake { tokens: tokens.into_iter().collect(), held: 0, oldest: None })
    }

    /// Moves every response waiting, and forgets their tokens (now in
    /// `submission`).
    /// The log holds the appended pages, in arrival order, until it is
    /// emptied; while a reader keeps it from that, it is tried again every
    /// `MOVE_AFTER` (a read moving the intake, `Store::settle`, may have
    /// moved the rows already, but not emptied the log).
    pub async fn move_all(&mut self, connection: &mut SqliteConnection) -> Result<usize, StoreError> {
        let moved = move_all(connection).await?;
        self.tokens.clear();
        self.held = 0;
        let emptied = Store::truncate_wal(connection).await?;
        self.oldest = (!emptied).then(tokio::time::Instant::now);
        Ok(moved)
    }

    /// Appends a batch of responses to the intake in one transaction, each
    /// decided on its own as `BatchConnection::insert_responses` decides it:
    /// a form sent before (its token in the intake or in `submission`) is
    /// `Stored::Duplicate`, a used code refuses only its own response. The
    /// tallies count the batch at once. Returns after the commit.
    pub async fn take_in(
        &mut self,
        connection: &mut PoolConnection<Sqlite>,
        batch: &[QueuedResponse],
    ) -> Result<Vec<CodeUse>, StoreError> {
        let mut outcomes: Vec<Option<CodeUse>> = vec![None; batch.len()];
        let mut pending: Vec<usize> = (0..batch.len()).collect();
        let mut tallies = TallyIncrements::default();
        // Tokens of this batch's accepted responses, added to `self` only
        // once the commit succeeded.
        let mut taken: HashSet<&str> = HashSet::new();
        let mut transaction = connection.begin().await?;
        while !pending.is_empty() {
            let mut tokens_in_round = HashSet::new();
            let (mut round, later): (Vec<usize>, Vec<usize>) = pending
                .iter()
                .partition(|&&at| batch[at].submission.as_deref().is_none_or(|token| tokens_in_round.insert(token)));
            pending = later;
            // A token is new unless a response with it was taken in earlier
            // in this batch, waits in the intake or was moved (`submission`).
            // The writer's own list of the intake's tokens spares reading the
            // intake for every form; a token on it is looked up there too,
            // since a read may have moved it meanwhile and the 30-day purge
            // forgotten it since.
            let asked: Vec<&str> = round
                .iter()
                .filter_map(|&at| batch[at].submission.as_deref())
                .filter(|token| !taken.contains(token))
                .collect();
            let mut recorded: HashSet<String> = asked.iter().map(|token| (*token).to_owned()).collect();
            if !asked.is_empty() {
                let perhaps_waiting: Vec<&str> =
                    asked.iter().copied().filter(|token| self.tokens.contains(*token)).collect();
                let asked = serde_json::to_string(&asked).expect("strings always serialise");
                let mut known: Vec<String> =
                    sqlx::query_scalar(RECORDED_AMONG).bind(asked).fetch_all(&mut *transaction).await?;
                if !perhaps_waiting.is_empty() {
                    let perhaps_waiting = serde_json::to_string(&perhaps_waiting).expect("strings always serialise");
                    known.extend(
                        sqlx::query_scalar::<_, String>(WAITING_AMONG)
                            .bind(perhaps_waiting)
                            .fetch_all(&mut *transaction)
                            .await?,
                    );
                }
                for token in known {
                    recorded.remove(&token);
                }
            }
            let accepted = decide_round!(transaction, batch, &mut round, &recorded, &mut outcomes, &mut tallies);
            for &(at, _) in &accepted {
                tallies.count(&batch[at]);
                if let Some(token) = batch[at].submission.as_deref() {
                    taken.insert(token);
                }
            }
            let rows: Vec<(usize, Uuid, String)> =
                accepted.into_iter().map(|(at, id)| (at, id, pack(&batch[at].answers))).collect();
            insert_chunked!(transaction, Placeholders::Anonymous, INSERT_INTAKE, rows, |query, (at, id, answers)| {
                let response = &batch[*at];
                query
                    .bind(*id)
                    .bind(&response.questionnaire_id)
                    .bind(&response.version)
                    .bind(&response.language)
                    .bind(response.channel.as_str())
                    .bind(response.submitted_on)
                    .bind(response.submission.as_deref())
                    .bind(answers.as_str())
            });
        }
        add_tallies!(transaction, Placeholders::Anonymous, &tallies);
        transaction.commit().await?;
        let appended =
            outcomes.iter().filter(|outcome| matches!(outcome, Some(CodeUse::Answered(Stored::New(_))))).count();
        if appended > 0 && self.oldest.is_none() {
            self.oldest = Some(tokio::time::Instant::now());
        }
        self.held += appended;
        self.tokens.extend(taken.into_iter().map(str::to_owned));
        Ok(outcomes.into_iter().map(|outcome| outcome.expect("every response of the batch is decided")).collect())
    }
}

/// One row of the intake.
#[derive(sqlx::FromRow)]
struct IntakeRow {
    seq: i64,
    id: Uuid,
    questionnaire_id: String,
    version: String,
    language: String,
    channel: String,
    submitted_on: Date,
    token_hash: Option<String>,
    answers: String,
}

/// Whether any response waits in the intake. A database opened read-only
/// from before the intake (migration 0019) has none.
pub async fn any_waiting(connection: &mut SqliteConnection) -> Result<bool, StoreError> {
    match sqlx::query_scalar(ANY_IN_INTAKE).fetch_one(&mut *connection).await {
        Err(sqlx::Error::Database(error)) if error.message().starts_with("no such table") => Ok(false),
        waiting => Ok(waiting?),
    }
}

/// Moves every response in the intake into the random-keyed tables,
/// `MOVE_CHUNK` at a time, each chunk one transaction, then empties the
/// write-ahead log. Safe beside a writer on another connection: each chunk
/// holds SQLite's write lock from its first statement.
pub async fn move_all(connection: &mut SqliteConnection) -> Result<usize, StoreError> {
    let mut moved = 0;
    loop {
        let mut transaction = connection.begin_with("BEGIN IMMEDIATE").await?;
        let rows: Vec<IntakeRow> = sqlx::query_as(NEXT_TO_MOVE).bind(MOVE_CHUNK).fetch_all(&mut *transaction).await?;
        if rows.is_empty() {
            break;
        }
        let count = rows.len();
        let mut seqs = Vec::with_capacity(count);
        let mut batch = Vec::with_capacity(count);
        let mut accepted = Vec::with_capacity(count);
        for (at, row) in rows.into_iter().enumerate() {
            seqs.push(row.seq);
            accepted.push((at, row.id));
            batch.push(QueuedResponse {
                channel: Channel::parse(&row.channel)
                    .ok_or_else(|| StoreError::Intake(format!("unknown channel {}", row.channel)))?,
                answers: unpack(&row.answers)?,
                questionnaire_id: row.questionnaire_id,
                version: row.version,
                language: row.language,
                submitted_on: row.submitted_on,
                submission: row.token_hash,
                code: None,
            });
        }
        let batch = &batch[..];
        let everyone: Vec<usize> = (0..count).collect();
        // Each token was new when its response was taken in; a conflict
        // here (a second instance on the same file, which SQLite does not
        // support) keeps the first and still moves the response.
        let _ = record_tokens!(transaction, Placeholders::Anonymous, batch, &everyone);
        insert_round!(transaction, Placeholders::Anonymous, batch, accepted);
        let seqs = serde_json::to_string(&seqs).expect("numbers always serialise");
        sqlx::query(FORGET_MOVED).bind(seqs).execute(&mut *transaction).await?;
        transaction.commit().await?;
        moved += count;
        if (count as i64) < MOVE_CHUNK {
            break;
        }
    }
    if moved > 0 {
        // A reader may keep the log from being emptied now: the writer
        // tries again (`Intake::move_all`).
        Store::truncate_wal(connection).await?;
    }
    Ok(moved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_come_back_from_the_intake_as_they_went_in() {
        let answers = vec![
            Answer { question_id: "q1".into(), option_id: Some("a".into()), text: None },
            Answer { question_id: "q2".into(), option_id: Some("other".into()), text: Some("\"x\", y\n".into()) },
            Answer { question_id: "q3".into(), option_id: None, text: Some("مرحبا".into()) },
        ];
        assert_eq!(unpack(&pack(&answers)).unwrap(), answers);
    }
}
