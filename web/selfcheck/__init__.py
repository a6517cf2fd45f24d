"""The patient's self-check: the welcome, step and result screens, the contact form, the
session state they share, and what the check hands to storage."""
