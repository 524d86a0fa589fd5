-- Breakdowns by a background question, counted once per cell and kept;
-- PostgreSQL edition. Keep the same logical schema as migrations/sqlite.
--
-- A breakdown needs to know which answers came together in one response,
-- which the tallies of migration 0006 do not tell, so it counted the
-- answer rows: minutes at a million responses. Figures are shown only for
-- closed periods, whose cells seldom change, so the counts of a cell (a
-- version in a language by one channel, one stored date) split by one
-- background question are counted once and kept here, with the number of
-- responses they counted. A cell whose number no longer equals its
-- response_tally (a paper form typed in late, a purge) is counted again
-- (src/store/group_tally.rs). Nothing here is finer than the response rows
-- themselves tell, and a purge deletes these with them.

-- The cells counted, per background question, and how many responses each
-- count saw.
CREATE TABLE group_tally_cell (
    questionnaire_id TEXT NOT NULL,
    by_question TEXT NOT NULL,
    version TEXT NOT NULL,
    language TEXT NOT NULL,
    channel TEXT NOT NULL,
    submitted_on DATE NOT NULL,
    responses BIGINT NOT NULL,
    PRIMARY KEY (questionnaire_id, by_question, submitted_on, version, language, channel)
);

-- How many responses of a cell are in each group (the option chosen, or
-- '_unanswered').
CREATE TABLE group_response_tally (
    questionnaire_id TEXT NOT NULL,
    by_question TEXT NOT NULL,
    version TEXT NOT NULL,
    language TEXT NOT NULL,
    channel TEXT NOT NULL,
    submitted_on DATE NOT NULL,
    grp TEXT NOT NULL,
    responses BIGINT NOT NULL,
    PRIMARY KEY (questionnaire_id, by_question, submitted_on, version, language, channel, grp)
);

-- How many answers of a group chose each option; option_id '' counts texts
-- written without an option, as in answer_tally.
CREATE TABLE group_answer_tally (
    questionnaire_id TEXT NOT NULL,
    by_question TEXT NOT NULL,
    version TEXT NOT NULL,
    language TEXT NOT NULL,
    channel TEXT NOT NULL,
    submitted_on DATE NOT NULL,
    grp TEXT NOT NULL,
    question_id TEXT NOT NULL,
    option_id TEXT NOT NULL,
    answers BIGINT NOT NULL,
    PRIMARY KEY (questionnaire_id, by_question, submitted_on, version, language, channel, grp, question_id, option_id)
);

-- How many responses of a group answered each question.
CREATE TABLE group_question_tally (
    questionnaire_id TEXT NOT NULL,
    by_question TEXT NOT NULL,
    version TEXT NOT NULL,
    language TEXT NOT NULL,
    channel TEXT NOT NULL,
    submitted_on DATE NOT NULL,
    grp TEXT NOT NULL,
    question_id TEXT NOT NULL,
    respondents BIGINT NOT NULL,
    PRIMARY KEY (questionnaire_id, by_question, submitted_on, version, language, channel, grp, question_id)
);
