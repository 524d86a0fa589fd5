//! Staff accounts, as opposed to respondents: who may log in to see results,
//! and the rules around it that are neither SQL nor HTTP: account names, the
//! password policy, argon2id hashing, random secrets (session ids, CSRF and
//! API tokens), when a session expires, when logins are throttled, which
//! browsers are trusted past the throttle, which login posts come from
//! another site, and which roles an account holds in which units (`roles`).

use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use argon2::password_hash::{Output, PasswordHash, PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use tokio::sync::Semaphore;

pub mod oidc;
pub mod roles;

pub use roles::{Denied, EVERY_UNIT, Grants, UnitRole};

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
/// threads. Takes its working memory afresh; `PasswordChecks::verify`
/// reuses it.
pub fn verify_password(stored_hash: Option<&str>, password: &str) -> bool {
    verify_password_in(&mut Vec::new(), stored_hash, password)
}

/// `verify_password` with argon2's working memory (19 MiB for today's
/// parameters) taken from `memory`, grown if needed and kept for the next
/// check: glibc keeps a freed buffer this size for the thread that used it,
/// so a fresh one per check grew the process by 19 MiB per blocking thread.
fn verify_password_in(memory: &mut Vec<Block>, stored_hash: Option<&str>, password: &str) -> bool {
    match stored_hash {
        Some(hash) => matches_hash(memory, hash, password),
        None => {
            matches_hash(memory, DUMMY_HASH, password);
            false
        }
    }
}

fn matches_hash(memory: &mut Vec<Block>, hash: &str, password: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else { return false };
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else { return false };
    let (Ok(algorithm), Ok(params)) = (Algorithm::try_from(parsed.algorithm), Params::try_from(&parsed)) else {
        return false;
    };
    let Ok(version) = parsed.version.map_or(Ok(Version::default()), Version::try_from) else { return false };
    let mut salt_bytes = [0_u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_bytes) else { return false };
    let blocks = params.block_count();
    if memory.len() < blocks {
        memory.resize(blocks, Block::default());
    }
    let mut computed = vec![0_u8; expected.len()];
    let argon2 = Argon2::new(algorithm, version, params);
    argon2.hash_password_into_with_memory(password.as_bytes(), salt, &mut computed, &mut memory[..blocks]).is_ok()
        // `Output`'s comparison takes the same time wherever they differ.
        && Output::new(&computed).is_ok_and(|computed| computed == expected)
}

/// The password checks of the whole app: a permit per check under way,
/// `password_check_limit` in all, and the working memory of each, reused.
/// A flood of logins gets a "try again" page at once instead of a thread
/// and 19 MiB each (48 at once took the process from 15 MB to 881 MB).
#[derive(Debug)]
pub struct PasswordChecks {
    /// One permit per check under way.
    pub permits: Arc<Semaphore>,
    /// Argon2's working memory, at most one buffer per permit.
    memory: Mutex<Vec<Vec<Block>>>,
    limit: usize,
}

impl PasswordChecks {
    /// At most `limit` checks at once.
    pub fn new(limit: usize) -> PasswordChecks {
        PasswordChecks { permits: Arc::new(Semaphore::new(limit)), memory: Mutex::new(Vec::new()), limit }
    }

    /// `verify_password`, with working memory from earlier checks. Call it
    /// holding a permit, off the async runtime's threads.
    pub fn verify(&self, stored_hash: Option<&str>, password: &str) -> bool {
        let mut memory = self.memory.lock().ok().and_then(|mut pool| pool.pop()).unwrap_or_default();
        let matches = verify_password_in(&mut memory, stored_hash, password);
        if let Ok(mut pool) = self.memory.lock()
            && pool.len() < self.limit
        {
            pool.push(memory);
        }
        matches
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
        Ok(Secret(hex::encode(bytes)))
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
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Whether a presented secret equals the expected one, in time that does not
/// depend on where they first differ.
pub fn secrets_match(presented: &str, expected: &str) -> bool {
    presented.len() == expected.len()
        && presented.bytes().zip(expected.bytes()).fold(0_u8, |differ, (a, b)| differ | (a ^ b)) == 0
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
/// the answer never tells) and overall, within a sliding window. Overall
/// failures only slow logins down: a lock on every name would let a
/// stranger keep staff out by failing with random names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// How long a failure counts.
    pub window: Duration,
    /// From this many recent failures for a name, each attempt waits.
    pub delay_after: u64,
    /// The wait per recent failure for the name, and per
    /// `slow_down_after_overall` failures in all.
    pub delay_step: Duration,
    /// The longest wait.
    pub delay_cap: Duration,
    /// With this many recent failures for a name, its logins are refused
    /// until the oldest of them is older than the window, except from a
    /// browser with a device cookie for the name.
    pub lock_after_for_name: u64,
    /// From this many recent failures in all (guessing spread over many
    /// names), every attempt without a device cookie waits: one step per
    /// this many, up to the cap. Never a lock.
    pub slow_down_after_overall: u64,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        ThrottlePolicy {
            window: Duration::from_secs(15 * 60),
            delay_after: 3,
            delay_step: Duration::from_secs(1),
            delay_cap: Duration::from_secs(5),
            lock_after_for_name: 10,
            slow_down_after_overall: 100,
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

    /// What to do with an attempt from a browser without a device cookie
    /// for the name, given the failures recorded before it since
    /// `counting_since` (those of attempts still under way included).
    pub fn verdict(&self, failures_for_name: u64, failures_overall: u64) -> LoginVerdict {
        if failures_for_name >= self.lock_after_for_name {
            return LoginVerdict::Locked;
        }
        let steps = |n: u64| self.delay_step.saturating_mul(u32::try_from(n).unwrap_or(u32::MAX));
        let for_name = if failures_for_name >= self.delay_after { steps(failures_for_name) } else { Duration::ZERO };
        let overall = steps(failures_overall / self.slow_down_after_overall.max(1));
        LoginVerdict::Proceed { delay: for_name.max(overall).min(self.delay_cap) }
    }
}

/// OWASP's device cookies: a browser that has logged in as a name gets a
/// random cookie, and with it is let past the lock on that name and the
/// overall slow-down, so that nobody can lock staff out by guessing. The
/// cookie is stateful (only its fingerprint is stored), so no signing key
/// is needed; wrong passwords sent with it count against it alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DevicePolicy {
    /// How long a device cookie is valid after the login that gave it.
    pub lifetime: Duration,
    /// After this many wrong passwords sent with a device cookie, it is
    /// revoked: a stolen cookie buys this many guesses, no more.
    pub max_failures: u64,
    /// How long a trusted browser waits for a password check to be free
    /// before it too is asked to come back.
    pub wait_for_check: Duration,
}

impl Default for DevicePolicy {
    fn default() -> Self {
        DevicePolicy {
            lifetime: Duration::from_secs(90 * 24 * 3600),
            max_failures: 10,
            wait_for_check: Duration::from_secs(10),
        }
    }
}

impl DevicePolicy {
    /// Device cookies issued before this have expired.
    pub fn issued_since(&self, now: OffsetDateTime) -> OffsetDateTime {
        now - self.lifetime
    }

    /// Whether a device cookie with `failures` wrong passwords (this one
    /// included) is used up.
    pub fn is_used_up(&self, failures: u64) -> bool {
        failures >= self.max_failures
    }
}

/// Whether a login form was posted from another site (login CSRF: a staff
/// browser logged into an attacker's account, where what it then types is
/// the attacker's to read). Browsers say where a request comes from in
/// `Sec-Fetch-Site`; older ones only in `Origin`, compared with the hosts
/// the service answers to (`Host`, and that of its public address). A
/// request with neither header (a script, curl) is not a browser's and
/// passes. `Origin: null` (a sandboxed frame, or a page with no referrer)
/// is refused unless `Sec-Fetch-Site` vouches for it.
pub fn is_cross_site_login(sec_fetch_site: Option<&str>, origin: Option<&str>, own_hosts: &[&str]) -> bool {
    if let Some(site) = sec_fetch_site {
        return !matches!(site.trim().to_ascii_lowercase().as_str(), "same-origin" | "none");
    }
    let Some(origin) = origin.map(str::trim) else { return false };
    let Some(origin_host) = origin_host(origin) else { return true };
    !own_hosts.iter().any(|host| without_default_port(&host.trim().to_ascii_lowercase()) == origin_host)
}

/// `host[:port]` of an `Origin` such as `https://enkat.example.org:8443`,
/// lowercase, without the scheme's default port; `None` for `null` or
/// anything else that is not an origin.
fn origin_host(origin: &str) -> Option<String> {
    let (scheme, rest) = origin.split_once("://")?;
    let host = rest.to_ascii_lowercase();
    let valid = matches!(scheme, "http" | "https") && !host.is_empty() && !host.contains(['/', '@', '?', '#']);
    let default_port = if scheme == "https" { ":443" } else { ":80" };
    valid.then(|| host.strip_suffix(default_port).map_or(host.clone(), str::to_owned))
}

fn without_default_port(host: &str) -> String {
    host.strip_suffix(":80").or_else(|| host.strip_suffix(":443")).unwrap_or(host).to_owned()
}

/// The `action` of audit log lines written about staff access; exports add
/// their own.
pub mod action {
    /// A staff member logged in.
    pub const LOGIN: &str = "login";
    /// A login failed: wrong password, or no such account.
    pub const LOGIN_FAILED: &str = "login_failed";
    /// Logins for a name were refused without checking the password: too
    /// many failures. One line per name and lock, however many refusals.
    pub const LOGIN_REFUSED: &str = "login_refused";
    /// Someone signed in with the OpenID provider was refused: their groups
    /// give no role. Details: the provider and the account's name or subject.
    pub const LOGIN_REFUSED_OIDC: &str = "login_refused_oidc";
    /// A staff member logged out.
    pub const LOGOUT: &str = "logout";
    /// An account was created (`enkat staff add`).
    pub const ACCOUNT_ADDED: &str = "account_added";
    /// An account's password was changed (`enkat staff passwd`).
    pub const PASSWORD_CHANGED: &str = "password_changed";
    /// An account was removed (`enkat staff remove`).
    pub const ACCOUNT_REMOVED: &str = "account_removed";
    /// A role in a unit was granted (`enkat staff grant`): account, unit, role.
    pub const ROLE_GRANTED: &str = "role_granted";
    /// A role in a unit was taken back (`enkat staff revoke`): account, unit.
    pub const ROLE_REVOKED: &str = "role_revoked";
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
    /// The service key was forgotten (`enkat codes forget-key`), after it was lost.
    pub const CODES_KEY_FORGOTTEN: &str = "codes_key_forgotten";
    /// How many people were offered an open questionnaire in a period was
    /// recorded: questionnaire, period, number (and the number it replaced).
    pub const OFFERED_RECORDED: &str = "offered_recorded";
    /// "Vad vi gör nu" was saved for a closed period: questionnaire, period
    /// and the note's length (the text itself is in the report).
    pub const PERIOD_NOTE_SAVED: &str = "period_note_saved";
    /// An admin read the reports of accessibility problems: how many (never their words).
    pub const ACCESSIBILITY_READ: &str = "accessibility_read";
    /// A report of an accessibility problem was marked handled or not: its id.
    pub const ACCESSIBILITY_HANDLED: &str = "accessibility_handled";
    /// A report of an accessibility problem was deleted: its id.
    pub const ACCESSIBILITY_DELETED: &str = "accessibility_deleted";
    /// Paper forms typed in: one line per staff member, questionnaire and
    /// day, counting them (`Store::count_in_audit`).
    pub const PAPER_ENTERED: &str = "paper_entered";
}

/// The actor of the audit log's lines about logins with names no account
/// has: one line per window for them all, and never the names (a mistyped
/// password often lands in the name field). No account name has spaces.
pub const UNKNOWN_NAME: &str = "(okänt namn)";

/// How many passwords may be checked at once: one per core. Each check
/// takes about 19 MB for a moment, and more at once only queue for the
/// cores anyway.
pub fn password_check_limit() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// Everything about staff logins that an installation (or a test) may set,
/// and the permits for password checks shared by the whole app.
#[derive(Debug, Clone)]
pub struct StaffSettings {
    /// Send the session cookie only over HTTPS. Off only for plain-HTTP
    /// use on one's own machine.
    pub cookie_secure: bool,
    /// When sessions end.
    pub sessions: SessionPolicy,
    /// When failed logins slow down or stop further attempts.
    pub throttle: ThrottlePolicy,
    /// How long device cookies last and how many wrong passwords they allow.
    pub devices: DevicePolicy,
    /// The permits and working memory of password checks, shared by the
    /// whole app.
    pub password_checks: Arc<PasswordChecks>,
    /// Whether the name and password form is offered (`--local-login`);
    /// off, only the OpenID provider signs people in.
    pub local_login: bool,
}

impl Default for StaffSettings {
    fn default() -> Self {
        StaffSettings {
            cookie_secure: true,
            sessions: SessionPolicy::default(),
            throttle: ThrottlePolicy::default(),
            devices: DevicePolicy::default(),
            password_checks: Arc::new(PasswordChecks::new(password_check_limit())),
            local_login: true,
        }
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
        let checks = PasswordChecks::new(1);
        for _ in 0..2 {
            assert!(checks.verify(Some(&hash), "korrekt häst batteri"), "with reused memory");
            assert!(!checks.verify(Some(&hash), "korrekt häst batteri "));
            assert!(!checks.verify(None, "korrekt häst batteri"));
        }
        // A hash made elsewhere, with other parameters (RFC 9106's argon2id, m=64, t=3, p=4).
        let other = Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(64, 3, 4, None).unwrap());
        let salt = SaltString::encode_b64(b"saltsaltsaltsalt").unwrap();
        let small = other.hash_password(b"password", &salt).unwrap().to_string();
        assert!(checks.verify(Some(&small), "password"), "{small}");
        assert!(!checks.verify(Some(&small), "passwore"));
        assert!(checks.verify(Some(&hash), "korrekt häst batteri"), "memory too small grows again");
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
    }

    #[test]
    fn failures_across_many_names_slow_every_login_down_but_never_lock() {
        let policy = ThrottlePolicy::default();
        let proceed = |seconds| LoginVerdict::Proceed { delay: Duration::from_secs(seconds) };
        assert_eq!(policy.verdict(0, 99), proceed(0));
        assert_eq!(policy.verdict(0, 100), proceed(1), "guessing across many names");
        assert_eq!(policy.verdict(0, 350), proceed(3));
        for overall in [500, 1000, 1_000_000, u64::MAX] {
            assert_eq!(policy.verdict(0, overall), proceed(5), "{overall} failures: capped, never locked");
        }
        assert_eq!(policy.verdict(4, 250), proceed(4), "the longer of the two waits");
    }

    #[test]
    fn a_device_cookie_lasts_ninety_days_and_ten_wrong_passwords() {
        let policy = DevicePolicy::default();
        let now = OffsetDateTime::UNIX_EPOCH + Duration::from_secs(200 * 24 * 3600);
        assert_eq!(now - policy.issued_since(now), time::Duration::days(90));
        assert!(!policy.is_used_up(9));
        assert!(policy.is_used_up(10));
    }

    #[test]
    fn a_login_from_another_site_is_told_apart_by_its_headers() {
        let hosts = ["enkat.example.org", "127.0.0.1:3000"];
        let cross = |site, origin| is_cross_site_login(site, origin, &hosts);
        for (site, origin) in [
            (Some("cross-site"), None),
            (Some("same-site"), Some("https://enkat.example.org")),
            (Some("Cross-Site"), None),
            (None, Some("https://evil.example")),
            (None, Some("https://enkat.example.org.evil.example")),
            (None, Some("https://enkat.example.org:8443")),
            (None, Some("http://127.0.0.1:3001")),
            (None, Some("https://evil.example@enkat.example.org")),
            (None, Some("null")),
            (None, Some("")),
        ] {
            assert!(cross(site, origin), "refused: Sec-Fetch-Site {site:?}, Origin {origin:?}");
        }
        for (site, origin) in [
            (None, None),
            (Some("same-origin"), Some("null")),
            (Some("none"), None),
            (None, Some("https://enkat.example.org")),
            (None, Some("https://ENKAT.example.org:443")),
            (None, Some("http://enkat.example.org:80")),
            (None, Some("http://127.0.0.1:3000")),
        ] {
            assert!(!cross(site, origin), "let through: Sec-Fetch-Site {site:?}, Origin {origin:?}");
        }
    }
}
