-- Contact requests per visit and per client address in the last hour (screening/storage/
-- quotas.py), shared by every replica. No address is stored: sender_digest is a keyed hash
-- (HMAC-SHA-256) of it, and tab_digest a hash of a random per-tab token. Rows older than the
-- window are deleted whenever a request is counted.
CREATE TABLE contact_quota (
    id {id},
    at TIMESTAMP NOT NULL,
    tab_digest VARCHAR(64) NOT NULL,
    sender_digest VARCHAR(64) NOT NULL
);
CREATE INDEX contact_quota_at ON contact_quota (at);
