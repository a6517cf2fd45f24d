-- Funnel counts, anonymous screenings, contact requests and the consent texts they agreed to.
-- {id} is the dialect's auto-numbered primary key. Times are UTC without a zone.

-- One row per funnel event: a day, never a time; no answers, no identifiers. dedupe_key is a
-- hash of (visit token, kind, step, tier) so a rerun does not count twice; it links nothing.
CREATE TABLE events (
    id {id},
    day DATE NOT NULL,
    kind VARCHAR(20) NOT NULL,
    step VARCHAR(40),
    tier VARCHAR(20),
    lang VARCHAR(5) NOT NULL,
    utm_source VARCHAR(100),
    utm_medium VARCHAR(100),
    utm_campaign VARCHAR(100),
    utm_content VARCHAR(100),
    dedupe_key VARCHAR(64) UNIQUE
);
CREATE INDEX events_day ON events (day);

-- A completed screening: anonymous unless a contact request points at it.
CREATE TABLE screenings (
    id {id},
    created_at TIMESTAMP NOT NULL,
    questionnaire_version VARCHAR(40) NOT NULL,
    lang VARCHAR(5) NOT NULL,
    tier VARCHAR(20) NOT NULL,
    score INTEGER,
    reasons TEXT NOT NULL,
    answers TEXT NOT NULL,
    utm_source VARCHAR(100),
    utm_medium VARCHAR(100),
    utm_campaign VARCHAR(100),
    utm_content VARCHAR(100),
    idempotency_key VARCHAR(64) UNIQUE
);
CREATE INDEX screenings_created_at ON screenings (created_at);

-- Each wording of the consent box that someone agreed to, by its version (a short hash).
CREATE TABLE consent_texts (
    version VARCHAR(16) PRIMARY KEY,
    lang VARCHAR(5) NOT NULL,
    text TEXT NOT NULL,
    first_seen TIMESTAMP NOT NULL
);

CREATE TABLE contact_requests (
    id {id},
    created_at TIMESTAMP NOT NULL,
    screening_id BIGINT REFERENCES screenings (id),
    name VARCHAR(100) NOT NULL,
    phone VARCHAR(20),
    email VARCHAR(254),
    preferred_way VARCHAR(10),
    preferred_time VARCHAR(10),
    note TEXT NOT NULL,
    lang VARCHAR(5) NOT NULL,
    utm_source VARCHAR(100),
    utm_medium VARCHAR(100),
    utm_campaign VARCHAR(100),
    utm_content VARCHAR(100),
    consent_version VARCHAR(16) NOT NULL REFERENCES consent_texts (version),
    consent_at TIMESTAMP NOT NULL,
    idempotency_key VARCHAR(64) NOT NULL UNIQUE
);
CREATE INDEX contact_requests_created_at ON contact_requests (created_at);
CREATE INDEX contact_requests_screening_id ON contact_requests (screening_id);
