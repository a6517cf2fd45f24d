-- Named staff accounts replace the one shared password (screening/records/staff_accounts.py).
-- email is the account's name, kept in lower case. role is 'viewer' or 'admin'. password_hash is
-- an argon2 hash, or NULL for an account that signs in only through single sign-on. A disabled
-- account is kept (the audit trail names it) but cannot sign in. generation grows with every
-- change to the account (password, role, disabling): a sign-in made before a change ends.
-- Until the first account exists, the shared password of staff_password_hash still signs in,
-- so a deployment keeps working across this migration (SECURITY.md, "Staff accounts").
CREATE TABLE staff_accounts (
    id {id},
    email VARCHAR(254) NOT NULL UNIQUE,
    role VARCHAR(10) NOT NULL,
    password_hash VARCHAR(512),
    enabled BOOLEAN NOT NULL,
    generation INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    changed_at TIMESTAMP NOT NULL
)
