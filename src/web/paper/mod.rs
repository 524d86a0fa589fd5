//! `/staff/q/{id}/paper`: a member of staff types in a paper form (issue
//! 18). The whole questionnaire on one screen, in order; on send it goes
//! through the same validation and conditions as a web answer, with the
//! paper channel's differences (`Channel::enforces_required`,
//! `Channel::refuses_skipped_answers`), and is stored through the same
//! group-commit writer with `Channel::Paper`. Nothing in the response says
//! who typed it in; the audit log counts the forms per staff member,
//! questionnaire and day (`Store::count_in_audit`), never which or when.

mod fields;
mod view;

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Extension, Router};
use maud::Markup;
use serde::Deserialize;

use super::codes::{self, SentCode};
use super::reach::SubmissionToken;
use super::staff::{CsrfChecked, StaffPageError, StaffUser};
use super::{AppState, WebError};
use crate::questionnaire::protocol::{CODE_FIELD, LANGUAGE_FIELD, SUBMISSION_FIELD};
use crate::questionnaire::{AnswerError, Channel, FormInput, Questionnaire, validate_from};
use crate::report::period::{Period, closes_on};
use crate::staff::UnitRole;
use crate::staff::action;
use crate::store::{NewResponse, ResponseWriter, Stored};
use fields::{EntryFields, PERIOD_FIELD};

/// At most how many reporting periods before the current one a batch of
/// paper forms may be dated in (only those not yet closed are offered).
const EARLIER_PERIODS: usize = 3;

/// What the audit log counts.
const COUNTED: &str = "formulär";

/// The route, listed in `STAFF_ROUTES`.
pub fn router() -> Router<AppState> {
    Router::new().route("/staff/q/{id}/paper", get(show_entry).post(enter_form))
}

/// After a stored form: `?sparat=3` (the staff member's count today), or
/// `?sparat=igen` (the same form sent twice, stored once); the batch's
/// period and language are kept for the next form.
#[derive(Debug, Default, Deserialize)]
struct AfterStored {
    sparat: Option<String>,
    #[serde(default)]
    period: String,
    #[serde(default)]
    sprak: String,
}

/// What the page says above the form.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Notice {
    None,
    /// Stored; the staff member has typed in this many today.
    Stored(i64),
    /// The same form (its token) was stored before: nothing more stored.
    AlreadyStored,
    /// Refused: what the staff member must fix, by field or question.
    Problems(Problems),
}

/// Everything wrong with an entry: the staff-side fields' problems, by
/// field name, and the answers' problems.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Problems {
    fields: BTreeMap<&'static str, String>,
    answers: Vec<AnswerError>,
}

async fn show_entry(
    user: StaffUser,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(after): Query<AfterStored>,
) -> Result<Markup, StaffPageError> {
    // Paper entry is the everyday work of the unit's coordinators.
    let questionnaire = user.questionnaire(&state, &id, UnitRole::Coordinator)?;
    let token = SubmissionToken::generate().map_err(|error| StaffPageError::UnreadableForm(error.to_string()))?;
    // The batch's period and language carry over; the answers never do.
    let mut pairs = vec![(SUBMISSION_FIELD.to_owned(), token.as_str().to_owned())];
    pairs.push((PERIOD_FIELD.to_owned(), after.period));
    pairs.push((LANGUAGE_FIELD.to_owned(), questionnaire.language(Some(&after.sprak)).to_owned()));
    let input = FormInput::new(&questionnaire, pairs)?;
    let notice = match after.sparat.as_deref() {
        Some("igen") => Notice::AlreadyStored,
        Some(count) => count.parse().map_or(Notice::None, Notice::Stored),
        None => Notice::None,
    };
    Ok(page(&state, &user, &questionnaire, &input, &notice))
}

async fn enter_form(
    State(state): State<AppState>,
    Extension(writer): Extension<ResponseWriter>,
    Path(id): Path<String>,
    CsrfChecked(user, pairs): CsrfChecked<Vec<(String, String)>>,
) -> Result<Response, StaffPageError> {
    // Paper entry is the everyday work of the unit's coordinators.
    let questionnaire = user.questionnaire(&state, &id, UnitRole::Coordinator)?;
    let input = FormInput::new(&questionnaire, pairs)?;
    let today = state.clock.today();
    let periods = periods(&questionnaire, today);
    let entry = EntryFields::of(&input).parse(&questionnaire, &periods);
    // Both checked before anything is stored, so every problem shows at once.
    let answers = validate_from(Channel::Paper, &questionnaire, &input);
    let (entry, answers) = match (entry, answers) {
        (Ok(entry), Ok(answers)) => (entry, answers),
        (entry, answers) => {
            let problems =
                Problems { fields: entry.err().unwrap_or_default(), answers: answers.err().unwrap_or_default() };
            return Ok(refused(&state, &user, &questionnaire, &input, problems));
        }
    };
    let submitted_on = match entry.period {
        Some(period) => questionnaire.date_precision.first_within(period.first_day()),
        None => questionnaire.date_precision.coarsen(today),
    };
    let submission = SubmissionToken::hash_of_sent(&input);
    let response = NewResponse {
        questionnaire: &questionnaire,
        language: &entry.language,
        submitted_on,
        answers: &answers,
        submission: submission.as_deref(),
        channel: Channel::Paper,
    };
    let code = entry.code.map(SentCode::on_paper);
    let stored = match codes::store_response(&state, &writer, &response, false, code.as_ref()).await {
        Ok(stored) => stored,
        Err(WebError::Code(refusal)) => {
            let message = match refusal.status() {
                StatusCode::TOO_MANY_REQUESTS => {
                    "Många felaktiga koder har prövats i tjänsten just nu. Vänta en minut och spara igen."
                }
                _ => "Koden är redan använd eller finns inte. Kontrollera koden på formuläret.",
            };
            let fields = BTreeMap::from([(CODE_FIELD, message.to_owned())]);
            let problems = Problems { fields, answers: Vec::new() };
            return Ok(refused(&state, &user, &questionnaire, &input, problems));
        }
        Err(WebError::Store(error)) => return Err(error.into()),
        Err(other) => return Err(StaffPageError::UnreadableForm(other.to_string())),
    };
    let sparat = match stored {
        Stored::New(_) => {
            let count = state
                .store
                .count_in_audit(&user.name, action::PAPER_ENTERED, &questionnaire.id, COUNTED, today)
                .await?;
            count.to_string()
        }
        // A double click: stored the first time, counted then.
        Stored::Duplicate => "igen".to_owned(),
    };
    let query = serde_urlencoded::to_string([
        ("sparat", sparat.as_str()),
        ("period", input.value(PERIOD_FIELD)),
        ("sprak", entry.language.as_str()),
    ])
    .unwrap_or_default();
    Ok(Redirect::to(&format!("/staff/q/{}/paper?{query}", questionnaire.id)).into_response())
}

/// The form again, with what was typed and what to fix (422).
fn refused(
    state: &AppState,
    user: &StaffUser,
    questionnaire: &Questionnaire,
    input: &FormInput,
    problems: Problems,
) -> Response {
    let page = page(state, user, questionnaire, input, &Notice::Problems(problems));
    (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
}

fn page(
    state: &AppState,
    user: &StaffUser,
    questionnaire: &Questionnaire,
    input: &FormInput,
    notice: &Notice,
) -> Markup {
    let today = state.clock.today();
    let periods = periods(questionnaire, today);
    view::entry_page(user, questionnaire, input, notice, &periods, questionnaire.date_precision.coarsen(today))
}

/// The periods a batch of forms may be dated in, newest first: the current
/// one and those before it that have not closed yet (with weekly dates, the
/// previous month stays open into the first days of the next). Never a
/// closed one: its figures have been shown, and a form added to it would
/// be the difference between two downloads (docs/privacy.md, rule 1).
fn periods(questionnaire: &Questionnaire, today: time::Date) -> Vec<Period> {
    let current = Period::containing(questionnaire.report_period, today);
    std::iter::successors(Some(current), |period| Some(period.previous()))
        .take(EARLIER_PERIODS + 1)
        .take_while(|period| closes_on(*period, questionnaire.date_precision) > today)
        .collect()
}
