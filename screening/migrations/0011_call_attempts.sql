-- The clinic's call-backs (screening/records/callback.py): each try to reach a person who asked
-- to be contacted, with its outcome and the caller's note. Deleted with its contact request
-- (forget, purge) by the cascade, so no note outlives the person's request. staff is the
-- account's e-mail. The audit trail records each attempt too, with its outcome but never the
-- note.
CREATE TABLE call_attempts (
    id {id},
    contact_id BIGINT NOT NULL REFERENCES contact_requests (id) ON DELETE CASCADE,
    at TIMESTAMP NOT NULL,
    staff VARCHAR(254) NOT NULL,
    outcome VARCHAR(20) NOT NULL,
    note TEXT NOT NULL
);
CREATE INDEX call_attempts_contact ON call_attempts (contact_id)
