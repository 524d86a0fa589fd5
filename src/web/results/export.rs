//! Export files: the summary (aggregated, small groups suppressed) for any
//! staff member or API token, whole responses for admins only. Every export
//! is recorded in the audit log: who, what, which filters; never the data.

use std::io;
use std::str::FromStr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use futures_util::{TryStreamExt, stream};
use tokio::sync::mpsc;

use super::view::ResultsPageError;
use super::{ResultsError, ResultsQuery, find};
use crate::questionnaire::Questionnaire;
use crate::report::csv::{Dialect, ResponsesCsv};
use crate::report::{self, Filter};
use crate::staff::action;
use crate::store::Store;
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
            let disclosure = state.store.disclosure(&questionnaire, state.clock.today()).await?;
            let summary = disclosure.summary(&query.scope(&questionnaire, &disclosure)?);
            if let Export::SummaryCsv = what {
                report::csv::write_summary(&summary, dialect, &mut body)?;
            } else {
                body = report::xlsx::summary_workbook(&summary)?;
            }
        }
        // Streamed below, once the export is in the audit log.
        Export::ResponsesCsv => {}
        Export::ResponsesXlsx => {
            // A workbook is built in memory by rust_xlsxwriter in any case.
            let records = state.store.response_records(id, &filter).await?;
            body = report::xlsx::responses_workbook(&questionnaire, records, include_text)?;
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
    let today = state.clock.today();
    let disposition = format!("attachment; filename=\"{id}-{today}-{}\"", what.file_name());
    let body = match what {
        Export::ResponsesCsv => stream_responses_csv(state.store.clone(), questionnaire, filter, include_text, dialect),
        _ => Body::from(body),
    };
    Ok(([(header::CONTENT_TYPE, content_type.to_owned()), (header::CONTENT_DISPOSITION, disposition)], body)
        .into_response())
}

/// Bytes handed to the connection at a time by the streamed CSV.
const CHUNK: usize = 64 * 1024;

/// The responses CSV as a body that is written while it is sent: a task
/// reads responses from the database one by one and passes the CSV on in
/// chunks through a short queue, so a million responses never sit in
/// memory, and a client that stops reading stops the task. A database
/// error half-way can only cut the download short (the status line is
/// long gone), so it is logged here, once, and the body ends in an error.
fn stream_responses_csv(
    store: Store,
    questionnaire: Arc<Questionnaire>,
    filter: Filter,
    include_text: bool,
    dialect: Dialect,
) -> Body {
    let (chunks, received) = mpsc::channel::<Result<Vec<u8>, io::Error>>(4);
    tokio::spawn(async move {
        let written = async {
            let buffer = SharedBuffer::default();
            let mut csv = ResponsesCsv::new(&questionnaire, include_text, dialect, buffer.clone())?;
            let mut records = store.stream_response_records(&questionnaire.id, &filter);
            while let Some(record) = records.try_next().await? {
                csv.write(&record)?;
                if buffer.len() >= CHUNK && chunks.send(Ok(buffer.take())).await.is_err() {
                    return Ok(()); // The client went away.
                }
            }
            csv.finish()?;
            let _ = chunks.send(Ok(buffer.take())).await;
            Ok::<_, ResultsError>(())
        }
        .await;
        if let Err(error) = written {
            tracing::error!(questionnaire = %questionnaire.id, "the responses export broke off: {error}");
            let _ = chunks.send(Err(io::Error::other("the responses export broke off"))).await;
        }
    });
    Body::from_stream(stream::unfold(received, |mut received| async move {
        received.recv().await.map(|chunk| (chunk, received))
    }))
}

/// The CSV writer's output, shared with the task that sends it on in
/// chunks. Locked only for a copy or a take, never across an await.
#[derive(Clone, Default)]
struct SharedBuffer(Arc<Mutex<Vec<u8>>>);

impl SharedBuffer {
    fn lock(&self) -> MutexGuard<'_, Vec<u8>> {
        // A panic while holding the lock cannot leave a half-written byte
        // buffer inconsistent, so a poisoned lock is still usable.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn len(&self) -> usize {
        self.lock().len()
    }

    fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.lock())
    }
}

impl io::Write for SharedBuffer {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.lock().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
