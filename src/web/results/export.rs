//! Export files: the summary (aggregated, small groups suppressed) for any
//! staff member or API token; for admins only, whole responses (closed
//! periods, k-anonymous: `report::microdata`), the notes on that file and
//! the free texts as a list of their own. Every export is recorded in the
//! audit log: who, what, which filters; never the data.

use std::io;
use std::str::FromStr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use futures_util::{TryStreamExt, stream};
use tokio::sync::mpsc;

use super::{ResultsQuery, given};
use crate::questionnaire::Questionnaire;
use crate::report::csv::{Dialect, ResponsesCsv};
use crate::report::microdata;
use crate::report::period::Period;
use crate::report::{self, Filter, ResponsesCounter, ResponsesPlan};
use crate::staff::UnitRole;
use crate::staff::action;
use crate::store::{Snapshot, Store, StoreError};
use crate::web::AppState;
use crate::web::staff::ExportCaller;
use crate::web::staff::StaffPageError;

const CSV: &str = "text/csv; charset=utf-8";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const TEXT: &str = "text/plain; charset=utf-8";

/// What is exported, and as which file.
#[derive(Debug, Clone, Copy)]
enum Export {
    SummaryCsv,
    SummaryXlsx,
    ResponsesCsv,
    ResponsesXlsx,
    ResponsesNotes,
    TextsCsv,
}

impl Export {
    fn file_name(self) -> &'static str {
        match self {
            Export::SummaryCsv => "summary.csv",
            Export::SummaryXlsx => "summary.xlsx",
            Export::ResponsesCsv => "responses.csv",
            Export::ResponsesXlsx => "responses.xlsx",
            Export::ResponsesNotes => "responses-notes.txt",
            Export::TextsCsv => "texts.csv",
        }
    }

    /// Whole responses and free texts: for admins only, from closed
    /// periods only.
    fn admin_only(self) -> bool {
        !matches!(self, Export::SummaryCsv | Export::SummaryXlsx)
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

pub(super) async fn responses_notes(
    caller: ExportCaller,
    state: State<AppState>,
    id: Path<String>,
    query: Query<ResultsQuery>,
) -> Response {
    export(Export::ResponsesNotes, caller, state, id, query).await
}

pub(super) async fn texts_csv(
    caller: ExportCaller,
    state: State<AppState>,
    id: Path<String>,
    query: Query<ResultsQuery>,
) -> Response {
    export(Export::TextsCsv, caller, state, id, query).await
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
        Err(error) => error.into_response(),
    }
}

async fn write_export(
    what: Export,
    caller: &ExportCaller,
    state: &AppState,
    id: &str,
    query: &ResultsQuery,
) -> Result<Response, StaffPageError> {
    // Whole responses are for the unit's admins; the rest for any role.
    let needed = if what.admin_only() { UnitRole::Admin } else { UnitRole::Viewer };
    let questionnaire = caller.questionnaire(state, id, needed)?;
    let filter = query.filter(&questionnaire)?;
    let dialect = match query.dialect.as_deref().filter(|name| !name.is_empty()) {
        None => Dialect::default(),
        Some(name) => Dialect::from_str(name).map_err(|error| StaffPageError::BadFilter(error.to_string()))?,
    };
    // A link from before texts were a list of their own gets an answer
    // that says where they are, not a file without them.
    if matches!(what, Export::ResponsesCsv | Export::ResponsesXlsx) && given(&query.text).is_some() {
        return Err(StaffPageError::BadFilter(format!(
            "Fritextsvar kopplas inte till enskilda svar: en text kan visa vem som skrev, och kopplad till svaren \
             skulle den visa allt annat personen svarade. Fritextsvaren finns som en egen lista per period: \
             /staff/q/{id}/export/texts.csv"
        )));
    }
    // Whole responses and texts come from closed periods only.
    let (closed, last_closed) = microdata::closed_only(&filter, &questionnaire, state.clock.today());

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
            let mut snapshot = state.store.snapshot().await?;
            let records: Vec<_> = snapshot.stream_response_records(id, &closed).try_collect().await?;
            let texts = snapshot.listed_texts(&questionnaire, &closed).await?;
            let plan = ResponsesPlan::from_records(&questionnaire, &records, last_closed);
            let notes = plan.notes(&closed);
            body = report::xlsx::responses_workbook(&plan, records, &texts, &notes)?;
        }
        Export::ResponsesNotes => {
            let mut snapshot = state.store.snapshot().await?;
            let plan = count_responses(&mut snapshot, &questionnaire, &closed, last_closed).await?;
            body = plan.notes(&closed).to_text().into_bytes();
        }
        Export::TextsCsv => {
            let mut snapshot = state.store.snapshot().await?;
            let texts = snapshot.listed_texts(&questionnaire, &closed).await?;
            report::csv::write_texts(&texts, dialect, &mut body)?;
        }
    }

    // The role the export was made under: a global admin's, or the one
    // held in the questionnaire's unit.
    let role = match (caller.grants.is_global_admin(), caller.grants.role_in(&questionnaire.unit)) {
        (true, _) => "global administratör".to_owned(),
        (false, Some(role)) => format!("{} för {}", role.label(), questionnaire.unit),
        (false, None) => String::new(),
    };
    let details = format!(
        "{} {} {} (som {role}){}",
        id,
        what.file_name(),
        query.to_query_string(),
        if caller.via_token { " (API-nyckel)" } else { "" }
    );
    state.store.record_audit(&caller.name, action::EXPORT, details.trim(), state.clock.now_utc()).await?;

    let content_type = match what {
        Export::SummaryCsv | Export::ResponsesCsv | Export::TextsCsv => CSV,
        Export::ResponsesNotes => TEXT,
        Export::SummaryXlsx | Export::ResponsesXlsx => XLSX,
    };
    let today = state.clock.today();
    let disposition = format!("attachment; filename=\"{id}-{today}-{}\"", what.file_name());
    let body = match what {
        Export::ResponsesCsv => stream_responses_csv(state.store.clone(), questionnaire, closed, last_closed, dialect),
        _ => Body::from(body),
    };
    Ok(([(header::CONTENT_TYPE, content_type.to_owned()), (header::CONTENT_DISPOSITION, disposition)], body)
        .into_response())
}

/// Bytes handed to the connection at a time by the streamed CSV.
const CHUNK: usize = 64 * 1024;

/// The first pass of the responses export: counts the combinations of
/// quasi-identifiers of every response in the snapshot, and decides what
/// the file shows.
async fn count_responses<'q>(
    snapshot: &mut Snapshot,
    questionnaire: &'q Questionnaire,
    filter: &Filter,
    last_closed: Period,
) -> Result<ResponsesPlan<'q>, StoreError> {
    let mut counter = ResponsesCounter::new(questionnaire);
    let mut combinations = snapshot.background_combinations(questionnaire, filter);
    while let Some((record, n)) = combinations.try_next().await? {
        counter.add_many(&record, n);
    }
    Ok(counter.plan(last_closed))
}

/// The responses CSV as a body that is written while it is sent: a task
/// counts the responses in a first pass, then reads them again one by one
/// and passes the CSV on in chunks through a short queue, so a million
/// responses never sit in memory, and a client that stops reading stops
/// the task. Both passes read one snapshot of the database. A database
/// error half-way can only cut the download short (the status line is
/// long gone), so it is logged here, once, and the body ends in an error.
fn stream_responses_csv(
    store: Store,
    questionnaire: Arc<Questionnaire>,
    filter: Filter,
    last_closed: Period,
    dialect: Dialect,
) -> Body {
    let (chunks, received) = mpsc::channel::<Result<Vec<u8>, io::Error>>(4);
    tokio::spawn(async move {
        let written = async {
            let mut snapshot = store.snapshot().await?;
            let plan = count_responses(&mut snapshot, &questionnaire, &filter, last_closed).await?;
            let buffer = SharedBuffer::default();
            let mut csv = ResponsesCsv::new(&plan, dialect, buffer.clone())?;
            let mut records = snapshot.stream_response_records(&questionnaire.id, &filter);
            while let Some(record) = records.try_next().await? {
                csv.write(&record)?;
                if buffer.len() >= CHUNK && chunks.send(Ok(buffer.take())).await.is_err() {
                    return Ok(()); // The client went away.
                }
            }
            csv.finish()?;
            let _ = chunks.send(Ok(buffer.take())).await;
            Ok::<_, StaffPageError>(())
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
