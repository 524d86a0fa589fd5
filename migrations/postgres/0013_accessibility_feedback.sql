-- Reports of accessibility problems, sent from the accessibility statement
-- (/tillganglighet) and read by admins. PostgreSQL edition. Keep the same
-- logical schema as migrations/sqlite.
--
-- Apart from responses, and tied to none: only the words, the page if the
-- person named one, and the Monday of the week it came. No address, browser,
-- time of day or anything else that could point at who wrote it.
CREATE TABLE accessibility_feedback (
    -- Random, so that the ids tell nothing of the order reports came in.
    id UUID PRIMARY KEY,
    text TEXT NOT NULL,
    page TEXT,
    week DATE NOT NULL,
    handled BOOLEAN NOT NULL DEFAULT FALSE
);
