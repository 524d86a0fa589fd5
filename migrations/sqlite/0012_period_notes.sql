-- What the unit does with a closed period's results ("Vad vi gör nu"), as
-- staff wrote it for the committee's report and, with publish_results, for
-- the respondents' results page. SQLite edition. Keep the same logical
-- schema as migrations/postgres.
--
-- One note per questionnaire and period; a later save replaces it. Who
-- wrote which note, and when, is in the audit log (action
-- period_note_saved): it names staff, never a respondent.
CREATE TABLE period_note (
    questionnaire_id TEXT NOT NULL,
    -- As report::period writes it: 2026-11, 2026-Q4, 2026-H2 or 2026.
    period TEXT NOT NULL,
    note TEXT NOT NULL,
    PRIMARY KEY (questionnaire_id, period)
) WITHOUT ROWID;
