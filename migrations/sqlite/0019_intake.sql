-- Responses as they arrive, before they join the random-keyed tables;
-- SQLite edition. Keep the same logical schema as migrations/postgres.
--
-- A response written straight into `response`, `answer` and `submission`
-- lands on B-tree pages of its own (random ids), and every commit writes
-- each of those pages out in full: tens of kilobytes for a few hundred
-- bytes of answers. So group commit appends each response here, as one
-- row, and the writer moves what has gathered into the random-keyed tables
-- within seconds, many at a time, in the order of their random ids
-- (src/store/batch/intake.rs). The row id here follows arrival order: that
-- is why a row stays only seconds, why the move empties the table (freed
-- pages are zeroed, `secure_delete`) and then empties the write-ahead log
-- (checkpoint TRUNCATE). docs/privacy.md, "Arrival order".
CREATE TABLE intake (
    seq INTEGER PRIMARY KEY,
    -- The response's random id, given when it is acknowledged.
    id BLOB NOT NULL,
    questionnaire_id TEXT NOT NULL,
    version TEXT NOT NULL,
    language TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('web', 'paper')),
    submitted_on TEXT NOT NULL,
    -- The SHA-256 of the form's submission token, recorded in `submission`
    -- by the move.
    token_hash TEXT,
    -- The answers in form order, as a JSON array of
    -- [question_id, option_id or null, text or null].
    answers TEXT NOT NULL,
    -- Checked now, so that the move cannot fail on it later.
    FOREIGN KEY (questionnaire_id, version) REFERENCES questionnaire_version (questionnaire_id, version)
);
