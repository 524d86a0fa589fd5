//! Accounts signed in with the OpenID provider (migration 0017): the
//! account a provider's subject is, made at the first sign-in, and its
//! grants replaced by what the groups claim gives at each sign-in.

use time::OffsetDateTime;

use super::{Store, StoreError};
use crate::staff::Grants;

/// An account of the OpenID provider's, as found by its subject.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OidcAccount {
    pub name: String,
    pub is_admin: bool,
}

const SELECT_BY_SUBJECT: &str = "SELECT a.name, a.is_admin FROM staff_oidc_subject o \
     JOIN staff_account a ON a.name = o.account WHERE o.issuer = $1 AND o.subject = $2";
const SELECT_PROVIDERS: &str = "SELECT account, provider FROM staff_oidc_subject ORDER BY account";
const SELECT_PROVIDER: &str = "SELECT provider FROM staff_oidc_subject WHERE account = $1";
const ACCOUNT_EXISTS: &str = "SELECT COUNT(*) FROM staff_account WHERE name = $1";
// Never a valid PHC string: a password can never sign such an account in.
const INSERT_ACCOUNT: &str = "INSERT INTO staff_account (name, password_hash, is_admin, created_at) \
     VALUES ($1, '!oidc', $2, $3) ON CONFLICT (name) DO NOTHING";
const INSERT_SUBJECT: &str =
    "INSERT INTO staff_oidc_subject (account, issuer, subject, provider) VALUES ($1, $2, $3, $4)";
const UPDATE_ADMIN: &str = "UPDATE staff_account SET is_admin = $2 WHERE name = $1";
const UPDATE_PROVIDER: &str = "UPDATE staff_oidc_subject SET provider = $2 WHERE account = $1";
const DELETE_GRANTS: &str = "DELETE FROM staff_grant WHERE account = $1";
const INSERT_GRANT: &str = "INSERT INTO staff_grant (account, unit, role) VALUES ($1, $2, $3)";

/// UTC and whole seconds, as every staff timestamp (see `store::staff`).
fn stamp(moment: OffsetDateTime) -> OffsetDateTime {
    let utc = moment.to_offset(time::UtcOffset::UTC);
    utc.replace_nanosecond(0).unwrap_or(utc)
}

impl Store {
    /// The account that `subject` of `issuer` signed in as before, if any.
    pub async fn oidc_account(&self, issuer: &str, subject: &str) -> Result<Option<OidcAccount>, StoreError> {
        let account = on_pool!(self, pool => {
            sqlx::query_as(SELECT_BY_SUBJECT).bind(issuer).bind(subject).fetch_optional(pool).await?
        });
        Ok(account)
    }

    /// Whether an account of this name exists (any kind).
    pub async fn staff_account_exists(&self, name: &str) -> Result<bool, StoreError> {
        let count: i64 = on_pool!(self, pool => {
            sqlx::query_scalar(ACCOUNT_EXISTS).bind(name).fetch_one(pool).await?
        });
        Ok(count > 0)
    }

    /// The provider's name of an account signed in with it; `None` for a
    /// local account.
    pub async fn oidc_provider_of(&self, account: &str) -> Result<Option<String>, StoreError> {
        let provider = on_pool!(self, pool => {
            sqlx::query_scalar(SELECT_PROVIDER).bind(account).fetch_optional(pool).await?
        });
        Ok(provider)
    }

    /// Every account signed in with a provider, with the provider's name.
    pub async fn oidc_providers(&self) -> Result<Vec<(String, String)>, StoreError> {
        let rows = on_pool!(self, pool => sqlx::query_as(SELECT_PROVIDERS).fetch_all(pool).await?);
        Ok(rows)
    }

    /// Makes the account `name` for `subject` of `issuer`, with `grants`,
    /// in one transaction; `false` when the name was taken meanwhile.
    pub async fn add_oidc_account(
        &self,
        name: &str,
        (issuer, subject, provider): (&str, &str, &str),
        grants: &Grants,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let added = on_pool!(self, pool => {
            let mut transaction = pool.begin().await?;
            let added = sqlx::query(INSERT_ACCOUNT)
                .bind(name)
                .bind(grants.is_global_admin())
                .bind(stamp(now))
                .execute(&mut *transaction)
                .await?
                .rows_affected();
            if added == 1 {
                sqlx::query(INSERT_SUBJECT)
                    .bind(name)
                    .bind(issuer)
                    .bind(subject)
                    .bind(provider)
                    .execute(&mut *transaction)
                    .await?;
                for (unit, role) in grants.units() {
                    sqlx::query(INSERT_GRANT).bind(name).bind(unit).bind(role.as_str()).execute(&mut *transaction).await?;
                }
                transaction.commit().await?;
            }
            added
        });
        Ok(added == 1)
    }

    /// Replaces what an account of the provider may do with `grants`
    /// (nothing at all for `None`): its admin flag and every grant, in one
    /// transaction. Its provider's name is brought up to date too.
    pub async fn replace_oidc_grants(
        &self,
        account: &str,
        provider: &str,
        grants: Option<&Grants>,
    ) -> Result<(), StoreError> {
        let empty = Grants::default();
        let grants = grants.unwrap_or(&empty);
        on_pool!(self, pool => {
            let mut transaction = pool.begin().await?;
            sqlx::query(UPDATE_ADMIN).bind(account).bind(grants.is_global_admin()).execute(&mut *transaction).await?;
            sqlx::query(UPDATE_PROVIDER).bind(account).bind(provider).execute(&mut *transaction).await?;
            sqlx::query(DELETE_GRANTS).bind(account).execute(&mut *transaction).await?;
            for (unit, role) in grants.units() {
                sqlx::query(INSERT_GRANT).bind(account).bind(unit).bind(role.as_str()).execute(&mut *transaction).await?;
            }
            transaction.commit().await?;
        });
        Ok(())
    }
}
