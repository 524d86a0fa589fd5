//! Storing many responses in one transaction: what group commit (`writer`)
//! and `enkat seed` share, and what `insert_response` runs for one.
//!
//! A transaction's cost is mostly its commit (a disk sync), so responses
//! that arrive together are committed together. Each response is still
//! decided on its own, inside the transaction, before any of its rows is
//! written: a form sent twice is `Stored::Duplicate`, a used code refuses
//! only its own response. A database error rolls back the whole batch and
//! every response in it fails: nobody is told their answers were stored
//! unless the commit succeeded.

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;
use std::sync::{Arc, LazyLock};

use sqlx::pool::PoolConnection;
use sqlx::{AssertSqlSafe, Connection, Postgres, Sqlite};
use time::Date;
use uuid::Uuid;

use super::codes::USE_CODE;
use super::{CodeUse, NewResponse, Store, StoreError, Stored};
use crate::questionnaire::{Answer, Channel, Questionnaire};
use crate::report::period::Period;

/// A response waiting to be stored with others: owned, so it can wait in a
/// queue, and carrying the fingerprint of the one-time code it uses, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedResponse {
    pub questionnaire_id: String,
    pub version: String,
    pub language: String,
    pub channel: Channel,
    /// Already coarsened to the questionnaire's date precision.
    pub submitted_on: Date,
    pub answers: Vec<Answer>,
    /// The SHA-256 (hex) of the form's submission token, if it had one.
    pub submission: Option<String>,
    /// The one-time code to use up with this response.
    pub code: Option<CodeToUse>,
}

/// A one-time code to use up with a response, and where its use is counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeToUse {
    /// The SHA-256 (hex) of the code (`Code::fingerprint`).
    pub fingerprint: String,
    /// The reporting period of the response's stored date: its batch counts
    /// the use there, and no code keeps a time of use.
    pub period: Period,
}

impl CodeToUse {
    /// The code with `fingerprint`, used by a response to `questionnaire`
    /// stored with the date `submitted_on` (already coarsened).
    pub fn new(fingerprint: String, questionnaire: &Questionnaire, submitted_on: Date) -> CodeToUse {
        CodeToUse { fingerprint, period: Period::containing(questionnaire.report_period, submitted_on) }
    }
}

impl QueuedResponse {
    /// `response`, to be stored using up the code with `code_fingerprint`
    /// (for a questionnaire with `access = "code"`), or openly.
    pub fn new(response: &NewResponse<'_>, code_fingerprint: Option<String>) -> QueuedResponse {
        QueuedResponse {
            questionnaire_id: response.questionnaire.id.clone(),
            version: response.questionnaire.version.as_str().to_owned(),
            language: response.language.to_owned(),
            channel: response.channel,
            submitted_on: response.submitted_on,
            answers: response.answers.to_vec(),
            submission: response.submission.map(str::to_owned),
            code: code_fingerprint
                .map(|fingerprint| CodeToUse::new(fingerprint, response.questionnaire, response.submitted_on)),
        }
    }
}

/// At most this many rows go into one INSERT: well under SQLite's and
/// PostgreSQL's limits on bound parameters (5 a row).
const MOST_ROWS: usize = 128;

/// How a statement's parameters are written: PostgreSQL numbers them
/// (`$1`); for SQLite they are anonymous (`?`), bound in order, because
/// sqlx looks each named one up by name, and SQLite finds a name by walking
/// the list of names: quadratic work in a statement of hundreds of
/// parameters, a third of the writer's time in the load benchmark.
#[derive(Debug, Clone, Copy)]
pub(super) enum Placeholders {
    Numbered,
    Anonymous,
}

/// The multi-row INSERT statements, one per power-of-two number of rows, so
/// that each connection prepares only a handful of them and reuses them.
pub(super) struct Inserts {
    /// `numbered[k]` and `anonymous[k]` insert `2^k` rows.
    numbered: Vec<Arc<str>>,
    anonymous: Vec<Arc<str>>,
}

impl Inserts {
    pub(super) fn new(head: &str, columns: usize, tail: &str) -> Inserts {
        let statements = |placeholder: &dyn Fn(usize) -> String| -> Vec<Arc<str>> {
            (0..=MOST_ROWS.ilog2())
                .map(|power| {
                    let rows: Vec<String> = (0..1_usize << power)
                        .map(|row| {
                            let cells: Vec<String> =
                                (1..=columns).map(|column| placeholder(row * columns + column)).collect();
                            format!("({})", cells.join(", "))
                        })
                        .collect();
                    Arc::from(format!("{head} VALUES {}{tail}", rows.join(", ")))
                })
                .collect()
        };
        Inserts { numbered: statements(&|n| format!("${n}")), anonymous: statements(&|_| "?".to_owned()) }
    }

    /// The statement for `rows` rows, a power of two up to `MOST_ROWS`.
    /// Only numbers and placeholders are formatted into it, never data.
    pub(super) fn for_rows(&self, rows: usize, placeholders: Placeholders) -> AssertSqlSafe<Arc<str>> {
        let statements = match placeholders {
            Placeholders::Numbered => &self.numbered,
            Placeholders::Anonymous => &self.anonymous,
        };
        AssertSqlSafe(statements[rows.ilog2() as usize].clone())
    }
}

static RECORD_SUBMISSIONS: LazyLock<Inserts> = LazyLock::new(|| {
    Inserts::new(
        "INSERT INTO submission (token_hash, seen_on)",
        2,
        " ON CONFLICT (token_hash) DO NOTHING RETURNING token_hash",
    )
});
static INSERT_RESPONSES: LazyLock<Inserts> = LazyLock::new(|| {
    Inserts::new("INSERT INTO response (id, questionnaire_id, version, language, channel, submitted_on)", 6, "")
});
static INSERT_ANSWERS: LazyLock<Inserts> =
    LazyLock::new(|| Inserts::new("INSERT INTO answer (response_id, position, question_id, option_id, text)", 5, ""));
const FORGET_SUBMISSION: &str = "DELETE FROM submission WHERE token_hash = $1";
static ADD_TO_RESPONSE_TALLY: LazyLock<Inserts> = LazyLock::new(|| {
    Inserts::new(
        "INSERT INTO response_tally (questionnaire_id, version, language, channel, submitted_on, responses)",
        6,
        " ON CONFLICT (questionnaire_id, version, language, channel, submitted_on) \
         DO UPDATE SET responses = response_tally.responses + excluded.responses",
    )
});
static ADD_TO_ANSWER_TALLY: LazyLock<Inserts> = LazyLock::new(|| {
    Inserts::new(
        "INSERT INTO answer_tally (questionnaire_id, version, language, channel, submitted_on, question_id, option_id, answers)",
        8,
        " ON CONFLICT (questionnaire_id, version, language, channel, submitted_on, question_id, option_id) \
         DO UPDATE SET answers = answer_tally.answers + excluded.answers",
    )
});
static ADD_TO_CODE_BATCH_USE: LazyLock<Inserts> = LazyLock::new(|| {
    Inserts::new(
        "INSERT INTO code_batch_use (batch_id, period, used)",
        3,
        " ON CONFLICT (batch_id, period) DO UPDATE SET used = code_batch_use.used + excluded.used, dirty = TRUE",
    )
});
static ADD_TO_QUESTION_TALLY: LazyLock<Inserts> = LazyLock::new(|| {
    Inserts::new(
        "INSERT INTO question_tally (questionnaire_id, version, language, channel, submitted_on, question_id, respondents)",
        7,
        " ON CONFLICT (questionnaire_id, version, language, channel, submitted_on, question_id) \
         DO UPDATE SET respondents = question_tally.respondents + excluded.respondents",
    )
});

/// Where a response is counted: questionnaire, version, language, channel, date.
type TallyKey<'a> = (&'a str, &'a str, &'a str, &'static str, Date);

/// What a batch of stored responses adds to the tallies (migration 0006) and
/// to the counts of used codes (0007).
/// Maps, so each counter is written once per batch and in key order: two
/// instances adding to the same counters lock them in the same order, and
/// never wait for each other in a cycle.
#[derive(Debug, Default, PartialEq, Eq)]
struct TallyIncrements<'a> {
    responses: BTreeMap<TallyKey<'a>, i64>,
    /// Keyed also by question and option ('' for a text without one).
    answers: BTreeMap<(TallyKey<'a>, &'a str, &'a str), i64>,
    /// Keyed also by question: responses that answered it.
    respondents: BTreeMap<(TallyKey<'a>, &'a str), i64>,
    /// Codes used, by batch and reporting period (migration 0007).
    code_uses: BTreeMap<(Uuid, String), i64>,
}

impl<'a> TallyIncrements<'a> {
    fn count(&mut self, response: &'a QueuedResponse) {
        let key = (
            response.questionnaire_id.as_str(),
            response.version.as_str(),
            response.language.as_str(),
            response.channel.as_str(),
            response.submitted_on,
        );
        *self.responses.entry(key).or_default() += 1;
        let mut answered = HashSet::new();
        for answer in &response.answers {
            let option = answer.option_id.as_deref().unwrap_or_default();
            *self.answers.entry((key, answer.question_id.as_str(), option)).or_default() += 1;
            if answered.insert(answer.question_id.as_str()) {
                *self.respondents.entry((key, answer.question_id.as_str())).or_default() += 1;
            }
        }
    }
}

/// Splits `0..len` into ranges of powers of two, largest first, none above
/// `MOST_ROWS`: 300 rows are 128 + 128 + 32 + 8 + 4.
pub(super) fn chunks(len: usize) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut start = 0;
    while start < len {
        let size = MOST_ROWS.min(1 << (len - start).ilog2());
        ranges.push(start..start + size);
        start += size;
    }
    ranges
}

/// One answer row to insert.
struct AnswerRow<'a> {
    response_id: Uuid,
    position: i32,
    answer: &'a Answer,
}

/// `on_pool!` for a `BatchConnection`: the body with `$connection` bound to
/// the concrete connection of either database.
macro_rules! on_connection {
    ($connection:expr, $bound:ident => $body:expr) => {
        match $connection {
            BatchConnection::Sqlite($bound) => $body,
            BatchConnection::Postgres($bound) => $body,
        }
    };
}

/// Runs a multi-row INSERT of `$rows` on `$transaction`, in power-of-two
/// chunks written with `$placeholders`; `$bind` binds one `$row` onto `$query`.
macro_rules! insert_chunked {
    ($transaction:ident, $placeholders:expr, $inserts:expr, $rows:expr, |$query:ident, $row:pat_param| $bind:expr) => {
        for range in chunks($rows.len()) {
            let mut $query = sqlx::query($inserts.for_rows(range.len(), $placeholders));
            for $row in &$rows[range] {
                $query = $bind;
            }
            $query.execute(&mut *$transaction).await?;
        }
    };
}

/// Records the submission tokens of a round's responses (`$round`, indexes
/// into `$batch`) on `$transaction`; evaluates to the tokens seen for the
/// first time, whose responses are new.
macro_rules! record_tokens {
    ($transaction:ident, $placeholders:expr, $batch:expr, $round:expr) => {{
        let (batch, round, placeholders) = ($batch, $round, $placeholders);
        // Tokens in a fixed order (their hash), so that two instances
        // storing the same forms at once never wait for each other in a cycle.
        let mut tokens: Vec<(&str, Date)> = round
            .iter()
            .filter_map(|&at| batch[at].submission.as_deref().map(|token| (token, batch[at].submitted_on)))
            .collect();
        tokens.sort_unstable();
        let mut recorded: HashSet<String> = HashSet::with_capacity(tokens.len());
        for range in chunks(tokens.len()) {
            let mut query = sqlx::query_scalar::<_, String>(RECORD_SUBMISSIONS.for_rows(range.len(), placeholders));
            for (token, seen_on) in &tokens[range] {
                query = query.bind(*token).bind(*seen_on);
            }
            recorded.extend(query.fetch_all(&mut *$transaction).await?);
        }
        recorded
    }};
}

/// Decides each response of a round: a duplicate of a stored form, refused
/// for a code used or unknown (its token forgotten again), or accepted with
/// a new random id, its code used up. Sets `$outcomes` and counts code uses
/// in `$tallies`; evaluates to the accepted (index, id) pairs.
macro_rules! decide_round {
    ($transaction:ident, $batch:expr, $round:expr, $recorded:expr, $outcomes:expr, $tallies:expr) => {{
        let (batch, round, recorded, outcomes, tallies) = ($batch, $round, $recorded, $outcomes, $tallies);
        let mut accepted: Vec<(usize, Uuid)> = Vec::with_capacity(round.len());
        // Codes in a fixed order too, as tokens are: two instances storing
        // at once never wait for each other in a cycle.
        let fingerprint = |at: usize| batch[at].code.as_ref().map(|code| code.fingerprint.as_str());
        round.sort_by(|&a, &b| fingerprint(a).cmp(&fingerprint(b)));
        for at in round.iter().copied() {
            let response = &batch[at];
            if let Some(token) = response.submission.as_deref()
                && !recorded.contains(token)
            {
                outcomes[at] = Some(CodeUse::Answered(Stored::Duplicate));
                continue;
            }
            if let Some(code) = &response.code {
                let used_from: Option<Uuid> = sqlx::query_scalar(USE_CODE)
                    .bind(&code.fingerprint)
                    .bind(&response.questionnaire_id)
                    .fetch_optional(&mut *$transaction)
                    .await?;
                let Some(batch_id) = used_from else {
                    if let Some(token) = response.submission.as_deref() {
                        sqlx::query(FORGET_SUBMISSION).bind(token).execute(&mut *$transaction).await?;
                    }
                    outcomes[at] = Some(CodeUse::Refused);
                    continue;
                };
                *tallies.code_uses.entry((batch_id, code.period.to_string())).or_default() += 1;
            }
            // Random (v4), never time-ordered: the id must not reveal
            // when, or in which order, people answered.
            let id = Uuid::new_v4();
            outcomes[at] = Some(CodeUse::Answered(Stored::New(id)));
            accepted.push((at, id));
        }
        accepted
    }};
}

/// Inserts the accepted responses of a round and their answers.
macro_rules! insert_round {
    ($transaction:ident, $placeholders:expr, $batch:expr, $accepted:expr) => {{
        let (batch, placeholders, mut accepted) = ($batch, $placeholders, $accepted);
        // Rows in the order of their random ids, not of arrival.
        accepted.sort_unstable_by_key(|&(_, id)| id);
        insert_chunked!($transaction, placeholders, INSERT_RESPONSES, accepted, |query, &(at, id)| {
            let response = &batch[at];
            query
                .bind(id)
                .bind(&response.questionnaire_id)
                .bind(&response.version)
                .bind(&response.language)
                .bind(response.channel.as_str())
                .bind(response.submitted_on)
        });
        let answers: Vec<AnswerRow<'_>> = accepted
            .iter()
            .flat_map(|&(at, id)| {
                (0_i32..).zip(&batch[at].answers).map(move |(position, answer)| AnswerRow {
                    response_id: id,
                    position,
                    answer,
                })
            })
            .collect();
        insert_chunked!($transaction, placeholders, INSERT_ANSWERS, answers, |query, row| {
            query
                .bind(row.response_id)
                .bind(row.position)
                .bind(&row.answer.question_id)
                .bind(row.answer.option_id.as_deref())
                .bind(row.answer.text.as_deref())
        });
    }};
}

/// Adds a whole batch's counts to the tallies, after every round: the locks
/// on them (PostgreSQL) are held only for the commit.
macro_rules! add_tallies {
    ($transaction:ident, $placeholders:expr, $tallies:expr) => {{
        let (tallies, placeholders) = ($tallies, $placeholders);
        let responses: Vec<_> = tallies.responses.iter().collect();
        insert_chunked!($transaction, placeholders, ADD_TO_RESPONSE_TALLY, responses, |query,
                                                                                       (
            (questionnaire, version, language, channel, day),
            n,
        )| {
            query.bind(*questionnaire).bind(*version).bind(*language).bind(*channel).bind(*day).bind(**n)
        });
        let answers: Vec<_> = tallies.answers.iter().collect();
        insert_chunked!($transaction, placeholders, ADD_TO_ANSWER_TALLY, answers, |query,
                                                                                   (
            ((questionnaire, version, language, channel, day), question, option),
            n,
        )| {
            query
                .bind(*questionnaire)
                .bind(*version)
                .bind(*language)
                .bind(*channel)
                .bind(*day)
                .bind(*question)
                .bind(*option)
                .bind(**n)
        });
        let respondents: Vec<_> = tallies.respondents.iter().collect();
        insert_chunked!($transaction, placeholders, ADD_TO_QUESTION_TALLY, respondents, |query,
                                                                                         (
            ((questionnaire, version, language, channel, day), question),
            n,
        )| {
            query
                .bind(*questionnaire)
                .bind(*version)
                .bind(*language)
                .bind(*channel)
                .bind(*day)
                .bind(*question)
                .bind(**n)
        });
        let code_uses: Vec<_> = tallies.code_uses.iter().collect();
        insert_chunked!(
            $transaction,
            placeholders,
            ADD_TO_CODE_BATCH_USE,
            code_uses,
            |query, ((batch_id, period), n)| { query.bind(*batch_id).bind(period.as_str()).bind(**n) }
        );
    }};
}

pub mod intake;

/// A connection taken from the pool to store batches with. On SQLite, group
/// commit keeps one for as long as it works: SQLite empties a connection's
/// page cache whenever another connection has written since, so batches
/// that took turns on the pool's connections each started with a cold cache.
pub enum BatchConnection {
    Sqlite(PoolConnection<Sqlite>),
    Postgres(PoolConnection<Postgres>),
}

impl Store {
    /// Stores several responses in one transaction, on a connection of the
    /// pool; see [`BatchConnection::insert_responses`].
    pub async fn insert_responses(&self, batch: &[QueuedResponse]) -> Result<Vec<CodeUse>, StoreError> {
        // A token is looked up in `submission` alone here: first move any
        // response still in the intake, whose token is not there yet.
        if batch.iter().any(|response| response.submission.is_some()) {
            self.settle().await?;
        }
        self.batch_connection().await?.insert_responses(batch).await
    }

    /// A connection of the pool, to store batches with.
    pub async fn batch_connection(&self) -> Result<BatchConnection, StoreError> {
        Ok(match self {
            Store::Sqlite(pool) => BatchConnection::Sqlite(pool.acquire().await?),
            Store::Postgres(pool) => BatchConnection::Postgres(pool.acquire().await?),
        })
    }
}

impl BatchConnection {
    /// Stores several responses in one transaction, deciding each on its
    /// own; returns what became of each, in order, only after the commit.
    /// An `Err` means nothing of the batch was stored.
    ///
    /// A response is decided as if the batch had come one by one, in order:
    /// its submission token is recorded first (already recorded: the same
    /// form was sent before, `Stored::Duplicate`), then its code is used up
    /// (none live: `CodeUse::Refused`, and its token is forgotten again, as
    /// a refused form may be sent again). A second copy of a form in the
    /// same batch waits for the next round, so it finds the first copy's
    /// token only if that copy was stored.
    pub async fn insert_responses(&mut self, batch: &[QueuedResponse]) -> Result<Vec<CodeUse>, StoreError> {
        let mut outcomes: Vec<Option<CodeUse>> = vec![None; batch.len()];
        let mut pending: Vec<usize> = (0..batch.len()).collect();
        let mut tallies = TallyIncrements::default();
        let placeholders = match self {
            BatchConnection::Sqlite(_) => Placeholders::Anonymous,
            BatchConnection::Postgres(_) => Placeholders::Numbered,
        };
        on_connection!(self, connection => {
            let mut transaction = connection.begin().await?;
            while !pending.is_empty() {
                // A round holds each token once; later copies wait for the next.
                let mut tokens_in_round = HashSet::new();
                let (mut round, later): (Vec<usize>, Vec<usize>) = pending.iter().partition(|&&at| {
                    batch[at].submission.as_deref().is_none_or(|token| tokens_in_round.insert(token))
                });
                pending = later;
                let recorded = record_tokens!(transaction, placeholders, batch, &round);
                let accepted = decide_round!(transaction, batch, &mut round, &recorded, &mut outcomes, &mut tallies);
                for &(at, _) in &accepted {
                    tallies.count(&batch[at]);
                }
                insert_round!(transaction, placeholders, batch, accepted);
            }
            add_tallies!(transaction, placeholders, &tallies);
            transaction.commit().await?;
        });
        Ok(outcomes.into_iter().map(|outcome| outcome.expect("every response of the batch is decided")).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_go_in_power_of_two_chunks_of_at_most_128() {
        let sizes = |len| chunks(len).iter().map(Range::len).collect::<Vec<_>>();
        assert_eq!(sizes(0), Vec::<usize>::new());
        assert_eq!(sizes(1), vec![1]);
        assert_eq!(sizes(300), vec![128, 128, 32, 8, 4]);
        assert_eq!(chunks(300).last().unwrap().end, 300);
    }

    #[test]
    fn an_insert_has_a_placeholder_for_every_cell() {
        let inserts = Inserts::new("INSERT INTO t (a, b)", 2, "");
        assert_eq!(&*inserts.for_rows(2, Placeholders::Numbered).0, "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)");
        assert_eq!(&*inserts.for_rows(2, Placeholders::Anonymous).0, "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)");
    }
}
