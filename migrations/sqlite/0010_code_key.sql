-- The check value of the service key that codes are fingerprinted with
-- (HMAC-SHA-256, the key kept outside the database): the MAC of a fixed
-- text, so that a start with another key is refused instead of silently
-- refusing every code. Its row also marks that the codes stored before keys
-- (plain SHA-256) have been rekeyed, once.
-- Keep the same logical schema as migrations/postgres.
CREATE TABLE code_key (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    check_value TEXT NOT NULL
);
