//! `enkat backup` and `enkat purge`: looking after the stored responses.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, ensure};
use clap::Args;

use super::{DatabaseArgs, TimeZoneArgs, run_to_completion};
use crate::retention::RetentionPeriod;
use crate::store::Store;

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

pub fn backup(args: BackupArgs) -> ExitCode {
    run_to_completion(write_backup(args))
}

pub fn purge(args: PurgeArgs) -> ExitCode {
    run_to_completion(delete_old_responses(args))
}

/// Copies the database to a `.partial` file next to the target and renames
/// it when complete, so a backup that fails half-way never looks finished.
async fn write_backup(args: BackupArgs) -> anyhow::Result<()> {
    let target = &args.file;
    ensure!(!target.exists(), "{} already exists: choose a new file name, a backup never overwrites", target.display());
    let store = Store::open_read_only(&args.database.database_url).await?;
    let partial = partial_path(target);
    let cannot_write = || format!("cannot write the backup {}", target.display());
    match std::fs::remove_file(&partial) {
        Ok(()) => {}
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
        Err(error) => return Err(error).with_context(cannot_write),
    }
    store.backup_to(&partial).await?;
    store.close().await;
    // The copy holds every answer: only its owner may read it.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&partial, std::fs::Permissions::from_mode(0o600)).with_context(cannot_write)?;
    }
    std::fs::rename(&partial, target).with_context(cannot_write)?;
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
async fn delete_old_responses(args: PurgeArgs) -> anyhow::Result<()> {
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
