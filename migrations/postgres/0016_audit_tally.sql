-- An audit line that counts rather than lists: "entered N paper forms of a
-- questionnaire on a day" is one line per staff member, questionnaire and
-- day, its tally increased with each form (`Store::count_in_audit`). Its
-- `at` is the day (00:00), never the moment of a form, and nothing in it
-- names a response. PostgreSQL edition; keep the same logical schema
-- as migrations/sqlite.
ALTER TABLE audit_event ADD COLUMN subject TEXT;
ALTER TABLE audit_event ADD COLUMN tally BIGINT;

-- Lines without a subject (every other action) never conflict: NULLs are
-- distinct in a unique index on both databases.
CREATE UNIQUE INDEX audit_event_tally ON audit_event (actor, action, subject, at);
