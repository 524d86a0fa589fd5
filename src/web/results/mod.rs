//! The results of a questionnaire for staff: the page `/staff/q/{id}` and
//! its exports. Filters live in the URL, so a view can be bookmarked.

mod compare;
mod export;
mod report;
mod view;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::routing::get;
use maud::Markup;
use serde::Deserialize;

use super::AppState;
use super::staff::{StaffPageError, StaffUser};
use crate::questionnaire::{Channel, Questionnaire, Role};
use crate::report::period::Period;
use crate::report::{Disclosure, Filter, Scope, ScopeError, Split};
use crate::staff::UnitRole;

/// The staff results routes, for `STAFF_ROUTES` and `web::app`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/q/{id}", get(show_results))
        .route("/staff/q/{id}/jamfor", get(compare::show_comparison))
        .route("/staff/q/{id}/rapport", get(report::show_report).post(report::save_note))
        .route("/staff/q/{id}/export/summary.csv", get(export::summary_csv))
        .route("/staff/q/{id}/export/summary.xlsx", get(export::summary_xlsx))
        .route("/staff/q/{id}/export/responses.csv", get(export::responses_csv))
        .route("/staff/q/{id}/export/responses.xlsx", get(export::responses_xlsx))
        .route("/staff/q/{id}/export/responses-notes.txt", get(export::responses_notes))
        .route("/staff/q/{id}/export/texts.csv", get(export::texts_csv))
}

/// The query string of the results page and exports: the filter, the
/// breakdown and the export options. Empty fields (an untouched form
/// control) mean "any".
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ResultsQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    pub lang: Option<String>,
    pub version: Option<String>,
    /// `web` or `paper`: only responses that came in by that channel.
    pub channel: Option<String>,
    /// Split figures by `language`, `channel` or a background question's id.
    pub by: Option<String>,
    /// The question whose figures the breakdown shows.
    pub target: Option<String>,
    /// `excel-sv` for Swedish Excel.
    pub dialect: Option<String>,
    /// Once asked for free texts in the response-level export; now refused
    /// there with a pointer to the list of texts.
    pub text: Option<String>,
}

fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|value| !value.is_empty())
}

fn parse_period(questionnaire: &Questionnaire, value: Option<&str>) -> Result<Option<Period>, StaffPageError> {
    value
        .map(|text| {
            Period::parse(questionnaire.report_period, text)
                .map_err(|error| StaffPageError::BadFilter(error.to_string()))
        })
        .transpose()
}

impl ResultsQuery {
    /// The filter this query asks for, checked against the questionnaire:
    /// whole periods (`from` and `to` are period ids such as 2026-11), as
    /// dates.
    pub fn filter(&self, questionnaire: &Questionnaire) -> Result<Filter, StaffPageError> {
        let from = parse_period(questionnaire, given(&self.from))?;
        let to = parse_period(questionnaire, given(&self.to))?;
        if let (Some(from), Some(to)) = (from, to)
            && from > to
        {
            return Err(StaffPageError::BadFilter(ScopeError::FromAfterTo.to_string()));
        }
        let language = self.language(questionnaire)?;
        Ok(Filter {
            from: from.map(Period::first_day),
            to: to.map(Period::last_day),
            language,
            version: given(&self.version).map(str::to_owned),
            channel: self.channel()?,
        })
    }

    fn channel(&self) -> Result<Option<Channel>, StaffPageError> {
        given(&self.channel)
            .map(|text| {
                Channel::parse(text).ok_or_else(|| {
                    StaffPageError::BadFilter(format!(
                        "Det finns ingen kanal \u{201d}{text}\u{201d}: välj webb eller papper."
                    ))
                })
            })
            .transpose()
    }

    fn language(&self, questionnaire: &Questionnaire) -> Result<Option<String>, StaffPageError> {
        let language = given(&self.lang).map(str::to_owned);
        if let Some(language) = &language
            && !questionnaire.languages.contains(language)
        {
            return Err(StaffPageError::BadFilter(format!(
                "Enkäten finns inte på språket \u{201d}{language}\u{201d}."
            )));
        }
        Ok(language)
    }

    /// The scope this query asks for: whole closed periods, a language and
    /// a version.
    pub fn scope(&self, questionnaire: &Questionnaire, disclosure: &Disclosure) -> Result<Scope, StaffPageError> {
        let language = self.language(questionnaire)?;
        let channel = self.channel()?.map(|channel| channel.as_str().to_owned());
        disclosure
            .scope(given(&self.from), given(&self.to), language, given(&self.version).map(str::to_owned), channel)
            .map_err(|error| StaffPageError::BadFilter(error.to_string()))
    }

    /// The breakdown this query asks for, if any: by language, or by a
    /// background question of the questionnaire.
    pub fn split(&self, questionnaire: &Questionnaire) -> Result<Option<Split>, StaffPageError> {
        match given(&self.by) {
            None => Ok(None),
            Some("language") => Ok(Some(Split::Language)),
            Some("channel") => Ok(Some(Split::Channel)),
            Some(id) => match questionnaire.question(id) {
                Some(question) if question.role == Some(Role::Background) => Ok(Some(Split::Question(id.to_owned()))),
                _ => Err(StaffPageError::BadFilter(format!(
                    "Det går inte att dela upp svaren efter \u{201d}{id}\u{201d}."
                ))),
            },
        }
    }

    /// The query string for links that keep this view (`?from=...`).
    pub fn to_query_string(&self) -> String {
        let pairs: Vec<(&str, &str)> = [
            ("from", given(&self.from)),
            ("to", given(&self.to)),
            ("lang", given(&self.lang)),
            ("version", given(&self.version)),
            ("channel", given(&self.channel)),
            ("by", given(&self.by)),
            ("target", given(&self.target)),
        ]
        .into_iter()
        .filter_map(|(name, value)| value.map(|value| (name, value)))
        .collect();
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }
}

async fn show_results(
    user: StaffUser,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<ResultsQuery>,
) -> Result<Markup, StaffPageError> {
    let questionnaire = user.questionnaire(&state, &id, UnitRole::Viewer)?;
    let results = gather_results(&state, &questionnaire, &query).await?;
    Ok(view::results_page(&user, &questionnaire, &query, &results))
}

/// Everything the results page shows for `query`, fetched and computed:
/// the page and the committee's report both take it from here, so the two
/// never differ.
pub(super) async fn gather_results(
    state: &AppState,
    questionnaire: &Questionnaire,
    query: &ResultsQuery,
) -> Result<view::Results, StaffPageError> {
    let id = &questionnaire.id;
    let today = state.clock.today();
    let disclosure = state.store.disclosure(questionnaire, today).await?;
    let scope = query.scope(questionnaire, &disclosure)?;
    let split = query.split(questionnaire)?;
    let summary = disclosure.summary(&scope);
    let previous = previous_scope(&scope, &disclosure);
    let overview = crate::report::overview(&summary, previous.as_ref().map(|scope| disclosure.summary(scope)).as_ref());
    let rates = state.store.response_rates(questionnaire, &disclosure, today).await?;
    let rate = rates.range(&disclosure, scope.from, scope.to);
    let previous_rate = previous.as_ref().map(|previous| rates.range(&disclosure, previous.from, previous.to));
    let through = disclosure.last_closed().last_day();
    let breakdown = match &split {
        Some(split) => {
            let rows = state.store.cell_tallies(id, through, Some(split)).await?;
            Some(disclosure.breakdown(&scope, split, rows))
        }
        None => None,
    };
    let texts = state.store.cell_texts(id, through).await?;
    let free_texts = disclosure.free_texts(&scope, texts.into_iter().map(released_text));
    let versions = state.store.versions(id).await?;
    let history = super::versions::version_history(state, questionnaire).await?;
    let periods = Periods::new(questionnaire, &disclosure, &scope);
    let kept_apart = disclosure.plan().clone();
    Ok(view::Results {
        summary,
        overview,
        rate,
        previous_rate,
        previous,
        breakdown,
        free_texts,
        versions,
        kept_apart,
        history,
        periods,
    })
}

/// The periods just before `scope`, as many as it covers, that a summary
/// compares with: none when they would begin before the first closed period
/// with responses.
fn previous_scope(scope: &Scope, disclosure: &Disclosure) -> Option<Scope> {
    let length = std::iter::successors(Some(scope.from), |period| Some(period.next()))
        .take_while(|period| *period <= scope.to)
        .count();
    let to = scope.from.previous();
    let from = (1..length).fold(to, |period, _| period.previous());
    let first = *disclosure.periods().first()?;
    (from >= first).then(|| Scope { from, to, ..scope.clone() })
}

/// A stored free text as `Disclosure::free_texts` takes it.
pub(super) fn released_text(
    text: crate::store::CellText,
) -> (crate::report::release::Stream, time::Date, String, Option<String>, String) {
    let stream =
        crate::report::release::Stream { version: text.version, language: text.language, channel: text.channel };
    (stream, text.submitted_on, text.question_id, text.option_id, text.text)
}

/// The periods the page can show and the one still running, for the
/// period filter and the note on why the latest answers are not shown.
pub struct Periods {
    /// Every closed period with responses up to the last closed, oldest first.
    pub closed: Vec<Period>,
    pub scope: Scope,
    /// The period still running (or not yet closed), and the day it closes.
    pub running: Period,
    pub running_closes_on: time::Date,
}

impl Periods {
    fn new(questionnaire: &Questionnaire, disclosure: &Disclosure, scope: &Scope) -> Periods {
        let running = disclosure.last_closed().next();
        Periods {
            closed: disclosure.periods(),
            scope: scope.clone(),
            running,
            running_closes_on: crate::report::period::closes_on(running, questionnaire.date_precision),
        }
    }
}
