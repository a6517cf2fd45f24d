"""Two small things only the browser can do: tell it the page language (screen readers pick
their voice from <html lang>, which Streamlit leaves at "en") and show a new screen from its top
(Streamlit keeps the scroll position, so a phone would open the next step at the bottom)."""

from __future__ import annotations

import streamlit as st
import streamlit.components.v1 as components

from screening.models import LANGUAGES

SHOWN = "browser.shown"  # the screen drawn last run, to scroll up only when it changes
COUNT = "browser.scrolls"


def sync(lang: str, screen: object) -> None:
    lang = lang if lang in LANGUAGES else "en"  # never put anything else into the script
    scroll = st.session_state.get(SHOWN) != screen
    st.session_state[SHOWN] = screen
    count = st.session_state[COUNT] = st.session_state.get(COUNT, 0) + int(scroll)
    js = f"const d = window.parent.document; d.documentElement.lang = '{lang}';"
    if scroll:
        js += "const m = d.querySelector('[data-testid=stMain]'); if (m) m.scrollTo(0, 0);"
    # A zero-height frame: its document is reloaded whenever its text changes (the counter),
    # so the script runs again for each new screen; an inline script would run only once.
    components.html(f"<script>/* {count} */ {js}</script>", height=0)


# Phones have little room: drop the empty header strip and most of the top padding.
_STYLE = """<style>
[data-testid=stHeader] { display: none; }
[data-testid=stMainBlockContainer] { padding-top: 1.25rem; padding-bottom: 4rem; }
[data-testid=stElementContainer]:has(> iframe[height="0"]) { display: none; }
</style>"""


def style() -> None:
    st.html(_STYLE)  # style-only HTML goes to Streamlit's event container: it takes no space
