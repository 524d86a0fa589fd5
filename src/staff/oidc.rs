//! Sign-in with the organisation's OpenID provider: which groups of its
//! groups claim give which role (`--oidc-role GROUP=UNIT:ROLE`, or
//! `GROUP=admin` for a global admin), and what an account signed in that
//! way is called. No HTTP here: `web::staff::oidc` does the protocol.

use std::fmt;
use std::str::FromStr;

use sha2::{Digest, Sha256};

use super::{AccountName, Grants, UnitRole};

/// What one group of the provider's groups claim gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupGrant {
    /// Everything, in every unit (`GROUP=admin`).
    GlobalAdmin,
    /// A role in one unit, or in every unit for `*` (`GROUP=UNIT:ROLE`).
    Unit { unit: String, role: UnitRole },
}

/// One `--oidc-role` mapping: a group and what it gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleMapping {
    pub group: String,
    pub grant: GroupGrant,
}

/// Why a `--oidc-role` could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not a role mapping: write GROUP=UNIT:ROLE (ROLE viewer, coordinator or admin; UNIT `*` for every unit) or GROUP=admin"
)]
pub struct BadRoleMapping(String);

impl FromStr for RoleMapping {
    type Err = BadRoleMapping;

    fn from_str(text: &str) -> Result<RoleMapping, BadRoleMapping> {
        let bad = || BadRoleMapping(text.to_owned());
        // A group may hold `=` (an LDAP DN does): the last one separates.
        let (group, granted) = text.rsplit_once('=').ok_or_else(bad)?;
        if group.is_empty() {
            return Err(bad());
        }
        let grant = match granted.split_once(':') {
            None if granted == "admin" => GroupGrant::GlobalAdmin,
            Some((unit, role)) if !unit.is_empty() => {
                GroupGrant::Unit { unit: unit.to_owned(), role: UnitRole::parse(role).ok_or_else(bad)? }
            }
            _ => return Err(bad()),
        };
        Ok(RoleMapping { group: group.to_owned(), grant })
    }
}

impl fmt::Display for RoleMapping {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.grant {
            GroupGrant::GlobalAdmin => write!(f, "{}=admin", self.group),
            GroupGrant::Unit { unit, role } => write!(f, "{}={unit}:{role}", self.group),
        }
    }
}

/// What a person's groups give under `mappings`: `None` when they give
/// nothing at all (no account is made, and an existing one may not sign
/// in). Two groups giving roles in one unit: the higher role holds.
pub fn grants_for_groups<'a>(mappings: &[RoleMapping], groups: impl IntoIterator<Item = &'a str>) -> Option<Grants> {
    let groups: Vec<&str> = groups.into_iter().collect();
    let mut global_admin = false;
    let mut units = std::collections::BTreeMap::<String, UnitRole>::new();
    for mapping in mappings.iter().filter(|mapping| groups.contains(&mapping.group.as_str())) {
        match &mapping.grant {
            GroupGrant::GlobalAdmin => global_admin = true,
            GroupGrant::Unit { unit, role } => {
                let held = units.entry(unit.clone()).or_insert(*role);
                *held = (*held).max(*role);
            }
        }
    }
    (global_admin || !units.is_empty()).then(|| Grants::new(global_admin, units))
}

/// The name of a new account signed in as `subject`: the provider's
/// `preferred_username` made into a valid name (lowercase, the part before
/// an `@`) when it is one, else `oidc-` and a digest of the subject (a
/// subject is often an opaque id). `taken` says a name is already used:
/// then the digest follows the name.
pub fn account_name_for(preferred: Option<&str>, subject: &str, taken: impl Fn(&str) -> bool) -> AccountName {
    let digest = hex::encode(&Sha256::digest(subject.as_bytes())[..6]);
    let preferred = preferred
        .map(|name| name.split('@').next().unwrap_or(name).trim().to_ascii_lowercase())
        .and_then(|name| AccountName::parse(&name).ok());
    let candidates = match preferred {
        Some(name) => vec![name.as_str().to_owned(), format!("{}-{digest}", truncate(name.as_str(), 50))],
        None => vec![format!("oidc-{digest}")],
    };
    candidates
        .into_iter()
        .filter_map(|candidate| AccountName::parse(&candidate).ok())
        .find(|candidate| !taken(candidate.as_str()))
        .unwrap_or_else(|| AccountName(format!("oidc-{}", hex::encode(Sha256::digest(subject.as_bytes())))))
}

fn truncate(text: &str, chars: usize) -> &str {
    text.char_indices().nth(chars).map_or(text, |(at, _)| &text[..at])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mapping(text: &str) -> RoleMapping {
        text.parse().unwrap_or_else(|error| panic!("{text}: {error}"))
    }

    #[test]
    fn mappings_are_read_as_written_and_nonsense_is_refused() {
        assert_eq!(mapping("enkat-admins=admin").grant, GroupGrant::GlobalAdmin);
        assert_eq!(
            mapping("nexus-läsare=nexus:viewer").grant,
            GroupGrant::Unit { unit: "nexus".into(), role: UnitRole::Viewer }
        );
        let dn = mapping("CN=Enkät,OU=Grupper=*:coordinator");
        assert_eq!(dn.group, "CN=Enkät,OU=Grupper");
        assert_eq!(dn.grant, GroupGrant::Unit { unit: "*".into(), role: UnitRole::Coordinator });
        assert_eq!(dn.to_string(), "CN=Enkät,OU=Grupper=*:coordinator");
        for bad in ["", "nexus", "=admin", "g=", "g=owner", "g=nexus:owner", "g=:viewer", "g=nexus:"] {
            assert!(bad.parse::<RoleMapping>().is_err(), "{bad:?} is refused");
        }
    }

    #[test]
    fn groups_give_the_highest_role_mapped_and_nothing_without_a_mapped_group() {
        let mappings =
            [mapping("a=nexus:viewer"), mapping("b=nexus:admin"), mapping("c=*:coordinator"), mapping("d=admin")];
        let grants = grants_for_groups(&mappings, ["a", "b", "x"]).expect("a role");
        assert_eq!(grants.role_in("nexus"), Some(UnitRole::Admin));
        assert_eq!(grants.role_in("stodteamet"), None);
        assert!(!grants.is_global_admin());
        assert_eq!(
            grants_for_groups(&mappings, ["c"]).and_then(|g| g.role_in("stodteamet")),
            Some(UnitRole::Coordinator)
        );
        assert!(grants_for_groups(&mappings, ["d"]).is_some_and(|g| g.is_global_admin()));
        assert_eq!(grants_for_groups(&mappings, ["x", "y"]), None);
        assert_eq!(grants_for_groups(&mappings, []), None);
    }

    #[test]
    fn an_account_is_named_after_the_person_when_it_can_be() {
        let free = |_: &str| false;
        assert_eq!(account_name_for(Some("Anna.Berg@uppsala.se"), "s1", free).as_str(), "anna.berg");
        let taken = |name: &str| name == "anna.berg";
        let second = account_name_for(Some("anna.berg"), "s2", taken);
        assert!(second.as_str().starts_with("anna.berg-"), "{second}");
        let opaque = account_name_for(Some("Åsa Öberg"), "0f3c-uuid", free);
        assert!(opaque.as_str().starts_with("oidc-"), "{opaque}");
        assert_eq!(opaque, account_name_for(None, "0f3c-uuid", free), "the same subject, the same name");
    }
}
