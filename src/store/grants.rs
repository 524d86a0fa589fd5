//! Roles per unit (migration 0015): which role an account holds in which
//! unit of the organisation (`crate::staff::roles`).

use super::{Store, StoreError};
use crate::staff::{Grants, UnitRole};

const SELECT_GRANTS: &str = "SELECT unit, role FROM staff_grant WHERE account = $1 ORDER BY unit";
const SELECT_ALL_GRANTS: &str = "SELECT account, unit, role FROM staff_grant ORDER BY account, unit";
// INSERT ... SELECT: no grant for an account that does not exist.
const UPSERT_GRANT: &str = "INSERT INTO staff_grant (account, unit, role) \
     SELECT name, $2, $3 FROM staff_account WHERE name = $1 \
     ON CONFLICT (account, unit) DO UPDATE SET role = excluded.role";
const DELETE_GRANT: &str = "DELETE FROM staff_grant WHERE account = $1 AND unit = $2";

/// A role stored by this enkat reads back; anything else (a row written by
/// hand) grants nothing rather than failing every page of the account.
fn roles(rows: Vec<(String, String)>) -> impl Iterator<Item = (String, UnitRole)> {
    rows.into_iter().filter_map(|(unit, role)| UnitRole::parse(&role).map(|role| (unit, role)))
}

impl Store {
    /// What `account` may do: its roles per unit, or everything for a
    /// global admin.
    pub async fn grants_of(&self, account: &str, global_admin: bool) -> Result<Grants, StoreError> {
        if global_admin {
            return Ok(Grants::new(true, []));
        }
        let rows: Vec<(String, String)> = on_pool!(self, pool => {
            sqlx::query_as(SELECT_GRANTS).bind(account).fetch_all(pool).await?
        });
        Ok(Grants::new(false, roles(rows)))
    }

    /// Every grant of every account: (account, unit, role), by account.
    pub async fn all_grants(&self) -> Result<Vec<(String, String, UnitRole)>, StoreError> {
        let rows: Vec<(String, String, String)> = on_pool!(self, pool => {
            sqlx::query_as(SELECT_ALL_GRANTS).fetch_all(pool).await?
        });
        Ok(rows
            .into_iter()
            .filter_map(|(account, unit, role)| UnitRole::parse(&role).map(|role| (account, unit, role)))
            .collect())
    }

    /// Grants `role` in `unit` to `account`, replacing a role it held
    /// there; false when there is no such account.
    pub async fn grant_role(&self, account: &str, unit: &str, role: UnitRole) -> Result<bool, StoreError> {
        let granted = on_pool!(self, pool => {
            sqlx::query(UPSERT_GRANT).bind(account).bind(unit).bind(role.as_str()).execute(pool).await?.rows_affected()
        });
        Ok(granted > 0)
    }

    /// Takes back the role `account` held in `unit`; false when it held none.
    pub async fn revoke_role(&self, account: &str, unit: &str) -> Result<bool, StoreError> {
        let revoked = on_pool!(self, pool => {
            sqlx::query(DELETE_GRANT).bind(account).bind(unit).execute(pool).await?.rows_affected()
        });
        Ok(revoked > 0)
    }
}
