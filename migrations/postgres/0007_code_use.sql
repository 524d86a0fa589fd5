-- How many codes of a batch were used, per reporting period; PostgreSQL
-- edition. Keep the same logical schema as migrations/sqlite.
--
-- Staff see a batch's used codes only for periods that have closed
-- (report::period), never as they are used: a count that moves while they
-- watch tells them that, and when, a card's holder answered. A use is
-- counted in the transaction that stores its response, against the period
-- of the response's stored (coarse) date; no code keeps a time of use.
CREATE TABLE code_batch_use (
    batch_id UUID NOT NULL REFERENCES code_batch (id) ON DELETE CASCADE,
    -- As report::period writes it: 2026-11, 2026-Q4, 2026-H2 or 2026.
    period TEXT NOT NULL,
    used BIGINT NOT NULL CHECK (used > 0),
    -- Set by each use, cleared seconds later in a transaction of its own
    -- (Store::vacuum_codes): a row version written by a response's
    -- transaction carries its id (xmin), and so pairs the batch with the
    -- response, until it is written again and VACUUM removes the old one.
    dirty BOOLEAN NOT NULL DEFAULT TRUE,
    PRIMARY KEY (batch_id, period)
);
