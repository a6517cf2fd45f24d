"""The web server around Streamlit: headers and the content policy, link previews, the readiness
probe, and /media downloads bound to the browser they were made for."""
