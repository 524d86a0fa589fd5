//! `enkat staff ...` and `enkat token ...`: staff accounts and API tokens,
//! managed on the server's command line. There is no web page for this on
//! purpose: whoever may run commands on the server already holds the database.

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use anyhow::{Context, anyhow, ensure};
use clap::Subcommand;
use time::OffsetDateTime;
use time::macros::format_description;

use super::{CLI_ACTOR, DatabaseArgs, run_to_completion};
use crate::clock::Clock;
use crate::staff::{AccountName, NewPassword, Secret, action};
use crate::store::Store;

/// `enkat staff ...`
#[derive(Debug, Subcommand)]
pub enum StaffCommand {
    /// Create an account. The password is asked for twice without echo, or
    /// read as one line from standard input when that is not a terminal.
    Add {
        /// 1-64 characters: lowercase letters a-z, digits, `.`, `-`, `_`.
        name: String,
        /// The account may also see the audit log.
        #[arg(long)]
        admin: bool,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Change an account's password; its sessions end.
    Passwd {
        name: String,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Remove an account; its sessions end and its API tokens are revoked.
    Remove {
        name: String,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// List the accounts.
    List {
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

/// `enkat token ...`
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Issue an API token for scripts that fetch exports. It is printed once;
    /// only its SHA-256 is stored.
    Create {
        /// The account the token acts as.
        name: String,
        /// What the token is for, to recognise it in `enkat token list`.
        #[arg(long, default_value = "")]
        label: String,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// List the API tokens (never the tokens themselves).
    List {
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Revoke an API token, by the id `enkat token list` shows.
    Revoke {
        id: i64,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

/// Runs `enkat staff ...`.
pub fn run_staff(command: StaffCommand) -> ExitCode {
    // Accounts and audit lines are stamped in UTC: no date is shown but theirs.
    let clock = Clock::utc();
    run_to_completion(async move {
        match command {
            StaffCommand::Add { name, admin, database } => add_account(&name, admin, &database, &clock).await,
            StaffCommand::Passwd { name, database } => change_password(&name, &database, &clock).await,
            StaffCommand::Remove { name, database } => remove_account(&name, &database, &clock).await,
            StaffCommand::List { database } => list_accounts(&database).await,
        }
    })
}

/// Runs `enkat token ...`.
pub fn run_token(command: TokenCommand) -> ExitCode {
    let clock = Clock::utc();
    run_to_completion(async move {
        match command {
            TokenCommand::Create { name, label, database } => create_token(&name, &label, &database, &clock).await,
            TokenCommand::List { database } => list_tokens(&database).await,
            TokenCommand::Revoke { id, database } => revoke_token(id, &database, &clock).await,
        }
    })
}

async fn add_account(name: &str, admin: bool, database: &DatabaseArgs, clock: &Clock) -> anyhow::Result<()> {
    let name = AccountName::parse(name)?;
    let store = Store::connect(&database.database_url).await?;
    let exists = || anyhow!("an account named `{name}` already exists");
    if store.staff_credentials(name.as_str()).await?.is_some() {
        return Err(exists());
    }
    let hash = read_new_password(&name)?.hash()?;
    if !store.add_staff_account(name.as_str(), &hash, admin, clock.now_utc()).await? {
        return Err(exists());
    }
    let role = if admin { ", administratör" } else { "" };
    store.record_audit(CLI_ACTOR, action::ACCOUNT_ADDED, &format!("konto: {name}{role}"), clock.now_utc()).await?;
    println!("Account {name} added{}.", if admin { " (admin)" } else { "" });
    store.close().await;
    Ok(())
}

async fn change_password(name: &str, database: &DatabaseArgs, clock: &Clock) -> anyhow::Result<()> {
    let name = AccountName::parse(name)?;
    let store = Store::connect(&database.database_url).await?;
    ensure!(store.staff_credentials(name.as_str()).await?.is_some(), no_such_account(&name));
    let hash = read_new_password(&name)?.hash()?;
    ensure!(store.change_staff_password(name.as_str(), &hash).await?, no_such_account(&name));
    store.record_audit(CLI_ACTOR, action::PASSWORD_CHANGED, &format!("konto: {name}"), clock.now_utc()).await?;
    println!("Password of {name} changed; its sessions have ended.");
    store.close().await;
    Ok(())
}

async fn remove_account(name: &str, database: &DatabaseArgs, clock: &Clock) -> anyhow::Result<()> {
    let name = AccountName::parse(name)?;
    let store = Store::connect(&database.database_url).await?;
    let revoked =
        store.remove_staff_account(name.as_str(), clock.now_utc()).await?.ok_or_else(|| no_such_account(&name))?;
    let details = format!("konto: {name}, {revoked} API-nycklar återkallade");
    store.record_audit(CLI_ACTOR, action::ACCOUNT_REMOVED, &details, clock.now_utc()).await?;
    println!("Account {name} removed; its sessions have ended and {revoked} API token(s) were revoked.");
    store.close().await;
    Ok(())
}

async fn list_accounts(database: &DatabaseArgs) -> anyhow::Result<()> {
    let store = Store::connect(&database.database_url).await?;
    let rows: Vec<[String; 3]> = store
        .staff_accounts()
        .await?
        .into_iter()
        .map(|account| {
            let admin = if account.is_admin { "yes" } else { "no" };
            [account.name, admin.to_owned(), date(account.created_at)]
        })
        .collect();
    print_table(["NAME", "ADMIN", "CREATED"], &rows);
    store.close().await;
    Ok(())
}

async fn create_token(name: &str, label: &str, database: &DatabaseArgs, clock: &Clock) -> anyhow::Result<()> {
    let name = AccountName::parse(name)?;
    let store = Store::connect(&database.database_url).await?;
    let token = Secret::generate()?;
    let id = store
        .create_api_token(name.as_str(), &token.fingerprint(), label, clock.now_utc())
        .await?
        .ok_or_else(|| no_such_account(&name))?;
    let details = format!("nyckel {id} för {name}, etikett: {label}");
    store.record_audit(CLI_ACTOR, action::TOKEN_CREATED, &details, clock.now_utc()).await?;
    // The token alone on stdout, so a script can capture it.
    println!("{}", token.expose());
    eprintln!("API token {id} for {name} created. It is shown only this once: keep it somewhere safe.");
    eprintln!("Send it as the header `Authorization: Bearer <token>`.");
    store.close().await;
    Ok(())
}

async fn list_tokens(database: &DatabaseArgs) -> anyhow::Result<()> {
    let store = Store::connect(&database.database_url).await?;
    let rows: Vec<[String; 5]> = store
        .api_tokens()
        .await?
        .into_iter()
        .map(|token| {
            let revoked = token.revoked_at.map_or_else(|| "-".to_owned(), date);
            [token.id.to_string(), token.account, token.label, date(token.created_at), revoked]
        })
        .collect();
    print_table(["ID", "ACCOUNT", "LABEL", "CREATED", "REVOKED"], &rows);
    store.close().await;
    Ok(())
}

async fn revoke_token(id: i64, database: &DatabaseArgs, clock: &Clock) -> anyhow::Result<()> {
    let store = Store::connect(&database.database_url).await?;
    let account = store
        .revoke_api_token(id, clock.now_utc())
        .await?
        .with_context(|| format!("there is no unrevoked API token with id {id}"))?;
    store
        .record_audit(CLI_ACTOR, action::TOKEN_REVOKED, &format!("nyckel {id} för {account}"), clock.now_utc())
        .await?;
    println!("API token {id} of {account} revoked.");
    store.close().await;
    Ok(())
}

fn no_such_account(name: &AccountName) -> anyhow::Error {
    anyhow!("there is no account named `{name}`")
}

/// The new password for `name`: asked for twice on a terminal, without
/// echo; otherwise one line of standard input, so scripts can pipe it in.
fn read_new_password(name: &AccountName) -> anyhow::Result<NewPassword> {
    const CANNOT_READ: &str = "cannot read the password";
    let stdin = std::io::stdin();
    let password = if stdin.is_terminal() {
        let first = rpassword::prompt_password(format!("New password for {name}: ")).context(CANNOT_READ)?;
        let again = rpassword::prompt_password("The same again: ").context(CANNOT_READ)?;
        ensure!(first == again, "the two passwords differ");
        first
    } else {
        let mut line = String::new();
        ensure!(stdin.lock().read_line(&mut line).context(CANNOT_READ)? > 0, "no password on standard input");
        let line = line.strip_suffix('\n').unwrap_or(&line);
        line.strip_suffix('\r').unwrap_or(line).to_owned()
    };
    Ok(NewPassword::parse(name, password)?)
}

fn date(moment: OffsetDateTime) -> String {
    moment.format(format_description!("[year]-[month]-[day]")).unwrap_or_default()
}

/// Left-aligned columns, two spaces apart, headed by `headings`.
fn print_table<const N: usize>(headings: [&str; N], rows: &[[String; N]]) {
    let mut widths = headings.map(|heading| heading.chars().count());
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> = cells.iter().zip(widths).map(|(cell, width)| format!("{cell:<width$}")).collect();
        println!("{}", padded.join("  ").trim_end());
    };
    line(headings.to_vec());
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
}
