-- Logins that a stranger cannot aim at staff (issue 15); PostgreSQL edition.
-- Keep the same logical schema as migrations/sqlite.

-- Failures get an id: an attempt is recorded before its password is checked
-- (so that simultaneous guesses cannot all pass the limit), and an attempt
-- refused unchecked takes back its own row. The rows only throttle, for 15
-- minutes; nothing is lost by starting afresh.
DROP TABLE login_failure;

CREATE TABLE login_failure (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- The name tried ('' when it cannot be an account's name); never the password.
    name TEXT NOT NULL,
    failed_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX login_failure_by_name ON login_failure (name, failed_at);
CREATE INDEX login_failure_by_time ON login_failure (failed_at);

-- A browser that has logged in as `account` (OWASP's device cookie): it is
-- let past the lock on the name and the overall slow-down. Only the SHA-256
-- of the cookie is kept; `failures` counts wrong passwords sent with it,
-- and at 10 the row is deleted.
CREATE TABLE login_device (
    token_hash TEXT PRIMARY KEY,
    account TEXT NOT NULL REFERENCES staff_account (name) ON DELETE CASCADE,
    issued_at TIMESTAMPTZ NOT NULL,
    failures BIGINT NOT NULL DEFAULT 0
);

CREATE INDEX login_device_by_account ON login_device (account);
CREATE INDEX login_device_by_time ON login_device (issued_at);

-- When a summary line about refused or unknown-name logins was last written
-- to the audit log, so that a flood of attempts writes one line per window.
CREATE TABLE login_audit_mark (
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    marked_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (actor, action)
);
