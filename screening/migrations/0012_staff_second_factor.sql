-- A second factor for staff accounts: a TOTP secret (RFC 6238, 30-second codes, as authenticator
-- apps make them), and the last time step whose code was accepted, so no code signs in twice.
-- staff_policy holds the clinic's choices that an admin makes on the dashboard; its one entry
-- so far is require_second_factor ('yes' or 'no').
ALTER TABLE staff_accounts ADD COLUMN totp_secret VARCHAR(64);
ALTER TABLE staff_accounts ADD COLUMN totp_last_step BIGINT;
CREATE TABLE staff_policy (
    name VARCHAR(40) PRIMARY KEY,
    value VARCHAR(200) NOT NULL
)
