-- How a response came in: 'web' (the form) or 'paper' (a paper form typed in
-- by staff). PostgreSQL edition. Keep the same logical schema as
-- migrations/sqlite.
--
-- A small channel is an atom like a small language: the tallies are kept per
-- channel too, so that disclosure control (report::release) can treat a
-- version in a language by one channel as its finest stream. Nothing records
-- who typed a paper form in, or when beyond the coarsened date.
ALTER TABLE response ADD COLUMN channel TEXT NOT NULL DEFAULT 'web' CHECK (channel IN ('web', 'paper'));

-- Every count so far is a web one.
ALTER TABLE response_tally ADD COLUMN channel TEXT NOT NULL DEFAULT 'web';
ALTER TABLE response_tally DROP CONSTRAINT response_tally_pkey;
ALTER TABLE response_tally ADD PRIMARY KEY (questionnaire_id, version, language, channel, submitted_on);
ALTER TABLE response_tally ALTER COLUMN channel DROP DEFAULT;

ALTER TABLE answer_tally ADD COLUMN channel TEXT NOT NULL DEFAULT 'web';
ALTER TABLE answer_tally DROP CONSTRAINT answer_tally_pkey;
ALTER TABLE answer_tally ADD PRIMARY KEY (questionnaire_id, version, language, channel, submitted_on, question_id, option_id);
ALTER TABLE answer_tally ALTER COLUMN channel DROP DEFAULT;

ALTER TABLE question_tally ADD COLUMN channel TEXT NOT NULL DEFAULT 'web';
ALTER TABLE question_tally DROP CONSTRAINT question_tally_pkey;
ALTER TABLE question_tally ADD PRIMARY KEY (questionnaire_id, version, language, channel, submitted_on, question_id);
ALTER TABLE question_tally ALTER COLUMN channel DROP DEFAULT;
