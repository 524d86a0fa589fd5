//! The service key: 32 random bytes kept outside the database, in a file
//! created 0600 on first start or given in the environment. Codes are stored
//! as HMAC-SHA-256 under it, so a copy of the database alone cannot be
//! searched for live codes (plain SHA-256 over 45 bits falls to one GPU in
//! under an hour); it also signs the "admitted" mark a coded form carries.

use std::fs::OpenOptions;
use std::io::{ErrorKind, Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// Bytes in a key.
const KEY_BYTES: usize = 32;
/// What the check value stored in the database is the MAC of.
const CHECK_TEXT: &[u8] = b"enkat service key check v1";
/// The key file's name next to a SQLite database.
pub const DEFAULT_KEY_FILE: &str = "enkat.key";

/// The service key. Never printed: `Debug` shows nothing of it.
#[derive(Clone)]
pub struct ServiceKey([u8; KEY_BYTES]);

impl std::fmt::Debug for ServiceKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServiceKey(…)")
    }
}

/// Why no key could be had; each says what to do.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error(
        "the service key ({0}) is not 64 hex digits: restore the key file from its backup, or give the key in ENKAT_KEY"
    )]
    Malformed(String),
    #[error("cannot read the service key file {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("cannot create the service key file {path}: {source}")]
    Create { path: String, source: std::io::Error },
    #[error("no randomness for a new service key: {0}")]
    Randomness(getrandom::Error),
}

impl ServiceKey {
    /// A new random key.
    pub fn generate() -> Result<ServiceKey, KeyError> {
        let mut bytes = [0_u8; KEY_BYTES];
        getrandom::fill(&mut bytes).map_err(KeyError::Randomness)?;
        Ok(ServiceKey(bytes))
    }

    /// Reads a key written as 64 hex digits (surrounding whitespace ignored);
    /// `source` names where it came from, for the error.
    pub fn parse(text: &str, source: &str) -> Result<ServiceKey, KeyError> {
        let text = text.trim();
        let malformed = || KeyError::Malformed(source.to_owned());
        if text.len() != KEY_BYTES * 2 || !text.is_ascii() {
            return Err(malformed());
        }
        let mut bytes = [0_u8; KEY_BYTES];
        for (at, byte) in bytes.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&text[at * 2..at * 2 + 2], 16).map_err(|_| malformed())?;
        }
        Ok(ServiceKey(bytes))
    }

    /// The key in the file at `path`, or `None` if there is no such file.
    pub fn read(path: &Path) -> Result<Option<ServiceKey>, KeyError> {
        let mut text = String::new();
        match std::fs::File::open(path) {
            Ok(mut file) => file
                .read_to_string(&mut text)
                .map_err(|source| KeyError::Read { path: path.display().to_string(), source })?,
            Err(error) if error.kind() == ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(KeyError::Read { path: path.display().to_string(), source }),
        };
        ServiceKey::parse(&text, &path.display().to_string()).map(Some)
    }

    /// Creates a new key in a new file at `path`, readable and writable by
    /// its owner only (0600). Never overwrites a file: one that appeared in
    /// between (another process) is read instead.
    pub fn create(path: &Path) -> Result<ServiceKey, KeyError> {
        let failed = |source| KeyError::Create { path: path.display().to_string(), source };
        if let Some(folder) = path.parent().filter(|folder| !folder.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder).map_err(failed)?;
        }
        let key = ServiceKey::generate()?;
        match OpenOptions::new().write(true).create_new(true).mode(0o600).open(path) {
            Ok(mut file) => {
                file.write_all(format!("{}\n", hex::encode(key.0)).as_bytes()).map_err(failed)?;
                file.sync_all().map_err(failed)?;
                Ok(key)
            }
            Err(error) if error.kind() == ErrorKind::AlreadyExists => {
                ServiceKey::read(path)?.ok_or_else(|| failed(error))
            }
            Err(error) => Err(failed(error)),
        }
    }

    fn mac(&self, parts: &[&[u8]]) -> Hmac<Sha256> {
        // HMAC takes a key of any length: this cannot fail.
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0).unwrap_or_else(|_| unreachable!());
        for part in parts {
            // Each part with its length first, so no two lists of parts MAC alike.
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part);
        }
        mac
    }

    /// The hex HMAC-SHA-256 of `parts`.
    pub fn sign(&self, parts: &[&[u8]]) -> String {
        hex::encode(self.mac(parts).finalize().into_bytes())
    }

    /// Whether `tag` (hex) is the MAC of `parts`, compared in constant time.
    pub fn verify(&self, parts: &[&[u8]], tag: &str) -> bool {
        let Ok(tag) = ServiceKey::parse_tag(tag) else { return false };
        self.mac(parts).verify_slice(&tag).is_ok()
    }

    fn parse_tag(tag: &str) -> Result<Vec<u8>, ()> {
        if tag.len() != 64 || !tag.is_ascii() {
            return Err(());
        }
        (0..32).map(|at| u8::from_str_radix(&tag[at * 2..at * 2 + 2], 16).map_err(|_| ())).collect()
    }

    /// What the database keeps to tell this key from another.
    pub fn check_value(&self) -> String {
        self.sign(&[CHECK_TEXT])
    }

    /// The stored form of a code: the HMAC of its plain SHA-256 (hex), so
    /// that codes stored as SHA-256 before keys are rekeyed in place.
    pub fn fingerprint_of_digest(&self, sha256_hex: &str) -> String {
        self.sign(&[b"code", sha256_hex.as_bytes()])
    }
}

/// Where the key file is by default: `enkat.key` next to a SQLite database
/// file; `None` for PostgreSQL (several instances must share one key, so it
/// is given explicitly) or a database in memory.
pub fn default_key_file(database_url: &str) -> Option<PathBuf> {
    let path = database_url.strip_prefix("sqlite://").or_else(|| database_url.strip_prefix("sqlite:"))?;
    let path = path.split('?').next().unwrap_or_default();
    if path.is_empty() || path.contains(":memory:") {
        return None;
    }
    let folder = Path::new(path).parent().map(Path::to_path_buf).unwrap_or_default();
    Some(folder.join(DEFAULT_KEY_FILE))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_reads_back_from_its_file_and_refuses_garbage() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("nested/enkat.key");
        assert!(ServiceKey::read(&path).unwrap().is_none());
        let key = ServiceKey::create(&path).unwrap();
        let again = ServiceKey::read(&path).unwrap().unwrap();
        assert_eq!(key.check_value(), again.check_value());
        assert_eq!(ServiceKey::create(&path).unwrap().check_value(), key.check_value(), "never overwritten");
        std::fs::write(&path, "not a key").unwrap();
        assert!(matches!(ServiceKey::read(&path), Err(KeyError::Malformed(_))));
    }

    #[test]
    fn a_mac_verifies_only_its_own_parts_and_key() {
        let key = ServiceKey::generate().unwrap();
        let tag = key.sign(&[b"a", b"bc"]);
        assert!(key.verify(&[b"a", b"bc"], &tag));
        assert!(!key.verify(&[b"ab", b"c"], &tag), "parts are length-prefixed");
        assert!(!ServiceKey::generate().unwrap().verify(&[b"a", b"bc"], &tag));
        assert!(!key.verify(&[b"a", b"bc"], "zz"));
    }

    #[test]
    fn the_default_key_file_is_next_to_a_sqlite_database() {
        assert_eq!(default_key_file("sqlite://data/enkat.db"), Some(PathBuf::from("data/enkat.key")));
        assert_eq!(default_key_file("sqlite:///srv/e.db?mode=rwc"), Some(PathBuf::from("/srv/enkat.key")));
        assert_eq!(default_key_file("postgres://localhost/enkat"), None);
        assert_eq!(default_key_file("sqlite::memory:"), None);
    }
}
