-- Sign-in with the organisation's OpenID provider (issue 19): the account a
-- person signed in as, by the provider's issuer and `sub` (unique per
-- issuer, never reused), and the provider's name to show with the account.
-- Such an account has no usable password; its grants are re-read from the
-- groups claim at each sign-in. SQLite edition. Keep the same logical schema
-- as migrations/postgres.
CREATE TABLE staff_oidc_subject (
    account TEXT PRIMARY KEY NOT NULL REFERENCES staff_account (name) ON DELETE CASCADE,
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    provider TEXT NOT NULL,
    UNIQUE (issuer, subject)
) WITHOUT ROWID;
