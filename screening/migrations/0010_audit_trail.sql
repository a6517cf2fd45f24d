-- Who did what on the staff side, and when (screening/records/audit.py). The app only ever
-- inserts here: nothing in it updates or deletes a row, and purge and forget leave the trail
-- alone. actor is the account's e-mail ('shared password' before accounts, 'command line' for
-- the CLI). address is the member of staff's client address as the server saw it. target names
-- a record by its number (a contact request, an account), row_count how many rows an export or
-- a purge held, detail is the app's own words. Never a patient's answers or contact details.
CREATE TABLE audit_trail (
    id {id},
    at TIMESTAMP NOT NULL,
    actor VARCHAR(254) NOT NULL,
    action VARCHAR(40) NOT NULL,
    target VARCHAR(254),
    row_count INTEGER,
    detail VARCHAR(200),
    address VARCHAR(64)
);
CREATE INDEX audit_trail_at ON audit_trail (at)
