"""The camera aid in Chromium with a fake front camera playing a real face (scikit-image's
astronaut, tests/e2e/fake_camera.py): as it is, the aid finds the two eyes about the same; with
the person's right eye half painted over, it says the right eye was more closed, in English and
Spanish. Every request the page makes while the aid runs is recorded: none carries a picture,
and the model files come from the app itself. Without a camera, with the camera refused, or in
an app's own browser that offers no camera, the aid says so plainly and the step works as before;
a refused camera, allowed afterwards, starts with one tap on "Try again".
The eye-closure step's aid, used with the keyboard alone, compares the mouth corners, and names the
side whose corner goes up (a scripted camera: a face that moves); the talking and pucker steps
guide their own movement.
"""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from audit import axe_violations, describe
from driver import CHROMIUM, LAUNCH_ARGS, VIEWPORTS, App
from fake_camera import SIZE, astronaut, camera_args, lifted_corner, painted, write_y4m
from journeys import ABOUT, FIRST, HISTORY, SAFE
from npm_packages import npm_package
from PIL import Image, ImageOps
from playwright.sync_api import Browser, FrameLocator, Page, Playwright, WebSocket, expect

from screening.questionnaire.models import Questionnaire
from web.selfcheck.mirror_files import MODEL_DIR_NAME, PACKAGE, VERSION, place, sizes

QUESTION = "eye_narrows_smile"
FRAME = f".st-key-mirror-view-{QUESTION} iframe"
SWITCH = f".st-key-mirror-open-{QUESTION} label"
# Loading 10 MB and running the model on a shared 2-core machine: a hang guard, not a target.
AID_TIMEOUT_MS = 180_000
# Far below any picture: a JPEG of the smallest face would be several kilobytes.
SMALL_FRAME = 4096
PICTURE_MARKS = (b"data:image", b"\xff\xd8\xff", b"\x89PNG", b"base64")


@pytest.fixture(scope="module", autouse=True)
def model_files() -> None:
    """The aid's model files, installed as `make mirror-files` does (npm; skipped without it)."""
    if sizes() is None:
        place(npm_package(PACKAGE, VERSION))


@pytest.fixture(scope="module")
def videos(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("camera")
    face = astronaut()
    return {
        "as_is": write_y4m(face, folder / "as_is.y4m"),
        "painted": write_y4m(painted(face), folder / "painted.y4m"),
    }


def launch(playwright: Playwright, extra: list[str]) -> Browser:
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS + extra)


@pytest.fixture
def camera_browser(
    playwright: Playwright, videos: dict[str, Path], request: pytest.FixtureRequest
) -> Iterator[Browser]:
    browser = launch(playwright, camera_args(videos[request.param]))
    yield browser
    browser.close()


def to_movements(app: App, lang: str) -> None:
    app.open(lang)
    app.press("nav.start")
    for step in (FIRST, ABOUT, SAFE, HISTORY):
        app.answer(step)
        app.press("nav.next")
    app.question(QUESTION).wait_for()


def photograph(page: Page, path: Path) -> None:
    """The phone's screen with the aid in view (the README shows two of these)."""
    page.locator(SWITCH).first.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.screenshot(path=str(path))


def open_aid(app: App) -> FrameLocator:
    app.tap(app.page.locator(SWITCH).first)
    return app.page.frame_locator(FRAME)


# mirror.js's colours for the iris of an eye and for the lips: which picture was drawn.
IRIS = (0x4A, 0x6F, 0x8A)
LIPS = (0xB0, 0x41, 0x3E)
COUNT_COLOURS = """(canvas, colours) => {
    const px = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    const counts = colours.map(() => 0);
    for (let i = 0; i < px.length; i += 4) {
        colours.forEach(([r, g, b], k) => {
            if (px[i] === r && px[i + 1] === g && px[i + 2] === b) counts[k] += 1;
        });
    }
    return counts;
}"""


def drawn(aid: FrameLocator) -> str:
    """What the comparison's picture shows: "eyes", "mouth" (or "both", "nothing")."""
    iris, lips = aid.locator("#picture").evaluate(COUNT_COLOURS, [IRIS, LIPS])
    return {(True, False): "eyes", (False, True): "mouth", (True, True): "both"}.get(
        (iris > 0, lips > 0), "nothing"
    )


def iris_by_side(aid: FrameLocator) -> tuple[int, int]:
    """How much iris the picture shows on its left and right half (an eye more closed shows
    less of it)."""
    left, right = aid.locator("#picture").evaluate(
        """(canvas, [r, g, b]) => {
            const w = canvas.width;
            const px = canvas.getContext('2d').getImageData(0, 0, w, canvas.height).data;
            const halves = [0, 0];
            for (let i = 0; i < px.length; i += 4) {
                if (px[i] === r && px[i + 1] === g && px[i + 2] === b) {
                    halves[(i / 4) % w < w / 2 ? 0 : 1] += 1;
                }
            }
            return halves;
        }""",
        list(IRIS),
    )
    return left, right


def named_in(page: Page, aid: FrameLocator, name: str, lang: str) -> None:
    """A screen reader entering the aid hears its name in the person's language (not the
    component's module path) and reads it with that language's voice."""
    expect(page.locator(FRAME)).to_have_attribute("title", name)
    expect(aid.locator("html")).to_have_attribute("lang", lang)


@pytest.mark.parametrize(
    ("camera_browser", "lang", "expected"),
    [
        ("as_is", "en", "eyes_same"),
        ("painted", "en", "right_eye_smaller"),
        ("as_is", "es", "eyes_same"),
        ("painted", "es", "right_eye_smaller"),
    ],
    indirect=["camera_browser"],
)
def test_the_aid_compares_the_two_eyes(
    camera_browser: Browser,
    app_url: str,
    questionnaire: Questionnaire,
    screenshots: Path,
    lang: str,
    expected: str,
) -> None:
    page = camera_browser.new_context(**VIEWPORTS["phone"]).new_page()
    app = App(page, app_url, questionnaire, touch=True)
    to_movements(app, lang)
    texts = questionnaire.ui.mirror
    told = texts.open_note.get(lang).replace("{size}", "5.1")  # tools/mirror_files.py measures it
    expect(page.get_by_text(told).first).to_be_visible()  # the size, before anything loads
    switch = page.locator(SWITCH).first.bounding_box()
    assert switch is not None and switch["height"] >= 44  # a finger-sized switch
    aid = open_aid(app)
    named_in(page, aid, texts.open.get(lang), lang)
    expect(aid.locator("#start")).to_be_visible(timeout=AID_TIMEOUT_MS)
    # The download's progress was shown, named, and counted to the end (hidden once ready).
    expect(aid.locator("#loading-label")).to_have_text(texts.loading.get(lang))
    assert aid.locator("#progress").evaluate("e => e.value") == 100
    aid.locator("#start").click()
    # The guide: relax, then the question's movement, over the mirrored picture.
    expect(aid.locator("#prompt")).to_contain_text(texts.rest.get(lang), timeout=AID_TIMEOUT_MS)
    expect(aid.locator("#prompt")).to_contain_text(texts.smile.get(lang), timeout=AID_TIMEOUT_MS)
    photograph(page, screenshots / f"mirror-live-{lang}-{expected}.png")
    sentence = aid.locator("#sentence")
    expect(sentence).to_have_text(getattr(texts, expected).get(lang), timeout=AID_TIMEOUT_MS)
    photograph(page, screenshots / f"mirror-result-{lang}-{expected}.png")
    violations = axe_violations(page)  # the aid's frame included
    assert not violations, describe(violations)
    data = aid.locator("#result").evaluate("e => Object.assign({}, e.dataset)")
    right, left = float(data["moving_right_eye"]), float(data["moving_left_eye"])
    assert 0.2 < left < 0.6  # an open eye: the landmarks were found where the eyes are
    if expected == "eyes_same":
        assert abs(right - left) / max(right, left) < 0.1
    else:
        assert right < 0.8 * left
    expect(aid.locator("#note")).to_have_text(texts.not_diagnosis.get(lang))
    assert drawn(aid) == "eyes"  # the picture shows what the sentence speaks of
    # As in the mirror the person just saw, their right eye is on the picture's right.
    left_iris, right_iris = iris_by_side(aid)
    if expected == "eyes_same":
        assert abs(left_iris - right_iris) < 0.1 * max(left_iris, right_iris)
    else:
        assert right_iris < 0.9 * left_iris  # about 0.8: the lids clip the iris
    for button in ("#share", "#again"):  # finger-sized
        box = aid.locator(button).bounding_box()
        assert box is not None and box["height"] >= 48 and box["width"] >= 200, button
    # The person still answers: the radio is untouched, and answering works as always.
    assert app.chosen(QUESTION) is None
    app.choose(QUESTION, "never")
    assert app.chosen(QUESTION) == "never"
    if lang == "en":  # a language switch keeps the comparison, in the other language
        app.switch_language("es")
        expect(sentence).to_have_text(getattr(texts, expected).get("es"))
        named_in(page, aid, texts.open.get("es"), "es")
        assert app.chosen(QUESTION) == "never"


@pytest.mark.parametrize("camera_browser", ["painted"], indirect=True)
def test_no_picture_leaves_the_phone(
    camera_browser: Browser, app_url: str, questionnaire: Questionnaire
) -> None:
    page = camera_browser.new_context(**VIEWPORTS["phone"]).new_page()
    requests: list[Any] = []
    frames: list[bytes] = []
    page.on("request", lambda r: requests.append(r))

    def watch(ws: WebSocket) -> None:
        ws.on("framesent", lambda p: frames.append(p.encode() if isinstance(p, str) else p))

    page.on("websocket", watch)
    app = App(page, app_url, questionnaire, touch=True)
    to_movements(app, "en")
    before_aid = len(requests)
    assert not [r.url for r in requests if "/component/" in r.url]  # nothing until it is opened
    aid = open_aid(app)
    aid.locator("#start").click(timeout=AID_TIMEOUT_MS)
    expect(aid.locator("#sentence")).to_be_visible(timeout=AID_TIMEOUT_MS)
    sent_before_share = list(frames)
    app.after(lambda: aid.locator("#share").click())
    expect(aid.locator("#status")).to_have_text(questionnaire.ui.mirror.shared.get("en"))

    origin = urlsplit(app_url).netloc
    during = requests[before_aid:]
    assert during, "the aid made no request at all"
    assert all(urlsplit(r.url).netloc == origin for r in during), [r.url for r in during]
    models = [r for r in during if f"/{MODEL_DIR_NAME}/" in r.url]
    assert any(r.url.endswith(".wasm") for r in models)
    assert any(r.url.endswith(".data") for r in models)
    for r in models:
        response = r.response()
        if response is None or response.status != 200:
            continue  # a second read of a file answered from the browser's cache
        headers = response.headers
        assert headers.get("content-encoding") == "br", r.url
        assert "immutable" in headers.get("cache-control", ""), r.url
    for r in during:
        assert r.method == "GET", (r.method, r.url)  # nothing is posted anywhere
    for payload in frames:
        assert len(payload) < SMALL_FRAME
        assert not any(mark in payload for mark in PICTURE_MARKS)
    # Before "share" no frame carried a measurement; the shared one carries only numbers.
    assert not any(b"right_eye" in p for p in sent_before_share)
    assert any(b"right_eye" in p for p in frames)


# An app's own browser (a social-media app's, say) that offers pages no camera at all: the
# frames have no navigator.mediaDevices. (The aid's frame starts as about:blank, whose window
# its page then keeps: the script cannot wait to see the aid's address.)
IN_APP = "if (window !== window.top) delete Navigator.prototype.mediaDevices;"


@pytest.mark.parametrize(
    ("flags", "message", "in_app"),
    [
        ([], "no_camera", False),  # headless Chromium without a fake device has no camera
        (["--use-fake-device-for-media-stream"], "denied", False),  # a camera, refused
        (["--use-fake-device-for-media-stream"], "no_camera", True),  # an app's own browser
    ],
    ids=["no-camera", "denied", "in-app-browser"],
)
def test_without_a_camera_it_says_so_and_the_step_works(
    playwright: Playwright,
    app_url: str,
    questionnaire: Questionnaire,
    flags: list[str],
    message: str,
    in_app: bool,
) -> None:
    browser = launch(playwright, flags)
    try:
        context = browser.new_context(**VIEWPORTS["phone"])
        if message == "no_camera":
            context.grant_permissions(["camera"])
        if in_app:
            context.add_init_script(IN_APP)
        page = context.new_page()
        app = App(page, app_url, questionnaire, touch=True)
        to_movements(app, "es")
        aid = open_aid(app)
        expected = getattr(questionnaire.ui.mirror, message).get("es")
        expect(aid.locator("#status")).to_have_text(expected, timeout=AID_TIMEOUT_MS)
        expect(aid.locator("#stage")).to_be_hidden()
        app.choose(QUESTION, "rarely")
        assert app.chosen(QUESTION) == "rarely"
        if message == "denied":  # allowed in the browser's settings, then one tap on Try again
            context.grant_permissions(["camera"])
            aid.locator("#again").click()
            expect(aid.locator("#stage")).to_be_visible(timeout=AID_TIMEOUT_MS)
            expect(aid.locator("#start")).to_be_visible(timeout=AID_TIMEOUT_MS)
            expect(aid.locator("#again")).to_be_hidden()
    finally:
        browser.close()


@pytest.mark.parametrize(
    ("colour", "message"),
    [((12, 12, 12), "too_dark"), ((200, 200, 200), "no_face")],
    ids=["dark-room", "no-face"],
)
def test_no_face_or_too_little_light_is_said_plainly(
    playwright: Playwright,
    app_url: str,
    questionnaire: Questionnaire,
    tmp_path: Path,
    colour: tuple[int, int, int],
    message: str,
) -> None:
    video = write_y4m(Image.new("RGB", (64, 64), colour), tmp_path / "empty.y4m")
    browser = launch(playwright, camera_args(video))
    try:
        page = browser.new_context(**VIEWPORTS["phone"]).new_page()
        app = App(page, app_url, questionnaire, touch=True)
        to_movements(app, "en")
        aid = open_aid(app)
        expected = getattr(questionnaire.ui.mirror, message).get("en")
        expect(aid.locator("#status")).to_have_text(expected, timeout=AID_TIMEOUT_MS)
        aid.locator("#start").click()  # the guide finds no face either: try again or answer
        expect(aid.locator("#again")).to_be_visible(timeout=AID_TIMEOUT_MS)
        expect(aid.locator("#status")).to_have_text(expected, timeout=AID_TIMEOUT_MS)
        app.choose(QUESTION, "sometimes")
        assert app.chosen(QUESTION) == "sometimes"
    finally:
        browser.close()


EYE_CLOSURE = "cheek_lifts_eye_close"
MAX_TABS = 80  # more than every Tab stop on the step


@pytest.mark.parametrize("camera_browser", ["as_is"], indirect=True)
def test_the_eye_closure_step_by_keyboard_alone(
    camera_browser: Browser, app_url: str, questionnaire: Questionnaire
) -> None:
    """The eye-closure question's aid, with the keyboard only: Tab to the switch, Space; the
    focus goes to Start once the mirror is ready, Enter runs the guide (relax, close the eyes),
    the focus goes to the comparison, which is about the mouth corners (a still photo: they
    moved the same), and Tab, Enter shares it."""
    page = camera_browser.new_context(**VIEWPORTS["desktop"]).new_page()
    app = App(page, app_url, questionnaire, touch=False)
    to_movements(app, "es")
    texts = questionnaire.ui.mirror
    switch = page.locator(f".st-key-mirror-open-{EYE_CLOSURE} input")
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if switch.evaluate("e => e === document.activeElement"):
            break
    else:
        raise AssertionError("Tab never reached the switch")
    app.after(lambda: page.keyboard.press("Space"))
    aid = page.frame_locator(f".st-key-mirror-view-{EYE_CLOSURE} iframe")
    expect(aid.locator("#start")).to_be_focused(timeout=AID_TIMEOUT_MS)
    page.keyboard.press("Enter")
    expect(aid.locator("#prompt")).to_contain_text(texts.rest.get("es"), timeout=AID_TIMEOUT_MS)
    prompt = texts.close_eyes.get("es")
    expect(aid.locator("#prompt")).to_contain_text(prompt, timeout=AID_TIMEOUT_MS)
    sentence = aid.locator("#sentence")
    expect(sentence).to_have_text(texts.mouth_same.get("es"), timeout=AID_TIMEOUT_MS)
    expect(sentence).to_be_focused()
    assert drawn(aid) == "mouth"  # the picture shows what the sentence speaks of
    data = aid.locator("#result").evaluate("e => Object.assign({}, e.dataset)")
    for moment in ("rest", "moving"):  # both corners found below the eyes, about level
        right, left = float(data[f"{moment}_right_corner"]), float(data[f"{moment}_left_corner"])
        assert 0.5 < right < 1.5 and 0.5 < left < 1.5, data
    page.keyboard.press("Tab")
    expect(aid.locator("#share")).to_be_focused()
    app.after(lambda: page.keyboard.press("Enter"))
    expect(aid.locator("#status")).to_have_text(texts.shared.get("es"))
    assert app.chosen(EYE_CLOSURE) is None  # the person still answers


# A camera that plays one photo while the aid asks the person to relax and another once it has
# asked for the movement (the aid's own prompt switches it, so the guide's timing does not
# matter): a face that moves, which Chromium's looping fake camera cannot give. In the frames
# only (the aid's frame starts as about:blank and keeps that window).
SCRIPTED_CAMERA = """((camera) => {
    if (window === window.top) return;
    const [rest, moving] = [camera.rest, camera.moving].map((src) => {
        const picture = new Image();
        picture.src = src;
        return picture;
    });
    navigator.mediaDevices.getUserMedia = async () => {
        const canvas = document.createElement('canvas');
        canvas.width = camera.size;
        canvas.height = camera.size;
        const ctx = canvas.getContext('2d');
        const draw = () => {
            const prompt = document.getElementById('prompt');
            const now = prompt !== null && prompt.textContent.includes(camera.cue) ? moving : rest;
            if (now.complete) ctx.drawImage(now, 0, 0, camera.size, camera.size);
        };
        draw();
        setInterval(draw, 50);
        return canvas.captureStream(20);
    };
})"""


def scripted_camera(rest: Image.Image, moving: Image.Image, cue: str) -> str:
    """SCRIPTED_CAMERA with its two photos and the prompt that switches them."""
    camera = {"rest": data_url(rest), "moving": data_url(moving), "cue": cue, "size": SIZE}
    return f"{SCRIPTED_CAMERA}({json.dumps(camera)});"


def data_url(image: Image.Image) -> str:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")


@pytest.mark.parametrize(
    ("side", "lang"), [("right", "en"), ("left", "es")], ids=["right-en", "left-es"]
)
def test_a_mouth_corner_that_lifts_with_the_eyes_closed_is_named(
    playwright: Playwright, app_url: str, questionnaire: Questionnaire, side: str, lang: str
) -> None:
    """The eye-closure step with a face whose one mouth corner goes up once the eyes are to
    close: the aid names that side (the photo flipped for the left: the person's left corner is
    the one on the image's right) and draws the mouth."""
    texts = questionnaire.ui.mirror
    face = astronaut().resize((SIZE, SIZE))
    rest, moving = face, lifted_corner(face)
    if side == "left":
        rest, moving = (ImageOps.mirror(p) for p in (rest, moving))
    script = scripted_camera(rest, moving, texts.close_eyes.get(lang))
    browser = launch(playwright, ["--use-fake-ui-for-media-stream"])
    try:
        context = browser.new_context(**VIEWPORTS["phone"])
        context.add_init_script(script)
        page = context.new_page()
        app = App(page, app_url, questionnaire, touch=True)
        to_movements(app, lang)
        app.tap(page.locator(f".st-key-mirror-open-{EYE_CLOSURE} label"))
        aid = page.frame_locator(f".st-key-mirror-view-{EYE_CLOSURE} iframe")
        aid.locator("#start").click(timeout=AID_TIMEOUT_MS)
        expected = getattr(texts, f"{side}_corner_higher").get(lang)
        expect(aid.locator("#sentence")).to_have_text(expected, timeout=AID_TIMEOUT_MS)
        assert drawn(aid) == "mouth"
        data = aid.locator("#result").evaluate("e => Object.assign({}, e.dataset)")
        lift = {s: float(data[f"rest_{s}_corner"]) - float(data[f"moving_{s}_corner"])
                for s in ("right", "left")}  # fmt: skip
        other = "left" if side == "right" else "right"
        assert lift[side] > 0.05 and abs(lift[other]) < 0.03, lift
    finally:
        browser.close()


@pytest.mark.parametrize(
    ("camera_browser", "question", "movement", "lang"),
    [
        ("as_is", "eye_narrows_talk_chew", "talk", "en"),
        ("as_is", "eye_narrows_pucker", "pucker", "es"),
    ],
    indirect=["camera_browser"],
    ids=["talk-en", "pucker-es"],
)
def test_the_talking_and_pucker_steps_guide_their_own_movement(
    camera_browser: Browser,
    app_url: str,
    questionnaire: Questionnaire,
    question: str,
    movement: str,
    lang: str,
) -> None:
    """The other two eye questions: the aid asks for their movement and compares the eyes."""
    page = camera_browser.new_context(**VIEWPORTS["phone"]).new_page()
    app = App(page, app_url, questionnaire, touch=True)
    to_movements(app, lang)
    texts = questionnaire.ui.mirror
    app.tap(page.locator(f".st-key-mirror-open-{question} label"))
    aid = page.frame_locator(f".st-key-mirror-view-{question} iframe")
    aid.locator("#start").click(timeout=AID_TIMEOUT_MS)
    prompt = getattr(texts, movement).get(lang)
    expect(aid.locator("#prompt")).to_contain_text(prompt, timeout=AID_TIMEOUT_MS)
    sentence = aid.locator("#sentence")
    expect(sentence).to_have_text(texts.eyes_same.get(lang), timeout=AID_TIMEOUT_MS)
    assert drawn(aid) == "eyes"
    assert app.chosen(question) is None
