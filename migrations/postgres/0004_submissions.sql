-- One-time submission tokens, so that the same form sent twice (a double
-- click, Back and send again) is stored once; PostgreSQL edition. Keep the
-- same logical schema as migrations/sqlite.
--
-- Only the SHA-256 of the random token is kept, with no link to the response
-- it came with. seen_on is the response's already coarsened date (a Monday or
-- the first of a month), never finer, so the table cannot tell more about when
-- people answered than the responses do; it exists only so that rows can be
-- forgotten after 30 days.
CREATE TABLE submission (
    token_hash TEXT PRIMARY KEY,
    seen_on DATE NOT NULL
);

CREATE INDEX submission_by_day ON submission (seen_on);
