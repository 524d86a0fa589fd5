//! Breakdowns by a background question, counted once per cell and kept
//! (migration 0020).
//!
//! A breakdown needs to know which answers came together in one response,
//! which the tallies kept by group commit do not tell, so it counts the
//! answer rows: minutes at a million responses. But figures are shown only
//! for closed periods, whose cells (a version in a language by one channel,
//! one stored date) seldom change, so a cell is counted once per background
//! question and kept, with the number of responses that count saw. A read
//! compares that number with the cell's response tally, in one snapshot,
//! and counts again only the dates where they differ: a paper form typed in
//! late, a purge, a cell never counted. Nothing is added to the path that
//! stores a response.
//!
//! Keeping is a cache, never the truth: a read always returns what its own
//! snapshots counted, and if the counts cannot be kept (another instance
//! kept the same dates at the same moment) they are counted again next time.

use std::sync::LazyLock;

use time::Date;

use super::Snapshot;
use crate::questionnaire::{Questionnaire, Role};
use crate::report::release::Disclosure;
use crate::store::batch::{Inserts, Placeholders, chunks};
use crate::store::{Store, StoreError};

/// The responses of one questionnaire stored with a date from `$4` to `$2`,
/// each with its version, language, channel and stored date, in the group
/// of its answer to the question `$3` (one group per chosen option;
/// `_unanswered` for those who skipped it).
macro_rules! grouped_cells {
    () => {
        "WITH filtered AS (SELECT r.id, r.version, r.language, r.channel, r.submitted_on FROM response r \
           WHERE r.questionnaire_id = $1 AND r.submitted_on >= $4 AND r.submitted_on <= $2), \
         grouped AS ( \
            SELECT f.id AS response_id, f.version, f.language, f.channel, f.submitted_on, g.option_id AS grp \
              FROM filtered f \
              JOIN answer g ON g.response_id = f.id AND g.question_id = $3 \
            WHERE g.option_id IS NOT NULL \
            UNION ALL \
            SELECT f.id, f.version, f.language, f.channel, f.submitted_on, '_unanswered' FROM filtered f \
            WHERE NOT EXISTS ( \
              SELECT 1 FROM answer s WHERE s.response_id = f.id AND s.question_id = $3 AND s.option_id IS NOT NULL) \
         ) "
    };
}

/// The responses of each cell from `$4` to `$2` (`$3` is unused, so that
/// every count binds the same parameters).
const COUNT_CELLS: &str = "SELECT version, language, channel, submitted_on, COUNT(*) FROM response \
     WHERE questionnaire_id = $1 AND submitted_on >= $4 AND submitted_on <= $2 AND $3 IS NOT NULL \
     GROUP BY version, language, channel, submitted_on";
const COUNT_GROUPS: &str = concat!(
    grouped_cells!(),
    "SELECT version, language, channel, submitted_on, grp, COUNT(*) FROM grouped \
     GROUP BY version, language, channel, submitted_on, grp"
);
const COUNT_GROUP_ANSWERS: &str = concat!(
    grouped_cells!(),
    "SELECT gr.version, gr.language, gr.channel, gr.submitted_on, gr.grp, a.question_id, a.option_id, COUNT(*) \
     FROM grouped gr JOIN answer a ON a.response_id = gr.response_id \
     GROUP BY gr.version, gr.language, gr.channel, gr.submitted_on, gr.grp, a.question_id, a.option_id"
);
const COUNT_GROUP_RESPONDENTS: &str = concat!(
    grouped_cells!(),
    "SELECT gr.version, gr.language, gr.channel, gr.submitted_on, gr.grp, a.question_id, COUNT(DISTINCT a.response_id) \
     FROM grouped gr JOIN answer a ON a.response_id = gr.response_id \
     GROUP BY gr.version, gr.language, gr.channel, gr.submitted_on, gr.grp, a.question_id"
);

/// The first and last stored date up to `$2` whose kept counts by the
/// question `$3` are missing or no longer count the cell's responses; or
/// that were kept for a cell no longer there (purged).
const STALE_DATES: &str = "SELECT MIN(d), MAX(d) FROM ( \
       SELECT t.submitted_on AS d FROM response_tally t \
       LEFT JOIN group_tally_cell k ON k.questionnaire_id = t.questionnaire_id AND k.by_question = $3 \
         AND k.submitted_on = t.submitted_on AND k.version = t.version AND k.language = t.language \
         AND k.channel = t.channel \
       WHERE t.questionnaire_id = $1 AND t.submitted_on <= $2 \
         AND (k.responses IS NULL OR k.responses <> t.responses) \
       UNION ALL \
       SELECT k.submitted_on FROM group_tally_cell k \
       WHERE k.questionnaire_id = $1 AND k.by_question = $3 AND k.submitted_on <= $2 AND NOT EXISTS ( \
         SELECT 1 FROM response_tally t WHERE t.questionnaire_id = k.questionnaire_id \
           AND t.submitted_on = k.submitted_on AND t.version = k.version AND t.language = k.language \
           AND t.channel = k.channel) \
     ) stale";

const KEPT_GROUPS: &str = "SELECT version, language, channel, submitted_on, grp, responses \
     FROM group_response_tally WHERE questionnaire_id = $1 AND by_question = $3 AND submitted_on <= $2";
const KEPT_ANSWERS: &str = "SELECT version, language, channel, submitted_on, grp, question_id, \
     NULLIF(option_id, ''), answers \
     FROM group_answer_tally WHERE questionnaire_id = $1 AND by_question = $3 AND submitted_on <= $2";
const KEPT_RESPONDENTS: &str = "SELECT version, language, channel, submitted_on, grp, question_id, respondents \
     FROM group_question_tally WHERE questionnaire_id = $1 AND by_question = $3 AND submitted_on <= $2";

/// What was kept for the dates `$3`–`$4`, deleted before they are kept again.
const FORGET: [&str; 4] = [
    "DELETE FROM group_tally_cell WHERE questionnaire_id = $1 AND by_question = $2 \
     AND submitted_on >= $3 AND submitted_on <= $4",
    "DELETE FROM group_response_tally WHERE questionnaire_id = $1 AND by_question = $2 \
     AND submitted_on >= $3 AND submitted_on <= $4",
    "DELETE FROM group_answer_tally WHERE questionnaire_id = $1 AND by_question = $2 \
     AND submitted_on >= $3 AND submitted_on <= $4",
    "DELETE FROM group_question_tally WHERE questionnaire_id = $1 AND by_question = $2 \
     AND submitted_on >= $3 AND submitted_on <= $4",
];

const CELL_COLUMNS: &str = "questionnaire_id, by_question, version, language, channel, submitted_on";
static KEEP_CELLS: LazyLock<Inserts> =
    LazyLock::new(|| Inserts::new(&format!("INSERT INTO group_tally_cell ({CELL_COLUMNS}, responses)"), 7, ""));
static KEEP_GROUPS: LazyLock<Inserts> = LazyLock::new(|| {
    Inserts::new(&format!("INSERT INTO group_response_tally ({CELL_COLUMNS}, grp, responses)"), 8, "")
});
static KEEP_ANSWERS: LazyLock<Inserts> = LazyLock::new(|| {
    Inserts::new(
        &format!("INSERT INTO group_answer_tally ({CELL_COLUMNS}, grp, question_id, option_id, answers)"),
        10,
        "",
    )
});
static KEEP_RESPONDENTS: LazyLock<Inserts> = LazyLock::new(|| {
    Inserts::new(&format!("INSERT INTO group_question_tally ({CELL_COLUMNS}, grp, question_id, respondents)"), 9, "")
});

/// Responses per cell and group: version, language, channel, date, group, count.
pub(super) type GroupResponses = Vec<(String, String, String, Date, String, i64)>;
/// Answers per cell, group, question and option.
pub(super) type GroupAnswers = Vec<(String, String, String, Date, String, String, Option<String>, i64)>;
/// Respondents per cell, group and question.
pub(super) type GroupRespondents = Vec<(String, String, String, Date, String, String, i64)>;

/// The counts of a breakdown, cell by cell.
#[derive(Debug, Default)]
pub(super) struct GroupCounts {
    pub responses: GroupResponses,
    pub answers: GroupAnswers,
    pub respondents: GroupRespondents,
}

impl GroupCounts {
    /// These counts without the dates `from`–`to`, and `counted` in their place.
    fn replaced(self, from: Date, to: Date, counted: GroupCounts) -> GroupCounts {
        let outside = |day: &Date| *day < from || *day > to;
        let mut counts = GroupCounts {
            responses: self.responses.into_iter().filter(|row| outside(&row.3)).collect(),
            answers: self.answers.into_iter().filter(|row| outside(&row.3)).collect(),
            respondents: self.respondents.into_iter().filter(|row| outside(&row.3)).collect(),
        };
        counts.responses.extend(counted.responses);
        counts.answers.extend(counted.answers);
        counts.respondents.extend(counted.respondents);
        counts
    }
}

/// A cell's responses when it was counted: version, language, channel, date, count.
type CellResponses = Vec<(String, String, String, Date, i64)>;

impl Store {
    /// Counts and keeps the breakdowns by each background question of the
    /// cells of `questionnaire`'s closed periods whose counts are missing
    /// or out of date, so that the first breakdown a person asks for after
    /// a period closes (or after an upgrade) need not count them. Returns
    /// how many background questions it went through.
    pub async fn count_breakdowns(&self, questionnaire: &Questionnaire, today: Date) -> Result<usize, StoreError> {
        self.settle().await?;
        let through = Disclosure::last_closed_on(questionnaire, today).last_day();
        let mut counted = 0;
        for question in questionnaire.questions.iter().filter(|question| question.role == Some(Role::Background)) {
            self.group_counts(&questionnaire.id, through, &question.id).await?;
            counted += 1;
        }
        Ok(counted)
    }

    /// The counts of a breakdown by the question `by` of every cell stored
    /// with a date up to `through`: kept ones where they still count the
    /// cell's responses, counted afresh (and kept) where not.
    pub(super) async fn group_counts(
        &self,
        questionnaire_id: &str,
        through: Date,
        by: &str,
    ) -> Result<GroupCounts, StoreError> {
        let mut snapshot = self.snapshot().await?;
        let (stale, kept) = on_snapshot!(&mut snapshot, connection => {
            let stale: (Option<Date>, Option<Date>) = sqlx::query_as(STALE_DATES)
                .bind(questionnaire_id).bind(through).bind(by).fetch_one(&mut *connection).await?;
            let responses = sqlx::query_as(KEPT_GROUPS)
                .bind(questionnaire_id).bind(through).bind(by).fetch_all(&mut *connection).await?;
            let answers = sqlx::query_as(KEPT_ANSWERS)
                .bind(questionnaire_id).bind(through).bind(by).fetch_all(&mut *connection).await?;
            let respondents = sqlx::query_as(KEPT_RESPONDENTS)
                .bind(questionnaire_id).bind(through).bind(by).fetch_all(&mut *connection).await?;
            (stale, GroupCounts { responses, answers, respondents })
        });
        drop(snapshot);
        let (Some(from), Some(to)) = stale else {
            return Ok(kept);
        };
        let (cells, counted) = self.count_groups(questionnaire_id, by, from, to).await?;
        if let Err(error) = self.keep_groups(questionnaire_id, by, from, to, &cells, &counted).await {
            // Another instance keeping the same dates at the same moment:
            // these counts are right, and are counted again next time.
            tracing::warn!(%error, "a breakdown's counts were not kept");
        }
        Ok(kept.replaced(from, to, counted))
    }

    /// Counts the breakdown by `by` of the cells stored with a date from
    /// `from` to `to`, with each cell's responses, in one snapshot.
    async fn count_groups(
        &self,
        questionnaire_id: &str,
        by: &str,
        from: Date,
        to: Date,
    ) -> Result<(CellResponses, GroupCounts), StoreError> {
        let mut snapshot = self.snapshot().await?;
        Ok(on_snapshot!(&mut snapshot, connection => {
            let cells = sqlx::query_as(COUNT_CELLS)
                .bind(questionnaire_id).bind(to).bind(by).bind(from).fetch_all(&mut *connection).await?;
            let responses = sqlx::query_as(COUNT_GROUPS)
                .bind(questionnaire_id).bind(to).bind(by).bind(from).fetch_all(&mut *connection).await?;
            let answers = sqlx::query_as(COUNT_GROUP_ANSWERS)
                .bind(questionnaire_id).bind(to).bind(by).bind(from).fetch_all(&mut *connection).await?;
            let respondents = sqlx::query_as(COUNT_GROUP_RESPONDENTS)
                .bind(questionnaire_id).bind(to).bind(by).bind(from).fetch_all(&mut *connection).await?;
            (cells, GroupCounts { responses, answers, respondents })
        }))
    }

    /// Keeps the counts of the dates `from`–`to` in place of those kept before.
    async fn keep_groups(
        &self,
        questionnaire_id: &str,
        by: &str,
        from: Date,
        to: Date,
        cells: &CellResponses,
        counts: &GroupCounts,
    ) -> Result<(), StoreError> {
        let placeholders = match self {
            Store::Sqlite(_) => Placeholders::Anonymous,
            Store::Postgres(_) => Placeholders::Numbered,
        };
        on_pool!(self, pool => {
            let mut transaction = pool.begin().await?;
            for statement in FORGET {
                sqlx::query(statement).bind(questionnaire_id).bind(by).bind(from).bind(to).execute(&mut *transaction).await?;
            }
            for range in chunks(cells.len()) {
                let mut query = sqlx::query(KEEP_CELLS.for_rows(range.len(), placeholders));
                for (version, language, channel, day, n) in &cells[range] {
                    query = query.bind(questionnaire_id).bind(by).bind(version).bind(language).bind(channel).bind(day).bind(n);
                }
                query.execute(&mut *transaction).await?;
            }
            for range in chunks(counts.responses.len()) {
                let mut query = sqlx::query(KEEP_GROUPS.for_rows(range.len(), placeholders));
                for (version, language, channel, day, group, n) in &counts.responses[range] {
                    query = query.bind(questionnaire_id).bind(by).bind(version).bind(language).bind(channel).bind(day)
                        .bind(group).bind(n);
                }
                query.execute(&mut *transaction).await?;
            }
            for range in chunks(counts.answers.len()) {
                let mut query = sqlx::query(KEEP_ANSWERS.for_rows(range.len(), placeholders));
                for (version, language, channel, day, group, question, option, n) in &counts.answers[range] {
                    query = query.bind(questionnaire_id).bind(by).bind(version).bind(language).bind(channel).bind(day)
                        .bind(group).bind(question).bind(option.as_deref().unwrap_or_default()).bind(n);
                }
                query.execute(&mut *transaction).await?;
            }
            for range in chunks(counts.respondents.len()) {
                let mut query = sqlx::query(KEEP_RESPONDENTS.for_rows(range.len(), placeholders));
                for (version, language, channel, day, group, question, n) in &counts.respondents[range] {
                    query = query.bind(questionnaire_id).bind(by).bind(version).bind(language).bind(channel).bind(day)
                        .bind(group).bind(question).bind(n);
                }
                query.execute(&mut *transaction).await?;
            }
            transaction.commit().await?;
        });
        Ok(())
    }
}
