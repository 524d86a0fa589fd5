//! Staff accounts, as opposed to respondents: who may log in to see results,
//! and the rules around it that are neither SQL nor HTTP: account names, the
//! password policy, argon2id hashing, random secrets (session ids, CSRF and
//! API tokens), when a session expires and when logins are throttled.

use std::fmt;
use std::sync::OnceLock;
use std::time::Duration;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Argon2, Params};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

/// Why an account, a password or a secret could not be made.
#[derive(Debug, thiserror::Error)]
pub enum StaffError {
    #[error(
        "`{0}` is not a valid account name: use 1 to 64 characters, only lowercase letters a-z, digits, `.`, `-` and `_`"
    )]
    InvalidName(String),
    #[error("the password is too short: use at least {MIN_PASSWORD_CHARS} characters")]
    PasswordTooShort,
    #[error("the password is too long: use at most {MAX_PASSWORD_CHARS} characters")]
    PasswordTooLong,
    #[error("the password may not be the account name")]
    PasswordIsName,
    #[error("the system's random number generator failed: {0}")]
    Randomness(getrandom::Error),
    #[error("the password could not be hashed: {0}")]
    Hashing(argon2::password_hash::Error),
}

/// The name a staff member logs in with: 1–64 characters, lowercase ASCII
/// letters, digits, `.`, `-` and `_`. ASCII only, so that a name typed on any
/// keyboard or terminal is the same string.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AccountName(String);

impl AccountName {
    /// The longest name allowed, in characters.
    pub const MAX_CHARS: usize = 64;

    /// A name exactly as it must be written, for creating accounts.
    pub fn parse(raw: &str) -> Result<AccountName, StaffError> {
        let valid = (1..=Self::MAX_CHARS).contains(&raw.len())
            && raw.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'));
        if valid { Ok(AccountName(raw.to_owned())) } else { Err(StaffError::InvalidName(raw.to_owned())) }
    }

    /// A name as typed into the login form: surrounding spaces and capitals
    /// are forgiven. `None` if it cannot be any account's name.
    pub fn from_login(typed: &str) -> Option<AccountName> {
        AccountName::parse(&typed.trim().to_ascii_lowercase()).ok()
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AccountName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The shortest password accepted, in characters.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// The longest password accepted, in characters: hashing is deliberately
/// slow, and a megabyte-long "password" should not make it slower.
pub const MAX_PASSWORD_CHARS: usize = 1024;

/// A password that meets the policy, for a new account or a changed password.
pub struct NewPassword(String);

impl NewPassword {
    /// Checks `password` against the policy for the account `name`.
    pub fn parse(name: &AccountName, password: String) -> Result<NewPassword, StaffError> {
        let chars = password.chars().count();
        if chars < MIN_PASSWORD_CHARS {
            return Err(StaffError::PasswordTooShort);
        }
        if chars > MAX_PASSWORD_CHARS {
            return Err(StaffError::PasswordTooLong);
        }
        if password.trim().eq_ignore_ascii_case(name.as_str()) {
            return Err(StaffError::PasswordIsName);
        }
        Ok(NewPassword(password))
    }

    /// The argon2id hash to store, in PHC string format (salt and parameters
    /// included). Slow on purpose: call it off the async runtime's threads.
    pub fn hash(&self) -> Result<String, StaffError> {
        let mut salt = [0_u8; 16];
        getrandom::fill(&mut salt).map_err(StaffError::Randomness)?;
        let salt = SaltString::encode_b64(&salt).map_err(StaffError::Hashing)?;
        let hash = Argon2::default().hash_password(self.0.as_bytes(), &salt).map_err(StaffError::Hashing)?;
        Ok(hash.to_string())
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(<hidden>)")
    }
}

/// The argon2id hash (default parameters) of a random password nobody knows.
/// A login for a name without an account is checked against it, so that it
/// costs as much time as a wrong password and does not tell the names apart.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$MmMpQJzFZhGCjIHXeM8Jog$CLLs0kTdl8gaa3g3X8EA6qr+Am7I+gqDDT0KLnYjI1U";

/// Whether `password` matches `stored_hash`. Without a stored hash (no such
/// account) the password is checked against a dummy hash, at the same cost,
/// and `false` is returned. Slow on purpose: call it off the async runtime's
/// threads.
pub fn verify_password(stored_hash: Option<&str>, password: &str) -> bool {
    let matches = |hash: &str| {
        PasswordHash::new(hash)
            .is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
    };
    match stored_hash {
        Some(hash) => matches(hash),
        None => {
            matches(DUMMY_HASH);
            false
        }
    }
}

/// Whether a stored hash was made with the parameters used today; a test
/// keeps the dummy hash honest with it.
pub fn has_current_parameters(hash: &str) -> bool {
    static CURRENT: OnceLock<Params> = OnceLock::new();
    let current = CURRENT.get_or_init(Params::default);
    PasswordHash::new(hash).is_ok_and(|parsed| {
        parsed.algorithm == argon2::Algorithm::Argon2id.ident()
            && Params::try_from(&parsed).is_ok_and(|params| {
                (params.m_cost(), params.t_cost(), params.p_cost())
                    == (current.m_cost(), current.t_cost(), current.p_cost())
            })
    })
}

/// A random secret: 32 bytes from the operating system, as 64 hex digits.
/// Session ids, CSRF tokens and API tokens are secrets; only the first two
/// stay in a browser, and only a fingerprint of ids and tokens is stored.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// A new secret, never seen before.
    pub fn generate() -> Result<Secret, StaffError> {
        let mut bytes = [0_u8; 32];
        getrandom::fill(&mut bytes).map_err(StaffError::Randomness)?;
        Ok(Secret(hex(&bytes)))
    }

    /// The secret itself, to hand out once.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// What is stored instead of the secret.
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.0)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<hidden>)")
    }
}

/// The SHA-256 of a presented secret, in hex: what the database keeps, so
/// that a copy of the database does not let anyone log in. (A fast hash is
/// enough: the secrets are random, not guessable like passwords.)
pub fn fingerprint(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// Whether a presented secret equals the expected one, in time that does not
/// depend on where they first differ.
pub fn secrets_match(presented: &str, expected: &str) -> bool {
    presented.len() == expected.len()
        && presented.bytes().zip(expected.bytes()).fold(0_u8, |differ, (a, b)| differ | (a ^ b)) == 0
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    bytes
        .iter()
        .flat_map(|byte| [DIGITS[usize::from(byte >> 4)], DIGITS[usize::from(byte & 0xf)]])
        .map(char::from)
        .collect()
}

/// How long a staff session lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    /// A session not used for this long has ended (a screen left unlocked).
    pub idle_timeout: Duration,
    /// A session this old has ended, however busy (a stolen cookie stops working).
    pub absolute_timeout: Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy { idle_timeout: Duration::from_secs(30 * 60), absolute_timeout: Duration::from_secs(12 * 3600) }
    }
}

impl SessionPolicy {
    /// Whether a session started at `started` and last used at `last_seen` has ended by `now`.
    pub fn has_expired(&self, started: OffsetDateTime, last_seen: OffsetDateTime, now: OffsetDateTime) -> bool {
        now >= last_seen + self.idle_timeout || now >= started + self.absolute_timeout
    }

    /// Sessions last used before this have ended.
    pub fn idle_since(&self, now: OffsetDateTime) -> OffsetDateTime {
        now - self.idle_timeout
    }

    /// Sessions started before this have ended.
    pub fn started_since(&self, now: OffsetDateTime) -> OffsetDateTime {
        now - self.absolute_timeout
    }
}

/// How failed logins slow down and then stop password guessing. Failures
/// are counted per name tried (whether or not an account has it, so that
/// the answer never tells) and overall, within a sliding window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// How long a failure counts.
    pub window: Duration,
    /// From this many recent failures for a name, each attempt waits.
    pub delay_after: u64,
    /// The wait per recent failure.
    pub delay_step: Duration,
    /// The longest wait.
    pub delay_cap: Duration,
    /// With this many recent failures for a name, its logins are refused
    /// until the oldest of them is older than the window.
    pub lock_after_for_name: u64,
    /// With this many recent failures in all, every login is refused
    /// likewise (guessing spread over many names).
    pub lock_after_overall: u64,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        ThrottlePolicy {
            window: Duration::from_secs(15 * 60),
            delay_after: 3,
            delay_step: Duration::from_secs(1),
            delay_cap: Duration::from_secs(5),
            lock_after_for_name: 10,
            lock_after_overall: 100,
        }
    }
}

/// Whether a login attempt may go ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginVerdict {
    /// Check the password, after waiting this long.
    Proceed { delay: Duration },
    /// Refuse without checking the password.
    Locked,
}

impl ThrottlePolicy {
    /// Failures before this no longer count.
    pub fn counting_since(&self, now: OffsetDateTime) -> OffsetDateTime {
        now - self.window
    }

    /// What to do with an attempt, given the failures counted since `counting_since`.
    pub fn verdict(&self, failures_for_name: u64, failures_overall: u64) -> LoginVerdict {
        if failures_for_name >= self.lock_after_for_name || failures_overall >= self.lock_after_overall {
            return LoginVerdict::Locked;
        }
        let delay = if failures_for_name >= self.delay_after {
            let failures = u32::try_from(failures_for_name).unwrap_or(u32::MAX);
            self.delay_step.saturating_mul(failures).min(self.delay_cap)
        } else {
            Duration::ZERO
        };
        LoginVerdict::Proceed { delay }
    }
}

/// The `action` of audit log lines written about staff access; exports add
/// their own.
pub mod action {
    /// A staff member logged in.
    pub const LOGIN: &str = "login";
    /// A login failed: wrong password, or no such account.
    pub const LOGIN_FAILED: &str = "login_failed";
    /// A login was refused without checking the password: too many failures.
    pub const LOGIN_REFUSED: &str = "login_refused";
    /// A staff member logged out.
    pub const LOGOUT: &str = "logout";
    /// An account was created (`enkat staff add`).
    pub const ACCOUNT_ADDED: &str = "account_added";
    /// An account's password was changed (`enkat staff passwd`).
    pub const PASSWORD_CHANGED: &str = "password_changed";
    /// An account was removed (`enkat staff remove`).
    pub const ACCOUNT_REMOVED: &str = "account_removed";
    /// An API token was issued (`enkat token create`).
    pub const TOKEN_CREATED: &str = "token_created";
    /// An API token was revoked (`enkat token revoke`).
    pub const TOKEN_REVOKED: &str = "token_revoked";
    /// Results were exported: which file, which filters (never the data).
    pub const EXPORT: &str = "export";
    /// A batch of one-time codes was created: questionnaire, label, count (never the codes).
    pub const CODES_CREATED: &str = "codes_created";
    /// A batch of one-time codes was revoked: its unused codes deleted.
    pub const CODES_REVOKED: &str = "codes_revoked";
}

/// Everything about staff logins that an installation (or a test) may set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StaffSettings {
    /// Send the session cookie only over HTTPS. Off only for plain-HTTP
    /// use on one's own machine.
    pub cookie_secure: bool,
    /// When sessions end.
    pub sessions: SessionPolicy,
    /// When failed logins slow down or stop further attempts.
    pub throttle: ThrottlePolicy,
}

impl Default for StaffSettings {
    fn default() -> Self {
        StaffSettings { cookie_secure: true, sessions: SessionPolicy::default(), throttle: ThrottlePolicy::default() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_names_are_lowercase_ascii_with_a_few_marks() {
        for good in ["anna", "anna.berg", "a-b_c.9", "x", &"a".repeat(64)] {
            assert!(AccountName::parse(good).is_ok(), "{good:?} is a valid name");
        }
        for bad in ["", "Anna", "anna berg", "åsa", "anna@nexus", "anna/..", &"a".repeat(65)] {
            assert!(AccountName::parse(bad).is_err(), "{bad:?} is refused");
        }
        assert_eq!(AccountName::from_login("  Anna.Berg ").map(|name| name.0), Some("anna.berg".to_owned()));
        assert_eq!(AccountName::from_login("anna berg"), None);
    }

    #[test]
    fn a_password_must_be_long_and_not_the_name() {
        let name = AccountName::parse("anna.berg").unwrap();
        assert!(matches!(NewPassword::parse(&name, "elva tecken".into()), Err(StaffError::PasswordTooShort)));
        assert!(matches!(NewPassword::parse(&name, "Anna.Berg   ".into()), Err(StaffError::PasswordIsName)));
        let long_name = AccountName::parse("anna.berg.nexus").unwrap();
        assert!(matches!(NewPassword::parse(&long_name, "Anna.Berg.Nexus".into()), Err(StaffError::PasswordIsName)));
        assert!(matches!(NewPassword::parse(&name, "x".repeat(1025)), Err(StaffError::PasswordTooLong)));
        // Twelve characters, not twelve bytes: å is two bytes.
        assert!(NewPassword::parse(&name, "ååååååååååå".into()).is_err());
        assert!(NewPassword::parse(&name, "åååååååååååå".into()).is_ok());
    }

    #[test]
    fn a_hashed_password_verifies_and_nothing_else_does() {
        let name = AccountName::parse("anna").unwrap();
        let hash = NewPassword::parse(&name, "korrekt häst batteri".into()).unwrap().hash().unwrap();
        assert!(hash.starts_with("$argon2id$"), "argon2id: {hash}");
        assert!(verify_password(Some(&hash), "korrekt häst batteri"));
        assert!(!verify_password(Some(&hash), "korrekt häst batteri "));
        assert!(!verify_password(None, "korrekt häst batteri"), "no account: never a match");
        assert!(!verify_password(Some("not a hash"), "korrekt häst batteri"));
    }

    #[test]
    fn the_dummy_hash_costs_what_a_real_one_does() {
        let real = NewPassword::parse(&AccountName::parse("anna").unwrap(), "korrekt häst batteri".into()).unwrap();
        assert!(has_current_parameters(&real.hash().unwrap()));
        assert!(has_current_parameters(DUMMY_HASH), "regenerate DUMMY_HASH with today's parameters");
    }

    #[test]
    fn secrets_are_random_hex_and_stored_as_fingerprints() {
        let (one, two) = (Secret::generate().unwrap(), Secret::generate().unwrap());
        assert_ne!(one, two);
        assert_eq!(one.expose().len(), 64);
        assert!(one.expose().bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(one.fingerprint(), fingerprint(one.expose()));
        assert_ne!(one.fingerprint(), one.expose());
        assert_eq!(fingerprint("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert!(
            secrets_match(one.expose(), &one.expose().to_uppercase().to_lowercase()),
            "equal text, another allocation"
        );
        assert!(!secrets_match(one.expose(), two.expose()));
        assert!(!secrets_match("", one.expose()));
    }

    #[test]
    fn a_session_ends_when_idle_or_old() {
        let policy = SessionPolicy::default();
        let start = OffsetDateTime::UNIX_EPOCH;
        let minutes = |n: u64| Duration::from_secs(n * 60);
        assert!(!policy.has_expired(start, start + minutes(5), start + minutes(34)));
        assert!(policy.has_expired(start, start + minutes(5), start + minutes(35)), "30 minutes idle");
        assert!(!policy.has_expired(start, start + minutes(700), start + minutes(719)));
        assert!(policy.has_expired(start, start + minutes(710), start + minutes(720)), "12 hours in all");
    }

    #[test]
    fn failed_logins_slow_down_then_stop_further_attempts() {
        let policy = ThrottlePolicy::default();
        let proceed = |seconds| LoginVerdict::Proceed { delay: Duration::from_secs(seconds) };
        assert_eq!(policy.verdict(0, 0), proceed(0));
        assert_eq!(policy.verdict(2, 50), proceed(0));
        assert_eq!(policy.verdict(3, 50), proceed(3));
        assert_eq!(policy.verdict(9, 50), proceed(5), "the wait is capped");
        assert_eq!(policy.verdict(10, 50), LoginVerdict::Locked);
        assert_eq!(policy.verdict(0, 100), LoginVerdict::Locked, "guessing across many names");
    }
}
