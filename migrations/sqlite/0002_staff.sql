-- Staff accounts, their sessions and API tokens, login failures and the
-- audit log; SQLite edition. Keep the same logical schema as
-- migrations/postgres. Staff timestamps are UTC, stored as RFC 3339 text in
-- whole seconds (fixed width, so text order is time order); respondents'
-- rows never get one.

-- Someone who may log in to see results.
CREATE TABLE staff_account (
    name TEXT PRIMARY KEY NOT NULL,
    -- argon2id, PHC string format (salt and parameters included).
    password_hash TEXT NOT NULL,
    is_admin BOOLEAN NOT NULL CHECK (is_admin IN (0, 1)),
    created_at TEXT NOT NULL
);

-- A logged-in browser. Only the SHA-256 of the session id is kept, so a
-- copy of the database lets nobody take over a session.
CREATE TABLE staff_session (
    id_hash TEXT PRIMARY KEY NOT NULL,
    account TEXT NOT NULL REFERENCES staff_account (name) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    started_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
);

CREATE INDEX staff_session_by_account ON staff_session (account);

-- A token for scripts (exports), kept as its SHA-256. No foreign key: a
-- token outlives its account's removal as a revoked record. AUTOINCREMENT
-- never hands a revoked token's id to a new one.
CREATE TABLE api_token (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    account TEXT NOT NULL,
    label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);

-- Recent failed logins, for throttling across every instance. `name` is the
-- name tried ('' when it cannot be an account's name); never the password.
CREATE TABLE login_failure (
    name TEXT NOT NULL,
    failed_at TEXT NOT NULL
);

CREATE INDEX login_failure_by_name ON login_failure (name, failed_at);
CREATE INDEX login_failure_by_time ON login_failure (failed_at);

-- Who did what with staff access: logins, account and token changes,
-- exports. Details are a short description, never exported data.
CREATE TABLE audit_event (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    details TEXT NOT NULL
);

CREATE INDEX audit_event_by_action ON audit_event (action, id);
