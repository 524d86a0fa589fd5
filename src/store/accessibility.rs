//! Reports of accessibility problems (`accessibility::feedback`): stored
//! apart from responses with only their words, page and week, read and
//! handled by admins.

use time::Date;
use uuid::Uuid;

use super::{Store, StoreError};
use crate::accessibility::feedback::Feedback;

const INSERT_FEEDBACK: &str = "INSERT INTO accessibility_feedback (id, text, page, week) VALUES ($1, $2, $3, $4)";
// Newest week first; within a week by the random id, never by arrival.
const SELECT_FEEDBACK: &str =
    "SELECT id, text, page, week, handled FROM accessibility_feedback ORDER BY handled, week DESC, id";
const MARK_HANDLED: &str = "UPDATE accessibility_feedback SET handled = $2 WHERE id = $1";
const DELETE_FEEDBACK: &str = "DELETE FROM accessibility_feedback WHERE id = $1";

/// A stored report, for the admins' page.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredFeedback {
    pub id: Uuid,
    pub text: String,
    pub page: Option<String>,
    /// The Monday of the week it came.
    pub week: Date,
    pub handled: bool,
}

impl Store {
    /// Stores a report under a random id.
    pub async fn insert_feedback(&self, feedback: &Feedback) -> Result<Uuid, StoreError> {
        let id = Uuid::new_v4();
        on_pool!(self, pool => {
            sqlx::query(INSERT_FEEDBACK)
                .bind(id)
                .bind(&feedback.text)
                .bind(feedback.page.as_deref())
                .bind(feedback.week)
                .execute(pool)
                .await?;
        });
        Ok(id)
    }

    /// Every report: those not yet handled first, newest week first.
    pub async fn feedback(&self) -> Result<Vec<StoredFeedback>, StoreError> {
        let rows = on_pool!(self, pool => sqlx::query_as(SELECT_FEEDBACK).fetch_all(pool).await?);
        Ok(rows)
    }

    /// Marks a report handled (or not); `false` if there is no such report.
    pub async fn mark_feedback_handled(&self, id: Uuid, handled: bool) -> Result<bool, StoreError> {
        let changed = on_pool!(self, pool => {
            sqlx::query(MARK_HANDLED).bind(id).bind(handled).execute(pool).await?.rows_affected()
        });
        Ok(changed > 0)
    }

    /// Deletes a report; `false` if there is no such report.
    pub async fn delete_feedback(&self, id: Uuid) -> Result<bool, StoreError> {
        let deleted =
            on_pool!(self, pool => sqlx::query(DELETE_FEEDBACK).bind(id).execute(pool).await?.rows_affected());
        Ok(deleted > 0)
    }
}
