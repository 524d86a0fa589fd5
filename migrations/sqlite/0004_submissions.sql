-- One-time submission tokens, so that the same form sent twice (a double
-- click, Back and send again) is stored once; SQLite edition. Keep the same
-- logical schema as migrations/postgres.
--
-- Only the SHA-256 of the random token is kept, with no link to the response
-- it came with. seen_on is the response's already coarsened date (a Monday or
-- the first of a month), never finer, so the table cannot tell more about when
-- people answered than the responses do; it exists only so that rows can be
-- forgotten after 30 days. WITHOUT ROWID: rows are kept in hash order, which
-- is random, so not even the storage order follows the order of submissions.
-- Dates are ISO 8601 text, as in 0001.
CREATE TABLE submission (
    token_hash TEXT PRIMARY KEY NOT NULL,
    seen_on TEXT NOT NULL
) WITHOUT ROWID;

CREATE INDEX submission_by_day ON submission (seen_on);
