-- How a response came in: 'web' (the form) or 'paper' (a paper form typed in
-- by staff). SQLite edition. Keep the same logical schema as
-- migrations/postgres.
--
-- A small channel is an atom like a small language: the tallies are kept per
-- channel too, so that disclosure control (report::release) can treat a
-- version in a language by one channel as its finest stream. Nothing records
-- who typed a paper form in, or when beyond the coarsened date.
ALTER TABLE response ADD COLUMN channel TEXT NOT NULL DEFAULT 'web' CHECK (channel IN ('web', 'paper'));

-- SQLite cannot change a primary key: the tallies are made again with the
-- channel in theirs, every count so far a web one.
CREATE TABLE response_tally_new (
    questionnaire_id TEXT NOT NULL,
    version TEXT NOT NULL,
    language TEXT NOT NULL,
    channel TEXT NOT NULL,
    submitted_on TEXT NOT NULL,
    responses INTEGER NOT NULL,
    PRIMARY KEY (questionnaire_id, version, language, channel, submitted_on)
) WITHOUT ROWID;
INSERT INTO response_tally_new (questionnaire_id, version, language, channel, submitted_on, responses)
SELECT questionnaire_id, version, language, 'web', submitted_on, responses FROM response_tally;
DROP TABLE response_tally;
ALTER TABLE response_tally_new RENAME TO response_tally;

CREATE TABLE answer_tally_new (
    questionnaire_id TEXT NOT NULL,
    version TEXT NOT NULL,
    language TEXT NOT NULL,
    channel TEXT NOT NULL,
    submitted_on TEXT NOT NULL,
    question_id TEXT NOT NULL,
    option_id TEXT NOT NULL,
    answers INTEGER NOT NULL,
    PRIMARY KEY (questionnaire_id, version, language, channel, submitted_on, question_id, option_id)
) WITHOUT ROWID;
INSERT INTO answer_tally_new (questionnaire_id, version, language, channel, submitted_on, question_id, option_id, answers)
SELECT questionnaire_id, version, language, 'web', submitted_on, question_id, option_id, answers FROM answer_tally;
DROP TABLE answer_tally;
ALTER TABLE answer_tally_new RENAME TO answer_tally;

CREATE TABLE question_tally_new (
    questionnaire_id TEXT NOT NULL,
    version TEXT NOT NULL,
    language TEXT NOT NULL,
    channel TEXT NOT NULL,
    submitted_on TEXT NOT NULL,
    question_id TEXT NOT NULL,
    respondents INTEGER NOT NULL,
    PRIMARY KEY (questionnaire_id, version, language, channel, submitted_on, question_id)
) WITHOUT ROWID;
INSERT INTO question_tally_new (questionnaire_id, version, language, channel, submitted_on, question_id, respondents)
SELECT questionnaire_id, version, language, 'web', submitted_on, question_id, respondents FROM question_tally;
DROP TABLE question_tally;
ALTER TABLE question_tally_new RENAME TO question_tally;
