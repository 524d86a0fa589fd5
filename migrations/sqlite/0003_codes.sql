-- One-time codes for questionnaires with access = "code"; SQLite edition.
-- Keep the same logical schema as migrations/postgres.
--
-- Nothing here refers to a response, and no response column refers here:
-- a code is deleted when it is used, the batch row is never touched then,
-- and no time of use is kept, so nothing stored tells which code gave which
-- response. WITHOUT ROWID keeps both tables in the order of their random
-- keys, and the pool runs with secure_delete, so neither the file's layout
-- nor freed pages pair the k-th used code with the k-th response.

-- One printing of cards (or one list for SMS): created_on is a date only.
CREATE TABLE code_batch (
    id BLOB PRIMARY KEY NOT NULL,
    questionnaire_id TEXT NOT NULL,
    label TEXT NOT NULL,
    created_on TEXT NOT NULL,
    size INTEGER NOT NULL CHECK (size > 0),
    revoked BOOLEAN NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1)),
    -- Unused codes deleted when the batch was revoked, so that "used" stays
    -- size - withdrawn - rows left.
    withdrawn INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

CREATE INDEX code_batch_by_questionnaire ON code_batch (questionnaire_id);

-- An unused code, as the SHA-256 (hex) of its canonical form. Used codes
-- are gone: "used" is the batch's size minus the rows left.
CREATE TABLE code (
    hash TEXT PRIMARY KEY NOT NULL,
    batch_id BLOB NOT NULL REFERENCES code_batch (id) ON DELETE CASCADE
) WITHOUT ROWID;

CREATE INDEX code_by_batch ON code (batch_id);
