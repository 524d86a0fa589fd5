-- Responses as they arrive, before they join the random-keyed tables;
-- PostgreSQL edition. Keep the same logical schema as migrations/sqlite,
-- which says why the table exists. On PostgreSQL group commit writes
-- straight into the random-keyed tables (rows, not pages, go to its WAL),
-- so this table stays empty; it is here so that both databases have one
-- schema.
CREATE TABLE intake (
    seq BIGSERIAL PRIMARY KEY,
    id UUID NOT NULL,
    questionnaire_id TEXT NOT NULL,
    version TEXT NOT NULL,
    language TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('web', 'paper')),
    submitted_on DATE NOT NULL,
    token_hash TEXT,
    answers TEXT NOT NULL,
    FOREIGN KEY (questionnaire_id, version) REFERENCES questionnaire_version (questionnaire_id, version)
);
