-- The staff sign-in lock-out per client address (screening/lockout.py) replaces the one row that
-- locked everybody at once (0003), so a stranger's wrong guesses no longer keep the clinic's own
-- network out. No address is stored: sender_digest is a keyed hash (HMAC-SHA-256) of it, or
-- 'local' for connections from this machine. Times are seconds since 1970 (UTC). A row is
-- deleted by a correct password from its address, by `python -m screening unlock`, and after a
-- quiet day.
DROP TABLE staff_lockout;
CREATE TABLE sign_in_lockout (
    sender_digest VARCHAR(64) PRIMARY KEY,
    failures INTEGER NOT NULL,
    locks INTEGER NOT NULL,
    locked_until DOUBLE PRECISION NOT NULL,
    last_failure DOUBLE PRECISION NOT NULL
);
CREATE INDEX sign_in_lockout_last_failure ON sign_in_lockout (last_failure);
