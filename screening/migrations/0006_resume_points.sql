-- Where a person was in the self-check, so that a reload, the phone's Back and Forward, or a
-- return after a locked screen go on from there (screening/records/storage/resume.py). One row
-- per visit, shared by every replica. The key is a hash of the random resume id the browser
-- holds (in the page's address), so this table alone does not open anyone's check. No contact
-- detail, address or other identifier: the state is the screen, the language and the answers.
-- Rows are deleted on "Start over", when a contact request is sent, and once idle or old
-- (times in seconds since 1970, UTC).
CREATE TABLE resume_points (
    id_digest VARCHAR(64) PRIMARY KEY,
    created DOUBLE PRECISION NOT NULL,
    touched DOUBLE PRECISION NOT NULL,
    state TEXT NOT NULL
);
CREATE INDEX resume_points_touched ON resume_points (touched);
CREATE INDEX resume_points_created ON resume_points (created);
