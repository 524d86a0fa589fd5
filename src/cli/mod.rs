//! The command line: `enkat serve` (the default), `enkat check`, and `enkat staff`
//! and `enkat token` for staff accounts and API tokens, `enkat export`,
//! `enkat codes` for one-time codes, `enkat print` for paper forms, `enkat seed` for synthetic responses,
//! `enkat schema` for editors, and `enkat backup` and `enkat purge` for the
//! stored responses.

mod against;
mod codes;
mod export;
pub mod key;
mod maintenance;
mod print;
mod reload;
pub mod seed;
mod staff;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use tracing_subscriber::EnvFilter;

use crate::accessibility::Statement;
use crate::clock::Clock;
use crate::codes::ServiceKey;
use crate::questionnaire::{self, LiveCatalog, Problem, Questionnaire, versions};
use crate::retention::{self, RetentionPeriod};
use crate::staff::StaffSettings;
use crate::store::Store;
use crate::web::statement::StatementState;
use crate::web::{self, AppState, SafetySettings};

/// Anonymous user surveys for social services.
#[derive(Debug, Parser)]
#[command(version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the questionnaires (the default when no command is given).
    Serve(Box<ServeArgs>),
    /// Check questionnaire files without starting anything; prints every
    /// problem as `file:line:column: message`.
    Check {
        /// Files, or folders whose `*.toml` files are checked.
        #[arg(default_value = "questionnaires")]
        paths: Vec<PathBuf>,
        /// Also compare the files with the versions stored in this database
        /// (sqlite://FILE or postgres://...), read-only: warn about edits that
        /// split results, refuse those that loosen privacy settings.
        #[arg(long, value_name = "DATABASE_URL")]
        against: Option<String>,
    },
    /// Manage staff accounts: add, passwd, remove, list.
    #[command(subcommand)]
    Staff(staff::StaffCommand),
    /// Manage API tokens for scripts that fetch exports: create, list, revoke.
    #[command(subcommand)]
    Token(staff::TokenCommand),
    /// Write the results of a questionnaire to a file: the summary, or
    /// every response, as CSV or xlsx.
    Export(export::ExportArgs),
    /// One-time codes of questionnaires with `access = "code"`: create, list, revoke.
    #[command(subcommand)]
    Codes(codes::CodesCommand),
    /// Write a questionnaire as a paper form: one HTML document to print on
    /// A4, the same as the staff page `/staff/q/{id}/print`.
    Print(print::PrintArgs),
    /// Store synthetic responses to a questionnaire, for trying out reports
    /// and load at scale. Never on a database with real answers.
    Seed(seed::SeedArgs),
    /// Print the JSON Schema of the questionnaire file format, for editors
    /// (docs/questionnaire.schema.json is this output).
    Schema,
    /// Copy a SQLite database to a file while the service runs (for
    /// PostgreSQL use pg_dump).
    Backup(maintenance::BackupArgs),
    /// Delete responses older than a retention period; prints counts only.
    Purge(maintenance::PurgeArgs),
}

/// Runs one command's work to completion on a small runtime, printing its
/// error if it fails: the exit code says whether it went well.
fn run_to_completion(work: impl Future<Output = anyhow::Result<()>>) -> ExitCode {
    let outcome = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
        .and_then(|runtime| runtime.block_on(work));
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {}", error_line(&error));
            ExitCode::FAILURE
        }
    }
}

/// An error and its causes on one line, joined by `: ` as anyhow's `{:#}`
/// does, except that the lower layers' errors (the store's, the key's)
/// already end with their cause: once a cause is said, the rest of the
/// chain is too, and is not repeated.
fn error_line(error: &anyhow::Error) -> String {
    let mut line = error.to_string();
    for cause in error.chain().skip(1) {
        let cause = cause.to_string();
        if line.ends_with(&cause) {
            break;
        }
        line.push_str(": ");
        line.push_str(&cause);
    }
    line
}

/// The audit log's actor for whatever is done on the command line.
const CLI_ACTOR: &str = "cli";

/// Which database to use: the same option and variable for every command.
#[derive(Debug, Args)]
struct DatabaseArgs {
    /// Where responses are stored: sqlite://FILE or postgres://...
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/enkat.db", hide_env_values = true)]
    database_url: String,
}

/// Where the questionnaire files are: the same option for every command
/// that reads them.
#[derive(Debug, Args)]
struct QuestionnairesArgs {
    /// Folder of questionnaire files (`*.toml`).
    #[arg(long, env = "ENKAT_QUESTIONNAIRES", default_value = "questionnaires")]
    questionnaires: PathBuf,
}

impl QuestionnairesArgs {
    fn folder(&self) -> &Path {
        &self.questionnaires
    }

    /// The questionnaire `id` from the files in the folder; every problem
    /// of the files, or that there is no such questionnaire, otherwise.
    fn questionnaire(&self, id: &str) -> anyhow::Result<Arc<Questionnaire>> {
        let catalog = questionnaire::load_dir(self.folder()).map_err(|problems| {
            let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
            anyhow::anyhow!("the questionnaires could not be loaded:\n{}", problems.join("\n"))
        })?;
        let found = catalog
            .get(id)
            .with_context(|| format!("there is no questionnaire `{id}` in the questionnaires folder"))?;
        Ok(found.clone())
    }
}

/// The service's time zone: the same option for every command that needs
/// to know what day it is.
#[derive(Debug, Args)]
struct TimeZoneArgs {
    /// The service's time zone: it decides what day it is, for opening and
    /// closing dates, stored dates and which reporting periods have closed.
    #[arg(long, env = "ENKAT_TIME_ZONE", default_value = "Europe/Stockholm")]
    time_zone: String,
}

impl TimeZoneArgs {
    /// The real clock in this time zone.
    fn clock(&self) -> Result<Clock, crate::clock::UnknownTimeZone> {
        Clock::system(&self.time_zone)
    }
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "ENKAT_LISTEN", default_value = "127.0.0.1:3000")]
    listen: SocketAddr,
    #[command(flatten)]
    database: DatabaseArgs,
    #[command(flatten)]
    key: key::KeyArgs,
    #[command(flatten)]
    questionnaires: QuestionnairesArgs,
    /// The address people use to reach the service (scheme, host, any path
    /// prefix), for links printed on cards and in QR codes.
    #[arg(long, env = "ENKAT_PUBLIC_URL", default_value = "http://127.0.0.1:3000")]
    public_url: String,
    #[command(flatten)]
    time_zone: TimeZoneArgs,
    /// Send the staff session cookie only over HTTPS. Set to false only for
    /// plain-HTTP use on your own machine.
    #[arg(long, env = "ENKAT_COOKIE_SECURE", default_value_t = true, action = clap::ArgAction::Set)]
    cookie_secure: bool,
    /// The neutral site "Lämna sidan" and Shift pressed three times lead to.
    #[arg(long, env = "ENKAT_EXIT_URL", default_value = "https://www.smhi.se/")]
    exit_url: String,
    /// Who is responsible for the stored answers, as shown on the privacy page
    /// (`/integritet`). Set it to your organisation and how to reach it.
    #[arg(long, env = "ENKAT_PRIVACY_CONTACT", default_value = "Uppsala kommun, socialförvaltningen")]
    privacy_contact: String,
    /// Your organisation's accessibility statement (a TOML file: see
    /// docs/accessibility.md), shown at `/tillganglighet`. Read once at
    /// start; a broken file refuses to start. Unset: enkat's own statement.
    #[arg(long, env = "ENKAT_ACCESSIBILITY_STATEMENT", value_name = "FILE")]
    accessibility_statement: Option<PathBuf>,
    /// Send `Strict-Transport-Security`: only when the service is reached over HTTPS.
    #[arg(long, env = "ENKAT_HSTS", default_value_t = false, action = clap::ArgAction::Set)]
    hsts: bool,
    /// Reload a questionnaire as soon as its file changes. SIGHUP reloads
    /// either way (for folders where change events do not arrive).
    #[arg(long, env = "ENKAT_WATCH", default_value_t = true, action = clap::ArgAction::Set)]
    watch: bool,
    /// Delete responses older than this (such as 3y) at start and then
    /// daily. Unset, responses are kept until `enkat purge` deletes them.
    #[arg(long, env = "ENKAT_RETENTION", value_name = "PERIOD")]
    retention: Option<RetentionPeriod>,
    /// Seconds a client may take to send a request (headers, then body)
    /// before it gets 408 or is disconnected; also the longest a stop
    /// waits for requests under way.
    #[arg(long, env = "ENKAT_REQUEST_TIMEOUT", default_value_t = web::DEFAULT_REQUEST_TIMEOUT.as_secs())]
    request_timeout: u64,
    #[command(flatten)]
    oidc: OidcArgs,
}

/// Staff sign-in with the organisation's OpenID provider (README.md, "Sign
/// in with Entra ID / Keycloak"; docs/roles.md for the role mapping).
#[derive(Debug, Args)]
struct OidcArgs {
    /// The OpenID provider's issuer, e.g.
    /// https://login.microsoftonline.com/TENANT/v2.0: staff may sign in with
    /// it. Unset: no sign-in with a provider.
    #[arg(long, env = "ENKAT_OIDC_ISSUER", value_name = "URL")]
    oidc_issuer: Option<String>,
    /// The client (application) id registered at the provider.
    #[arg(long, env = "ENKAT_OIDC_CLIENT_ID", requires = "oidc_issuer")]
    oidc_client_id: Option<String>,
    /// The client secret (better: --oidc-client-secret-file).
    #[arg(long, env = "ENKAT_OIDC_CLIENT_SECRET", hide_env_values = true, conflicts_with = "oidc_client_secret_file")]
    oidc_client_secret: Option<String>,
    /// A file holding the client secret (surrounding white space ignored).
    #[arg(long, env = "ENKAT_OIDC_CLIENT_SECRET_FILE", value_name = "FILE")]
    oidc_client_secret_file: Option<PathBuf>,
    /// The redirect URI registered at the provider:
    /// https://YOUR-HOST/staff/login/oidc/callback.
    #[arg(long, env = "ENKAT_OIDC_REDIRECT_URL", value_name = "URL")]
    oidc_redirect_url: Option<String>,
    /// The provider's name on the login button ("Logga in med NAME") and
    /// with the accounts it signs in, e.g. "Uppsala kommun".
    #[arg(long, env = "ENKAT_OIDC_NAME", default_value = "din organisation")]
    oidc_name: String,
    /// The ID token claim that lists the person's groups.
    #[arg(long, env = "ENKAT_OIDC_GROUPS_CLAIM", default_value = "groups")]
    oidc_groups_claim: String,
    /// What a group gives: GROUP=UNIT:ROLE (ROLE viewer, coordinator or
    /// admin; UNIT `*` for every unit) or GROUP=admin for a global admin.
    /// Repeat it; in the variable, separate them with `;`.
    #[arg(long = "oidc-role", env = "ENKAT_OIDC_ROLES", value_name = "GROUP=UNIT:ROLE", value_delimiter = ';')]
    oidc_roles: Vec<crate::staff::oidc::RoleMapping>,
    /// Offer the name and password form. Off, only the provider signs staff in.
    #[arg(long, env = "ENKAT_LOCAL_LOGIN", default_value_t = true, action = clap::ArgAction::Set)]
    local_login: bool,
}

impl OidcArgs {
    /// The provider's settings, if one is configured; every missing piece
    /// is an error, not a silently disabled sign-in.
    fn settings(&self) -> anyhow::Result<Option<web::staff::OidcSettings>> {
        let Some(issuer) = &self.oidc_issuer else {
            anyhow::ensure!(self.local_login, "--local-login false needs an OpenID provider (--oidc-issuer)");
            return Ok(None);
        };
        let client_id = self.oidc_client_id.clone().context("--oidc-issuer needs --oidc-client-id")?;
        let client_secret = match (&self.oidc_client_secret, &self.oidc_client_secret_file) {
            (Some(secret), _) => secret.clone(),
            (None, Some(path)) => std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the client secret file {}", path.display()))?
                .trim()
                .to_owned(),
            (None, None) => anyhow::bail!("--oidc-issuer needs --oidc-client-secret or --oidc-client-secret-file"),
        };
        let redirect_url = self.oidc_redirect_url.clone().context("--oidc-issuer needs --oidc-redirect-url")?;
        if self.oidc_roles.is_empty() {
            tracing::warn!("no --oidc-role is set: nobody can sign in with the OpenID provider");
        }
        Ok(Some(web::staff::OidcSettings {
            issuer: issuer.clone(),
            client_id,
            client_secret,
            redirect_url,
            name: self.oidc_name.clone(),
            groups_claim: self.oidc_groups_claim.clone(),
            roles: self.oidc_roles.clone(),
        }))
    }
}

/// Runs a parsed command line; the exit code says whether it went well.
pub fn run(cli: Cli) -> ExitCode {
    // Every file a command creates (the database, exports, code lists,
    // backups, the key) is its owner's alone, from the moment it exists.
    rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
    match cli.command {
        Some(Command::Check { paths, against }) => check(&paths, against.as_deref()),
        Some(Command::Serve(args)) => serve(*args),
        Some(Command::Staff(command)) => staff::run_staff(command),
        Some(Command::Token(command)) => staff::run_token(command),
        Some(Command::Export(args)) => export::run(args),
        Some(Command::Codes(command)) => codes::run(command),
        Some(Command::Backup(args)) => maintenance::backup(args),
        Some(Command::Purge(args)) => maintenance::purge(args),
        Some(Command::Seed(args)) => seed::run(args),
        Some(Command::Print(args)) => print::run(args),
        Some(Command::Schema) => {
            println!("{}", questionnaire::json_schema());
            ExitCode::SUCCESS
        }
        None => serve(cli.serve),
    }
}

/// Creates (or empties) `path` for an export or a list of codes, readable
/// and writable by its owner only, even where the umask is wider or the file
/// was already there: such files hold answers or codes that open the form.
pub(crate) fn create_private_file(path: &std::path::Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let file = std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(path)?;
    file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    Ok(file)
}

fn check(paths: &[PathBuf], against: Option<&str>) -> ExitCode {
    // The interface text comes first: questionnaires are checked against
    // its languages, and reading a broken locale file would stop the check.
    let locale_problems = crate::locale::check();
    if !locale_problems.is_empty() {
        for problem in &locale_problems {
            eprintln!("{problem}");
        }
        eprintln!("{} problem(s) found in enkat's interface text", locale_problems.len());
        return ExitCode::FAILURE;
    }
    match questionnaire::load_paths(paths) {
        Ok(catalog) => {
            for questionnaire in catalog.iter() {
                println!(
                    "{}: {} questions in {}, version {}",
                    questionnaire.id,
                    questionnaire.questions.len(),
                    questionnaire.languages.join(", "),
                    questionnaire.version
                );
            }
            if catalog.is_empty() {
                let named: Vec<String> = paths.iter().map(|path| path.display().to_string()).collect();
                eprintln!("no questionnaire files (*.toml) found in {}", named.join(", "));
                return ExitCode::FAILURE;
            }
            match against {
                Some(url) => against::run(&catalog, url),
                None => ExitCode::SUCCESS,
            }
        }
        Err(problems) => {
            print_problems(&problems);
            ExitCode::FAILURE
        }
    }
}

fn print_problems(problems: &[Problem]) {
    for problem in problems {
        eprintln!("{problem}");
    }
    eprintln!("{} problem(s) found", problems.len());
}

fn serve(args: ServeArgs) -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .init();
    let live = match LiveCatalog::open(args.questionnaires.folder()) {
        Ok(live) if live.catalog().is_empty() => {
            tracing::error!(folder = %args.questionnaires.folder().display(), "no questionnaire files (*.toml) found");
            return ExitCode::FAILURE;
        }
        Ok(live) => Arc::new(live),
        Err(problems) => {
            print_problems(&problems);
            return ExitCode::FAILURE;
        }
    };
    let statement = match read_statement(args.accessibility_statement.as_deref()) {
        Ok(statement) => statement,
        Err(error) => {
            tracing::error!("{}", error_line(&error));
            return ExitCode::FAILURE;
        }
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            tracing::error!(%error, "cannot start the async runtime");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(serve_catalog(args, live, statement)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{}", error_line(&error));
            ExitCode::FAILURE
        }
    }
}

async fn serve_catalog(args: ServeArgs, live: Arc<LiveCatalog>, statement: Statement) -> anyhow::Result<()> {
    // The exit must lead somewhere else entirely: a typo here would leave a
    // person in a hurry on a broken or relative link.
    anyhow::ensure!(
        args.exit_url.starts_with("https://") || args.exit_url.starts_with("http://"),
        "--exit-url must be a full http(s) address of a neutral site, not `{}`",
        args.exit_url
    );
    // Before the database is touched: a sign-in set up wrong changes nothing.
    let oidc = oidc_login(&args.oidc).await?;
    let store = Store::connect(&args.database.database_url).await?;
    // Before anything is served: a wrong or lost key refuses to start.
    let (service_key, notes) = key::service_key(&args.key, &args.database.database_url, &store).await?;
    for note in notes {
        tracing::warn!("{note}");
    }
    let clock = args.time_zone.clock()?;
    register_versions(&store, &live, &clock).await?;
    // Kept for as long as the service runs: dropping it stops the watching.
    let _watcher = reload::spawn(live.clone(), store.clone(), clock.clone(), args.watch)?;
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let address = listener.local_addr()?;
    announce(&store, &live, address, args.cookie_secure);
    spawn_daily_work(&store, &clock, args.retention);
    spawn_counting_breakdowns(store.clone(), live.clone(), clock.clone());
    let request_timeout = std::time::Duration::from_secs(args.request_timeout);
    let mut state = app_state(args, live, store.clone(), clock.clone(), service_key, statement);
    state.oidc = oidc;
    let app = web::app_with_timeout(state, request_timeout);
    web::serve(listener, app, request_timeout, shutdown_signal()).await;
    web::respondent_log::report(clock.today());
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Stores each served questionnaire's version before it is served (a
/// response always finds its version), refusing one that loosens promises.
async fn register_versions(store: &Store, live: &LiveCatalog, clock: &Clock) -> anyhow::Result<()> {
    let today = clock.today();
    let catalog = live.catalog();
    for questionnaire in catalog.iter() {
        refuse_loosening(store, questionnaire).await?;
        store.register_version(questionnaire, today).await?;
        reload::log_stale_translations(store, &catalog, questionnaire).await;
    }
    Ok(())
}

/// Logs where the service and each questionnaire are reached.
fn announce(store: &Store, live: &LiveCatalog, address: SocketAddr, cookie_secure: bool) {
    tracing::info!(database = store.kind(), "listening on http://{address}");
    for questionnaire in live.catalog().iter() {
        tracing::info!(
            version = %questionnaire.version,
            "questionnaire {} at http://{address}/s/{}",
            questionnaire.id,
            questionnaire.id
        );
    }
    if !cookie_secure {
        tracing::warn!(
            "staff session cookies are sent without `Secure`: use this only over plain HTTP on your own machine"
        );
    }
}

/// What runs beside the requests: forgetting submissions, the daily report
/// of failures respondents met, and the retention purge if a period is set.
fn spawn_daily_work(store: &Store, clock: &Clock, retention: Option<RetentionPeriod>) {
    web::reach::spawn_forgetting_submissions(store.clone(), clock.clone());
    web::respondent_log::spawn_daily_report(clock.clone());
    match retention {
        Some(period) => retention::spawn_daily_purge(store.clone(), clock.clone(), period),
        None => tracing::info!("no retention period set: responses are kept until `enkat purge` deletes them"),
    }
}

/// Counts the breakdowns of periods that have closed (`Store::count_breakdowns`)
/// a minute after the start and then every hour, so that staff asking for
/// one rarely wait for the counting (minutes for a million responses never
/// counted). Nothing to do takes one query per background question.
fn spawn_counting_breakdowns(store: Store, live: Arc<LiveCatalog>, clock: Clock) {
    tokio::spawn(async move {
        let start = tokio::time::Instant::now() + std::time::Duration::from_secs(60);
        let mut hourly = tokio::time::interval_at(start, std::time::Duration::from_secs(60 * 60));
        loop {
            hourly.tick().await;
            for questionnaire in live.catalog().iter() {
                if let Err(error) = store.count_breakdowns(questionnaire, clock.today()).await {
                    tracing::warn!(%error, questionnaire = %questionnaire.id, "breakdowns could not be counted ahead");
                }
            }
        }
    });
}

/// The accessibility statement at `path`, or enkat's own without one. A
/// file that cannot be read or has a mistake stops the start, with its
/// line and column: a wrong statement must not be published.
fn read_statement(path: Option<&std::path::Path>) -> anyhow::Result<Statement> {
    let Some(path) = path else { return Ok(Statement::default()) };
    let source = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the accessibility statement {}", path.display()))?;
    Ok(crate::accessibility::parse(&path.display().to_string(), &source)?)
}

fn app_state(
    args: ServeArgs,
    live: Arc<LiveCatalog>,
    store: Store,
    clock: Clock,
    key: ServiceKey,
    statement: Statement,
) -> AppState {
    AppState {
        catalog: live,
        store,
        staff: StaffSettings {
            cookie_secure: args.cookie_secure,
            local_login: args.oidc.local_login,
            ..StaffSettings::default()
        },
        clock,
        public_url: args.public_url.trim_end_matches('/').into(),
        codes: Arc::default(),
        key: Arc::new(key),
        safety: Arc::new(SafetySettings {
            exit_url: args.exit_url,
            privacy_contact: args.privacy_contact,
            hsts: args.hsts,
        }),
        accessibility: Arc::new(StatementState::new(statement)),
        oidc: None,
    }
}

/// The OpenID provider, if configured, discovered before anything is
/// served: a wrong issuer or an unreachable provider refuses to start.
async fn oidc_login(args: &OidcArgs) -> anyhow::Result<Option<Arc<web::staff::OidcLogin>>> {
    let Some(settings) = args.settings()? else { return Ok(None) };
    let login = web::staff::OidcLogin::new(settings)?;
    login.discover().await?;
    tracing::info!("staff may sign in with {}", login.name());
    Ok(Some(Arc::new(login)))
}

/// Refuses to start with a questionnaire that weakens a privacy setting
/// compared with its last stored version, once it has answers: the people
/// who answered were promised otherwise.
async fn refuse_loosening(store: &Store, questionnaire: &Questionnaire) -> anyhow::Result<()> {
    if store.count_responses(&questionnaire.id).await? == 0 {
        return Ok(());
    }
    let versions = store.versions(&questionnaire.id).await?;
    let Some(last) = versions.iter().rev().find(|stored| stored.version != questionnaire.version.as_str()) else {
        return Ok(());
    };
    let Some(Ok(stored)) = store.stored_questionnaire(&questionnaire.id, &last.version).await? else {
        return Ok(());
    };
    let refused = versions::loosenings(&stored, questionnaire);
    let reasons: Vec<String> = refused.iter().map(ToString::to_string).collect();
    anyhow::ensure!(
        reasons.is_empty(),
        "questionnaire {} has answers, and its file loosens what they were promised in version {}: {}",
        questionnaire.id,
        last.version,
        reasons.join("; ")
    );
    Ok(())
}

/// Ctrl-C or SIGTERM: stop taking requests, finish those under way.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("stopping");
}
