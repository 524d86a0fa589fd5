-- Reports of accessibility problems, sent from the accessibility statement
-- (/tillganglighet) and read by admins. SQLite edition. Keep the same logical
-- schema as migrations/postgres.
--
-- Apart from responses, and tied to none: only the words, the page if the
-- person named one, and the Monday of the week it came. No address, browser,
-- time of day or anything else that could point at who wrote it.
CREATE TABLE accessibility_feedback (
    -- Random, so that the ids tell nothing of the order reports came in.
    id BLOB PRIMARY KEY NOT NULL,
    text TEXT NOT NULL,
    page TEXT,
    week TEXT NOT NULL,
    handled INTEGER NOT NULL DEFAULT 0 CHECK (handled IN (0, 1))
) WITHOUT ROWID;
