//! `/staff/q/{id}/rapport`: the results for the committee, as one document
//! to print on A4 (issue 16). It is the results page's own sections on the
//! same figures (`gather_results`), without the filter, the exports and the
//! staff bar, and with what a reader outside the unit needs: the period,
//! how the figures were made and what is withheld, and "Vad vi gör nu",
//! which staff write here for a closed period before printing.

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{DOCTYPE, Markup, html};
use serde::Deserialize;

use super::compare::{comparison_section, trend_section};
use super::view::{
    Results, areas_section, free_texts_section, overview_section, period_note, practical_support, satisfaction_section,
    scope_label,
};
use super::{ResultsQuery, gather_results};
use crate::questionnaire::{Access, QuestionKind, Questionnaire, Role};
use crate::report::note::{MAX_NOTE_CHARS, PeriodNote};
use crate::report::period::{Period, long_date};
use crate::report::trend::{self, Comparison, Measure, Trend};
use crate::staff::UnitRole;
use crate::staff::action;
use crate::web::AppState;
use crate::web::staff::{CsrfChecked, StaffPageError, StaffUser, csrf_field, staff_head};

/// The note form: a period id and the text, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub(super) struct NoteForm {
    #[serde(default)]
    period: String,
    #[serde(default)]
    note: String,
}

/// The link from the results page, keeping its filter (a breakdown is not
/// part of the report).
pub(super) fn report_link(questionnaire: &Questionnaire, query: &ResultsQuery) -> Markup {
    html! {
        p.report-link { a href=(report_url(questionnaire, query)) { "Rapport för utskrift" } }
    }
}

fn report_url(questionnaire: &Questionnaire, query: &ResultsQuery) -> String {
    with_filter(&format!("/staff/q/{}/rapport", questionnaire.id), query)
}

/// `base` with the query's filter, as the report and the way back keep it.
fn with_filter(base: &str, query: &ResultsQuery) -> String {
    let filter = report_query(query).to_query_string();
    if filter.is_empty() { base.to_owned() } else { format!("{base}?{filter}") }
}

pub(super) async fn show_report(
    user: StaffUser,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<ResultsQuery>,
) -> Result<Markup, StaffPageError> {
    let questionnaire = user.questionnaire(&state, &id, UnitRole::Viewer)?;
    let results = gather_results(&state, &questionnaire, &report_query(&query)).await?;
    let beyond = beyond(&state, &questionnaire, &results).await?;
    // The form starts at the latest chosen period, with its note.
    let period = results.periods.scope.to;
    let form = NoteForm { period: period.to_string(), note: beyond.notes.get(&period).cloned().unwrap_or_default() };
    let entry = NoteEntry { form: &form, problems: &[] };
    Ok(report_page(&user, &questionnaire, &query, &results, &beyond, &entry, state.clock.today()))
}

/// What the report has beyond the results page: the chosen periods
/// against those just before and every closed period on its own, on the
/// same filter (`compare.rs` draws them), and the notes staff wrote.
struct Beyond {
    comparison: Option<Comparison>,
    trend: Trend,
    notes: BTreeMap<Period, String>,
}

/// The trend on paper: the areas and the three most lacked supports of
/// the summary, not every question's line (the page `/jamfor` has them
/// all): a committee reads a few pages, not fifty.
fn for_the_report(trend: Trend, results: &Results) -> Trend {
    let named: Vec<&str> = results.overview.lacked.iter().map(|lacked| lacked.option_id.as_str()).collect();
    let mut lacking_groups = 0;
    let groups = trend
        .groups
        .into_iter()
        .filter_map(|mut group| match group.measure {
            Measure::AreaPositive => Some(group),
            Measure::QuestionPositive => None,
            // The question the summary names its lacked supports from: the first.
            Measure::Lacking if lacking_groups > 0 => None,
            Measure::Lacking => {
                lacking_groups += 1;
                group.series.retain(|series| named.contains(&series.id.as_str()));
                (!group.series.is_empty()).then_some(group)
            }
        })
        .collect();
    Trend { groups, ..trend }
}

async fn beyond(state: &AppState, questionnaire: &Questionnaire, results: &Results) -> Result<Beyond, StaffPageError> {
    let disclosure = state.store.disclosure(questionnaire, state.clock.today()).await?;
    let scope = &results.periods.scope;
    Ok(Beyond {
        comparison: results.previous.as_ref().map(|before| {
            // Question by question is in the satisfaction section already.
            let mut comparison = trend::comparison(&disclosure, before, scope);
            comparison.groups.retain(|group| group.measure != Measure::QuestionPositive);
            comparison
        }),
        trend: for_the_report(trend::trend(&disclosure, scope.language.clone(), scope.version.clone()), results),
        notes: state.store.period_notes(questionnaire).await?,
    })
}

/// Saves "Vad vi gör nu" for a closed period, replacing the text saved
/// before, and audits who did; a bad entry shows the report again with
/// the problems and what was typed, and stores nothing.
pub(super) async fn save_note(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<ResultsQuery>,
    CsrfChecked(user, form): CsrfChecked<NoteForm>,
) -> Result<Response, StaffPageError> {
    // What the unit does now is the everyday work of its coordinators.
    let questionnaire = user.questionnaire(&state, &id, UnitRole::Coordinator)?;
    let today = state.clock.today();
    let notes = state.store.period_notes(&questionnaire).await?;
    let note = match PeriodNote::parse(&questionnaire, &form.period, &form.note, today) {
        Ok(note) => note,
        Err(problems) => {
            let results = gather_results(&state, &questionnaire, &report_query(&query)).await?;
            let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
            let entry = NoteEntry { form: &form, problems: &problems };
            let beyond = beyond(&state, &questionnaire, &results).await?;
            let page = report_page(&user, &questionnaire, &query, &results, &beyond, &entry, today);
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    state.store.save_period_note(&id, note.period, &note.text).await?;
    let replaced = if notes.get(&note.period).is_some_and(|before| !before.is_empty()) {
        " (ersätter den tidigare texten)"
    } else {
        ""
    };
    let details = format!("{id}: {}: Vad vi gör nu, {} tecken{replaced}", note.period, note.text.chars().count());
    state.store.record_audit(&user.name, action::PERIOD_NOTE_SAVED, &details, state.clock.now_utc()).await?;
    Ok(Redirect::to(&report_url(&questionnaire, &query)).into_response())
}

/// The query the report's figures come from: the filter, never a breakdown.
fn report_query(query: &ResultsQuery) -> ResultsQuery {
    ResultsQuery { by: None, target: None, ..query.clone() }
}

/// The periods of the report, oldest first.
fn chosen_periods(results: &Results) -> Vec<Period> {
    let scope = &results.periods.scope;
    std::iter::successors(Some(scope.from), |period| Some(period.next()))
        .take_while(|period| *period <= scope.to)
        .collect()
}

/// The note form as shown: what it holds, and why it was refused.
struct NoteEntry<'a> {
    form: &'a NoteForm,
    problems: &'a [String],
}

fn report_page(
    user: &StaffUser,
    questionnaire: &Questionnaire,
    query: &ResultsQuery,
    results: &Results,
    beyond: &Beyond,
    entry: &NoteEntry<'_>,
    today: time::Date,
) -> Markup {
    let summary = &results.summary;
    let m = summary.min_report_n;
    let title = questionnaire.title.get(&summary.language);
    let periods = chosen_periods(results);
    let written: Vec<(Period, &str)> = periods
        .iter()
        .filter_map(|period| {
            Some((*period, beyond.notes.get(period).map(String::as_str).filter(|note| !note.is_empty())?))
        })
        .collect();
    let body = html! {
        (note_tools(user, questionnaire, query, &periods, entry))
        main #main .committee-report {
            header.report-head {
                p.report-kind { "Rapport från brukarundersökningen" }
                h1 { (title) }
                p.report-period { "Period: " strong { (scope_label(&results.periods.scope)) } }
                p.report-date { "Sammanställd " (long_date(today)) "." }
            }
            (overview_section(&questionnaire.id, results, m))
            @if !written.is_empty() {
                section.now-note aria-labelledby="now" {
                    h2 #now { "Vad vi gör nu" }
                    @for (period, note) in &written {
                        @if periods.len() > 1 { h3 { (period.label()) } }
                        (paragraphs(note))
                    }
                }
            }
            (method_section(questionnaire, results, m))
            // Over time after the method, before the figures area by area.
            @if let Some(comparison) = &beyond.comparison { (comparison_section(comparison)) }
            (trend_section(&beyond.trend))
            (areas_section(summary))
            (satisfaction_section(summary))
            (practical_support(summary, &results.free_texts))
            (free_texts_section(summary, &results.free_texts))
        }
    };
    report_layout(&format!("Rapport: {title}"), body)
}

/// How the figures were made and what is withheld, for a reader who has
/// not seen the results page: the scales, "andel positiva", and the rules
/// of `docs/privacy.md` in a few sentences.
fn method_section(questionnaire: &Questionnaire, results: &Results, m: u64) -> Markup {
    let language = &results.summary.language;
    let mut scales = Vec::new();
    for question in questionnaire.questions.iter().filter(|question| question.role == Some(Role::Satisfaction)) {
        if let QuestionKind::Scale(scale) = &question.kind
            && !scales.iter().any(|(id, _, _)| *id == scale.id)
        {
            let steps: Vec<&str> = scale.options.iter().map(|option| option.text.get(language)).collect();
            let positive: Vec<&str> = scale
                .options
                .iter()
                .filter(|option| scale.positive.contains(&option.id))
                .map(|option| option.text.get(language))
                .collect();
            scales.push((scale.id.clone(), steps.join(", "), positive.join(", ")));
        }
    }
    html! {
        section.method aria-labelledby="method" {
            h2 #method { "Så har siffrorna tagits fram" }
            p { "Enkäten är anonym. Frågorna om nöjdhet besvaras på en skala, från det mest positiva svaret till det minst positiva; \u{201d}vet inte\u{201d} räknas inte med i siffrorna." }
            @if !scales.is_empty() {
                table.figures.scales {
                    caption { "Skalorna och deras positiva svar" }
                    thead { tr { th scope="col" { "Svarsalternativ" } th scope="col" { "Räknas som positiva" } } }
                    tbody {
                        @for (_, steps, positive) in &scales {
                            tr { td { (steps) } td { (positive) } }
                        }
                    }
                }
            }
            p { strong { "Andel positiva" } " är andelen som valde ett av de positiva svaren, av alla som svarade på frågan utom \u{201d}vet inte\u{201d}. För ett kvalitetsområde räknas områdets frågor ihop. Intervallet visar med 95 % säkerhet var den verkliga andelen ligger." }
            p { strong { "Det här visas inte, och varför. " }
                "Ingen siffra bygger på färre än " (m) " svar: en sådan siffra står som \u{201d}färre än " (m) " svar\u{201d}, så att ingen kan pekas ut. "
                "Bara hela perioder som har avslutats visas, så att en siffra aldrig ändras och ingen kan se när ett enskilt svar kom in. "
                "Små grupper (en månad eller ett språk med få svar) räknas ihop med en längre period och visas när den har avslutats. "
                "Fritextsvar visas bara där minst " (m) " personer skrev ett svar på samma fråga." }
            p.rate-rule { strong { "Svarsfrekvens" } " är antalet svar för perioden delat med "
                @if questionnaire.access == Access::Code {
                    "antalet engångskoder som kunde användas under perioden (utdelade koder, utom återkallade oanvända och koder som använts tidigare)."
                } @else {
                    "antalet personer som erbjöds enkäten under perioden, som personalen har angett."
                }
                " Den visas inte för en period där antalet saknas eller för få svar visas." }
            p { strong { "Förändringar. " }
                "En förändring mellan två perioder sägs bara när ett statistiskt test (två andelar, med kontinuitetskorrektion, 5 % nivå) visar den; annars står det \u{201d}ingen säker förändring\u{201d}, eller \u{201d}för få svar för att säga\u{201d} när svaren är för få för testet." }
            (period_note(&results.periods, m))
        }
    }
}

/// "Vad vi gör nu" for one of the chosen periods, and the way back: for
/// the screen only, never on paper.
fn note_tools(
    user: &StaffUser,
    questionnaire: &Questionnaire,
    query: &ResultsQuery,
    periods: &[Period],
    entry: &NoteEntry<'_>,
) -> Markup {
    let (form, problems) = (entry.form, entry.problems);
    let results_url = with_filter(&format!("/staff/q/{}", questionnaire.id), query);
    html! {
        aside.report-tools.no-print aria-labelledby="report-tools" {
            p { a href=(results_url) { "Tillbaka till resultaten" } }
            h2 #report-tools { "Innan du skriver ut" }
            p { "Skriv ut rapporten med webbläsarens utskrift (Ctrl+P), eller spara den som PDF därifrån. Det här formuläret kommer inte med på papperet." }
            @if !problems.is_empty() {
                div.error-message role="alert" {
                    @for problem in problems { p { (problem) } }
                }
            }
            // "Vad vi gör nu" is the coordinators' to write; a viewer reads it.
            @if user.grants.check(&questionnaire.unit, UnitRole::Coordinator).is_ok() {
                form.period-note method="post" action=(report_url(questionnaire, query)) {
                    (csrf_field(user))
                    div.field {
                        label for="note-period" { "Period" }
                        select #note-period name="period" {
                            @for period in periods.iter().rev() {
                                option value=(period) selected[period.to_string() == form.period] { (period.label()) }
                            }
                        }
                    }
                    div.field {
                        label for="note" { "Vad vi gör nu" }
                        p.hint #note-hint {
                            "Vad enheten gör med resultaten, högst " (MAX_NOTE_CHARS) " tecken. Texten hör till perioden: den visas i rapporten och, om enkäten visar resultat för de svarande, på deras resultatsida. "
                            "Att spara ersätter periodens tidigare text, och händelseloggen visar vem som sparade."
                        }
                        textarea #note name="note" rows="8" maxlength=(MAX_NOTE_CHARS) aria-describedby="note-hint" { (form.note) }
                    }
                    button.submit type="submit" { "Spara" }
                }
            }
        }
    }
}

/// Staff's text: a blank line starts a new paragraph, a line break stays.
fn paragraphs(text: &str) -> Markup {
    html! {
        @for paragraph in text.split("\n\n").map(str::trim).filter(|paragraph| !paragraph.is_empty()) {
            p { @for (n, line) in paragraph.lines().enumerate() { @if n > 0 { br; } (line) } }
        }
    }
}

/// The report's own frame: the staff bar has a logout form and links that
/// have no place on paper, so the report has none; its one form is marked
/// not to be printed.
fn report_layout(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="sv" dir="ltr" {
            (staff_head(title))
            body.report-page { (body) }
        }
    }
}
