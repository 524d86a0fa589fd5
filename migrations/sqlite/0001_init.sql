-- enkat's schema, SQLite edition. Keep the same logical schema as
-- migrations/postgres; never edit a migration once released: add a new one.

-- Every distinct version of a questionnaire file, stored once, so that old
-- answers can always be read against the exact questions they answered.
CREATE TABLE questionnaire_version (
    questionnaire_id TEXT NOT NULL,
    version TEXT NOT NULL,
    source TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    PRIMARY KEY (questionnaire_id, version)
) WITHOUT ROWID;

-- One submitted questionnaire. Nothing here identifies the person: no IP
-- address, user agent, cookie or time of day; the date is coarsened. The id
-- is a random UUID, and WITHOUT ROWID keeps rows in id order, so neither the
-- id nor the file's layout tells in which order responses arrived.
CREATE TABLE response (
    id BLOB PRIMARY KEY NOT NULL,
    questionnaire_id TEXT NOT NULL,
    version TEXT NOT NULL,
    language TEXT NOT NULL,
    submitted_on TEXT NOT NULL,
    FOREIGN KEY (questionnaire_id, version) REFERENCES questionnaire_version (questionnaire_id, version)
) WITHOUT ROWID;

CREATE INDEX response_by_questionnaire ON response (questionnaire_id, submitted_on);

-- One chosen option or written text; "Something else" has both.
-- position orders the answers within their response, as on the form.
CREATE TABLE answer (
    response_id BLOB NOT NULL REFERENCES response (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    question_id TEXT NOT NULL,
    option_id TEXT,
    text TEXT,
    PRIMARY KEY (response_id, position),
    CHECK (option_id IS NOT NULL OR text IS NOT NULL)
) WITHOUT ROWID;
