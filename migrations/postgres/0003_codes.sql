-- One-time codes for questionnaires with access = "code"; PostgreSQL
-- edition. Keep the same logical schema as migrations/sqlite.
--
-- Nothing here refers to a response, and no response column refers here:
-- a code is deleted when it is used, the batch row is never touched then,
-- and no time of use is kept. A deleted row version keeps the deleting
-- transaction's id until VACUUM removes it; the service vacuums `code`
-- seconds after each use (see README, "One-time codes and unlinkability").

-- One printing of cards (or one list for SMS): created_on is a date only.
CREATE TABLE code_batch (
    id UUID PRIMARY KEY,
    questionnaire_id TEXT NOT NULL,
    label TEXT NOT NULL,
    created_on DATE NOT NULL,
    size BIGINT NOT NULL CHECK (size > 0),
    revoked BOOLEAN NOT NULL DEFAULT FALSE,
    -- Unused codes deleted when the batch was revoked, so that "used" stays
    -- size - withdrawn - rows left.
    withdrawn BIGINT NOT NULL DEFAULT 0
);

CREATE INDEX code_batch_by_questionnaire ON code_batch (questionnaire_id);

-- An unused code, as the SHA-256 (hex) of its canonical form. Used codes
-- are gone: "used" is the batch's size minus the rows left.
CREATE TABLE code (
    hash TEXT PRIMARY KEY,
    batch_id UUID NOT NULL REFERENCES code_batch (id) ON DELETE CASCADE
);

CREATE INDEX code_by_batch ON code (batch_id);
