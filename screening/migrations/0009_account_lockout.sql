-- The lock-out per staff account (screening/records/lockout_policy.py, ACCOUNT), beside the one
-- per client address (0005). lock_key is the account's id, a slash, and the keyed hash of the
-- client address (or 'local'): wrong passwords for an account lock that account from that
-- address only, so a stranger's guesses never lock a member of staff out of their own account.
-- Times are seconds since 1970 (UTC). `python -m screening unlock --account E-MAIL` deletes the
-- account's rows.
CREATE TABLE account_lockout (
    lock_key VARCHAR(100) PRIMARY KEY,
    failures INTEGER NOT NULL,
    locks INTEGER NOT NULL,
    locked_until DOUBLE PRECISION NOT NULL,
    last_failure DOUBLE PRECISION NOT NULL
);
CREATE INDEX account_lockout_last_failure ON account_lockout (last_failure)
