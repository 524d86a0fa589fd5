//! Group commit: responses sent at the same moment share one transaction.
//!
//! Every submission waits in one queue; a single writer task takes all that
//! have queued (up to `MOST_PER_BATCH`), stores them with
//! `Store::insert_responses` and only then answers each waiting request with
//! its own outcome. While one batch commits, the next gathers, so the disk
//! sync that dominates a commit is paid once per batch instead of once per
//! response. One response alone is committed at once: nothing waits for
//! company.

use std::sync::{Arc, OnceLock};

use tokio::sync::{Mutex, mpsc, oneshot};

use super::batch::intake::Intake;
use super::{BatchConnection, CodeUse, MOVE_AFTER, MOVE_AT, QueuedResponse, Store, StoreError};

/// The most responses committed together: enough to absorb every client of
/// a busy moment, few enough that one transaction stays short.
const MOST_PER_BATCH: usize = 512;
/// Submissions that may wait in the queue before senders wait for room.
const QUEUE_LENGTH: usize = 4096;
/// PostgreSQL: writer tasks taking batches from the one queue in turn, so
/// that one batch's rows are written while the one before waits for its
/// commit to reach the disk. (SQLite has one writer at a time anyway.)
const POSTGRES_WRITERS: usize = 2;

/// A response waiting for its batch, and where its outcome goes.
struct Waiting {
    response: QueuedResponse,
    outcome: oneshot::Sender<Result<CodeUse, StoreError>>,
}

/// The queue in front of the writer task: cheap to clone, shared by every
/// request. The task starts with the first response, on the runtime that
/// sends it, and ends when the last clone is dropped.
#[derive(Clone)]
pub struct ResponseWriter {
    store: Store,
    queue: Arc<OnceLock<mpsc::Sender<Waiting>>>,
}

impl std::fmt::Debug for ResponseWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseWriter").field("database", &self.store.kind()).finish_non_exhaustive()
    }
}

impl ResponseWriter {
    /// A writer storing into `store`.
    pub fn new(store: Store) -> ResponseWriter {
        ResponseWriter { store, queue: Arc::new(OnceLock::new()) }
    }

    /// Stores `response` with whatever else is waiting; returns its own
    /// outcome once its batch is committed. An error means its batch was
    /// rolled back: nothing of it was stored.
    pub async fn store(&self, response: QueuedResponse) -> Result<CodeUse, StoreError> {
        let queue = self.queue.get_or_init(|| {
            let (sender, receiver) = mpsc::channel(QUEUE_LENGTH);
            match &self.store {
                Store::Sqlite(_) => {
                    tokio::spawn(write_batches(self.store.clone(), receiver));
                }
                Store::Postgres(_) => {
                    let receiver = Arc::new(Mutex::new(receiver));
                    for _ in 0..POSTGRES_WRITERS {
                        tokio::spawn(write_batches_in_turn(self.store.clone(), receiver.clone()));
                    }
                }
            }
            sender
        });
        let (outcome, answer) = oneshot::channel();
        queue.send(Waiting { response, outcome }).await.map_err(|_| StoreError::WriterGone)?;
        answer.await.map_err(|_| StoreError::WriterGone)?
    }
}

/// The writer task: one batch at a time, each answered after its commit.
/// On SQLite a batch is appended to the intake, and the intake is moved
/// whenever it is due (`batch::intake`): between batches, after
/// `MOVE_AFTER` even if nothing more comes, and when the queue closes.
async fn write_batches(store: Store, mut queue: mpsc::Receiver<Waiting>) {
    let mut waiting = Vec::with_capacity(MOST_PER_BATCH);
    // SQLite: one connection for every batch while it works (see `BatchConnection`).
    let mut kept: Option<BatchConnection> = None;
    // SQLite: what this writer knows of the intake, once it has opened it.
    let mut intake: Option<Intake> = None;
    loop {
        let due_at = intake.as_ref().and_then(|intake| intake.oldest).map(|oldest| oldest + MOVE_AFTER);
        let received = match due_at {
            Some(due_at) => tokio::select! {
                received = queue.recv_many(&mut waiting, MOST_PER_BATCH) => received,
                () = tokio::time::sleep_until(due_at) => {
                    move_intake(&store, &mut kept, &mut intake).await;
                    continue;
                }
            },
            None => queue.recv_many(&mut waiting, MOST_PER_BATCH).await,
        };
        if received == 0 {
            break;
        }
        let (responses, outcomes): (Vec<QueuedResponse>, Vec<_>) =
            waiting.drain(..).map(|waiting| (waiting.response, waiting.outcome)).unzip();
        let mut connection = match take_connection(&store, &mut kept).await {
            Ok(connection) => connection,
            Err(error) => {
                fail(outcomes, error);
                continue;
            }
        };
        let stored = match &mut connection {
            BatchConnection::Sqlite(sqlite) => match open_intake(&mut intake, sqlite).await {
                Ok(intake) => intake.take_in(sqlite, &responses).await,
                Err(error) => Err(error),
            },
            BatchConnection::Postgres(_) => connection.insert_responses(&responses).await,
        };
        match stored {
            Ok(decided) => {
                // Only SQLite's: a PostgreSQL connection gains nothing by
                // staying, and one the server has since closed would fail a
                // batch the pool's check at each taking would have saved.
                if let BatchConnection::Sqlite(_) = connection {
                    kept = Some(connection);
                }
                for (outcome, decided) in outcomes.into_iter().zip(decided) {
                    // A request given up on (the person left) needs no answer.
                    let _ = outcome.send(Ok(decided));
                }
            }
            // The connection goes back to the pool, which tests it before
            // it is used again; the next batch takes whichever it gives.
            Err(error) => fail(outcomes, error),
        }
        if intake.as_ref().is_some_and(|intake| intake.held >= MOVE_AT) {
            move_intake(&store, &mut kept, &mut intake).await;
        }
    }
    if intake.as_ref().is_some_and(|intake| intake.held > 0) {
        move_intake(&store, &mut kept, &mut intake).await;
    }
}

/// A PostgreSQL writer task: takes what has queued when its turn comes,
/// stores it straight into the tables, answers each after the commit.
/// Batches of two tasks may commit in either order; each response's outcome
/// is its own batch's. The tallies' counters are added last, in key order,
/// so two batches wait for each other there at most, never in a cycle.
async fn write_batches_in_turn(store: Store, queue: Arc<Mutex<mpsc::Receiver<Waiting>>>) {
    let mut waiting = Vec::with_capacity(MOST_PER_BATCH);
    loop {
        let received = queue.lock().await.recv_many(&mut waiting, MOST_PER_BATCH).await;
        if received == 0 {
            break;
        }
        let (responses, outcomes): (Vec<QueuedResponse>, Vec<_>) =
            waiting.drain(..).map(|waiting| (waiting.response, waiting.outcome)).unzip();
        let stored = match store.batch_connection().await {
            Ok(mut connection) => connection.insert_responses(&responses).await,
            Err(error) => Err(error),
        };
        match stored {
            Ok(decided) => {
                for (outcome, decided) in outcomes.into_iter().zip(decided) {
                    let _ = outcome.send(Ok(decided));
                }
            }
            Err(error) => fail(outcomes, error),
        }
    }
}

/// The kept connection, or a new one from the pool.
async fn take_connection(store: &Store, kept: &mut Option<BatchConnection>) -> Result<BatchConnection, StoreError> {
    match kept.take() {
        Some(connection) => Ok(connection),
        None => store.batch_connection().await,
    }
}

/// The writer's intake, opened (and what an earlier run left moved) on first use.
async fn open_intake<'a>(
    intake: &'a mut Option<Intake>,
    connection: &mut sqlx::SqliteConnection,
) -> Result<&'a mut Intake, StoreError> {
    if intake.is_none() {
        *intake = Some(Intake::open(connection).await?);
    }
    Ok(intake.as_mut().expect("opened above"))
}

/// Moves the intake. A failure is logged and tried again after
/// `MOVE_AFTER`: the responses stay in the intake, durable, and every read
/// moves them first too (`Store::settle`).
async fn move_intake(store: &Store, kept: &mut Option<BatchConnection>, intake: &mut Option<Intake>) {
    let Some(intake) = intake.as_mut() else { return };
    let moved = match take_connection(store, kept).await {
        Ok(BatchConnection::Sqlite(mut connection)) => {
            let moved = intake.move_all(&mut connection).await;
            if moved.is_ok() {
                *kept = Some(BatchConnection::Sqlite(connection));
            }
            moved
        }
        Ok(BatchConnection::Postgres(_)) => return,
        Err(error) => Err(error),
    };
    if let Err(error) = moved {
        tracing::error!(%error, "moving the intake failed; trying again shortly");
        intake.oldest = Some(tokio::time::Instant::now());
    }
}

/// Every response of a batch failed together; each request reports it (and
/// logs it) as its own failure.
fn fail(outcomes: Vec<oneshot::Sender<Result<CodeUse, StoreError>>>, error: StoreError) {
    let error = Arc::new(error);
    for outcome in outcomes {
        let _ = outcome.send(Err(StoreError::Batch(error.clone())));
    }
}
