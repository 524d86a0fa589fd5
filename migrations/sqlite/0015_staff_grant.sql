-- Roles per unit (crate::staff::roles): an account's role in a unit of the
-- organisation, `viewer`, `coordinator` or `admin`; unit '*' holds in every
-- unit. Global admins are `staff_account.is_admin` and need no grant. SQLite
-- edition. Keep the same logical schema as migrations/postgres.
CREATE TABLE staff_grant (
    account TEXT NOT NULL REFERENCES staff_account (name) ON DELETE CASCADE,
    unit TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('viewer', 'coordinator', 'admin')),
    PRIMARY KEY (account, unit)
) WITHOUT ROWID;

-- Before units, an account that was not an admin could see every result
-- and hand out codes: it keeps exactly that, as a coordinator everywhere,
-- until an admin narrows it (enkat staff revoke NAME --unit '*').
INSERT INTO staff_grant (account, unit, role)
SELECT name, '*', 'coordinator' FROM staff_account WHERE NOT is_admin;
