"""The pages: the self-check (a function app.py registers) and the staff pages (page files)."""
