//! Who may do what, per unit. A questionnaire belongs to a unit (`unit =
//! "nexus"` in its file, its id by default); an account holds a role in
//! some units, or is a global admin. Staff of one unit never see another
//! unit's questionnaires: asked for one, they get "not found", so its
//! existence is not revealed (`docs/roles.md` has the table).

use std::collections::BTreeMap;
use std::fmt;

/// A role in one unit; each includes the ones before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum UnitRole {
    /// Results, summary exports, the comparison and the report.
    Viewer,
    /// Viewer, and the everyday work: one-time codes, paper entry,
    /// "offered" counts, the report's "Vad vi gör nu".
    Coordinator,
    /// Coordinator, and whole responses, the questionnaire files and
    /// previews of the unit.
    Admin,
}

impl UnitRole {
    pub const ALL: [UnitRole; 3] = [UnitRole::Viewer, UnitRole::Coordinator, UnitRole::Admin];

    /// As stored and as typed on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            UnitRole::Viewer => "viewer",
            UnitRole::Coordinator => "coordinator",
            UnitRole::Admin => "admin",
        }
    }

    pub fn parse(text: &str) -> Option<UnitRole> {
        UnitRole::ALL.into_iter().find(|role| role.as_str() == text)
    }

    /// The role's name on staff pages, in Swedish.
    pub fn label(self) -> &'static str {
        match self {
            UnitRole::Viewer => "läsare",
            UnitRole::Coordinator => "samordnare",
            UnitRole::Admin => "administratör för enheten",
        }
    }
}

impl fmt::Display for UnitRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A grant for this unit holds in every unit: what every account that
/// was not an admin could do before units existed (migration 0015 gives
/// them `coordinator` here), and a way to grant a role across a small
/// set-up's units at once.
pub const EVERY_UNIT: &str = "*";

/// Why an account may not do something with a questionnaire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    /// The account holds no role in the questionnaire's unit: to it, the
    /// questionnaire does not exist.
    OtherUnit,
    /// The account holds a role there, but a lower one than needed.
    BelowRole { needed: UnitRole, held: UnitRole },
}

/// What one account may do: global admin, or a role per unit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Grants {
    global_admin: bool,
    units: BTreeMap<String, UnitRole>,
}

impl Grants {
    pub fn new(global_admin: bool, units: impl IntoIterator<Item = (String, UnitRole)>) -> Grants {
        Grants { global_admin, units: units.into_iter().collect() }
    }

    /// A global admin: accounts, the audit log, every unit.
    pub fn is_global_admin(&self) -> bool {
        self.global_admin
    }

    /// The account's role in `unit`, if any: a global admin is an admin of
    /// every unit; a grant for [`EVERY_UNIT`] counts in each.
    pub fn role_in(&self, unit: &str) -> Option<UnitRole> {
        if self.global_admin {
            return Some(UnitRole::Admin);
        }
        [self.units.get(unit), self.units.get(EVERY_UNIT)].into_iter().flatten().copied().max()
    }

    /// Whether the account may do what needs `needed` in `unit`.
    pub fn check(&self, unit: &str, needed: UnitRole) -> Result<UnitRole, Denied> {
        match self.role_in(unit) {
            None => Err(Denied::OtherUnit),
            Some(held) if held < needed => Err(Denied::BelowRole { needed, held }),
            Some(held) => Ok(held),
        }
    }

    /// Whether the account holds at least `needed` in some unit.
    pub fn anywhere(&self, needed: UnitRole) -> bool {
        self.global_admin || self.units.values().any(|held| *held >= needed)
    }

    /// The units granted, with their roles, in name order.
    pub fn units(&self) -> impl Iterator<Item = (&str, UnitRole)> {
        self.units.iter().map(|(unit, role)| (unit.as_str(), *role))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grants(units: &[(&str, UnitRole)]) -> Grants {
        Grants::new(false, units.iter().map(|(unit, role)| ((*unit).to_owned(), *role)))
    }

    #[test]
    fn every_role_in_every_unit_is_decided_by_the_table() {
        let held = grants(&[("nexus", UnitRole::Coordinator)]);
        for needed in UnitRole::ALL {
            let expected = if needed <= UnitRole::Coordinator {
                Ok(UnitRole::Coordinator)
            } else {
                Err(Denied::BelowRole { needed, held: UnitRole::Coordinator })
            };
            assert_eq!(held.check("nexus", needed), expected, "{needed} in its own unit");
            assert_eq!(held.check("stodteamet", needed), Err(Denied::OtherUnit), "{needed} in another unit");
        }
    }

    #[test]
    fn a_grant_for_every_unit_counts_in_each_and_the_higher_role_wins() {
        let held = grants(&[(EVERY_UNIT, UnitRole::Viewer), ("nexus", UnitRole::Admin)]);
        assert_eq!(held.role_in("nexus"), Some(UnitRole::Admin));
        assert_eq!(held.role_in("stodteamet"), Some(UnitRole::Viewer));
        assert!(held.anywhere(UnitRole::Admin));
        assert!(!grants(&[("nexus", UnitRole::Viewer)]).anywhere(UnitRole::Coordinator));
    }

    #[test]
    fn a_global_admin_is_an_admin_of_every_unit() {
        let admin = Grants::new(true, []);
        for unit in ["nexus", "stodteamet", EVERY_UNIT] {
            assert_eq!(admin.check(unit, UnitRole::Admin), Ok(UnitRole::Admin));
        }
    }

    #[test]
    fn roles_read_back_as_written() {
        for role in UnitRole::ALL {
            assert_eq!(UnitRole::parse(role.as_str()), Some(role));
        }
        assert_eq!(UnitRole::parse("owner"), None);
    }
}
