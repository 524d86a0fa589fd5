//! Counting answers for reports. The database does the counting, so a
//! report over a million responses moves a few hundred rows, not millions;
//! `crate::report` turns the counts into figures. Figures over all responses
//! or per language add up the tallies kept as responses are stored
//! (migration 0006), a few thousand rows; a breakdown by a question's
//! answers counts the answer rows of each cell once and keeps the counts
//! (`group_tally`, migration 0020).

use futures_util::stream::{BoxStream, StreamExt, TryStreamExt};
use time::Date;

use super::{Store, StoreError};
use group_tally::GroupCounts;

use crate::questionnaire::{Answer, Channel, Questionnaire};
use crate::report::is_background;
use crate::report::microdata::{ListedText, StoredText, texts_by_period};
use crate::report::release::{CellRow, Disclosure, Stream};
use crate::report::{
    AnswerCount, Filter, GroupCount, QuestionCount, ResponseRecord, Split, Tally, VersionPlan, combine,
};

/// The filter every report query starts from: `$1` questionnaire, `$2`/`$3`
/// from/to date, `$4` language, `$5` version, `$6` channel (each NULL for
/// "any").
macro_rules! filtered {
    () => {
        " WHERE r.questionnaire_id = $1 \
           AND ($2 IS NULL OR r.submitted_on >= $2) \
           AND ($3 IS NULL OR r.submitted_on <= $3) \
           AND ($4 IS NULL OR r.language = $4) \
           AND ($5 IS NULL OR r.version = $5) \
           AND ($6 IS NULL OR r.channel = $6) "
    };
}

/// The responses a report covers, each in the group of its answer to the
/// question `$7` (one group per chosen option); the filter is `$1`–`$6`
/// (`filtered!`). Those who skipped the question are in the group
/// `report::UNANSWERED`.
macro_rules! grouped_responses {
    () => {
        concat!(
            "WITH filtered AS (SELECT r.id FROM response r",
            filtered!(),
            "), grouped AS ( \
            SELECT f.id AS response_id, g.option_id AS grp FROM filtered f \
              JOIN answer g ON g.response_id = f.id AND g.question_id = $7 \
            WHERE g.option_id IS NOT NULL \
            UNION ALL \
            SELECT f.id, '_unanswered' FROM filtered f \
            WHERE NOT EXISTS ( \
              SELECT 1 FROM answer s WHERE s.response_id = f.id AND s.question_id = $7 AND s.option_id IS NOT NULL) \
         ) "
        )
    };
}

const COUNT_GROUPS: &str = concat!(grouped_responses!(), "SELECT grp, COUNT(*) FROM grouped GROUP BY grp");
const COUNT_ANSWERS: &str = concat!(
    grouped_responses!(),
    "SELECT gr.grp, a.question_id, a.option_id, COUNT(*) FROM grouped gr \
     JOIN answer a ON a.response_id = gr.response_id \
     GROUP BY gr.grp, a.question_id, a.option_id"
);
const COUNT_RESPONDENTS: &str = concat!(
    grouped_responses!(),
    "SELECT gr.grp, a.question_id, COUNT(DISTINCT a.response_id) FROM grouped gr \
     JOIN answer a ON a.response_id = gr.response_id \
     GROUP BY gr.grp, a.question_id"
);

/// Sums a tally (migration 0006) over the responses the filter `$1`–`$6`
/// covers, per group: `$7` 'language' splits by language, 'channel' by
/// channel, anything else does not split. The columns are grouped by their
/// position.
macro_rules! tallied {
    ($columns:literal, $table:literal, $group_by:literal) => {
        concat!(
            "SELECT CASE WHEN $7 = 'language' THEN r.language WHEN $7 = 'channel' THEN r.channel ELSE '' END, ",
            $columns,
            " FROM ",
            $table,
            " r",
            filtered!(),
            "GROUP BY ",
            $group_by
        )
    };
}

const SUM_RESPONSES: &str = tallied!("CAST(SUM(r.responses) AS BIGINT)", "response_tally", "1");
const SUM_ANSWERS: &str =
    tallied!("r.question_id, NULLIF(r.option_id, ''), CAST(SUM(r.answers) AS BIGINT)", "answer_tally", "1, 2, 3");
const SUM_RESPONDENTS: &str = tallied!("r.question_id, CAST(SUM(r.respondents) AS BIGINT)", "question_tally", "1, 2");

/// Whole responses ordered by their random id: a random order that says
/// nothing about when each was given.
/// Every response matching the filter, with its answers packed by the
/// database into one JSON array of `[question, option, text]` in form
/// order: one row a response instead of one an answer, which is most of
/// what reading a million of them costs. Ordered by the random ids.
const SELECT_RESPONSES_PACKED_SQLITE: &str = concat!(
    "SELECT r.submitted_on, r.language, r.version, r.channel, \
       (SELECT json_group_array(json_array(a.question_id, a.option_id, a.text) ORDER BY a.position) \
        FROM answer a WHERE a.response_id = r.id) AS answers \
     FROM response r",
    filtered!(),
    "ORDER BY r.id"
);
const SELECT_RESPONSES_PACKED_POSTGRES: &str = concat!(
    "SELECT r.submitted_on, r.language, r.version, r.channel, \
       (SELECT json_agg(json_build_array(a.question_id, a.option_id, a.text) ORDER BY a.position)::text \
        FROM answer a WHERE a.response_id = r.id) AS answers \
     FROM response r",
    filtered!(),
    "ORDER BY r.id"
);

/// The tallies of one questionnaire up to a day, per version, language,
/// channel and stored date: the cells of `report::release`.
const CELL_RESPONSES: &str = "SELECT version, language, channel, submitted_on, responses FROM response_tally \
     WHERE questionnaire_id = $1 AND submitted_on <= $2";
const CELL_ANSWERS: &str = "SELECT version, language, channel, submitted_on, question_id, NULLIF(option_id, ''), answers \
     FROM answer_tally WHERE questionnaire_id = $1 AND submitted_on <= $2";
const CELL_RESPONDENTS: &str = "SELECT version, language, channel, submitted_on, question_id, respondents \
     FROM question_tally WHERE questionnaire_id = $1 AND submitted_on <= $2";

/// Free texts up to a day, with what places them in a cell; ordered by the
/// text so the order tells nothing of when each was written.
const CELL_TEXTS: &str = "SELECT r.version, r.language, r.channel, r.submitted_on, a.question_id, a.option_id, a.text \
     FROM answer a JOIN response r ON r.id = a.response_id \
     WHERE r.questionnaire_id = $1 AND r.submitted_on <= $2 AND a.text IS NOT NULL \
     ORDER BY a.question_id, a.text";

const COUNT_MATCHING: &str = concat!("SELECT COUNT(*) FROM response r", filtered!());

/// Free texts in a random order, for the list of texts apart from the
/// responses: no order by time, question or writer to undo.
const SELECT_FREE_TEXTS_SHUFFLED: &str = concat!(
    "SELECT r.submitted_on, a.question_id, a.text FROM answer a JOIN response r ON r.id = a.response_id",
    filtered!(),
    "AND a.text IS NOT NULL ORDER BY random()"
);

/// How many responses the filter covers per stored date, from the tallies.
const COUNT_PER_DATE: &str = concat!(
    "SELECT r.submitted_on, CAST(SUM(r.responses) AS BIGINT) FROM response_tally r",
    filtered!(),
    "GROUP BY r.submitted_on"
);

/// PostgreSQL's snapshot for a whole transaction (its default takes a new
/// one for every statement). SQLite in WAL mode keeps one for a read
/// transaction anyway.
const BEGIN_SNAPSHOT_POSTGRES: &str = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY";

const SELECT_VERSIONS: &str = "SELECT version, first_seen FROM questionnaire_version WHERE questionnaire_id = $1 ORDER BY first_seen, position, version";

/// The responses matching the filter grouped by all the first pass of the
/// responses export needs (`report::responses::ResponsesCounter`): date,
/// language, version, channel and the answers to the questions `$7`,
/// packed as in `SELECT_RESPONSES_PACKED_*`, with how many share them. A few
/// thousand rows for Nexus instead of a million.
const SELECT_BACKGROUND_COMBINATIONS_SQLITE: &str = concat!(
    "SELECT submitted_on, language, version, channel, answers, COUNT(*) FROM ( \
       SELECT r.submitted_on, r.language, r.version, r.channel, \
         (SELECT json_group_array(json_array(a.question_id, a.option_id, a.text) ORDER BY a.position) \
          FROM answer a WHERE a.response_id = r.id AND a.question_id IN (SELECT value FROM json_each($7))) AS answers \
       FROM response r",
    filtered!(),
    ") combined GROUP BY submitted_on, language, version, channel, answers"
);
const SELECT_BACKGROUND_COMBINATIONS_POSTGRES: &str = concat!(
    "SELECT submitted_on, language, version, channel, answers, COUNT(*) FROM ( \
       SELECT r.submitted_on, r.language, r.version, r.channel, \
         (SELECT json_agg(json_build_array(a.question_id, a.option_id, a.text) ORDER BY a.position)::text \
          FROM answer a WHERE a.response_id = r.id AND a.question_id = ANY($7)) AS answers \
       FROM response r",
    filtered!(),
    ") combined GROUP BY submitted_on, language, version, channel, answers"
);

/// A response as `SELECT_RESPONSES_PACKED_*` reads it; `answers` is NULL
/// (PostgreSQL) or `[]` (SQLite) for a response without answers.
#[derive(sqlx::FromRow)]
struct PackedResponseRow {
    submitted_on: Date,
    language: String,
    version: String,
    channel: String,
    answers: Option<String>,
}

/// One stored version of a questionnaire, for filters and version lists.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredVersion {
    pub version: String,
    pub first_seen: Date,
}

/// Binds the filter's parameters `$1`–`$6` to a query, in order.
macro_rules! bind_filter {
    ($query:expr, $questionnaire_id:expr, $filter:expr) => {
        $query
            .bind($questionnaire_id)
            .bind($filter.from)
            .bind($filter.to)
            .bind($filter.language.as_deref())
            .bind($filter.version.as_deref())
            .bind($filter.channel.map(Channel::as_str))
    };
}

fn group(grp: String) -> Option<String> {
    (!grp.is_empty()).then_some(grp)
}

fn count(value: i64) -> u64 {
    u64::try_from(value).unwrap_or_default()
}

/// One cell's key: version, language, channel and stored date.
type CellKey = (String, String, String, Date);

/// A count of one option's answers in a cell: key, group, question, option.
type CellAnswer = (CellKey, Option<String>, String, Option<String>, u64);

/// Rows of counts into one tally per cell key.
fn into_cells(
    responses: Vec<(CellKey, Option<String>, u64)>,
    answers: Vec<CellAnswer>,
    respondents: Vec<(CellKey, Option<String>, String, u64)>,
) -> Vec<CellRow> {
    let mut cells: std::collections::BTreeMap<CellKey, Tally> = std::collections::BTreeMap::new();
    for (key, group, count) in responses {
        cells.entry(key).or_default().responses.push(GroupCount { group, count });
    }
    for (key, group, question_id, option_id, count) in answers {
        cells.entry(key).or_default().answers.push(AnswerCount { group, question_id, option_id, count });
    }
    for (key, group, question_id, count) in respondents {
        cells.entry(key).or_default().respondents.push(QuestionCount { group, question_id, count });
    }
    cells
        .into_iter()
        .map(|((version, language, channel, day), tally)| (Stream { version, language, channel }, day, tally))
        .collect()
}

/// A free text with what places it in a cell.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CellText {
    pub version: String,
    pub language: String,
    pub channel: String,
    pub submitted_on: Date,
    pub question_id: String,
    pub option_id: Option<String>,
    pub text: String,
}

impl Store {
    /// The counts of a questionnaire's responses stored with a date up to
    /// `through`, per version, language, channel and stored date, unsplit or
    /// split into groups by `split`: what `report::release` adds up.
    pub async fn cell_tallies(
        &self,
        questionnaire_id: &str,
        through: Date,
        split: Option<&Split>,
    ) -> Result<Vec<CellRow>, StoreError> {
        self.settle().await?;
        type Responses = Vec<(String, String, String, Date, i64)>;
        type Answers = Vec<(String, String, String, Date, String, Option<String>, i64)>;
        type Respondents = Vec<(String, String, String, Date, String, i64)>;
        match split {
            None | Some(Split::Language | Split::Channel) => {
                let (responses, answers, respondents): (Responses, Answers, Respondents) = on_pool!(self, pool => {
                    let responses = sqlx::query_as(CELL_RESPONSES).bind(questionnaire_id).bind(through).fetch_all(pool).await?;
                    let answers = sqlx::query_as(CELL_ANSWERS).bind(questionnaire_id).bind(through).fetch_all(pool).await?;
                    let respondents = sqlx::query_as(CELL_RESPONDENTS).bind(questionnaire_id).bind(through).fetch_all(pool).await?;
                    (responses, answers, respondents)
                });
                // The cell's own language or channel is its group.
                let group = |language: &String, channel: &String| match split {
                    Some(Split::Language) => Some(language.clone()),
                    Some(Split::Channel) => Some(channel.clone()),
                    _ => None,
                };
                Ok(into_cells(
                    responses
                        .into_iter()
                        .map(|(v, l, c, d, n)| {
                            let group = group(&l, &c);
                            ((v, l, c, d), group, count(n))
                        })
                        .collect(),
                    answers
                        .into_iter()
                        .map(|(v, l, c, d, q, o, n)| {
                            let group = group(&l, &c);
                            ((v, l, c, d), group, q, o, count(n))
                        })
                        .collect(),
                    respondents
                        .into_iter()
                        .map(|(v, l, c, d, q, n)| {
                            let group = group(&l, &c);
                            ((v, l, c, d), group, q, count(n))
                        })
                        .collect(),
                ))
            }
            Some(Split::Question(question)) => {
                let GroupCounts { responses, answers, respondents } =
                    self.group_counts(questionnaire_id, through, question).await?;
                Ok(into_cells(
                    responses.into_iter().map(|(v, l, c, d, g, n)| ((v, l, c, d), Some(g), count(n))).collect(),
                    answers
                        .into_iter()
                        .map(|(v, l, c, d, g, q, o, n)| ((v, l, c, d), Some(g), q, o, count(n)))
                        .collect(),
                    respondents.into_iter().map(|(v, l, c, d, g, q, n)| ((v, l, c, d), Some(g), q, count(n))).collect(),
                ))
            }
        }
    }

    /// Every free text of a questionnaire's responses stored with a date up
    /// to `through`, with the version, language, channel and date that place it.
    pub async fn cell_texts(&self, questionnaire_id: &str, through: Date) -> Result<Vec<CellText>, StoreError> {
        self.settle().await?;
        let texts = on_pool!(self, pool => {
            sqlx::query_as(CELL_TEXTS).bind(questionnaire_id).bind(through).fetch_all(pool).await?
        });
        Ok(texts)
    }

    /// What the questionnaire's stored answers let staff see on `today`
    /// (`report::release`): the counts of every closed period.
    pub async fn disclosure<'q>(
        &self,
        questionnaire: &'q Questionnaire,
        today: Date,
    ) -> Result<Disclosure<'q>, StoreError> {
        let last_closed = Disclosure::last_closed_on(questionnaire, today);
        let rows = self.cell_tallies(&questionnaire.id, last_closed.last_day(), None).await?;
        let older = self.older_versions(questionnaire).await?;
        let purged_before = self.purge_mark().await?;
        Ok(Disclosure::new(questionnaire, today, rows, &older, purged_before))
    }

    /// The stored versions of a questionnaire other than the one served
    /// now, each read back from its stored text (a text that no longer
    /// loads, from an older enkat's format, is left out).
    pub async fn older_versions(
        &self,
        questionnaire: &Questionnaire,
    ) -> Result<Vec<(String, Questionnaire)>, StoreError> {
        let id = questionnaire.id.as_str();
        let mut stored = Vec::new();
        for version in
            self.versions(id).await?.iter().filter(|version| version.version != questionnaire.version.as_str())
        {
            if let Some(Ok(older)) = self.stored_questionnaire(id, &version.version).await? {
                stored.push((version.version.clone(), older));
            }
        }
        Ok(stored)
    }

    /// Counts the answers of the responses matching `filter`, split into
    /// groups by `split` (or not split).
    pub async fn tally(
        &self,
        questionnaire_id: &str,
        filter: &Filter,
        split: Option<&Split>,
    ) -> Result<Tally, StoreError> {
        self.settle().await?;
        type Groups = Vec<(String, i64)>;
        type Answers = Vec<(String, String, Option<String>, i64)>;
        type Respondents = Vec<(String, String, i64)>;
        let (groups, answers, respondents): (Groups, Answers, Respondents) = match split {
            None | Some(Split::Language | Split::Channel) => {
                let mode = match split {
                    Some(Split::Language) => "language",
                    Some(Split::Channel) => "channel",
                    _ => "none",
                };
                on_pool!(self, pool => {
                    let groups = bind_filter!(sqlx::query_as(SUM_RESPONSES), questionnaire_id, filter)
                        .bind(mode)
                        .fetch_all(pool)
                        .await?;
                    let answers = bind_filter!(sqlx::query_as(SUM_ANSWERS), questionnaire_id, filter)
                        .bind(mode)
                        .fetch_all(pool)
                        .await?;
                    let respondents = bind_filter!(sqlx::query_as(SUM_RESPONDENTS), questionnaire_id, filter)
                        .bind(mode)
                        .fetch_all(pool)
                        .await?;
                    (groups, answers, respondents)
                })
            }
            Some(Split::Question(question)) => on_pool!(self, pool => {
                let groups = bind_filter!(sqlx::query_as(COUNT_GROUPS), questionnaire_id, filter)
                    .bind(question.as_str())
                    .fetch_all(pool)
                    .await?;
                let answers = bind_filter!(sqlx::query_as(COUNT_ANSWERS), questionnaire_id, filter)
                    .bind(question.as_str())
                    .fetch_all(pool)
                    .await?;
                let respondents = bind_filter!(sqlx::query_as(COUNT_RESPONDENTS), questionnaire_id, filter)
                    .bind(question.as_str())
                    .fetch_all(pool)
                    .await?;
                (groups, answers, respondents)
            }),
        };
        Ok(Tally {
            responses: groups.into_iter().map(|(grp, n)| GroupCount { group: group(grp), count: count(n) }).collect(),
            answers: answers
                .into_iter()
                .map(|(grp, question_id, option_id, n)| AnswerCount {
                    group: group(grp),
                    question_id,
                    option_id,
                    count: count(n),
                })
                .collect(),
            respondents: respondents
                .into_iter()
                .map(|(grp, question_id, n)| QuestionCount { group: group(grp), question_id, count: count(n) })
                .collect(),
        })
    }

    /// `tally`, counting each question only over the stored versions where it
    /// is comparable with `questionnaire`, the version served now (see
    /// `report::VersionPlan`, which is returned too, for the note on what was
    /// kept apart). With a filter on one version, that version alone.
    pub async fn tally_across_versions(
        &self,
        questionnaire: &Questionnaire,
        filter: &Filter,
        split: Option<&Split>,
    ) -> Result<(Tally, VersionPlan), StoreError> {
        let id = questionnaire.id.as_str();
        if filter.version.is_some() {
            return Ok((self.tally(id, filter, split).await?, VersionPlan::default()));
        }
        let versions = self.versions(id).await?;
        let mut stored = Vec::new();
        for version in versions.iter().filter(|version| version.version != questionnaire.version.as_str()) {
            // A stored text that no longer loads (an older enkat's format) is
            // counted with today's figures, as before versions were compared.
            if let Some(Ok(older)) = self.stored_questionnaire(id, &version.version).await? {
                stored.push((version.version.clone(), older));
            }
        }
        let plan = VersionPlan::new(questionnaire, &stored);
        if plan.is_uniform() {
            return Ok((self.tally(id, filter, split).await?, plan));
        }
        let mut per_version = Vec::new();
        for version in versions {
            let one = Filter { version: Some(version.version.clone()), ..filter.clone() };
            per_version.push((version.version, self.tally(id, &one, split).await?));
        }
        Ok((combine(per_version, &plan), plan))
    }

    /// Every response matching `filter`, whole, in random order, collected.
    /// For the workbook, which is built in memory anyway; the CSV export
    /// streams with [`Store::stream_response_records`].
    pub async fn response_records(
        &self,
        questionnaire_id: &str,
        filter: &Filter,
    ) -> Result<Vec<ResponseRecord>, StoreError> {
        self.settle().await?;
        self.stream_response_records(questionnaire_id, filter).try_collect().await
    }

    /// Every response matching `filter`, whole, one at a time as the
    /// database sends them, so that an export of a million responses holds
    /// one response in memory, not all of them. The order is that of the
    /// random ids: it says nothing about when each was given.
    pub fn stream_response_records<'a>(
        &'a self,
        questionnaire_id: &'a str,
        filter: &'a Filter,
    ) -> BoxStream<'a, Result<ResponseRecord, StoreError>> {
        let rows: BoxStream<'a, Result<PackedResponseRow, sqlx::Error>> = match self {
            Store::Sqlite(pool) => {
                bind_filter!(sqlx::query_as(SELECT_RESPONSES_PACKED_SQLITE), questionnaire_id, filter)
                    .fetch(pool)
                    .boxed()
            }
            Store::Postgres(pool) => {
                bind_filter!(sqlx::query_as(SELECT_RESPONSES_PACKED_POSTGRES), questionnaire_id, filter)
                    .fetch(pool)
                    .boxed()
            }
        };
        whole_responses(rows)
    }

    /// A view of the stored responses that does not change while it is
    /// read, for an export that reads them more than once.
    pub async fn snapshot(&self) -> Result<Snapshot, StoreError> {
        self.settle().await?;
        Ok(match self {
            Store::Sqlite(pool) => Snapshot::Sqlite(pool.begin().await?),
            Store::Postgres(pool) => Snapshot::Postgres(pool.begin_with(BEGIN_SNAPSHOT_POSTGRES).await?),
        })
    }

    /// How many responses match `filter`, for a progress bar.
    pub async fn count_matching(&self, questionnaire_id: &str, filter: &Filter) -> Result<u64, StoreError> {
        self.settle().await?;
        let n: i64 = on_pool!(self, pool => {
            bind_filter!(sqlx::query_scalar(COUNT_MATCHING), questionnaire_id, filter).fetch_one(pool).await?
        });
        Ok(count(n))
    }

    /// The stored versions of a questionnaire, oldest first.
    pub async fn versions(&self, questionnaire_id: &str) -> Result<Vec<StoredVersion>, StoreError> {
        let versions = on_pool!(self, pool => {
            sqlx::query_as(SELECT_VERSIONS).bind(questionnaire_id).fetch_all(pool).await?
        });
        Ok(versions)
    }
}

/// Responses read back from their rows, their answers unpacked.
fn whole_responses<'a>(
    rows: BoxStream<'a, Result<PackedResponseRow, sqlx::Error>>,
) -> BoxStream<'a, Result<ResponseRecord, StoreError>> {
    rows.map(|row| unpacked(row?)).boxed()
}

fn unpacked(row: PackedResponseRow) -> Result<ResponseRecord, StoreError> {
    let answers: Vec<(String, Option<String>, Option<String>)> = match row.answers.as_deref() {
        Some(packed) => serde_json::from_str(packed).map_err(|error| StoreError::PackedAnswers(error.to_string()))?,
        None => Vec::new(),
    };
    Ok(ResponseRecord {
        submitted_on: row.submitted_on,
        language: row.language,
        version: row.version,
        // The column's CHECK allows only the channels there are.
        channel: Channel::parse(&row.channel).unwrap_or_default(),
        answers: answers
            .into_iter()
            .map(|(question_id, option_id, text)| Answer { question_id, option_id, text })
            .collect(),
    })
}

/// One unchanging view of the stored responses: a read transaction. The
/// responses export counts its rows in one pass and writes them in a
/// second (`report::microdata`); read from one snapshot, a response
/// purged or stored in between cannot make the second pass differ from
/// the first, and so cannot leave a combination rarer than was counted.
/// Ends (rolled back: nothing was written) when dropped.
pub enum Snapshot {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

/// `on_pool!` for a snapshot: `$connection` is its concrete connection.
macro_rules! on_snapshot {
    ($snapshot:expr, $connection:ident => $body:expr) => {
        match $snapshot {
            Snapshot::Sqlite(transaction) => {
                let $connection = &mut **transaction;
                $body
            }
            Snapshot::Postgres(transaction) => {
                let $connection = &mut **transaction;
                $body
            }
        }
    };
}

// After `on_snapshot!`, which it uses.
mod group_tally;

impl Snapshot {
    /// The responses matching `filter`, grouped by what the first pass of
    /// the responses export counts: each group as one record holding only
    /// the answers to `questionnaire`'s background questions, with how many
    /// responses it stands for. Streamed: there may be nearly as many
    /// groups as responses (each date is its own).
    pub fn background_combinations<'a>(
        &'a mut self,
        questionnaire: &'a Questionnaire,
        filter: &'a Filter,
    ) -> BoxStream<'a, Result<(ResponseRecord, u64), StoreError>> {
        let background: Vec<String> = questionnaire
            .questions
            .iter()
            .filter(|question| is_background(question))
            .map(|question| question.id.clone())
            .collect();
        type Row = (Date, String, String, String, Option<String>, i64);
        let rows: BoxStream<'a, Result<Row, sqlx::Error>> = match self {
            Snapshot::Sqlite(transaction) => {
                let background = serde_json::to_string(&background).expect("strings always serialise");
                bind_filter!(sqlx::query_as(SELECT_BACKGROUND_COMBINATIONS_SQLITE), &questionnaire.id, filter)
                    .bind(background)
                    .fetch(&mut **transaction)
                    .boxed()
            }
            Snapshot::Postgres(transaction) => {
                bind_filter!(sqlx::query_as(SELECT_BACKGROUND_COMBINATIONS_POSTGRES), &questionnaire.id, filter)
                    .bind(background)
                    .fetch(&mut **transaction)
                    .boxed()
            }
        };
        rows.map(|row| {
            let (submitted_on, language, version, channel, answers, n) = row?;
            let record = unpacked(PackedResponseRow { submitted_on, language, version, channel, answers })?;
            Ok((record, count(n)))
        })
        .boxed()
    }

    /// [`Store::stream_response_records`], in this snapshot.
    pub fn stream_response_records<'a>(
        &'a mut self,
        questionnaire_id: &'a str,
        filter: &'a Filter,
    ) -> BoxStream<'a, Result<ResponseRecord, StoreError>> {
        let rows: BoxStream<'a, Result<PackedResponseRow, sqlx::Error>> = match self {
            Snapshot::Sqlite(transaction) => {
                bind_filter!(sqlx::query_as(SELECT_RESPONSES_PACKED_SQLITE), questionnaire_id, filter)
                    .fetch(&mut **transaction)
                    .boxed()
            }
            Snapshot::Postgres(transaction) => {
                bind_filter!(sqlx::query_as(SELECT_RESPONSES_PACKED_POSTGRES), questionnaire_id, filter)
                    .fetch(&mut **transaction)
                    .boxed()
            }
        };
        whole_responses(rows)
    }

    /// Every free-text answer of the responses matching `filter`, in a
    /// random order.
    async fn shuffled_free_texts(
        &mut self,
        questionnaire_id: &str,
        filter: &Filter,
    ) -> Result<Vec<StoredText>, StoreError> {
        let rows: Vec<(Date, String, String)> = on_snapshot!(self, connection => {
            bind_filter!(sqlx::query_as(SELECT_FREE_TEXTS_SHUFFLED), questionnaire_id, filter)
                .fetch_all(connection)
                .await?
        });
        Ok(rows
            .into_iter()
            .map(|(submitted_on, question_id, text)| StoredText { submitted_on, question_id, text })
            .collect())
    }

    /// The free texts of the responses matching `filter` as a list of
    /// their own (`report::microdata::texts_by_period`): per period, only
    /// periods with enough responses, in a random order within each.
    pub async fn listed_texts(
        &mut self,
        questionnaire: &Questionnaire,
        filter: &Filter,
    ) -> Result<Vec<ListedText>, StoreError> {
        let texts = self.shuffled_free_texts(&questionnaire.id, filter).await?;
        let responses = self.responses_per_date(&questionnaire.id, filter).await?;
        Ok(texts_by_period(questionnaire, texts, &responses))
    }

    /// How many responses match `filter`, per stored date.
    async fn responses_per_date(
        &mut self,
        questionnaire_id: &str,
        filter: &Filter,
    ) -> Result<Vec<(Date, u64)>, StoreError> {
        let rows: Vec<(Date, i64)> = on_snapshot!(self, connection => {
            bind_filter!(sqlx::query_as(COUNT_PER_DATE), questionnaire_id, filter).fetch_all(connection).await?
        });
        Ok(rows.into_iter().map(|(date, n)| (date, count(n))).collect())
    }
}
