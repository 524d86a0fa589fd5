-- The order in which versions were first served, so that versions first
-- seen on the same day are still listed (and compared) in the order they
-- came. Versions stored before this column count as 0: the day decides.
ALTER TABLE questionnaire_version ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
