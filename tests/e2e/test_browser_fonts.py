"""The font subsets in a real browser: on every screen that draws icons (welcome with the help
button, a step, each result tier with its call, text, PDF and reminder buttons and the expander,
the staff sign-in, the staff dashboard with a request's call, text and e-mail buttons), every
element set in the icon font shows a name the subset keeps, shaped into one glyph of the icon
font about one em wide (a missing icon would show as its name, a long word); Spanish text is
drawn with the subset text font alone, a name in Greek on the staff page by the next font of the
stack, letter by letter; the browser fetched the subsets, not the originals, and no other font of
Streamlit's (the italic) on the way.

The server makes the subsets when a browser first asks for a font: the test asks once and waits
until it is served before opening any screen in a fresh browser context.
"""

from __future__ import annotations

import io
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from driver import VIEWPORTS, App, key_class
from fontTools.ttLib import TTFont
from journeys import (
    ABOUT,
    CONSULT_EYE,
    FIRST,
    HISTORY,
    NONE_EYE,
    NONE_FEEL,
    NONE_MOUTH,
    SAFE,
    back,
    forward,
    next_step,
    on_result,
    start,
)
from server_process import running

from screening.questionnaire.models import Questionnaire
from screening.records.channel import Channel
from screening.records.contact import ContactRequest
from screening.records.storage import open_store
from web.site.font_files import ICON_FONT, TEXT_FONT, find
from web.site.font_subsets import ligature_glyphs

ICONS = find(ICON_FONT)
TEXT = find(TEXT_FONT)
DAY = "public, max-age=86400"  # only the subsets are sent with it (web/site/font_serving.py)
MAKING_WAIT_S = 180  # making both takes seconds of CPU; this machine may be busy

# Every element whose computed font is the icon font and that has text of its own: its text,
# font size, and the width of the text as drawn (a Range: the icon's box has a fixed size).
ICON_ELEMENTS = """() => {
  const found = [];
  document.querySelectorAll('body *').forEach((el, i) => {
    const style = getComputedStyle(el);
    if (!style.fontFamily.includes('Material Symbols')) return;
    const own = [...el.childNodes].filter(n => n.nodeType === Node.TEXT_NODE);
    const text = own.map(n => n.textContent).join('').trim();
    if (!text) return;
    const range = document.createRange();
    range.selectNodeContents(el);
    const box = range.getBoundingClientRect();
    el.setAttribute('data-font-check', String(i));
    found.push({id: String(i), text, width: box.width, size: parseFloat(style.fontSize),
                shown: box.width > 0 && box.height > 0});
  });
  return found;
}"""

# An element of the page whose own text has `letter`, set in Source Sans, only Latin letters
# and punctuation in it (an emoji would rightly come from another font).
TEXT_ELEMENT = """(letter) => {
  for (const el of document.querySelectorAll('body *')) {
    const own = [...el.childNodes].filter(n => n.nodeType === Node.TEXT_NODE)
      .map(n => n.textContent).join('');
    if (!own.includes(letter) || /[^\\u0020-\\u017F\\u2000-\\u206F]/.test(own)) continue;
    const style = getComputedStyle(el);
    if (!style.fontFamily.includes('Source Sans') || style.visibility !== 'visible') continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    el.setAttribute('data-font-check', 'text');
    return own.trim();
  }
  return null;
}"""


UNMARK = "document.querySelector(\"[data-font-check='text']\").removeAttribute('data-font-check')"


def served_subset(base: str, font: Any) -> bytes:
    """The subset as the server sends it, once made (it starts on this first request)."""
    deadline = time.monotonic() + MAKING_WAIT_S
    while True:
        with urllib.request.urlopen(base + font.url) as response:
            body: bytes = response.read()
            if response.headers["cache-control"] == DAY:
                return body
        if time.monotonic() > deadline:
            raise AssertionError(f"the server still sends the original {font.url}")
        time.sleep(1)


@pytest.fixture(scope="module")
def icon_names(app_url: str) -> set[str]:
    subset = served_subset(app_url, ICONS)
    served_subset(app_url, TEXT)
    return set(ligature_glyphs(TTFont(io.BytesIO(subset))))


def platform_fonts(app: App, selector: str) -> list[dict[str, Any]]:
    """The fonts Chromium drew a node's text with, and how many glyphs each (DevTools)."""
    cdp = app.page.context.new_cdp_session(app.page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts: list[dict[str, Any]] = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cdp.detach()
    return fonts


def icons_on_screen(app: App, names: set[str], screen: str) -> list[str]:
    """Checks every icon drawn on the screen; returns their names."""
    drawn = app.page.evaluate(ICON_ELEMENTS)
    for icon in drawn:
        where = f"{screen}: {icon['text']!r}"
        assert icon["text"] in names, f"{where} is not in the icon subset"
        if not icon["shown"]:
            continue
        assert icon["width"] <= 1.6 * icon["size"], f"{where} drawn {icon['width']} px wide"
        fonts = platform_fonts(app, f"[data-font-check='{icon['id']}']")
        assert [(f["familyName"], f["glyphCount"]) for f in fonts] == [
            ("Material Symbols Rounded", 1)
        ], where
        assert fonts[0]["isCustomFont"], where  # the served font, not one of the system's
    return [icon["text"] for icon in drawn]


def tour(app: App, lang: str) -> Iterator[str]:
    """The screens that draw icons, each yielded once drawn."""
    steps = [s.id for s in app.q.steps]
    app.open(lang)
    yield "welcome"
    start(app)
    app.answer(FIRST)
    yield "step-emergency"
    next_step(app, "about_you")
    app.answer(ABOUT)
    next_step(app, "safety")
    app.answer(SAFE)
    next_step(app, "history")
    app.answer(HISTORY)
    next_step(app, "movements_eye")
    app.answer(CONSULT_EYE)
    next_step(app, "movements_mouth")
    app.answer(NONE_MOUTH)
    next_step(app, "movements_feel")
    app.answer(NONE_FEEL)
    next_step(app, None)
    yield "result-consult"
    back(app, "movements_eye", steps)
    app.answer({"eye_narrows_smile": NONE_EYE["eye_narrows_smile"]})
    forward(app, steps)
    yield "result-info"
    back(app, "safety", steps)
    app.answer({"rf_worsening": "yes"})
    forward(app, steps)
    yield "result-soon"
    back(app, "safety", steps)
    app.answer({"rf_eye_danger": "yes"})
    next_step(app, None)
    yield "result-urgent"
    back(app, "emergency", steps)
    app.choose("rf_stroke_signs", "now")
    on_result(app)
    yield "result-emergency"
    app.open(lang, "/staff")
    yield "staff-login"


@pytest.mark.parametrize("viewport_name", ["phone"])
def test_every_icon_drawn_is_in_the_subset_and_shaped_into_one_glyph(
    app: App, icon_names: set[str]
) -> None:
    fetched: list[tuple[str, int]] = []

    def font_response(response: Any) -> None:
        if response.url.endswith(".woff2"):
            size = int(response.headers.get("content-length", "0"))
            fetched.append((response.url.split("/")[-1], size))

    app.page.on("response", font_response)
    seen: set[str] = set()
    for screen in tour(app, "en"):
        seen.update(icons_on_screen(app, icon_names, screen))
    # The app's own icons were all on the way (the help line, the result's buttons).
    assert {"support_agent", "call", "sms", "picture_as_pdf", "event_repeat"} <= seen
    # The browser fetched the subsets, not the originals, and no other font (the italic).
    names = dict(fetched)
    assert set(names) == {ICONS.path.name, TEXT.path.name}, names
    assert names[ICONS.path.name] < ICONS.path.stat().st_size / 20
    assert names[TEXT.path.name] < TEXT.path.stat().st_size / 3


@pytest.mark.parametrize("viewport_name", ["phone"])
def test_spanish_text_is_drawn_with_the_subset_text_font_alone(
    app: App, icon_names: set[str]
) -> None:
    assert icon_names
    app.open("es")
    start(app)  # the first step: questions with ¿ and accents
    for letter in "¿ñá":
        text = app.page.evaluate(TEXT_ELEMENT, letter)
        assert text, f"no Spanish text with {letter} on the screen"
        fonts = platform_fonts(app, "[data-font-check='text']")
        # One font for the whole text: Source Sans' own name for itself, from the page.
        assert [f["familyName"] for f in fonts] == ["SourceSans3VF"], (letter, text, fonts)
        assert fonts[0]["isCustomFont"], (letter, fonts)
        app.page.evaluate(UNMARK)
    icons_on_screen(app, icon_names, "step-emergency (es)")


# A staff page shows what people typed: a name in Greek is outside the text subset.
PASSWORD = "Fonts-Staff-Passw0rd-Okapi"
GREEK_NAME = "Ελένη Παπαδοπούλου"


@pytest.fixture(scope="module")
def staff_url(chromium: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server of its own with one contact request (its card has the call, text and e-mail
    buttons) and a known staff password."""
    folder = tmp_path_factory.mktemp("e2e-fonts-staff")
    url = f"sqlite:///{folder / 'screening.db'}"
    store = open_store(url)
    try:
        request = ContactRequest(way="phone", time="any", name=GREEK_NAME, note="",
                                 phone="+18065550142", email="fonts.e2e@example.org")  # fmt: skip
        store.save_contact(request, consent_text="I agree", lang="es", channel=Channel(),
                           screening_id=None, idempotency_key="e2e-fonts")  # fmt: skip
    finally:
        store.close()
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    env = {"SCREENING_DATABASE_URL": url, "SCREENING_STAFF_PASSWORD_HASH": cheap.hash(PASSWORD)}
    with running(folder / "server.log", env) as server:
        yield server.base


def test_the_staff_dashboard_draws_its_icons_and_names_in_other_scripts(
    new_context: Any, staff_url: str, questionnaire: Questionnaire
) -> None:
    subset = served_subset(staff_url, ICONS)
    served_subset(staff_url, TEXT)
    names = set(ligature_glyphs(TTFont(io.BytesIO(subset))))
    context = new_context(**VIEWPORTS["desktop"])
    app = App(context.new_page(), staff_url, questionnaire, touch=False)
    app.open(path="/staff")
    app.page.locator(f".{key_class('staff.password')} input").fill(PASSWORD)
    app.press("staff.login")
    seen = icons_on_screen(app, names, "staff-dashboard")
    assert {"call", "sms", "mail"} <= set(seen)
    # The Greek name is shown whole: its letters come from another font, glyph by glyph.
    shown = app.page.get_by_text(f"Name: {GREEK_NAME}", exact=True)
    shown.evaluate("el => el.setAttribute('data-font-check', 'greek')")
    fonts = platform_fonts(app, "[data-font-check='greek']")
    assert "SourceSans3VF" in [f["familyName"] for f in fonts]  # "Name: " in the subset
    others = [f for f in fonts if f["familyName"] != "SourceSans3VF"]
    assert others and sum(f["glyphCount"] for f in others) >= len(GREEK_NAME.replace(" ", ""))
