-- The staff sign-in lock-out (screening/lockout.py), in one row shared by every session, process
-- and replica. Only counts and a time: no password, name or address. locked_until is seconds
-- since 1970 (UTC); nobody can sign in before it.
CREATE TABLE staff_lockout (
    id INTEGER PRIMARY KEY,
    failures INTEGER NOT NULL,
    locks INTEGER NOT NULL,
    locked_until DOUBLE PRECISION NOT NULL
);
INSERT INTO staff_lockout (id, failures, locks, locked_until) VALUES (1, 0, 0, 0);
