"""Our FHIR in a form tool no one here wrote: LHC-Forms (the National Library of Medicine's
renderer, npm package `lforms`, pinned below) in Debian's Chromium.

It draws the Questionnaire in each language, takes each example response (every tier and path,
in English and Spanish) with its own API (LForms.Util.addFormToPage with the response), and
hands it back with its own export (LForms.Util.getFormFHIRData): every answer must come back,
equal by linkId, system and code, and our reader must score LHC's export to the same tier.

The package is installed once into build/npm/ (tests/npm_packages.py; skipped without npm,
failing under CI=true). A small HTTP server on 127.0.0.1 serves a page and the six files
LHC-Forms needs (about 3.3 MB: no source maps, nothing else of the 266 MB install); the page may
reach nothing else, and one tab serves every case, so the JavaScript loads once.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator, Mapping
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from fhir_support import AUTHORED, EXAMPLES, ROUTED, items
from npm_packages import npm_package
from playwright.sync_api import Browser, Page

from screening.outputs import fhir
from screening.outputs.summary import fill
from screening.questionnaire.models import Clinic, Questionnaire
from screening.questionnaire.rules import evaluate

LFORMS = ("lforms", "40.1.3")
# What the page loads, from the package's dist/lforms/ (its README's list, with the R4 library).
FILES = (
    "webcomponent/styles.css",
    "webcomponent/assets/lib/zone.min.js",
    "webcomponent/runtime.js",
    "webcomponent/polyfills.js",
    "webcomponent/main.js",
    "fhir/R4/lformsFHIR.min.js",
)
PAGE = b"""<!doctype html>
<html><head><meta charset="utf-8"><title>LHC-Forms</title>
<link rel="stylesheet" href="/webcomponent/styles.css">
<script src="/webcomponent/assets/lib/zone.min.js"></script>
<script src="/webcomponent/runtime.js" type="module"></script>
<script src="/webcomponent/polyfills.js" type="module"></script>
<script src="/webcomponent/main.js" type="module"></script>
<script src="/fhir/R4/lformsFHIR.min.js" defer></script>
</head><body><div id="form"></div></body></html>
"""
READY = "() => Boolean(window.LForms?.Util?.addFormToPage && window.LForms.FHIR?.R4)"
LOAD_TIMEOUT_MS = 120_000  # a hang guard on a busy machine, not a measurement
# Draw a Questionnaire (with a response in it, or none) and export what the form holds.
DRAW = """async ([questionnaire, response]) => {
    const options = {fhirVersion: 'R4'};
    if (response !== null) options.questionnaireResponse = response;
    await LForms.Util.addFormToPage(questionnaire, 'form', options);
    return LForms.Util.getFormFHIRData('QuestionnaireResponse', 'R4');
}"""


class Files(SimpleHTTPRequestHandler):
    """The page at /, the files LHC-Forms needs, and 404 for everything else."""

    def do_GET(self) -> None:
        if self.path == "/":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(PAGE)))
            self.end_headers()
            self.wfile.write(PAGE)
        elif self.path.lstrip("/") in FILES:
            super().do_GET()
        else:
            self.send_error(404)

    def log_message(self, *args: Any) -> None:  # keep the test output quiet
        pass


@pytest.fixture(scope="module")
def lhc_site(chromium: Path) -> Iterator[str]:
    dist = npm_package(*LFORMS) / "dist" / "lforms"
    assert all((dist / name).is_file() for name in FILES), "the lforms package changed shape"
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Files, directory=str(dist)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def lhc(browser: Browser, lhc_site: str) -> Iterator[Page]:
    """One tab with LHC-Forms loaded; anything outside the loopback site is refused."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    elsewhere: list[str] = []
    errors: list[str] = []

    def only_ours(route: Any) -> None:
        if route.request.url.startswith(lhc_site + "/"):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    context.route("**/*", only_ours)
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(lhc_site + "/")
    page.wait_for_function(READY, timeout=LOAD_TIMEOUT_MS)
    assert page.evaluate("() => LForms.lformsVersion") == LFORMS[1]
    yield page
    context.close()
    assert elsewhere == [], "LHC-Forms asked for something outside the test's server"
    assert errors == []


def coded(response: Mapping[str, Any]) -> dict[str, list[tuple[str, str]]]:
    """linkId -> its answers as (system, code), ignoring displays and texts."""
    return {
        item["linkId"]: [(a["valueCoding"]["system"], a["valueCoding"]["code"])
                         for a in item["answer"]]
        for item in items(response)
        if item.get("answer")
    }  # fmt: skip


@pytest.mark.parametrize("lang", ["en", "es"])
def test_lhc_forms_draws_our_questionnaire_in_each_language(
    lhc: Page, questionnaire: Questionnaire, clinic: Clinic, lang: str
) -> None:
    empty = lhc.evaluate(DRAW, [fhir.questionnaire(questionnaire, clinic, lang), None])
    text = lhc.inner_text("#form")
    assert fill(questionnaire, clinic, questionnaire.title, lang) in text
    first = questionnaire.steps[0]
    assert fill(questionnaire, clinic, first.questions[0].text, lang) in text
    # enableWhen: before any answer, the steps that depend on one are not drawn.
    later = [s for s in questionnaire.steps if s.show_if is not None]
    assert later and all(fill(questionnaire, clinic, s.title, lang) not in text for s in later)
    assert lhc.locator("#form .lhc-help-button, #form [id^='help-']").count() > 0, "help texts"
    assert coded(empty) == {}


@pytest.mark.parametrize("example", list(EXAMPLES))
@pytest.mark.parametrize("lang", ["en", "es"])
def test_lhc_forms_gives_back_every_answer_of_a_response(
    lhc: Page, questionnaire: Questionnaire, clinic: Clinic, example: str, lang: str
) -> None:
    result = evaluate(questionnaire, EXAMPLES[example])
    sent = fhir.questionnaire_response(questionnaire, clinic, result, lang, AUTHORED)
    definition = fhir.questionnaire(questionnaire, clinic, lang)  # the response's own language
    back = lhc.evaluate(DRAW, [definition, sent])
    expected, got = coded(sent), coded(back)
    restored = sum(got.get(link) == answers for link, answers in expected.items())
    print(f"[lhc-forms {lang} {example}] {restored}/{len(expected)} answers restored")
    assert got == expected
    assert back["questionnaire"] == sent["questionnaire"] == fhir.canonical(questionnaire, clinic)
    # What LHC-Forms exports, our command line can score: the same answers, the same result.
    answers = fhir.read_response(questionnaire, clinic, back)
    assert answers == fhir.read_response(questionnaire, clinic, sent)
    again = evaluate(questionnaire, answers)
    assert (again.tier, again.reasons) == (ROUTED[example][0], ROUTED[example][1])


def test_a_response_in_another_language_than_its_questionnaire_loses_answers(
    lhc: Page, questionnaire: Questionnaire, clinic: Clinic
) -> None:
    # Why each language has its own Questionnaire (and the check above can fail): LHC-Forms
    # matches an answer to an option by code *and* display, so a Spanish response drawn in the
    # English Questionnaire keeps only the answers whose words are the same in both ("No").
    result = evaluate(questionnaire, EXAMPLES["consult"])
    sent = fhir.questionnaire_response(questionnaire, clinic, result, "es", AUTHORED)
    back = lhc.evaluate(DRAW, [fhir.questionnaire(questionnaire, clinic, "en"), sent])
    expected, got = coded(sent), coded(back)
    restored = sum(got.get(link) == answers for link, answers in expected.items())
    print(f"[lhc-forms es in the en Questionnaire] {restored}/{len(expected)} answers restored")
    assert restored < len(expected)
