-- The day before which responses have been deleted for retention. Figures
-- never add up answers from a period that began before it: a period partly
-- deleted would count fewer than it did, and the difference from an older
-- download would be the deleted people's answers (docs/privacy.md).
-- Keep the same logical schema as migrations/sqlite.
CREATE TABLE purge_mark (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    purged_before DATE NOT NULL
);
