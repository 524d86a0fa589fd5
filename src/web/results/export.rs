//! Export files: the summary (aggregated, small groups suppressed) for any
//! staff member or API token, whole responses for admins only. Every export
//! is recorded in the audit log: who, what, which filters; never the data.

use std::str::FromStr;

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use time::OffsetDateTime;

use super::view::ResultsPageError;
use super::{ResultsError, ResultsQuery, find};
use crate::report::{self, csv::Dialect};
use crate::staff::action;
use crate::web::AppState;
use crate::web::staff::ExportCaller;

const CSV: &str = "text/csv; charset=utf-8";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// What is exported, and as which file.
#[derive(Debug, Clone, Copy)]
enum Export {
    SummaryCsv,
    SummaryXlsx,
    ResponsesCsv,
    ResponsesXlsx,
}

impl Export {
    fn file_name(self) -> &'static str {
        match self {
            Export::SummaryCsv => "summary.csv",
            Export::SummaryXlsx => "summary.xlsx",
            Export::ResponsesCsv => "responses.csv",
            Export::ResponsesXlsx => "responses.xlsx",
        }
    }

    fn whole_responses(self) -> bool {
        matches!(self, Export::ResponsesCsv | Export::ResponsesXlsx)
    }
}

pub(super) async fn summary_csv(
    caller: ExportCaller,
    state: State<AppState>,
    id: Path<String>,
    query: Query<ResultsQuery>,
) -> Response {
    export(Export::SummaryCsv, caller, state, id, query).await
}

pub(super) async fn summary_xlsx(
    caller: ExportCaller,
    state: State<AppState>,
    id: Path<String>,
    query: Query<ResultsQuery>,
) -> Response {
    export(Export::SummaryXlsx, caller, state, id, query).await
}

pub(super) async fn responses_csv(
    caller: ExportCaller,
    state: State<AppState>,
    id: Path<String>,
    query: Query<ResultsQuery>,
) -> Response {
    export(Export::ResponsesCsv, caller, state, id, query).await
}

pub(super) async fn responses_xlsx(
    caller: ExportCaller,
    state: State<AppState>,
    id: Path<String>,
    query: Query<ResultsQuery>,
) -> Response {
    export(Export::ResponsesXlsx, caller, state, id, query).await
}

async fn export(
    what: Export,
    caller: ExportCaller,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<ResultsQuery>,
) -> Response {
    match write_export(what, &caller, &state, &id, &query).await {
        Ok(response) => response,
        Err(error) => ResultsPageError::new(None, error).into_response(),
    }
}

async fn write_export(
    what: Export,
    caller: &ExportCaller,
    state: &AppState,
    id: &str,
    query: &ResultsQuery,
) -> Result<Response, ResultsError> {
    let questionnaire = find(state, id)?;
    if what.whole_responses() && !caller.is_admin {
        return Err(ResultsError::NotAdmin);
    }
    let filter = query.filter(&questionnaire)?;
    let dialect = match query.dialect.as_deref().filter(|name| !name.is_empty()) {
        None => Dialect::default(),
        Some(name) => Dialect::from_str(name).map_err(|error| ResultsError::BadFilter(error.to_string()))?,
    };
    let include_text = query.text.as_deref() == Some("1");

    let mut body = Vec::new();
    match what {
        Export::SummaryCsv | Export::SummaryXlsx => {
            let (tally, _) = state.store.tally_across_versions(&questionnaire, &filter, None).await?;
            let summary = report::summarize(&questionnaire, &tally);
            if let Export::SummaryCsv = what {
                report::csv::write_summary(&summary, dialect, &mut body)?;
            } else {
                body = report::xlsx::summary_workbook(&summary)?;
            }
        }
        Export::ResponsesCsv | Export::ResponsesXlsx => {
            let records = state.store.response_records(id, &filter).await?;
            if let Export::ResponsesCsv = what {
                report::csv::write_responses(&questionnaire, records, include_text, dialect, &mut body)?;
            } else {
                body = report::xlsx::responses_workbook(&questionnaire, records, include_text)?;
            }
        }
    }

    let details = format!(
        "{} {} {}{}{}",
        id,
        what.file_name(),
        query.to_query_string(),
        if include_text { " text=1" } else { "" },
        if caller.via_token { " (API-nyckel)" } else { "" }
    );
    state.store.record_audit(&caller.name, action::EXPORT, details.trim()).await?;

    let content_type = if matches!(what, Export::SummaryCsv | Export::ResponsesCsv) { CSV } else { XLSX };
    let today = OffsetDateTime::now_utc().date();
    let disposition = format!("attachment; filename=\"{id}-{today}-{}\"", what.file_name());
    Ok(([(header::CONTENT_TYPE, content_type.to_owned()), (header::CONTENT_DISPOSITION, disposition)], body)
        .into_response())
}
