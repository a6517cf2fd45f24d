"""What the patient's screens and the staff pages share: the loaded content, the settings, text
escaping, browser helpers, the client's address and the new-request notice."""
