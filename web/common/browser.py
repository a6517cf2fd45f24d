"""Two small things only the browser can do: tell it the page language (screen readers pick
their voice from <html lang>, which Streamlit leaves at "en") and show a new screen from its top
(Streamlit keeps the scroll position, so a phone would open the next step at the bottom)."""

from __future__ import annotations

import streamlit as st

from screening.questionnaire.models import LANGUAGES

SHOWN = "browser.shown"  # the screen drawn last run, to scroll up only when it changes
COUNT = "browser.scrolls"
FRAME_KEY = "page-settings"


def script(lang: str, scroll: bool) -> str:
    """The frame's script: one of a few fixed texts, so the Content-Security-Policy can allow
    each by its hash (web/site/content_policy.py) instead of allowing every inline script."""
    js = f"const d = window.parent.document; d.documentElement.lang = '{lang}';"
    if scroll:
        js += "const m = d.querySelector('[data-testid=stMain]'); if (m) m.scrollTo(0, 0);"
    return js


SCRIPTS = tuple(script(lang, scroll) for lang in LANGUAGES for scroll in (False, True))


def sync(lang: str, screen: object) -> None:
    lang = lang if lang in LANGUAGES else "en"  # never put anything else into the script
    scroll = st.session_state.get(SHOWN) != screen
    st.session_state[SHOWN] = screen
    count = st.session_state[COUNT] = st.session_state.get(COUNT, 0) + int(scroll)
    # A zero-height frame: its document is reloaded whenever its text changes (the counter, kept
    # outside the script so the script's hash stays one of SCRIPTS), so the script runs again
    # for each new screen; an inline script would run only once.
    # In a keyed container, hidden by its class: the frame's element takes no room from the first
    # paint on, also while Streamlit still shows a placeholder for it (web/page_shell.py).
    with st.container(key=FRAME_KEY):
        frame = f"<!-- {count} --><script>{script(lang, scroll)}</script>"
        st.iframe(frame, height=1, alt="page settings")


# Phones have little room: drop the empty header strip and most of the top padding.
_STYLE = """<style>
[data-testid=stHeader] { display: none; }
[data-testid=stMainBlockContainer] { padding-top: 1.25rem; padding-bottom: 4rem; }
.st-key-page-settings { display: none; }
[data-testid=stElementContainer]:has(iframe[title="page settings"]) { display: none; }
/* Accessibility (WCAG 2.2 AA; checked in Chromium by tests/e2e, see ACCESSIBILITY.md).
   #0b5cad is the theme's primaryColor (.streamlit/config.toml), 6.4:1 on white. */
/* Heading links (#) are Tab stops nobody here needs. */
[data-testid=stHeaderActionElements] { display: none; }
/* Touch: many who check are older, some with a weak face and the tremor of age. Every answer,
   button and field is at least 48 px tall (2.5.8 asks for 24; 44 is the platforms' minimum)
   and 8 px or more from the next one. */
[data-testid=stRadioOption], [data-testid=stCheckbox] label {
  min-height: 3rem; align-items: center;
}
/* A list of five answers under a picture must fit a phone's first screen: 44 px rows there. */
[role=radiogroup][aria-orientation=vertical] [data-testid=stRadioOption] { min-height: 2.75rem; }
[role=radiogroup] { gap: 0.5rem 1rem; }
[role=radiogroup] [data-testid=stRadioOption] { margin: 0; }
:is(.stButton, .stFormSubmitButton, .stDownloadButton) button, .stLinkButton a,
[data-testid=stExpander] summary { min-height: 3rem; }
:is([data-testid=stTextInputRootElement], [data-testid=stMultiSelect] [data-baseweb=select] > div) {
  min-height: 3rem;
}
/* 16 px in fields (iOS zooms into a page whose inputs are smaller); 15 px for the step counter
   and the notes, which Streamlit sets at 14. */
[data-testid=stMain] :is(input, textarea), [data-testid=stMarkdownContainer] :is(p, li) {
  font-size: 1rem;
}
[data-testid=stWidgetLabel] p { font-size: 1rem; }
[data-testid=stCaptionContainer], [data-testid=stCaptionContainer] p { font-size: 0.9375rem; }
/* Small icon buttons inside fields (open a list, show a password) get 24 px too. */
:is([data-testid=stMultiSelect], [data-testid=stTextInputRootElement]) button {
  min-height: 1.5rem; min-width: 1.5rem;
}
:is([data-testid=stRadioOption], [data-testid=stCheckbox], .stButton, .stLinkButton,
    .stFormSubmitButton, .stDownloadButton) p { font-size: 1rem; }
/* A focus ring that shows (2.4.7): Streamlit draws none on the main area and a faint grey
   one on answers. */
:is(a, button, [tabindex]:not(input, textarea)):focus-visible,
[data-testid=stRadioOption][data-focus-visible=true],
[data-testid=stCheckbox] label:has(input:focus-visible),
:is([data-testid=stTextInputRootElement], [data-testid=stTextAreaRootElement],
    [data-testid=stMultiSelect] [role=group]):has(:focus-visible) {
  outline: 3px solid #0b5cad; outline-offset: 2px; border-radius: 0.25rem;
}
[data-testid=stMain]:focus-visible { outline-offset: -3px; }
</style>"""


def style() -> None:
    st.html(_STYLE)  # style-only HTML goes to Streamlit's event container: it takes no space
