//! `enkat backup` and `enkat purge`: looking after the stored responses.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use super::{DatabaseArgs, TimeZoneArgs, run_to_completion};
use crate::retention::RetentionPeriod;
use crate::store::{Store, StoreError};

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The file to write the copy to; it must not exist yet.
    file: PathBuf,
    #[command(flatten)]
    database: DatabaseArgs,
}

#[derive(Debug, Args)]
pub struct PurgeArgs {
    /// Delete responses older than this: whole years, months, weeks or days,
    /// such as 3y, 18 months or 90d.
    #[arg(long, value_name = "PERIOD")]
    older_than: RetentionPeriod,
    /// Only say how many responses would be deleted.
    #[arg(long)]
    dry_run: bool,
    #[command(flatten)]
    time_zone: TimeZoneArgs,
    #[command(flatten)]
    database: DatabaseArgs,
}

/// Why a backup or a purge did not happen.
#[derive(Debug, thiserror::Error)]
enum MaintenanceError {
    #[error("{0} already exists: choose a new file name, a backup never overwrites")]
    Exists(String),
    #[error("cannot write the backup {file}: {source}")]
    Write { file: String, source: std::io::Error },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    TimeZone(#[from] crate::clock::UnknownTimeZone),
}

pub fn backup(args: BackupArgs) -> ExitCode {
    run_to_completion(write_backup(args))
}

pub fn purge(args: PurgeArgs) -> ExitCode {
    run_to_completion(delete_old_responses(args))
}

/// Copies the database to a `.partial` file next to the target and renames
/// it when complete, so a backup that fails half-way never looks finished.
async fn write_backup(args: BackupArgs) -> Result<(), MaintenanceError> {
    let target = &args.file;
    if target.exists() {
        return Err(MaintenanceError::Exists(target.display().to_string()));
    }
    let store = Store::open_read_only(&args.database.database_url).await?;
    let partial = partial_path(target);
    let write_error = |source| MaintenanceError::Write { file: target.display().to_string(), source };
    match std::fs::remove_file(&partial) {
        Ok(()) => {}
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
        Err(error) => return Err(write_error(error)),
    }
    store.backup_to(&partial).await?;
    store.close().await;
    // The copy holds every answer: only its owner may read it.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&partial, std::fs::Permissions::from_mode(0o600)).map_err(write_error)?;
    }
    std::fs::rename(&partial, target).map_err(write_error)?;
    let copy = Store::open_read_only(&format!("sqlite://{}", target.display())).await?;
    let responses = copy.count_all_responses().await?;
    copy.close().await;
    println!("backed up {responses} responses to {}", target.display());
    Ok(())
}

fn partial_path(target: &Path) -> PathBuf {
    let mut name = target.file_name().unwrap_or_default().to_owned();
    name.push(".partial");
    target.with_file_name(name)
}

/// Deletes responses past the retention period and says how many, and how
/// many are kept: counts only, never what was in them.
async fn delete_old_responses(args: PurgeArgs) -> Result<(), MaintenanceError> {
    let today = args.time_zone.clock()?.today();
    let first_kept = args.older_than.first_day_kept(today);
    let store = Store::connect_existing(&args.database.database_url).await?;
    let outcome = if args.dry_run {
        let old = store.count_responses_before(first_kept).await?;
        format!("would delete {old} responses dated before {first_kept} (older than {})", args.older_than)
    } else {
        let deleted = store.delete_responses_before(first_kept).await?;
        format!("deleted {deleted} responses dated before {first_kept} (older than {})", args.older_than)
    };
    let kept = store.count_all_responses().await?;
    store.close().await;
    println!("{outcome}; {kept} responses kept");
    Ok(())
}
