-- How many people staff offered an open questionnaire in a reporting period,
-- as they recorded it: the base of its response rate (report::rate).
-- PostgreSQL edition. Keep the same logical schema as migrations/sqlite.
--
-- One number per questionnaire and period; a later entry for the same period
-- replaces it. Who recorded which number, and when, is in the audit log
-- (action offered_recorded): it names staff, never a respondent.
CREATE TABLE offered_count (
    questionnaire_id TEXT NOT NULL,
    -- As report::period writes it: 2026-11, 2026-Q4, 2026-H2 or 2026.
    period TEXT NOT NULL,
    offered BIGINT NOT NULL CHECK (offered >= 0),
    PRIMARY KEY (questionnaire_id, period)
);
