-- Counts kept as responses are stored, so that the figures over a million
-- responses add up a few thousand rows instead of counting millions of
-- answers. Each count is per questionnaire, version, language and stored
-- (already coarsened) date: exactly what a report filters on, and nothing
-- finer than the response rows themselves tell. The counts are updated in
-- the transaction that stores the responses and deleted with the responses
-- they count (retention), so they always equal a count of the rows.
-- Keep the same logical schema as migrations/postgres.

-- How many responses.
CREATE TABLE response_tally (
    questionnaire_id TEXT NOT NULL,
    version TEXT NOT NULL,
    language TEXT NOT NULL,
    submitted_on TEXT NOT NULL,
    responses INTEGER NOT NULL,
    PRIMARY KEY (questionnaire_id, version, language, submitted_on)
) WITHOUT ROWID;

-- How many answers chose each option of each question; option_id '' counts
-- texts written without an option (option ids start with a letter).
CREATE TABLE answer_tally (
    questionnaire_id TEXT NOT NULL,
    version TEXT NOT NULL,
    language TEXT NOT NULL,
    submitted_on TEXT NOT NULL,
    question_id TEXT NOT NULL,
    option_id TEXT NOT NULL,
    answers INTEGER NOT NULL,
    PRIMARY KEY (questionnaire_id, version, language, submitted_on, question_id, option_id)
) WITHOUT ROWID;

-- How many responses answered each question (a multi question's ticks count
-- once per response here).
CREATE TABLE question_tally (
    questionnaire_id TEXT NOT NULL,
    version TEXT NOT NULL,
    language TEXT NOT NULL,
    submitted_on TEXT NOT NULL,
    question_id TEXT NOT NULL,
    respondents INTEGER NOT NULL,
    PRIMARY KEY (questionnaire_id, version, language, submitted_on, question_id)
) WITHOUT ROWID;

-- The responses stored before this migration (Store::recount_tallies runs
-- the same counting).
INSERT INTO response_tally (questionnaire_id, version, language, submitted_on, responses)
SELECT questionnaire_id, version, language, submitted_on, COUNT(*)
FROM response GROUP BY questionnaire_id, version, language, submitted_on;

INSERT INTO answer_tally (questionnaire_id, version, language, submitted_on, question_id, option_id, answers)
SELECT r.questionnaire_id, r.version, r.language, r.submitted_on, a.question_id, COALESCE(a.option_id, ''), COUNT(*)
FROM answer a JOIN response r ON r.id = a.response_id
GROUP BY r.questionnaire_id, r.version, r.language, r.submitted_on, a.question_id, COALESCE(a.option_id, '');

INSERT INTO question_tally (questionnaire_id, version, language, submitted_on, question_id, respondents)
SELECT r.questionnaire_id, r.version, r.language, r.submitted_on, a.question_id, COUNT(DISTINCT a.response_id)
FROM answer a JOIN response r ON r.id = a.response_id
GROUP BY r.questionnaire_id, r.version, r.language, r.submitted_on, a.question_id;
