-- When a member of staff marked a contact request as dealt with (the staff dashboard).
ALTER TABLE contact_requests ADD COLUMN handled_at TIMESTAMP;
