//! The staff pages, in Swedish (the staff are Swedish municipal staff):
//! a frame with a small header instead of the respondents' exit link, the
//! login form, the start page, the audit log and the refusal pages. Every
//! interface string is in `text`.

use maud::{DOCTYPE, Markup, html};
use time::OffsetDateTime;
use time::macros::format_description;

use super::auth::{CSRF_FIELD, StaffUser};
use crate::store::AuditEvent;

/// Every interface string of the staff pages.
pub mod text {
    pub const SERVICE: &str = "enkat";
    pub const LOGGED_IN_AS: &str = "Inloggad som";
    pub const LOG_OUT: &str = "Logga ut";
    pub const LOGIN_TITLE: &str = "Logga in";
    pub const NAME_LABEL: &str = "Användarnamn";
    pub const PASSWORD_LABEL: &str = "Lösenord";
    pub const LOGIN_BUTTON: &str = "Logga in";
    pub const LOGIN_FAILED: &str = "Fel användarnamn eller lösenord.";
    pub const LOGIN_LOCKED: &str = "För många misslyckade inloggningar. Försök igen om en stund.";
    pub const LOGIN_BUSY: &str = "Inloggningen har många försök just nu. Vänta en halv minut och försök igen.";
    pub const CROSS_SITE_TITLE: &str = "Inloggningen kom från en annan webbplats";
    pub const CROSS_SITE_TEXT: &str = "Av säkerhetsskäl tas inloggningar bara emot från tjänstens egen inloggningssida. Du är inte inloggad och inget har ändrats. Öppna inloggningssidan direkt (skriv adressen eller använd ett bokmärke) och logga in där.";
    pub const START_TITLE: &str = "Enkäter";
    pub const START_INTRO: &str = "Enkäterna som tjänsten visar just nu, med antal svar från perioder som har avslutats (svar från den pågående perioden räknas inte förrän den är slut).";
    pub const COLUMN_QUESTIONNAIRE: &str = "Enkät";
    pub const COLUMN_RESPONSES: &str = "Svar, avslutade perioder";
    pub const NO_QUESTIONNAIRES: &str = "Tjänsten visar inga enkäter just nu.";
    pub const AUDIT_TITLE: &str = "Händelselogg";
    /// `{limit}` is replaced by the number of lines shown at most.
    pub const AUDIT_INTRO: &str = "De senaste {limit} händelserna, nyast först. Tider i UTC.";
    pub const AUDIT_FILTER: &str = "Visa bara";
    pub const AUDIT_ALL: &str = "Alla händelser";
    pub const AUDIT_SHOW: &str = "Visa";
    pub const AUDIT_EMPTY: &str = "Inga händelser.";
    pub const COLUMN_TIME: &str = "Tid (UTC)";
    pub const COLUMN_ACTOR: &str = "Vem";
    pub const COLUMN_ACTION: &str = "Händelse";
    pub const COLUMN_DETAILS: &str = "Detaljer";
    pub const NOT_LOGGED_IN_TITLE: &str = "Du är inte inloggad";
    pub const NOT_LOGGED_IN_TEXT: &str = "Sessionen kan ha gått ut. Inget har ändrats. Logga in igen.";
    pub const NOT_ADMIN_TITLE: &str = "Du saknar behörighet";
    pub const NOT_ADMIN_TEXT: &str = "Sidan är bara för administratörer.";
    pub const CSRF_TITLE: &str = "Formuläret har gått ut";
    pub const CSRF_TEXT: &str = "Inget har ändrats. Gå tillbaka, ladda om sidan och försök igen.";
    pub const TOKEN_REQUIRED_TITLE: &str = "Inloggning krävs";
    pub const TOKEN_REQUIRED_TEXT: &str =
        "Logga in för att hämta det här, eller använd en API-nyckel (Authorization: Bearer).";
    pub const NOT_FOUND_TITLE: &str = "Sidan finns inte";
    pub const NOT_FOUND_TEXT: &str = "Kontrollera adressen.";
    pub const BAD_REQUEST_TITLE: &str = "Formuläret kunde inte läsas";
    pub const BAD_REQUEST_TEXT: &str = "Inget har ändrats. Gå tillbaka och försök igen.";
    pub const UNAVAILABLE_TITLE: &str = "Något gick fel hos oss";
    pub const UNAVAILABLE_TEXT: &str = "Databasen svarar inte just nu. Inget har ändrats. Försök igen om en stund.";
    pub const TRY_AGAIN_TEXT: &str = "Inget har ändrats. Försök igen.";
    pub const FILE_FAILED_TEXT: &str = "Filen kunde inte skapas. Försök igen.";
    pub const NO_QUESTIONNAIRE_TITLE: &str = "Enkäten finns inte";
    pub const NO_QUESTIONNAIRE_TEXT: &str = "Tjänsten visar ingen enkät med det namnet.";
    pub const NO_LANGUAGE_TITLE: &str = "Enkäten finns inte på det språket";
    /// `{languages}` is replaced by the questionnaire's language codes.
    pub const NO_LANGUAGE_TEXT: &str =
        "Enkäten finns på de här språken: {languages}. Ange ett av dem, till exempel ?lang=sv.";
    pub const BAD_FILTER_TITLE: &str = "Filtret kunde inte användas";
    pub const NOT_CODED_TITLE: &str = "Enkäten använder inga koder";
    pub const NOT_CODED_TEXT: &str = "Alla med länken kan svara på den här enkäten. Skriv access = \"code\" i enkätfilen för att använda engångskoder.";
    pub const USES_CODES_TITLE: &str = "Enkäten besvaras med engångskoder";
    pub const USES_CODES_TEXT: &str = "Svarsfrekvensen räknas från de engångskoder som har delats ut. Antal erbjudna anges bara för enkäter som alla med länken kan svara på. Inget har ändrats.";
    pub const NO_BATCH_TITLE: &str = "Kodserien finns inte";
    pub const NO_BATCH_TEXT: &str = "Enkäten har ingen kodserie med det id:t.";
    pub const UNREADABLE_CODES_TITLE: &str = "Koderna kunde inte läsas";
    pub const UNREADABLE_CODES_TEXT: &str = "Inget har ändrats. Gå tillbaka till korten och försök igen.";
    pub const TO_LOGIN: &str = "Till inloggningen";
    pub const TO_START: &str = "Till startsidan";

    /// How the audit log names an action; others are shown as written.
    pub fn action_label(action: &str) -> Option<&'static str> {
        use crate::staff::action::*;
        Some(match action {
            LOGIN => "Inloggning",
            LOGIN_FAILED => "Misslyckad inloggning",
            LOGIN_REFUSED => "Inloggning spärrad",
            LOGOUT => "Utloggning",
            ACCOUNT_ADDED => "Konto skapat",
            PASSWORD_CHANGED => "Lösenord bytt",
            ACCOUNT_REMOVED => "Konto borttaget",
            TOKEN_CREATED => "API-nyckel skapad",
            TOKEN_REVOKED => "API-nyckel återkallad",
            EXPORT => "Export",
            CODES_CREATED => "Engångskoder skapade",
            CODES_REVOKED => "Engångskoder återkallade",
            ACCESSIBILITY_READ => "Tillgänglighetsrapporter lästa",
            ACCESSIBILITY_HANDLED => "Tillgänglighetsrapport hanterad",
            ACCESSIBILITY_DELETED => "Tillgänglighetsrapport borttagen",
            PAPER_ENTERED => "Papperssvar inmatade",
            _ => return None,
        })
    }
}

/// The `<head>` of every staff page, and of the committee's report.
pub fn staff_head(title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            meta name="robots" content="noindex, nofollow";
            meta name="referrer" content="no-referrer";
            title { (title) " – " (text::SERVICE) }
            link rel="stylesheet" href="/assets/enkat.css";
        }
    }
}

/// The frame of every staff page: no exit link (staff are not in danger
/// here), a small header with the service's name, who is logged in and a
/// logout button.
pub fn staff_layout(user: Option<&StaffUser>, title: &str, main: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="sv" dir="ltr" {
            (staff_head(title))
            body {
                header.staff-bar {
                    a.staff-home href="/staff" { (text::SERVICE) }
                    @if let Some(user) = user {
                        span.staff-user { span.visually-hidden { (text::LOGGED_IN_AS) " " } (user.name) }
                        form.staff-logout method="post" action="/staff/logout" {
                            (csrf_field(user))
                            button type="submit" { (text::LOG_OUT) }
                        }
                    }
                }
                main #main { (main) }
            }
        }
    }
}

/// The hidden field that proves a form came from one of this session's
/// pages; put it in every staff form that changes something.
pub fn csrf_field(user: &StaffUser) -> Markup {
    html! { input type="hidden" name=(CSRF_FIELD) value=(user.csrf_token); }
}

/// The login form, with `problem` above it after a failed attempt. `next`
/// is where to go afterwards; the name typed is kept.
pub fn login_page(options: LoginOptions<'_>, next: Option<&str>, name: &str, problem: Option<&str>) -> Markup {
    let body = html! {
        h1 { (text::LOGIN_TITLE) }
        @if let Some(problem) = problem {
            p.error-message role="alert" { (problem) }
        }
        @if let Some(provider) = options.provider {
            p { a.button.submit href="/staff/login/oidc" { "Logga in med " (provider) } }
        }
        @if options.local {
            form.staff-login method="post" action="/staff/login" {
                @if let Some(next) = next {
                    input type="hidden" name="next" value=(next);
                }
                label for="name" { (text::NAME_LABEL) }
                input #name type="text" name="name" value=(name) autocomplete="username" required
                    autocapitalize="none" spellcheck="false";
                label for="password" { (text::PASSWORD_LABEL) }
                input #password type="password" name="password" autocomplete="current-password" required;
                button.submit type="submit" { (text::LOGIN_BUTTON) }
            }
        }
    };
    staff_layout(None, text::LOGIN_TITLE, body)
}

/// What the login page offers: the name and password form, and the
/// organisation's OpenID provider by its name.
#[derive(Debug, Clone, Copy)]
pub struct LoginOptions<'a> {
    pub local: bool,
    pub provider: Option<&'a str>,
}

/// A questionnaire on the start page.
#[derive(Debug, Clone)]
pub struct ServedQuestionnaire {
    pub id: String,
    pub title: String,
    pub responses: u64,
    /// Whether the account may type in its paper forms (a coordinator).
    pub paper_entry: bool,
}

/// The start page: the questionnaires being served, each with its number
/// of responses and a link to its results.
pub fn start_page(user: &StaffUser, questionnaires: &[ServedQuestionnaire]) -> Markup {
    let body = html! {
        h1 { (text::START_TITLE) }
        @if questionnaires.is_empty() {
            p { (text::NO_QUESTIONNAIRES) }
        } @else {
            p { (text::START_INTRO) }
            table.staff-table {
                thead { tr { th scope="col" { (text::COLUMN_QUESTIONNAIRE) } th scope="col" { (text::COLUMN_RESPONSES) } } }
                tbody {
                    @for questionnaire in questionnaires {
                        tr {
                            td { a href={ "/staff/q/" (questionnaire.id) } { (questionnaire.title) } }
                            td.number { (questionnaire.responses) }
                        }
                    }
                }
            }
        }
        @if questionnaires.iter().any(|questionnaire| questionnaire.paper_entry) {
            h2 { "Papperssvar" }
            ul.paper-links {
                @for questionnaire in questionnaires.iter().filter(|questionnaire| questionnaire.paper_entry) {
                    li { a href={ "/staff/q/" (questionnaire.id) "/paper" } { "Mata in papperssvar: " (questionnaire.title) } }
                }
            }
        }
        @if user.grants.anywhere(crate::staff::UnitRole::Admin) {
            p { a href="/staff/admin/questionnaires" { "Enkätfiler: fel, versioner och förhandsvisning" } }
        }
        @if user.grants.is_global_admin() {
            p { a href="/staff/audit" { (text::AUDIT_TITLE) } }
        }
    };
    staff_layout(Some(user), text::START_TITLE, body)
}

/// The audit log for admins: the latest events, newest first, optionally
/// only one action.
pub fn audit_page(
    user: &StaffUser,
    events: &[AuditEvent],
    actions: &[String],
    selected: Option<&str>,
    limit: i64,
) -> Markup {
    let label = |action: &str| text::action_label(action).map_or_else(|| action.to_owned(), str::to_owned);
    let body = html! {
        h1 { (text::AUDIT_TITLE) }
        p { (text::AUDIT_INTRO.replace("{limit}", &limit.to_string())) }
        form.staff-filter method="get" action="/staff/audit" {
            label for="action" { (text::AUDIT_FILTER) }
            select #action name="action" {
                option value="" { (text::AUDIT_ALL) }
                @for action in actions {
                    option value=(action) selected[selected == Some(action.as_str())] { (label(action)) }
                }
            }
            button type="submit" { (text::AUDIT_SHOW) }
        }
        @if events.is_empty() {
            p { (text::AUDIT_EMPTY) }
        } @else {
            table.staff-table.audit {
                thead {
                    tr {
                        th scope="col" { (text::COLUMN_TIME) }
                        th scope="col" { (text::COLUMN_ACTOR) }
                        th scope="col" { (text::COLUMN_ACTION) }
                        th scope="col" { (text::COLUMN_DETAILS) }
                    }
                }
                tbody {
                    @for event in events {
                        tr data-action=(event.action) {
                            td { time datetime=(iso(event.at)) { (minute(event.at)) } }
                            td { @if event.actor.is_empty() { "–" } @else { (event.actor) } }
                            td { (label(&event.action)) }
                            td { (event.details) }
                        }
                    }
                }
            }
        }
    };
    staff_layout(Some(user), text::AUDIT_TITLE, body)
}

/// A page that only says something: why a request was refused or failed,
/// with a way on.
pub fn message_page(user: Option<&StaffUser>, title: &str, message: &str, link: (&str, &str)) -> Markup {
    let (href, link_text) = link;
    let body = html! {
        h1 { (title) }
        p { (message) }
        p { a href=(href) { (link_text) } }
    };
    staff_layout(user, title, body)
}

fn minute(moment: OffsetDateTime) -> String {
    moment.format(format_description!("[year]-[month]-[day] [hour]:[minute]")).unwrap_or_default()
}

fn iso(moment: OffsetDateTime) -> String {
    moment.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}
