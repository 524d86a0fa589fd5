//! Staff accounts, sessions, API tokens, login failures and the audit log.
//!
//! Every timestamp goes through `stamp`: UTC, whole seconds. SQLite keeps
//! them as RFC 3339 text, which then has one width, so comparing the text
//! compares the times.

use time::OffsetDateTime;

use super::{Store, StoreError};

/// A staff account, as listed.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StaffAccount {
    pub name: String,
    pub is_admin: bool,
    pub created_at: OffsetDateTime,
}

/// What a login is checked against.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StaffCredentials {
    pub name: String,
    pub is_admin: bool,
    /// argon2id, PHC string format.
    pub password_hash: String,
}

/// A session as stored, with its account's admin flag.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StaffSession {
    pub account: String,
    pub is_admin: bool,
    pub csrf_token: String,
    pub started_at: OffsetDateTime,
    pub last_seen_at: OffsetDateTime,
}

/// A new session to store: the fingerprint of its id, never the id.
#[derive(Debug, Clone)]
pub struct NewStaffSession<'a> {
    pub id_hash: &'a str,
    pub account: &'a str,
    pub csrf_token: &'a str,
    pub now: OffsetDateTime,
}

/// An API token as listed (its fingerprint stays in the database).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ApiToken {
    pub id: i64,
    pub account: String,
    pub label: String,
    pub created_at: OffsetDateTime,
    pub revoked_at: Option<OffsetDateTime>,
}

/// The account an API token belongs to.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TokenHolder {
    pub name: String,
    pub is_admin: bool,
}

/// Recent failed logins, for throttling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginFailureCounts {
    /// For the name tried.
    pub for_name: u64,
    /// For every name.
    pub overall: u64,
}

/// A login attempt recorded as a failure before its password is checked:
/// the failures recorded before it, and its own row's id, to take it back
/// if the attempt is refused unchecked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordedAttempt {
    pub id: i64,
    /// Failures before this one (attempts still under way included).
    pub earlier: LoginFailureCounts,
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AuditEvent {
    pub id: i64,
    pub at: OffsetDateTime,
    /// Who did it: an account name, or `cli` for the command line.
    pub actor: String,
    /// What was done, as a short identifier such as `login` or `token_created`.
    pub action: String,
    pub details: String,
}

const INSERT_ACCOUNT: &str = "INSERT INTO staff_account (name, password_hash, is_admin, created_at) \
     VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING";
const SELECT_CREDENTIALS: &str = "SELECT name, is_admin, password_hash FROM staff_account WHERE name = $1";
const SELECT_ACCOUNTS: &str = "SELECT name, is_admin, created_at FROM staff_account ORDER BY name";
const UPDATE_PASSWORD: &str = "UPDATE staff_account SET password_hash = $2 WHERE name = $1";
const DELETE_ACCOUNT: &str = "DELETE FROM staff_account WHERE name = $1";
const DELETE_ACCOUNT_SESSIONS: &str = "DELETE FROM staff_session WHERE account = $1";
const REVOKE_ACCOUNT_TOKENS: &str = "UPDATE api_token SET revoked_at = $2 WHERE account = $1 AND revoked_at IS NULL";

const INSERT_SESSION: &str = "INSERT INTO staff_session (id_hash, account, csrf_token, started_at, last_seen_at) \
     VALUES ($1, $2, $3, $4, $4)";
const SELECT_SESSION: &str = "SELECT s.account, a.is_admin, s.csrf_token, s.started_at, s.last_seen_at \
     FROM staff_session s JOIN staff_account a ON a.name = s.account WHERE s.id_hash = $1";
const TOUCH_SESSION: &str = "UPDATE staff_session SET last_seen_at = $2 WHERE id_hash = $1";
const DELETE_SESSION: &str = "DELETE FROM staff_session WHERE id_hash = $1";
const DELETE_ENDED_SESSIONS: &str = "DELETE FROM staff_session WHERE last_seen_at <= $1 OR started_at <= $2";

const COUNT_FAILURES: &str = "SELECT \
     (SELECT COUNT(*) FROM login_failure WHERE name = $1 AND failed_at > $2), \
     (SELECT COUNT(*) FROM login_failure WHERE failed_at > $2)";
const INSERT_FAILURE: &str = "INSERT INTO login_failure (name, failed_at) VALUES ($1, $2) RETURNING id";
const DELETE_FAILURE: &str = "DELETE FROM login_failure WHERE id = $1";
const DELETE_OLD_FAILURES: &str = "DELETE FROM login_failure WHERE failed_at <= $1";
const DELETE_NAME_FAILURES: &str = "DELETE FROM login_failure WHERE name = $1";

// A wrong password is counted against the device before it is checked, and
// only while the device is valid for the name: a row comes back only then.
const COUNT_DEVICE_ATTEMPT: &str = "UPDATE login_device SET failures = failures + 1 \
     WHERE token_hash = $1 AND account = $2 AND issued_at > $3 AND failures < $4 RETURNING failures";
const UNCOUNT_DEVICE_ATTEMPT: &str =
    "UPDATE login_device SET failures = failures - 1 WHERE token_hash = $1 AND failures > 0";
const DELETE_DEVICE: &str = "DELETE FROM login_device WHERE token_hash = $1";
const DELETE_OLD_DEVICES: &str = "DELETE FROM login_device WHERE issued_at <= $1";
// INSERT ... SELECT: no device for an account removed meanwhile.
const INSERT_DEVICE: &str = "INSERT INTO login_device (token_hash, account, issued_at, failures) \
     SELECT $1, name, $3, 0 FROM staff_account WHERE name = $2";

const DELETE_OLD_AUDIT_MARKS: &str = "DELETE FROM login_audit_mark WHERE marked_at <= $1";
const INSERT_AUDIT_MARK: &str = "INSERT INTO login_audit_mark (actor, action, marked_at) VALUES ($1, $2, $3) \
     ON CONFLICT (actor, action) DO NOTHING";

// INSERT ... SELECT: no row, and so no token, unless the account exists.
const INSERT_TOKEN: &str = "INSERT INTO api_token (token_hash, account, label, created_at) \
     SELECT $1, name, $3, $4 FROM staff_account WHERE name = $2 RETURNING id";
const SELECT_TOKENS: &str = "SELECT id, account, label, created_at, revoked_at FROM api_token ORDER BY id";
const REVOKE_TOKEN: &str =
    "UPDATE api_token SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING account";
const SELECT_TOKEN_HOLDER: &str = "SELECT a.name, a.is_admin FROM api_token t \
     JOIN staff_account a ON a.name = t.account WHERE t.token_hash = $1 AND t.revoked_at IS NULL";

const INSERT_AUDIT: &str = "INSERT INTO audit_event (at, actor, action, details) VALUES ($1, $2, $3, $4)";
const SELECT_AUDIT: &str = "SELECT id, at, actor, action, details FROM audit_event \
     WHERE ($1 IS NULL OR action = $1) ORDER BY at DESC, id DESC LIMIT $2";
// One line per actor, action, subject and day: inserted with a tally of 1,
// or the tally increased, its details rewritten with the new count.
const COUNT_IN_AUDIT: &str = "INSERT INTO audit_event (at, actor, action, details, subject, tally) \
     VALUES ($1, $2, $3, $4, $5, 1) ON CONFLICT (actor, action, subject, at) DO UPDATE \
     SET tally = audit_event.tally + 1, \
     details = excluded.subject || ': ' || CAST(audit_event.tally + 1 AS TEXT) || ' ' || $6 \
     RETURNING tally";
const SELECT_AUDIT_ACTIONS: &str = "SELECT DISTINCT action FROM audit_event ORDER BY action";

/// UTC and whole seconds: what every staff timestamp is stored as.
fn stamp(moment: OffsetDateTime) -> OffsetDateTime {
    let utc = moment.to_offset(time::UtcOffset::UTC);
    utc.replace_nanosecond(0).unwrap_or(utc)
}

impl Store {
    /// Adds an account; `false` if the name is taken.
    pub async fn add_staff_account(
        &self,
        name: &str,
        password_hash: &str,
        is_admin: bool,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let added = on_pool!(self, pool => {
            sqlx::query(INSERT_ACCOUNT)
                .bind(name)
                .bind(password_hash)
                .bind(is_admin)
                .bind(stamp(now))
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(added == 1)
    }

    /// The account a login names, with its password hash.
    pub async fn staff_credentials(&self, name: &str) -> Result<Option<StaffCredentials>, StoreError> {
        let credentials = on_pool!(self, pool => {
            sqlx::query_as(SELECT_CREDENTIALS).bind(name).fetch_optional(pool).await?
        });
        Ok(credentials)
    }

    /// Every account, by name.
    pub async fn staff_accounts(&self) -> Result<Vec<StaffAccount>, StoreError> {
        let accounts = on_pool!(self, pool => sqlx::query_as(SELECT_ACCOUNTS).fetch_all(pool).await?);
        Ok(accounts)
    }

    /// Changes an account's password and ends its sessions, in one
    /// transaction; `false` if there is no such account.
    pub async fn change_staff_password(&self, name: &str, password_hash: &str) -> Result<bool, StoreError> {
        let changed = on_pool!(self, pool => {
            let mut transaction = pool.begin().await?;
            let changed = sqlx::query(UPDATE_PASSWORD)
                .bind(name)
                .bind(password_hash)
                .execute(&mut *transaction)
                .await?
                .rows_affected();
            sqlx::query(DELETE_ACCOUNT_SESSIONS).bind(name).execute(&mut *transaction).await?;
            transaction.commit().await?;
            changed
        });
        Ok(changed == 1)
    }

    /// Removes an account: ends its sessions and revokes its tokens, in one
    /// transaction. Returns how many tokens were revoked, or `None` if there
    /// is no such account.
    pub async fn remove_staff_account(&self, name: &str, now: OffsetDateTime) -> Result<Option<u64>, StoreError> {
        let (removed, revoked) = on_pool!(self, pool => {
            let mut transaction = pool.begin().await?;
            let revoked = sqlx::query(REVOKE_ACCOUNT_TOKENS)
                .bind(name)
                .bind(stamp(now))
                .execute(&mut *transaction)
                .await?
                .rows_affected();
            sqlx::query(DELETE_ACCOUNT_SESSIONS).bind(name).execute(&mut *transaction).await?;
            let removed = sqlx::query(DELETE_ACCOUNT).bind(name).execute(&mut *transaction).await?.rows_affected();
            transaction.commit().await?;
            (removed, revoked)
        });
        Ok((removed == 1).then_some(revoked))
    }

    /// Starts a session. The session the browser had before, if any, is
    /// deleted in the same transaction: a login always gets a fresh id.
    pub async fn start_staff_session(
        &self,
        session: &NewStaffSession<'_>,
        replacing: Option<&str>,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            let mut transaction = pool.begin().await?;
            if let Some(old) = replacing {
                sqlx::query(DELETE_SESSION).bind(old).execute(&mut *transaction).await?;
            }
            sqlx::query(INSERT_SESSION)
                .bind(session.id_hash)
                .bind(session.account)
                .bind(session.csrf_token)
                .bind(stamp(session.now))
                .execute(&mut *transaction)
                .await?;
            transaction.commit().await?;
        });
        Ok(())
    }

    /// The session whose id has this fingerprint, if its account still exists.
    pub async fn staff_session(&self, id_hash: &str) -> Result<Option<StaffSession>, StoreError> {
        let session = on_pool!(self, pool => {
            sqlx::query_as(SELECT_SESSION).bind(id_hash).fetch_optional(pool).await?
        });
        Ok(session)
    }

    /// Records that a session was used just now.
    pub async fn touch_staff_session(&self, id_hash: &str, now: OffsetDateTime) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query(TOUCH_SESSION).bind(id_hash).bind(stamp(now)).execute(pool).await?;
        });
        Ok(())
    }

    /// Ends a session; `false` if there was none.
    pub async fn end_staff_session(&self, id_hash: &str) -> Result<bool, StoreError> {
        let ended = on_pool!(self, pool => {
            sqlx::query(DELETE_SESSION).bind(id_hash).execute(pool).await?.rows_affected()
        });
        Ok(ended == 1)
    }

    /// Deletes every session idle since `idle_since` or started before
    /// `started_since`; returns how many.
    pub async fn delete_ended_staff_sessions(
        &self,
        idle_since: OffsetDateTime,
        started_since: OffsetDateTime,
    ) -> Result<u64, StoreError> {
        let deleted = on_pool!(self, pool => {
            sqlx::query(DELETE_ENDED_SESSIONS)
                .bind(stamp(idle_since))
                .bind(stamp(started_since))
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(deleted)
    }

    /// Records a login attempt for the name tried as a failure, before its
    /// password is checked, and counts the failures since `since`. Each
    /// statement commits on its own: the insert is visible to every attempt
    /// that counts after it, so simultaneous attempts cannot all count
    /// fewer than the limit. Failures from before `since` are forgotten.
    pub async fn record_login_attempt(
        &self,
        name: &str,
        now: OffsetDateTime,
        since: OffsetDateTime,
    ) -> Result<RecordedAttempt, StoreError> {
        let (id, for_name, overall): (i64, i64, i64) = on_pool!(self, pool => {
            sqlx::query(DELETE_OLD_FAILURES).bind(stamp(since)).execute(pool).await?;
            let id: i64 = sqlx::query_scalar(INSERT_FAILURE).bind(name).bind(stamp(now)).fetch_one(pool).await?;
            let (for_name, overall): (i64, i64) =
                sqlx::query_as(COUNT_FAILURES).bind(name).bind(stamp(since)).fetch_one(pool).await?;
            (id, for_name, overall)
        });
        // The counts include the attempt's own row.
        let earlier = |count: i64| u64::try_from(count.saturating_sub(1)).unwrap_or(0);
        Ok(RecordedAttempt {
            id,
            earlier: LoginFailureCounts { for_name: earlier(for_name), overall: earlier(overall) },
        })
    }

    /// Takes back an attempt recorded by `record_login_attempt` whose
    /// password was never checked (refused, or no check free).
    pub async fn forget_login_attempt(&self, id: i64) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query(DELETE_FAILURE).bind(id).execute(pool).await?;
        });
        Ok(())
    }

    /// Forgets a name's failed logins, after it logged in.
    pub async fn clear_login_failures(&self, name: &str) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query(DELETE_NAME_FAILURES).bind(name).execute(pool).await?;
        });
        Ok(())
    }

    /// Counts a login attempt against the device cookie with this
    /// fingerprint, before the password is checked, if it was issued to
    /// `account` after `issued_since` and has fewer than `max_failures`
    /// wrong passwords. Returns its failures with this attempt's, or
    /// `None` when the device is not trusted for the name.
    pub async fn count_device_attempt(
        &self,
        token_hash: &str,
        account: &str,
        issued_since: OffsetDateTime,
        max_failures: u64,
    ) -> Result<Option<u64>, StoreError> {
        let max = i64::try_from(max_failures).unwrap_or(i64::MAX);
        let failures: Option<i64> = on_pool!(self, pool => {
            sqlx::query_scalar(COUNT_DEVICE_ATTEMPT)
                .bind(token_hash)
                .bind(account)
                .bind(stamp(issued_since))
                .bind(max)
                .fetch_optional(pool)
                .await?
        });
        Ok(failures.map(|failures| u64::try_from(failures).unwrap_or(0)))
    }

    /// Takes back an attempt counted by `count_device_attempt` whose
    /// password was never checked (no check came free in time).
    pub async fn uncount_device_attempt(&self, token_hash: &str) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query(UNCOUNT_DEVICE_ATTEMPT).bind(token_hash).execute(pool).await?;
        });
        Ok(())
    }

    /// Revokes a device cookie: it was used up by wrong passwords.
    pub async fn revoke_login_device(&self, token_hash: &str) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query(DELETE_DEVICE).bind(token_hash).execute(pool).await?;
        });
        Ok(())
    }

    /// Stores a new device cookie's fingerprint for `account`, after a
    /// login, in place of the one the browser had (if any), and deletes
    /// every device issued before `issued_since`, in one transaction.
    pub async fn issue_login_device(
        &self,
        token_hash: &str,
        account: &str,
        now: OffsetDateTime,
        replacing: Option<&str>,
        issued_since: OffsetDateTime,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            let mut transaction = pool.begin().await?;
            sqlx::query(DELETE_OLD_DEVICES).bind(stamp(issued_since)).execute(&mut *transaction).await?;
            if let Some(old) = replacing {
                sqlx::query(DELETE_DEVICE).bind(old).execute(&mut *transaction).await?;
            }
            sqlx::query(INSERT_DEVICE)
                .bind(token_hash)
                .bind(account)
                .bind(stamp(now))
                .execute(&mut *transaction)
                .await?;
            transaction.commit().await?;
        });
        Ok(())
    }

    /// Whether the audit log should get a line with `actor` and `action`
    /// now: `true` the first time since `since`, and then not again until
    /// that mark is older than `since` (one line per window for a flood).
    pub async fn mark_login_audit(
        &self,
        actor: &str,
        action: &str,
        now: OffsetDateTime,
        since: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let marked = on_pool!(self, pool => {
            sqlx::query(DELETE_OLD_AUDIT_MARKS).bind(stamp(since)).execute(pool).await?;
            sqlx::query(INSERT_AUDIT_MARK)
                .bind(actor)
                .bind(action)
                .bind(stamp(now))
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(marked == 1)
    }

    /// Stores a new API token's fingerprint for an account; returns the
    /// token's id, or `None` if there is no such account.
    pub async fn create_api_token(
        &self,
        account: &str,
        token_hash: &str,
        label: &str,
        now: OffsetDateTime,
    ) -> Result<Option<i64>, StoreError> {
        let id = on_pool!(self, pool => {
            sqlx::query_scalar(INSERT_TOKEN)
                .bind(token_hash)
                .bind(account)
                .bind(label)
                .bind(stamp(now))
                .fetch_optional(pool)
                .await?
        });
        Ok(id)
    }

    /// Every API token ever issued, revoked ones too, oldest first.
    pub async fn api_tokens(&self) -> Result<Vec<ApiToken>, StoreError> {
        let tokens = on_pool!(self, pool => sqlx::query_as(SELECT_TOKENS).fetch_all(pool).await?);
        Ok(tokens)
    }

    /// Revokes a token; returns its account, or `None` if there is no such
    /// token or it was already revoked.
    pub async fn revoke_api_token(&self, id: i64, now: OffsetDateTime) -> Result<Option<String>, StoreError> {
        let account = on_pool!(self, pool => {
            sqlx::query_scalar(REVOKE_TOKEN).bind(id).bind(stamp(now)).fetch_optional(pool).await?
        });
        Ok(account)
    }

    /// The account holding the unrevoked token with this fingerprint.
    pub async fn api_token_holder(&self, token_hash: &str) -> Result<Option<TokenHolder>, StoreError> {
        let holder = on_pool!(self, pool => {
            sqlx::query_as(SELECT_TOKEN_HOLDER).bind(token_hash).fetch_optional(pool).await?
        });
        Ok(holder)
    }

    /// Adds a line to the audit log, stamped `now` (the caller's clock, so
    /// tests can fix it). `actor` is an account name (or `cli`), `action` a
    /// short identifier such as `export`, `details` a short description:
    /// never exported data, passwords or tokens.
    pub async fn record_audit(
        &self,
        actor: &str,
        action: &str,
        details: &str,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query(INSERT_AUDIT)
                .bind(stamp(now))
                .bind(actor)
                .bind(action)
                .bind(details)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Counts one more `what` (such as "formulär") done by `actor` on
    /// `subject` (a questionnaire's id) on `day`, in the one audit line for
    /// them: "nexus: 3 formulär". The line's time is the day at 00:00, so
    /// the log keeps how many and on which day, never the moment of each
    /// nor anything that names what was counted. Returns the new count.
    pub async fn count_in_audit(
        &self,
        actor: &str,
        action: &str,
        subject: &str,
        what: &str,
        day: time::Date,
    ) -> Result<i64, StoreError> {
        let at = day.midnight().assume_utc();
        let details = format!("{subject}: 1 {what}");
        let tally = on_pool!(self, pool => {
            sqlx::query_scalar(COUNT_IN_AUDIT)
                .bind(at)
                .bind(actor)
                .bind(action)
                .bind(&details)
                .bind(subject)
                .bind(what)
                .fetch_one(pool)
                .await?
        });
        Ok(tally)
    }

    /// The latest `limit` lines of the audit log, newest first, with only
    /// `action` if given.
    pub async fn audit_events(&self, action: Option<&str>, limit: i64) -> Result<Vec<AuditEvent>, StoreError> {
        let events = on_pool!(self, pool => {
            sqlx::query_as(SELECT_AUDIT).bind(action).bind(limit).fetch_all(pool).await?
        });
        Ok(events)
    }

    /// Every action the audit log has a line for, for filtering.
    pub async fn audit_actions(&self) -> Result<Vec<String>, StoreError> {
        let actions = on_pool!(self, pool => sqlx::query_scalar(SELECT_AUDIT_ACTIONS).fetch_all(pool).await?);
        Ok(actions)
    }
}
