//! One-time submission tokens: how the same form sent twice is stored once.
//!
//! Every form carries a random token. The SHA-256 of the token is recorded in
//! the transaction that stores the response (see `Store::insert_responses`), so
//! a second send of the same form finds it and stores nothing. The rows hold
//! no link to any response and are forgotten after a while
//! (`forget_submissions_before`); a double click needs seconds, not months.

use time::Date;

use super::{Store, StoreError};

const FORGET_SUBMISSIONS: &str = "DELETE FROM submission WHERE seen_on < $1";

impl Store {
    /// Forgets the submission tokens first seen before `day`; returns how
    /// many. A form older than that may then be stored a second time, which
    /// is the price of keeping nothing for long.
    pub async fn forget_submissions_before(&self, day: Date) -> Result<u64, StoreError> {
        self.settle().await?;
        let forgotten = on_pool!(self, pool => {
            sqlx::query(FORGET_SUBMISSIONS).bind(day).execute(pool).await?.rows_affected()
        });
        Ok(forgotten)
    }
}
