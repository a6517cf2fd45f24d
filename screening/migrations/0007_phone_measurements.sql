-- The camera aid's measurements (eye opening and mouth corners, measured on the person's phone),
-- only those the person chose to share, as JSON by question id. Never a picture. Kept with the
-- screening when the clinic keeps screenings or a contact request points at it; NULL otherwise.
ALTER TABLE screenings ADD COLUMN phone_measurements TEXT;
