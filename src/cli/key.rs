//! The service key on the command line: where it is read from, created on
//! first start, and checked against the database before anything is served.

use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::Args;

use crate::codes::ServiceKey;
use crate::codes::key::default_key_file;
use crate::store::{KeyAdoption, Store};

/// The environment variable that may hold the key itself (64 hex digits),
/// instead of a file: for several instances sharing one PostgreSQL.
pub const KEY_VARIABLE: &str = "ENKAT_KEY";

/// Where the service key is: the same option for every command that needs it.
#[derive(Debug, Args)]
pub struct KeyArgs {
    /// The file holding the service key that one-time codes are stored
    /// under (an HMAC key, 64 hex digits), kept outside the database and
    /// backed up apart from it. Created, readable by its owner only, on
    /// first start. Default: enkat.key next to a SQLite database; with
    /// PostgreSQL give this or the key itself in ENKAT_KEY (the same key for
    /// every instance).
    #[arg(long, env = "ENKAT_KEY_FILE", value_name = "FILE")]
    pub key_file: Option<PathBuf>,
}

/// The service key for the database at `database_url`, checked against it:
/// from `ENKAT_KEY`, else from the key file, which is created only for a
/// database that never had a key. On first use the database's codes are
/// rekeyed under it (once). Refuses a key other than the database's, and a
/// missing file for a database that has a key, saying what to do. Also
/// returns what the operator should be told (a new key file to back up).
pub async fn service_key(
    args: &KeyArgs,
    database_url: &str,
    store: &Store,
) -> anyhow::Result<(ServiceKey, Vec<String>)> {
    let mut notes = Vec::new();
    // Set but empty counts as not set.
    let (key, source) = match std::env::var(KEY_VARIABLE).ok().filter(|text| !text.trim().is_empty()) {
        Some(text) => (ServiceKey::parse(&text, KEY_VARIABLE)?, KEY_VARIABLE.to_owned()),
        None => key_from_file(args, database_url, store, &mut notes).await?,
    };
    match store.adopt_key(&key).await? {
        KeyAdoption::Adopted { rekeyed } if rekeyed > 0 => {
            notes.push(format!("{rekeyed} stored one-time codes are now kept under the service key"));
        }
        KeyAdoption::Adopted { .. } | KeyAdoption::Same => {}
        KeyAdoption::Different => {
            bail!(
                "the service key from {source} is not the one this database was set up with: every one-time code \
                 would be refused. Nothing was changed. Start with the right key (restore the key file from its \
                 backup, or give every instance the same ENKAT_KEY). If the right key is lost for good: revoke \
                 every batch (`enkat codes revoke`), run `enkat codes forget-key`, start again, and print new cards."
            );
        }
    }
    Ok((key, notes))
}

/// The key from the key file, created only for a database that never had
/// a key; also returns the file's name, for the errors.
async fn key_from_file(
    args: &KeyArgs,
    database_url: &str,
    store: &Store,
    notes: &mut Vec<String>,
) -> anyhow::Result<(ServiceKey, String)> {
    let path = args.key_file.clone().or_else(|| default_key_file(database_url)).context(
        "with PostgreSQL the service key must be given: --key-file FILE (ENKAT_KEY_FILE) or the key in \
         ENKAT_KEY, the same for every instance on this database (see README, \"The service key\")",
    )?;
    let shown = path.display().to_string();
    match ServiceKey::read(&path)? {
        Some(key) => {
            if let Some(mode) = readable_by_others(&path) {
                notes.push(format!(
                    "the service key file {shown} can be read by other users (mode {mode:o}): `chmod 600` it"
                ));
            }
            Ok((key, shown))
        }
        None if store.has_key().await? => {
            bail!(
                "the service key file {shown} is missing, but this database was set up with a key: without \
                 it no unused one-time code can be checked. Restore the key file from its backup (or give \
                 the key in ENKAT_KEY). If it is lost for good: revoke every batch (`enkat codes revoke`), \
                 run `enkat codes forget-key`, start again for a new key, and print new cards."
            );
        }
        None => {
            let key = ServiceKey::create(&path)?;
            notes.push(format!(
                "created a new service key in {shown}: back this file up, apart from the database backups"
            ));
            Ok((key, shown))
        }
    }
}

/// The permission bits of a key file that others than its owner may read
/// or write, if any.
fn readable_by_others(path: &std::path::Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
    (mode & 0o077 != 0).then_some(mode)
}
