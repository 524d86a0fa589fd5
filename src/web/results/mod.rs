//! The results of a questionnaire for staff: the page `/staff/q/{id}` and
//! its exports. Filters live in the URL, so a view can be bookmarked.

mod export;
mod view;

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::routing::get;
use maud::Markup;
use serde::Deserialize;
use time::Date;
use time::macros::format_description;

use super::AppState;
use super::staff::StaffUser;
use crate::questionnaire::{Questionnaire, Role};
use crate::report::{self, Filter, Split};
use crate::store::StoreError;

/// The staff results routes, for `STAFF_ROUTES` and `web::app`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/q/{id}", get(show_results))
        .route("/staff/q/{id}/export/summary.csv", get(export::summary_csv))
        .route("/staff/q/{id}/export/summary.xlsx", get(export::summary_xlsx))
        .route("/staff/q/{id}/export/responses.csv", get(export::responses_csv))
        .route("/staff/q/{id}/export/responses.xlsx", get(export::responses_xlsx))
        .route("/staff/q/{id}/export/responses-notes.txt", get(export::responses_notes))
        .route("/staff/q/{id}/export/texts.csv", get(export::texts_csv))
}

/// Why results could not be shown, as a page a staff member can act on.
#[derive(Debug, thiserror::Error)]
pub enum ResultsError {
    #[error("no questionnaire `{0}`")]
    UnknownQuestionnaire(String),
    #[error("{0}")]
    BadFilter(String),
    #[error("only admins may export whole responses")]
    NotAdmin,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Report(#[from] report::ReportError),
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
    /// Split figures by `language` or by a background question's id.
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

fn parse_date(value: Option<&str>, what: &str) -> Result<Option<Date>, ResultsError> {
    value
        .map(|text| {
            Date::parse(text, format_description!("[year]-[month]-[day]")).map_err(|_| {
                ResultsError::BadFilter(format!("{what} måste skrivas som ÅÅÅÅ-MM-DD, till exempel 2026-11-23"))
            })
        })
        .transpose()
}

impl ResultsQuery {
    /// The filter this query asks for, checked against the questionnaire.
    pub fn filter(&self, questionnaire: &Questionnaire) -> Result<Filter, ResultsError> {
        let from = parse_date(given(&self.from), "Från-datumet")?;
        let to = parse_date(given(&self.to), "Till-datumet")?;
        if let (Some(from), Some(to)) = (from, to)
            && from > to
        {
            return Err(ResultsError::BadFilter("Från-datumet ligger efter till-datumet.".into()));
        }
        let language = given(&self.lang).map(str::to_owned);
        if let Some(language) = &language
            && !questionnaire.languages.contains(language)
        {
            return Err(ResultsError::BadFilter(format!("Enkäten finns inte på språket \u{201d}{language}\u{201d}.")));
        }
        Ok(Filter { from, to, language, version: given(&self.version).map(str::to_owned) })
    }

    /// The breakdown this query asks for, if any: by language, or by a
    /// background question of the questionnaire.
    pub fn split(&self, questionnaire: &Questionnaire) -> Result<Option<Split>, ResultsError> {
        match given(&self.by) {
            None => Ok(None),
            Some("language") => Ok(Some(Split::Language)),
            Some(id) => match questionnaire.question(id) {
                Some(question) if question.role == Some(Role::Background) => Ok(Some(Split::Question(id.to_owned()))),
                _ => Err(ResultsError::BadFilter(format!(
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
            ("by", given(&self.by)),
            ("target", given(&self.target)),
        ]
        .into_iter()
        .filter_map(|(name, value)| value.map(|value| (name, value)))
        .collect();
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }
}

pub(super) fn find(state: &AppState, id: &str) -> Result<Arc<Questionnaire>, ResultsError> {
    state.catalog.get(id).ok_or_else(|| ResultsError::UnknownQuestionnaire(id.to_owned()))
}

async fn show_results(
    user: StaffUser,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<ResultsQuery>,
) -> Result<Markup, view::ResultsPageError> {
    let questionnaire = find(&state, &id).map_err(|error| view::ResultsPageError::new(Some(&user), error))?;
    let page = async {
        let filter = query.filter(&questionnaire)?;
        let split = query.split(&questionnaire)?;
        let (tally, kept_apart) = state.store.tally_across_versions(&questionnaire, &filter, None).await?;
        let summary = report::summarize(&questionnaire, &tally);
        let breakdown = match &split {
            Some(split) => {
                let (tally, _) = state.store.tally_across_versions(&questionnaire, &filter, Some(split)).await?;
                Some(report::break_down(&questionnaire, &tally, split))
            }
            None => None,
        };
        let free_texts = state.store.free_texts(&id, &filter).await?;
        let versions = state.store.versions(&id).await?;
        let history = super::admin::version_history(&state, &questionnaire).await?;
        Ok::<_, ResultsError>(view::Results { summary, breakdown, free_texts, versions, kept_apart, history })
    }
    .await;
    match page {
        Ok(results) => Ok(view::results_page(&user, &questionnaire, &query, &results)),
        Err(error) => Err(view::ResultsPageError::new(Some(&user), error)),
    }
}
