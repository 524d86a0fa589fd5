//! `/staff/q/{id}/erbjudna`: how many people were offered an open
//! questionnaire in each reporting period, recorded by staff, and the
//! response rates they give (`report::rate` has the rule). Any staff member
//! may record a number, as they may hand out codes: it is everyday work,
//! and the audit log keeps who set which number for which period.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use maud::{Markup, html};
use serde::Deserialize;

use super::AppState;
use super::staff::{StaffPageError, StaffUser, csrf_field, staff_layout};
use super::views::charts::percent;
use crate::questionnaire::{Access, Questionnaire};
use crate::report::period::Period;
use crate::report::rate::{MAX_OFFERED, NoRate, OfferedEntry, PeriodRate};
use crate::staff::UnitRole;
use crate::staff::action;
use crate::store::ResponseRates;

/// The route, listed in `STAFF_ROUTES`.
pub fn router() -> Router<AppState> {
    Router::new().route("/staff/q/{id}/erbjudna", get(show_offered).post(record_offered))
}

/// The form: a period id and a number, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
struct OfferedForm {
    #[serde(default)]
    period: String,
    #[serde(default)]
    offered: String,
}

async fn show_offered(
    user: StaffUser,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Markup, StaffPageError> {
    let questionnaire = user.questionnaire(&state, &id, UnitRole::Coordinator)?;
    let today = state.clock.today();
    let rates = rates(&state, &questionnaire).await?;
    let values = OfferedForm { period: suggested_period(&rates), offered: String::new() };
    Ok(offered_page(&user, &questionnaire, &rates, &[], &values, today))
}

async fn record_offered(
    State(state): State<AppState>,
    Path(id): Path<String>,
    super::staff::CsrfChecked(user, form): super::staff::CsrfChecked<OfferedForm>,
) -> Result<Response, StaffPageError> {
    let questionnaire = user.questionnaire(&state, &id, UnitRole::Coordinator)?;
    if questionnaire.access == Access::Code {
        return Err(StaffPageError::UsesCodes);
    }
    let today = state.clock.today();
    let entry = match OfferedEntry::parse(&questionnaire, &form.period, &form.offered, today) {
        Ok(entry) => entry,
        Err(problems) => {
            let rates = rates(&state, &questionnaire).await?;
            let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
            let page = offered_page(&user, &questionnaire, &rates, &problems, &form, today);
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let before = state.store.offered_counts(&questionnaire).await?.get(&entry.period).copied();
    state.store.record_offered(&id, entry.period, entry.offered).await?;
    let replaced = before.map(|before| format!(" (ersätter {before})")).unwrap_or_default();
    let details = format!("{id}: {}: {} erbjudna{replaced}", entry.period, entry.offered);
    state.store.record_audit(&user.name, action::OFFERED_RECORDED, &details, state.clock.now_utc()).await?;
    Ok(Redirect::to(&format!("/staff/q/{id}/erbjudna")).into_response())
}

/// The latest closed period: the one staff most often have a number for.
fn suggested_period(rates: &ResponseRates) -> String {
    rates
        .periods
        .iter()
        .rev()
        .find(|rate| rate.rate != Err(NoRate::Running))
        .map(|rate| rate.from.to_string())
        .unwrap_or_default()
}

/// A questionnaire's rates today.
async fn rates(state: &AppState, questionnaire: &Questionnaire) -> Result<ResponseRates, StaffPageError> {
    let today = state.clock.today();
    let disclosure = state.store.disclosure(questionnaire, today).await?;
    Ok(state.store.response_rates(questionnaire, &disclosure, today).await?)
}

fn title(questionnaire: &Questionnaire) -> &str {
    questionnaire.title.get(questionnaire.language(Some("sv")))
}

/// The rate of a period in words: "25,0 % (30 av 120)", or why there is none.
pub(super) fn rate_text(rate: &PeriodRate) -> String {
    match rate.rate {
        Ok(rate) => format!("{} ({} av {})", percent(rate.share()), rate.responses, rate.asked),
        Err(reason) => reason.text(),
    }
}

/// The page: the recorded numbers and rates per period, and the form (with
/// `problems` after a refused entry, keeping what was typed).
fn offered_page(
    user: &StaffUser,
    questionnaire: &Questionnaire,
    rates: &ResponseRates,
    problems: &[String],
    values: &OfferedForm,
    today: time::Date,
) -> Markup {
    let coded = questionnaire.access == Access::Code;
    let example = Period::containing(questionnaire.report_period, today).to_string();
    let body = html! {
        p.breadcrumb {
            a href="/staff" { "Enkäter" } " / "
            a href={ "/staff/q/" (questionnaire.id) } { "Resultat" }
        }
        h1 { "Svarsfrekvens: " (title(questionnaire)) }
        p.rate-rule {
            "Svarsfrekvensen för en avslutad period är antalet svar som resultatsidan visar för perioden, delat med "
            @if coded {
                "antalet engångskoder som kunde användas under perioden: koder i kodserier skapade senast periodens sista dag, "
                "utom återkallade oanvända koder och koder som använts i tidigare perioder."
            } @else {
                "antalet personer som erbjöds enkäten under perioden."
            }
            " Svar från små grupper som räknas ihop med en längre period ingår i den längre periodens svarsfrekvens. "
            "Ingen svarsfrekvens visas för en period som pågår, när antalet saknas eller när för få svar visas för perioden."
        }
        @if coded {
            p { "Enkäten besvaras med engångskoder, så antalet erbjudna är de koder som har delats ut ("
                a href={ "/staff/q/" (questionnaire.id) "/codes" } { "Engångskoder" } ")." }
        }
        @if rates.periods.is_empty() {
            p { "Inga perioder ännu." }
        } @else {
            table.staff-table.offered-counts {
                thead {
                    tr {
                        th scope="col" { "Period" }
                        th scope="col" { @if coded { "Koder som kunde användas" } @else { "Erbjudna" } }
                        th scope="col" { "Svar" }
                        th scope="col" { "Svarsfrekvens" }
                    }
                }
                tbody {
                    @for rate in rates.periods.iter().rev() {
                        tr data-period=(rate.from) {
                            th scope="row" { (rate.from.label()) }
                            td.number.offered { @match rate.asked { Some(asked) => (asked), None => "–" } }
                            td.number.responses {
                                @if rate.rate == Err(NoRate::Running) || rate.rate == Err(NoRate::TooFew) { "–" } @else { (rate.responses) }
                            }
                            td.rate { (rate_text(rate)) }
                        }
                    }
                }
            }
        }
        @if !coded {
            section aria-labelledby="record-offered" {
                h2 #record-offered { "Ange antal erbjudna" }
                p.hint { "Ett nytt antal för en period ersätter det som angavs förut. Vem som angav vilket antal sparas i händelseloggen." }
                @if !problems.is_empty() {
                    div.error-message role="alert" {
                        @for problem in problems {
                            p { (problem) }
                        }
                    }
                }
                form.offered method="post" action={ "/staff/q/" (questionnaire.id) "/erbjudna" } {
                    (csrf_field(user))
                    div.field {
                        label for="period" { "Period" }
                        p.hint #period-hint { "En period som har avslutats eller pågår, till exempel " (example) "." }
                        input #period type="text" name="period" required aria-describedby="period-hint" value=(values.period);
                    }
                    div.field {
                        label for="offered" { "Antal personer som erbjöds enkäten (0–" (MAX_OFFERED) ")" }
                        input #offered type="number" name="offered" min="0" max=(MAX_OFFERED) required value=(values.offered);
                    }
                    button.submit type="submit" { "Spara" }
                }
            }
        }
    };
    staff_layout(Some(user), &format!("Svarsfrekvens: {}", title(questionnaire)), body)
}
