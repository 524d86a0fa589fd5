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
use crate::staff::{AccountName, EVERY_UNIT, NewPassword, Secret, UnitRole, action};
use crate::store::Store;

/// `enkat staff ...`
#[derive(Debug, Subcommand)]
pub enum StaffCommand {
    /// Create an account. The password is asked for twice without echo, or
    /// read as one line from standard input when that is not a terminal.
    Add {
        /// 1-64 characters: lowercase letters a-z, digits, `.`, `-`, `_`.
        name: String,
        /// A global admin: every unit, the audit log and the accessibility
        /// reports. Without it the account may do nothing until it is
        /// granted a role in a unit (`enkat staff grant`).
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
    /// Grant an account a role in a unit of the organisation (a
    /// questionnaire's `unit`, its id by default), replacing the role it
    /// held there: `viewer` (results, summary exports, the report),
    /// `coordinator` (and codes, paper entry, offered counts) or `admin`
    /// (and whole responses, the unit's questionnaire files). Unit `*` is
    /// every unit.
    Grant {
        name: String,
        #[arg(long, value_parser = parse_unit)]
        unit: String,
        #[arg(long, value_parser = parse_role)]
        role: UnitRole,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Take back the role an account holds in a unit.
    Revoke {
        name: String,
        #[arg(long, value_parser = parse_unit)]
        unit: String,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// List the accounts and their roles.
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
            StaffCommand::Grant { name, unit, role, database } => {
                grant_role(&name, &unit, role, &database, &clock).await
            }
            StaffCommand::Revoke { name, unit, database } => revoke_role(&name, &unit, &database, &clock).await,
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
    if admin {
        println!("Account {name} added (admin).");
    } else {
        println!("Account {name} added. It may do nothing yet: enkat staff grant {name} --unit UNIT --role viewer");
    }
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

/// `--unit`: a unit written like a questionnaire id, or `*` for every unit.
fn parse_unit(text: &str) -> Result<String, String> {
    let valid = text == EVERY_UNIT
        || (text.len() <= 64
            && text.starts_with(|c: char| c.is_ascii_lowercase())
            && text.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_'));
    if valid {
        Ok(text.to_owned())
    } else {
        Err("a unit is written like a questionnaire id (a-z, 0-9, - and _, starting with a letter), or * for every unit"
            .to_owned())
    }
}

/// `--role viewer|coordinator|admin`.
fn parse_role(text: &str) -> Result<UnitRole, String> {
    UnitRole::parse(text).ok_or_else(|| "the role is viewer, coordinator or admin".to_owned())
}

async fn grant_role(
    name: &str,
    unit: &str,
    role: UnitRole,
    database: &DatabaseArgs,
    clock: &Clock,
) -> anyhow::Result<()> {
    let name = AccountName::parse(name)?;
    let store = Store::connect(&database.database_url).await?;
    ensure!(store.grant_role(name.as_str(), unit, role).await?, no_such_account(&name));
    let details = format!("konto: {name}, enhet: {unit}, roll: {role}");
    store.record_audit(CLI_ACTOR, action::ROLE_GRANTED, &details, clock.now_utc()).await?;
    println!("{name} is now {role} in {}.", if unit == EVERY_UNIT { "every unit" } else { unit });
    store.close().await;
    Ok(())
}

async fn revoke_role(name: &str, unit: &str, database: &DatabaseArgs, clock: &Clock) -> anyhow::Result<()> {
    let name = AccountName::parse(name)?;
    let store = Store::connect(&database.database_url).await?;
    ensure!(store.revoke_role(name.as_str(), unit).await?, "{name} holds no role in the unit {unit}");
    let details = format!("konto: {name}, enhet: {unit}");
    store.record_audit(CLI_ACTOR, action::ROLE_REVOKED, &details, clock.now_utc()).await?;
    println!("{name} holds no role in {unit} any more; its open sessions see that at their next page.");
    store.close().await;
    Ok(())
}

async fn list_accounts(database: &DatabaseArgs) -> anyhow::Result<()> {
    let store = Store::connect(&database.database_url).await?;
    let grants = store.all_grants().await?;
    // How each account signs in: a password, or its OpenID provider's name.
    let providers: std::collections::HashMap<String, String> = store.oidc_providers().await?.into_iter().collect();
    let rows: Vec<[String; 5]> = store
        .staff_accounts()
        .await?
        .into_iter()
        .map(|account| {
            let admin = if account.is_admin { "yes" } else { "no" };
            let roles: Vec<String> = grants
                .iter()
                .filter(|(holder, _, _)| *holder == account.name)
                .map(|(_, unit, role)| format!("{unit}:{role}"))
                .collect();
            let roles = match (account.is_admin, roles.is_empty()) {
                (true, _) => format!("{EVERY_UNIT}:admin"),
                (false, true) => "-".to_owned(),
                (false, false) => roles.join(","),
            };
            let sign_in = providers.get(&account.name).cloned().unwrap_or_else(|| "password".to_owned());
            [account.name, admin.to_owned(), roles, date(account.created_at), sign_in]
        })
        .collect();
    print_table(["NAME", "ADMIN", "ROLES", "CREATED", "SIGN-IN"], &rows);
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
