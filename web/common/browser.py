"""Small things only the browser can do: tell it the page language (screen readers pick their
voice from <html lang>, which Streamlit leaves at "en"), show a new screen from its top
(Streamlit keeps the scroll position, so a phone would open the next step at the bottom), give
the contact form's fields the keyboards a phone needs, bring focus to its list of problems, and
say "reconnecting" while the connection is down."""

from __future__ import annotations

import html
import json

import streamlit as st

from screening.questionnaire.models import LANGUAGES

SHOWN = "browser.shown"  # the screen drawn last run, to scroll up only when it changes
COUNT = "browser.scrolls"
FRAME_KEY = "page-settings"


# Kept in the page itself (the frame's own scripts end with the frame, which is reloaded on each
# new screen), added once by the frame: it watches the page for what Streamlit draws later.
# - The contact form's phone and e-mail fields: Streamlit's text inputs are type=text, so a
#   phone shows letters; type and inputmode bring the number pad and the @ key (autocomplete is
#   set by Streamlit from the app).
# - The form's list of problems after a refused Send (web/selfcheck/contact_form.py): focus goes
#   to its first problem, once per refused Send; a problem, pressed, focuses its field.
HELPER = """(() => {
  const d = document;
  const kinds = {'contact-phone': 'tel', 'contact-email': 'email'};
  let attempt = '';
  const field = (key) => d.querySelector(`.st-key-${key} :is(input, textarea)`);
  const tidy = () => {
    for (const [key, kind] of Object.entries(kinds)) {
      const input = d.querySelector(`.st-key-${key} input`);
      if (input && input.type !== kind) { input.type = kind; input.inputMode = kind; }
    }
    const list = d.querySelector('.st-key-contact-problems [data-attempt]');
    if (list && list.dataset.attempt !== attempt) {
      attempt = list.dataset.attempt;
      list.scrollIntoView({block: 'start'});
      const first = list.querySelector('a[data-field]');
      if (first) first.focus({preventScroll: true});
    }
  };
  // The step's Back as the browser's Back, when the page's frame says the entry before is the
  // step it goes to (web/selfcheck/address.py) for the step the address names now (a frame of
  // the screen before says nothing about this one); the press then never reaches the server.
  d.addEventListener('click', (event) => {
    const back = event.target.closest && event.target.closest('.st-key-nav-back button');
    if (!back) return;
    const frame = d.querySelector('iframe[title="page settings"]');
    const doc = frame && frame.contentDocument;
    const from = doc && doc.querySelector('meta[name=history-back]');
    if (!from || from.content !== new URLSearchParams(location.search).get('step')) return;
    event.preventDefault();
    event.stopPropagation();
    history.back();
  }, true);
  d.addEventListener('click', (event) => {
    const link = event.target.closest && event.target.closest('a[data-field]');
    if (!link) return;
    event.preventDefault();
    const target = field(link.dataset.field);
    if (target) { target.scrollIntoView({block: 'center'}); target.focus({preventScroll: true}); }
  });
  new MutationObserver(tidy).observe(d.body, {childList: true, subtree: true});
  tidy();
})();"""
_ADD_HELPER = (
    "if (!d.getElementById('page-helper')) { const s = d.createElement('script');"
    f" s.id = 'page-helper'; s.textContent = {json.dumps(HELPER)}; d.head.appendChild(s); }}"
)


def script(lang: str, scroll: bool) -> str:
    """The frame's script: one of a few fixed texts, so the Content-Security-Policy can allow
    each by its hash (web/site/content_policy.py) instead of allowing every inline script."""
    js = f"const d = window.parent.document; d.documentElement.lang = '{lang}';"
    if scroll:
        js += "const m = d.querySelector('[data-testid=stMain]'); if (m) m.scrollTo(0, 0);"
    return js + _ADD_HELPER


SCRIPTS = (*(script(lang, scroll) for lang in LANGUAGES for scroll in (False, True)), HELPER)


def sync(lang: str, screen: object, reconnecting: str = "", back_from: str | None = None) -> None:
    """Run the frame's script for a new screen; `reconnecting`: what to say while the
    connection is down (shown by the style below, so it needs no script and no server);
    `back_from`: the address's step on which the step's Back is the browser's Back."""
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
        # Outside the script, so its hash stays one of SCRIPTS; read by HELPER on a press.
        meta = f'<meta name="history-back" content="{html.escape(back_from)}">' if back_from else ""
        frame = f"<!-- {count} -->{meta}<script>{script(lang, scroll)}</script>"
        st.iframe(frame, height=1, alt="page settings")
        if reconnecting:
            st.html(f'<p class="reconnecting" role="status">{html.escape(reconnecting)}</p>')


# Phones have little room: drop the empty header strip and most of the top padding.
_STYLE = """<style>
[data-testid=stHeader] { display: none; }
[data-testid=stMainBlockContainer] { padding-top: 1.25rem; padding-bottom: 4rem; }
.st-key-page-settings { display: none; }
[data-testid=stElementContainer]:has(iframe[title="page settings"]) { display: none; }
/* While the connection is down (Streamlit's own notice sits in the hidden header), a plain
   line at the top of the screen; it goes when the connection is back. Streamlit greys out the
   page meanwhile: the line stays fully visible. #root: to outweigh web/site/page_shell.py's
   rule that hides the frame's container from the first paint. */
#root [data-testid=stApp]:not([data-test-connection-state=CONNECTED]) .st-key-page-settings {
  display: block; position: fixed; top: 0; left: 0; right: 0; z-index: 1000000;
}
.st-key-page-settings, .st-key-page-settings * { opacity: 1 !important; }
/* Streamlit's own "Connection error" box, English only and over the page, says the same. */
body:has([data-testid=stApp]:not([data-test-connection-state=CONNECTED])) [data-testid=stDialog] {
  display: none;
}
.reconnecting {
  margin: 0; padding: 0.75rem 1rem; background: #1a1a1a; color: #ffffff; font-size: 1rem;
  text-align: center;
}
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
/* The contact form's list of problems: each a full-width, finger-sized link to its field. */
.problems { border-left: 0.25rem solid #a50e0e; padding: 0.25rem 0 0.25rem 0.75rem; }
.problems p { margin: 0 0 0.25rem; font-weight: 600; font-size: 1rem; }
.problems ul { margin: 0; padding: 0; list-style: none; }
.problems a {
  display: flex; align-items: center; min-height: 2.75rem; margin-bottom: 0.5rem;
  color: #a50e0e; font-size: 1rem;
}
</style>"""


def style() -> None:
    st.html(_STYLE)  # style-only HTML goes to Streamlit's event container: it takes no space
