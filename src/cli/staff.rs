//! `enkat staff ...` and `enkat token ...`: staff accounts and API tokens,
//! managed on the server's command line. There is no web page for this on
//! purpose: whoever may run commands on the server already holds the database.

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use clap::Subcommand;
use time::OffsetDateTime;
use time::macros::format_description;

use super::{CLI_ACTOR, DatabaseArgs, run_to_completion};
use crate::clock::Clock;
use crate::staff::{AccountName, NewPassword, Secret, StaffError, action};
use crate::store::{Store, StoreError};

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

/// Why a staff or token command failed; printed as one line.
#[derive(Debug, thiserror::Error)]
enum CommandError {
    #[error(transparent)]
    Staff(#[from] StaffError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot read the password: {0}")]
    PasswordInput(std::io::Error),
    #[error("no password on standard input")]
    NoPassword,
    #[error("the two passwords differ")]
    PasswordsDiffer,
    #[error("an account named `{0}` already exists")]
    AccountExists(AccountName),
    #[error("there is no account named `{0}`")]
    NoSuchAccount(AccountName),
    #[error("there is no unrevoked API token with id {0}")]
    NoSuchToken(i64),
}

/// Runs `enkat staff ...`.
pub fn run_staff(command: StaffCommand) -> ExitCode {
    run_to_completion(staff(command))
}

/// Runs `enkat token ...`.
pub fn run_token(command: TokenCommand) -> ExitCode {
    run_to_completion(token(command))
}

async fn staff(command: StaffCommand) -> Result<(), CommandError> {
    let clock = Clock::utc();
    match command {
        StaffCommand::Add { name, admin, database } => {
            let name = AccountName::parse(&name)?;
            let store = Store::connect(&database.database_url).await?;
            if store.staff_credentials(name.as_str()).await?.is_some() {
                return Err(CommandError::AccountExists(name));
            }
            let hash = read_new_password(&name)?.hash()?;
            if !store.add_staff_account(name.as_str(), &hash, admin, clock.now_utc()).await? {
                return Err(CommandError::AccountExists(name));
            }
            let role = if admin { ", administratör" } else { "" };
            store
                .record_audit(CLI_ACTOR, action::ACCOUNT_ADDED, &format!("konto: {name}{role}"), clock.now_utc())
                .await?;
            println!("Account {name} added{}.", if admin { " (admin)" } else { "" });
            store.close().await;
        }
        StaffCommand::Passwd { name, database } => {
            let name = AccountName::parse(&name)?;
            let store = Store::connect(&database.database_url).await?;
            if store.staff_credentials(name.as_str()).await?.is_none() {
                return Err(CommandError::NoSuchAccount(name));
            }
            let hash = read_new_password(&name)?.hash()?;
            if !store.change_staff_password(name.as_str(), &hash).await? {
                return Err(CommandError::NoSuchAccount(name));
            }
            store.record_audit(CLI_ACTOR, action::PASSWORD_CHANGED, &format!("konto: {name}"), clock.now_utc()).await?;
            println!("Password of {name} changed; its sessions have ended.");
            store.close().await;
        }
        StaffCommand::Remove { name, database } => {
            let name = AccountName::parse(&name)?;
            let store = Store::connect(&database.database_url).await?;
            let Some(revoked) = store.remove_staff_account(name.as_str(), clock.now_utc()).await? else {
                return Err(CommandError::NoSuchAccount(name));
            };
            let details = format!("konto: {name}, {revoked} API-nycklar återkallade");
            store.record_audit(CLI_ACTOR, action::ACCOUNT_REMOVED, &details, clock.now_utc()).await?;
            println!("Account {name} removed; its sessions have ended and {revoked} API token(s) were revoked.");
            store.close().await;
        }
        StaffCommand::List { database } => {
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
        }
    }
    Ok(())
}

async fn token(command: TokenCommand) -> Result<(), CommandError> {
    let clock = Clock::utc();
    match command {
        TokenCommand::Create { name, label, database } => {
            let name = AccountName::parse(&name)?;
            let store = Store::connect(&database.database_url).await?;
            let token = Secret::generate()?;
            let now = clock.now_utc();
            let Some(id) = store.create_api_token(name.as_str(), &token.fingerprint(), &label, now).await? else {
                return Err(CommandError::NoSuchAccount(name));
            };
            let details = format!("nyckel {id} för {name}, etikett: {label}");
            store.record_audit(CLI_ACTOR, action::TOKEN_CREATED, &details, clock.now_utc()).await?;
            // The token alone on stdout, so a script can capture it.
            println!("{}", token.expose());
            eprintln!("API token {id} for {name} created. It is shown only this once: keep it somewhere safe.");
            eprintln!("Send it as the header `Authorization: Bearer <token>`.");
            store.close().await;
        }
        TokenCommand::List { database } => {
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
        }
        TokenCommand::Revoke { id, database } => {
            let store = Store::connect(&database.database_url).await?;
            let Some(account) = store.revoke_api_token(id, clock.now_utc()).await? else {
                return Err(CommandError::NoSuchToken(id));
            };
            store
                .record_audit(CLI_ACTOR, action::TOKEN_REVOKED, &format!("nyckel {id} för {account}"), clock.now_utc())
                .await?;
            println!("API token {id} of {account} revoked.");
            store.close().await;
        }
    }
    Ok(())
}

/// The new password for `name`: asked for twice on a terminal, without
/// echo; otherwise one line of standard input, so scripts can pipe it in.
fn read_new_password(name: &AccountName) -> Result<NewPassword, CommandError> {
    let stdin = std::io::stdin();
    let password = if stdin.is_terminal() {
        let first =
            rpassword::prompt_password(format!("New password for {name}: ")).map_err(CommandError::PasswordInput)?;
        let again = rpassword::prompt_password("The same again: ").map_err(CommandError::PasswordInput)?;
        if first != again {
            return Err(CommandError::PasswordsDiffer);
        }
        first
    } else {
        let mut line = String::new();
        if stdin.lock().read_line(&mut line).map_err(CommandError::PasswordInput)? == 0 {
            return Err(CommandError::NoPassword);
        }
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
