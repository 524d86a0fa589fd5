//! "Vad vi gör nu": the note staff write for a closed period, one per
//! questionnaire and period (`report::note` has the rule).

use std::collections::BTreeMap;

use super::{Store, StoreError};
use crate::questionnaire::Questionnaire;
use crate::report::period::Period;

const SAVE_NOTE: &str = "INSERT INTO period_note (questionnaire_id, period, note) VALUES ($1, $2, $3) \
     ON CONFLICT (questionnaire_id, period) DO UPDATE SET note = excluded.note";
const SELECT_NOTES: &str = "SELECT period, note FROM period_note WHERE questionnaire_id = $1";

impl Store {
    /// Stores `note` for `period`, replacing the note saved for it before.
    pub async fn save_period_note(&self, questionnaire_id: &str, period: Period, note: &str) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query(SAVE_NOTE).bind(questionnaire_id).bind(period.to_string()).bind(note).execute(pool).await?;
        });
        Ok(())
    }

    /// The notes saved for the questionnaire, per period of its
    /// `report_period` (a period of another kind cannot be read and is
    /// left out), empty ones too.
    pub async fn period_notes(&self, questionnaire: &Questionnaire) -> Result<BTreeMap<Period, String>, StoreError> {
        let rows: Vec<(String, String)> = on_pool!(self, pool => {
            sqlx::query_as(SELECT_NOTES).bind(&questionnaire.id).fetch_all(pool).await?
        });
        Ok(rows
            .into_iter()
            .filter_map(|(period, note)| Some((Period::parse(questionnaire.report_period, &period).ok()?, note)))
            .collect())
    }
}
