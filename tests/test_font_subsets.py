"""web/site/font_subsets.py and font_serving.py: the subsets of Streamlit's icon and text fonts
are valid woff2, far smaller, and keep every icon and character the app shows; the server
sends them with a day's cache and an ETag, and the originals until they are made or when making
them fails."""

from __future__ import annotations

import asyncio
import io
import logging
import re
import threading
from pathlib import Path
from typing import Any

import pytest
from asgi_support import http_request
from fontTools.ttLib import TTFont

from web.common.content import paths
from web.site import font_files, font_subsets
from web.site.compression import Compression
from web.site.font_files import ICON_FONT, TEXT_FONT, find
from web.site.font_serving import FontSubsets, Subsets, make_in_child
from web.site.font_subsets import content_files, ligature_glyphs, make_subsets

ROOT = Path(__file__).resolve().parent.parent
# Where the app names icons or holds texts shown on screen: read here on their own, not through
# the module's lists, so a file the module forgot to read fails these tests.
APP_CODE = [ROOT / "app.py", *ROOT.glob("app_pages/**/*.py"), *ROOT.glob("web/**/*.py")]
CONTENT = [ROOT / "questions.yaml", ROOT / "clinic.yaml"]
ICON_FILE = find(ICON_FONT)
TEXT_FILE = find(TEXT_FONT)


@pytest.fixture(scope="module")
def made() -> dict[str, bytes]:
    """As the server makes them: in a child process."""
    return make_in_child()


def opened(data: bytes) -> TTFont:
    return TTFont(io.BytesIO(data))


def app_icon_names() -> set[str]:
    names: set[str] = set()
    for path in APP_CODE + CONTENT:
        names.update(re.findall(r":material/(\w+):", path.read_text(encoding="utf-8")))
    return names


def test_both_subsets_are_woff2_fonttools_opens_and_far_smaller(made: dict[str, bytes]) -> None:
    assert set(made) == {ICON_FILE.url, TEXT_FILE.url}
    icons, text = made[ICON_FILE.url], made[TEXT_FILE.url]
    assert icons[:4] == text[:4] == b"wOF2"
    for data in (icons, text):
        font = opened(data)
        assert font.flavor == "woff2"
        assert "glyf" in font and "cmap" in font
    assert len(icons) < ICON_FILE.path.stat().st_size / 20  # 375 KB -> about 10 KB
    assert len(text) < TEXT_FILE.path.stat().st_size / 3  # 170 KB -> about 34 KB


def test_the_app_names_icons_only_as_literals_the_scan_can_find() -> None:
    """An icon name built at run time (f":material/{x}:") would escape the subset."""
    scanner = ROOT / "web" / "site" / "font_subsets.py"  # its own pattern is not an icon
    for path in [p for p in APP_CODE if p != scanner] + CONTENT:
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r":material/", text):
            rest = text[match.end() :]
            assert re.match(r"[a-z0-9_]+:", rest), f"{path.name}: {rest[:30]!r}"


def test_every_icon_the_app_draws_is_kept_as_its_own_glyph(made: dict[str, bytes]) -> None:
    names = app_icon_names()
    assert {"call", "sms", "picture_as_pdf", "support_agent"} <= names  # the scan finds them
    whole = TTFont(ICON_FILE.path)
    original = ligature_glyphs(whole)
    subset = opened(made[ICON_FILE.url])
    kept = ligature_glyphs(subset)
    for name in names:
        assert name in original, f"{name}: no such icon in Material Symbols (a typo?)"
        # The name still forms a ligature, to a glyph with the same outline as the original
        # icon's (the subset renames its glyphs), and not an empty one.
        assert name in kept, name
        assert outline(subset, kept[name]) == outline(whole, original[name]), name
        assert outline(subset, kept[name]), name


def outline(font: TTFont, glyph: str) -> list[tuple[int, int]]:
    table = font["glyf"]
    return [tuple(point) for point in table[glyph].getCoordinates(table)[0]]


def test_the_letters_of_the_names_stay_so_ligatures_can_form(made: dict[str, bytes]) -> None:
    cmap = opened(made[ICON_FILE.url]).getBestCmap()
    assert {chr(c) for c in cmap} >= set("abcdefghijklmnopqrstuvwxyz0123456789_")


def test_the_icons_streamlits_frontend_draws_are_kept(made: dict[str, bytes]) -> None:
    bundle = font_files.BUNDLE_JS
    named = set()
    for path in bundle.glob("*.js"):
        named.update(re.findall(r":material/(\w+):", path.read_text(encoding="utf-8")))
    # The expander's, the sidebar's and the password field's icons among them.
    assert {"expand_more", "keyboard_double_arrow_left", "visibility"} <= named
    original = ligature_glyphs(TTFont(ICON_FILE.path))
    kept = ligature_glyphs(opened(made[ICON_FILE.url]))
    assert {n for n in named if n in original} <= set(kept)


def test_icons_nobody_draws_are_left_out(made: dict[str, bytes]) -> None:
    kept = ligature_glyphs(opened(made[ICON_FILE.url]))
    original = ligature_glyphs(TTFont(ICON_FILE.path))
    assert "rocket_launch" in original and "rocket_launch" not in kept
    assert len(kept) < len(original) / 20


def shown_characters() -> set[str]:
    """Every character of the content files and the app's code (its screen texts)."""
    chars: set[str] = set()
    for path in CONTENT + APP_CODE:
        chars.update(c for c in path.read_text(encoding="utf-8") if c.isprintable())
    return chars


def test_every_character_the_app_shows_is_in_the_text_subset(made: dict[str, bytes]) -> None:
    original = TTFont(TEXT_FILE.path).getBestCmap()
    cmap = opened(made[TEXT_FILE.url]).getBestCmap()
    needed = {ord(c) for c in shown_characters()} | {ord(c) for c in "ñ¿¡áéíóúüÁÉÍÓÚÑ–—…“”‘’•€"}
    # Characters Source Sans has no glyph for (none today) fall back to the next font anyway.
    missing = {chr(c) for c in needed if c in original and c not in cmap}
    assert not missing
    assert {ord(c) for c in "¿ñá"} <= set(cmap)


def test_the_text_subset_stays_variable_with_its_kerning(made: dict[str, bytes]) -> None:
    original = TTFont(TEXT_FILE.path)
    font = opened(made[TEXT_FILE.url])
    axes = [(a.axisTag, a.minValue, a.maxValue) for a in font["fvar"].axes]
    assert axes == [(a.axisTag, a.minValue, a.maxValue) for a in original["fvar"].axes]
    assert len(font["fvar"].instances) == len(original["fvar"].instances)
    assert "gvar" in font
    features = {r.FeatureTag for r in font["GPOS"].table.FeatureList.FeatureRecord}
    assert "kern" in features
    # Scripts Spanish never needs are gone (Cyrillic).
    assert 0x0416 in original.getBestCmap() and 0x0416 not in font.getBestCmap()


# --- serving ---------------------------------------------------------------------------------

URL = "/static/media/icons.woff2"
ORIGINAL = b"wOF2 the original font" * 100


class Streamlit:
    """A stand-in for Streamlit's static route: the original file."""

    def __init__(self) -> None:
        self.calls = 0

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        self.calls += 1
        headers = [
            (b"content-type", b"font/woff2"),
            (b"content-length", str(len(ORIGINAL)).encode()),
            (b"cache-control", b"public, immutable, max-age=31536000"),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": ORIGINAL})


async def call(
    app: Any, path: str = URL, headers: dict[str, str] | None = None, method: str = "GET"
) -> tuple[int, dict[str, str], bytes]:
    return await http_request(app, path, method, headers)


def serving(make: Any) -> tuple[FontSubsets, Streamlit]:
    inner = Streamlit()
    return FontSubsets(inner, Subsets(make=make), urls=frozenset({URL})), inner


def get(app: Any, **kwargs: Any) -> tuple[int, dict[str, str], bytes]:
    return asyncio.run(call(app, **kwargs))


def test_the_original_is_served_until_the_subset_is_made_then_the_subset() -> None:
    release = threading.Event()

    def slow() -> dict[str, bytes]:
        release.wait(30)
        return {URL: b"wOF2 small"}

    app, inner = serving(slow)
    status, headers, body = get(app)
    assert (status, body) == (200, ORIGINAL) and inner.calls == 1
    release.set()
    assert app.subsets.wait(30)
    status, headers, body = get(app)
    assert (status, body) == (200, b"wOF2 small")
    assert headers["content-type"] == "font/woff2"
    assert headers["content-length"] == str(len(b"wOF2 small"))
    assert headers["cache-control"] == "public, max-age=86400"  # a day, not immutable
    assert "content-encoding" not in headers
    assert inner.calls == 1


def test_the_etag_comes_from_the_subset_and_answers_a_304() -> None:
    app, _ = serving(lambda: {URL: b"wOF2 first"})
    get(app)
    assert app.subsets.wait(30)
    _, headers, _ = get(app)
    etag = headers["etag"]
    status, again, body = get(app, headers={"If-None-Match": etag})
    assert (status, body, again["etag"]) == (304, b"", etag)
    assert get(app, headers={"If-None-Match": f'"other", W/{etag}'})[0] == 304
    assert get(app, headers={"If-None-Match": '"other"'})[0] == 200
    other, _ = serving(lambda: {URL: b"wOF2 second"})
    get(other)
    assert other.subsets.wait(30)
    assert get(other)[1]["etag"] != etag  # a changed subset, a changed ETag


def test_head_has_the_headers_and_no_body() -> None:
    app, _ = serving(lambda: {URL: b"wOF2 small"})
    get(app)
    assert app.subsets.wait(30)
    status, headers, body = get(app, method="HEAD")
    assert (status, body, headers["content-length"]) == (200, b"", "10")


def test_when_making_fails_the_original_is_served_and_one_line_says_so(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken() -> dict[str, bytes]:
        raise ValueError("/home/clinic/secret-path 4415 glyphs")

    app, inner = serving(broken)
    with caplog.at_level(logging.WARNING, logger="screening.app"):
        get(app)
        assert app.subsets.wait(30)
        status, headers, body = get(app)
    assert (status, body, app.subsets.failed) == (200, ORIGINAL, True)
    assert headers["cache-control"] == "public, immutable, max-age=31536000"  # Streamlit's own
    lines = [r.getMessage() for r in caplog.records if "font" in r.getMessage()]
    assert lines == ["font subsets not made (ValueError); the original fonts are served"]
    assert inner.calls == 2


def test_fonttools_raising_leaves_the_originals(monkeypatch: pytest.MonkeyPatch) -> None:
    def fails(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("subsetting failed")

    monkeypatch.setattr(font_subsets.subset.Subsetter, "subset", fails)
    app = FontSubsets(Streamlit(), Subsets(make=make_subsets), urls=frozenset({ICON_FILE.url}))
    get(app, path=ICON_FILE.url)
    assert app.subsets.wait(60)
    assert app.subsets.failed and app.subsets.served is None
    assert get(app, path=ICON_FILE.url)[2] == ORIGINAL


def test_the_subsets_are_made_once_and_only_when_a_font_is_asked_for() -> None:
    count = 0

    def counted() -> dict[str, bytes]:
        nonlocal count
        count += 1
        return {URL: b"wOF2 small"}

    app, _ = serving(counted)
    assert get(app, path="/static/js/index.js")[2] == ORIGINAL  # any other path: passed on
    assert not app.subsets.wait(0.2) and count == 0
    get(app)
    assert app.subsets.wait(30)
    for _ in range(3):
        get(app)
    assert count == 1


def test_through_compression_the_subset_is_sent_as_it_is() -> None:
    app, _ = serving(lambda: {URL: b"wOF2 small" * 100})
    get(app)
    assert app.subsets.wait(30)
    outer = Compression(app)
    for _ in range(2):  # the first fills compression's memory, the second reads it
        status, headers, body = get(outer, headers={"Accept-Encoding": "br, gzip"})
        assert (status, body) == (200, b"wOF2 small" * 100)
        assert "content-encoding" not in headers
    etag = headers["etag"]
    assert get(outer, headers={"Accept-Encoding": "br", "If-None-Match": etag})[0] == 304


def test_the_served_fonts_are_streamlits_stylesheet_addresses() -> None:
    css = next((font_files.STREAMLIT_STATIC / "static" / "css").glob("index.*.css"))
    text = css.read_text(encoding="utf-8")
    for font in (ICON_FILE, TEXT_FILE):
        assert f"url(../media/{font.path.name})" in text
        assert font.url == f"/static/media/{font.path.name}"


def test_the_switch_off_serves_the_originals(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCREENING_FONT_SUBSETS", "off")
    assert FontSubsets(Streamlit()).urls == frozenset()
    monkeypatch.delenv("SCREENING_FONT_SUBSETS")
    assert FontSubsets(Streamlit()).urls == {ICON_FILE.url, TEXT_FILE.url}


def test_the_child_process_makes_what_the_module_makes(made: dict[str, bytes]) -> None:
    here = make_subsets()
    assert set(here) == set(made)
    for url, body in here.items():  # the same bytes: the same ETag from every process
        assert body == made[url], url


def test_a_failing_child_leaves_the_originals_and_says_only_what_failed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("SCREENING_CLINIC", str(tmp_path / "no-such-clinic.yaml"))
    app = FontSubsets(Streamlit(), urls=frozenset({URL}))  # the server's own maker: the child
    with caplog.at_level(logging.WARNING, logger="screening.app"):
        get(app)
        assert app.subsets.wait(120)
    assert app.subsets.failed and get(app)[2] == ORIGINAL
    lines = [r.getMessage() for r in caplog.records if "font" in r.getMessage()]
    assert lines == ["font subsets not made (CalledProcessError); the original fonts are served"]
    assert "no-such-clinic" not in caplog.text


def test_the_subsets_read_the_content_files_the_app_loads(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert content_files() == list(paths())
    monkeypatch.setenv("SCREENING_CLINIC", str(tmp_path / "clinic.yaml"))
    assert content_files() == list(paths()) and content_files()[1] == tmp_path / "clinic.yaml"


def test_what_the_child_sends_must_be_woff2(monkeypatch: pytest.MonkeyPatch) -> None:
    import base64
    import json
    import subprocess

    from web.site import font_serving

    def fake(out: dict[str, bytes]) -> Any:
        encoded = {url: base64.b64encode(body).decode() for url, body in out.items()}
        return lambda *_a, **_k: subprocess.CompletedProcess([], 0, json.dumps(encoded).encode())

    monkeypatch.setattr(font_serving.subprocess, "run", fake({URL: b"<html>half</html>"}))
    with pytest.raises(ValueError):
        make_in_child()
    monkeypatch.setattr(font_serving.subprocess, "run", fake({}))
    with pytest.raises(ValueError):
        make_in_child()
    monkeypatch.setattr(font_serving.subprocess, "run", fake({URL: b"wOF2 whole"}))
    assert make_in_child() == {URL: b"wOF2 whole"}
