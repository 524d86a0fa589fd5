//! One error for every staff page (`/staff/...`: the start page, results,
//! exports, codes, the admin pages): an extractor's refusal or a failure
//! while serving, each turned into a calm Swedish page with its status and
//! a way on. Failures of the service itself are logged here, once; the
//! page never shows their details. (Respondent pages have `WebError`;
//! an admin's preview of the form is a staff page, and has this one.)

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use super::views::{self, text};
use crate::codes::NoRandomness;
use crate::report::ReportError;
use crate::staff::{StaffError, UnitRole};
use crate::store::StoreError;

/// Why a staff request was not served.
#[derive(Debug, thiserror::Error)]
pub enum StaffPageError {
    /// A page was asked for without a session: log in, then come back.
    #[error("a staff page needs a session")]
    LoginRequired { next: String },
    /// A change was posted without a session.
    #[error("a staff change needs a session")]
    NotLoggedIn,
    #[error("the page is for admins only")]
    NotAdmin,
    /// The account holds a role in the questionnaire's unit, but a lower
    /// one than the page needs.
    #[error("the page needs the role {needed} in its unit, not {held}")]
    BelowRole { needed: UnitRole, held: UnitRole },
    #[error("the CSRF token is missing or wrong")]
    CsrfMismatch,
    /// The login form was posted from another site's page (login CSRF).
    #[error("a login was posted from another site")]
    CrossSiteLogin,
    /// An export was asked for without a session or a valid API token.
    #[error("a session or an API token is needed")]
    TokenRequired { next: String },
    #[error("no such staff page")]
    NotFound,
    #[error("no questionnaire `{0}`")]
    UnknownQuestionnaire(String),
    /// A language the questionnaire does not have; these are the ones it has.
    #[error("the questionnaire is not in that language")]
    UnknownLanguage(Vec<String>),
    /// A filter, breakdown or export option that cannot be used, said as
    /// the staff member should read it.
    #[error("{0}")]
    BadFilter(String),
    /// Codes were asked of a questionnaire anyone with the link may answer.
    #[error("the questionnaire is open to anyone with the link")]
    NotCoded,
    /// Offered counts were posted for a questionnaire answered with codes,
    /// whose rate counts the codes handed out instead.
    #[error("the questionnaire is answered with one-time codes")]
    UsesCodes,
    #[error("no such batch of this questionnaire")]
    NoSuchBatch,
    /// The codes sent back for a CSV file are not codes.
    #[error("the codes to download could not be read")]
    UnreadableCodes,
    #[error("the form could not be read: {0}")]
    UnreadableForm(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Staff(#[from] StaffError),
    #[error(transparent)]
    Report(#[from] ReportError),
    #[error(transparent)]
    Randomness(#[from] NoRandomness),
    #[error("a CSV file could not be written: {0}")]
    Csv(#[from] csv::Error),
}

/// A form field the questionnaire does not have (an admin's preview).
impl From<crate::questionnaire::UnknownField> for StaffPageError {
    fn from(error: crate::questionnaire::UnknownField) -> StaffPageError {
        StaffPageError::UnreadableForm(error.to_string())
    }
}

/// A form step naming a page the questionnaire does not have (an admin's preview).
impl From<crate::questionnaire::NoSuchPage> for StaffPageError {
    fn from(error: crate::questionnaire::NoSuchPage) -> StaffPageError {
        StaffPageError::UnreadableForm(error.to_string())
    }
}

/// `sv (Svenska), ar (العربية)`: each code with the language's own name.
fn language_list(codes: &[String]) -> String {
    let named: Vec<String> = codes
        .iter()
        .map(|code| match crate::locale::find(code) {
            Some(locale) => format!("{code} ({})", locale.name),
            None => code.clone(),
        })
        .collect();
    named.join(", ")
}

impl IntoResponse for StaffPageError {
    fn into_response(self) -> Response {
        let to_start = ("/staff", text::TO_START);
        let to_login = ("/staff/login", text::TO_LOGIN);
        let (status, title, message, link) = match &self {
            StaffPageError::LoginRequired { next } => return Redirect::to(&super::login_url(next)).into_response(),
            StaffPageError::TokenRequired { next } => {
                let login = super::login_url(next);
                let body = views::message_page(
                    None,
                    text::TOKEN_REQUIRED_TITLE,
                    text::TOKEN_REQUIRED_TEXT,
                    (&login, text::TO_LOGIN),
                );
                let challenge = [(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"))];
                return (StatusCode::UNAUTHORIZED, challenge, body).into_response();
            }
            StaffPageError::NotLoggedIn => {
                (StatusCode::FORBIDDEN, text::NOT_LOGGED_IN_TITLE, text::NOT_LOGGED_IN_TEXT.to_owned(), to_login)
            }
            StaffPageError::NotAdmin => {
                (StatusCode::FORBIDDEN, text::NOT_ADMIN_TITLE, text::NOT_ADMIN_TEXT.to_owned(), to_start)
            }
            StaffPageError::BelowRole { needed, held } => (
                StatusCode::FORBIDDEN,
                text::NOT_ADMIN_TITLE,
                format!(
                    "Det här kräver att du är {} för enheten. Ditt konto är {}. Fråga en administratör om du behöver mer.",
                    needed.label(),
                    held.label()
                ),
                to_start,
            ),
            StaffPageError::CsrfMismatch => {
                (StatusCode::FORBIDDEN, text::CSRF_TITLE, text::CSRF_TEXT.to_owned(), to_start)
            }
            StaffPageError::CrossSiteLogin => {
                (StatusCode::FORBIDDEN, text::CROSS_SITE_TITLE, text::CROSS_SITE_TEXT.to_owned(), to_login)
            }
            StaffPageError::NotFound => {
                (StatusCode::NOT_FOUND, text::NOT_FOUND_TITLE, text::NOT_FOUND_TEXT.to_owned(), to_start)
            }
            StaffPageError::UnknownQuestionnaire(_) => {
                (StatusCode::NOT_FOUND, text::NO_QUESTIONNAIRE_TITLE, text::NO_QUESTIONNAIRE_TEXT.to_owned(), to_start)
            }
            StaffPageError::UnknownLanguage(languages) => (
                StatusCode::NOT_FOUND,
                text::NO_LANGUAGE_TITLE,
                text::NO_LANGUAGE_TEXT.replace("{languages}", &language_list(languages)),
                to_start,
            ),
            StaffPageError::BadFilter(problem) => {
                (StatusCode::BAD_REQUEST, text::BAD_FILTER_TITLE, problem.clone(), to_start)
            }
            StaffPageError::NotCoded => {
                (StatusCode::CONFLICT, text::NOT_CODED_TITLE, text::NOT_CODED_TEXT.to_owned(), to_start)
            }
            StaffPageError::UsesCodes => {
                (StatusCode::CONFLICT, text::USES_CODES_TITLE, text::USES_CODES_TEXT.to_owned(), to_start)
            }
            StaffPageError::NoSuchBatch => {
                (StatusCode::NOT_FOUND, text::NO_BATCH_TITLE, text::NO_BATCH_TEXT.to_owned(), to_start)
            }
            StaffPageError::UnreadableCodes => (
                StatusCode::BAD_REQUEST,
                text::UNREADABLE_CODES_TITLE,
                text::UNREADABLE_CODES_TEXT.to_owned(),
                to_start,
            ),
            StaffPageError::UnreadableForm(_) => {
                (StatusCode::BAD_REQUEST, text::BAD_REQUEST_TITLE, text::BAD_REQUEST_TEXT.to_owned(), to_start)
            }
            StaffPageError::Store(error) => {
                tracing::error!(%error, "a staff page failed on the database");
                (StatusCode::SERVICE_UNAVAILABLE, text::UNAVAILABLE_TITLE, text::UNAVAILABLE_TEXT.to_owned(), to_start)
            }
            StaffPageError::Staff(error) => {
                tracing::error!(%error, "a staff page failed");
                (StatusCode::SERVICE_UNAVAILABLE, text::UNAVAILABLE_TITLE, text::UNAVAILABLE_TEXT.to_owned(), to_start)
            }
            StaffPageError::Randomness(error) => {
                tracing::error!(%error, "no randomness for a staff page");
                (StatusCode::SERVICE_UNAVAILABLE, text::UNAVAILABLE_TITLE, text::TRY_AGAIN_TEXT.to_owned(), to_start)
            }
            // Never with a code: csv::Error names positions, not values.
            StaffPageError::Report(_) | StaffPageError::Csv(_) => {
                tracing::error!(error = %self, "a file for staff could not be written");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    text::UNAVAILABLE_TITLE,
                    text::FILE_FAILED_TEXT.to_owned(),
                    to_start,
                )
            }
        };
        (status, views::message_page(None, title, &message, link)).into_response()
    }
}
