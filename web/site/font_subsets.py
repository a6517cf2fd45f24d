"""Small copies of Streamlit's two fonts that every first visit downloads.

Streamlit's stylesheet names its icon font (Material Symbols Rounded, 375 KB: about 4,000 icons)
and its text font (Source Sans, variable, 170 KB: Latin, Greek, Cyrillic and more), and its bundle
asks for the icon font as it starts whether or not a screen draws an icon. Together they were
0.55 of a first visit's bytes (bench/RESULTS.md). The self-check needs a few dozen icons and the
letters of English and Spanish, so the server makes subsets of both with fontTools and serves
them at the same addresses (web/site/font_serving.py). The server runs this module as a child
process (`python -m web.site.font_subsets`, which writes the subsets to its output as JSON): its
seconds of CPU then never hold the server's interpreter, and the memory the subsetter takes
(measured: about 38 MB that a process keeps after it) goes back to the system when the child ends.

- Icons: Streamlit draws an icon as its ligature name ("call") in the icon font, which turns
  the letters into the icon's glyph. The subset keeps the glyphs of every icon name the app's
  code and content give Streamlit (see ICON below) and every one its own bundle passes to its icon
  component (the expander's arrow, the sidebar's, the password field's eye, the toast's close,
  ...), the letters, digits and underscore, and only the ligature rules that lead to kept icons
  (layout closure off: with it on, the letters would pull every icon back in).
- Text: the variable font keeps its weight axis and named instances and the features a browser
  applies by default (kerning, ligatures, marks), for Basic Latin, Latin-1, Latin Extended-A,
  General Punctuation, a few signs (TEXT_SIGNS), and every character of the content
  files and the app's source (the staff pages' words are in the code). A character outside the
  subset (a name in another script on the staff pages) is not lost: the browser draws each
  missing glyph with the next family of Streamlit's font stack ("Source Sans", sans-serif).
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

from screening.questionnaire.loader import ROOT
from screening.settings import resolve

from .font_files import BUNDLE_JS, ICON_FONT, TEXT_FONT, find

ICON = re.compile(r":material/([a-z0-9_]+):")
# Letters the ligature names are spelt with: the icon font maps them to glyphs the rules combine.
NAME_LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789_"
# The app's own files that may name an icon or hold a text shown on screen.
APP_SOURCES = ("app.py", "app_pages/**/*.py", "web/**/*.py")

TEXT_RANGES = (
    range(0x0020, 0x007F),  # Basic Latin
    range(0x00A0, 0x0100),  # Latin-1 Supplement: á é í ó ú ñ ü ¿ ¡ « » · and the like
    range(0x0100, 0x0180),  # Latin Extended-A: names with ő, ł, č, ...
    range(0x2000, 0x2070),  # General Punctuation: quotes, dashes, ellipsis, bullets
)
# Signs a text may use beyond those blocks (the app's own files add any other they contain).
TEXT_SIGNS = "€←↑→↓↔™№"


def content_files() -> list[Path]:
    """questions.yaml and clinic.yaml as the app loads them (SCREENING_QUESTIONS and
    SCREENING_CLINIC may name others; web/common/content.py's paths() reads them the same way)."""
    chosen = resolve(os.environ, {})
    return [chosen.questions, chosen.clinic]


def app_files(root: Path = ROOT) -> list[Path]:
    """The app's Python files and its content files: where icon names and screen texts are."""
    found: list[Path] = []
    for pattern in APP_SOURCES:
        found += sorted(root.glob(pattern))
    return found + content_files()


def icon_names_in(texts: Iterable[str]) -> set[str]:
    """Every icon named in `texts` the way Streamlit takes them (ICON)."""
    names: set[str] = set()
    for text in texts:
        names.update(ICON.findall(text))
    return names


def _read(paths: Iterable[Path]) -> Iterable[str]:
    for path in paths:
        yield path.read_text(encoding="utf-8", errors="replace")


def needed_icons(app: Iterable[Path] | None = None, bundle: Path = BUNDLE_JS) -> set[str]:
    """The icon names the app draws: its own and the ones Streamlit's frontend draws."""
    return icon_names_in(_read(app_files() if app is None else app)) | icon_names_in(
        _read(sorted(bundle.glob("*.js")))
    )


def needed_characters(app: Iterable[Path] | None = None) -> set[int]:
    """The code points the text subset keeps: the ranges above and every character the app's
    files contain (a clinic's name or a new language's words come in with its files)."""
    chars: set[int] = set()
    for block in TEXT_RANGES:
        chars.update(block)
    chars.update(ord(c) for c in TEXT_SIGNS)
    for text in _read(app_files() if app is None else app):
        chars.update(ord(c) for c in text if c.isprintable())
    return chars


def ligature_glyphs(font: TTFont) -> dict[str, str]:
    """Each ligature of the font's GSUB as the text it replaces -> the glyph it draws."""
    letters = {glyph: chr(code) for code, glyph in font.getBestCmap().items()}
    found: dict[str, str] = {}
    for lookup in font["GSUB"].table.LookupList.Lookup:
        for table in lookup.SubTable:
            table = getattr(table, "ExtSubTable", table)  # an extension lookup wraps the real one
            for first, ligatures in getattr(table, "ligatures", {}).items():
                for ligature in ligatures:
                    spelt = [first, *ligature.Component]
                    if all(glyph in letters for glyph in spelt):
                        found["".join(letters[g] for g in spelt)] = ligature.LigGlyph
    return found


# Fonts are opened with recalcTimestamp=False: the subset's bytes (and so its ETag) are then the
# same in every process and every replica, and a browser's daily check gets its 304 from any.


def _save(font: TTFont) -> bytes:
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def subset_icons(data: bytes, names: Iterable[str]) -> bytes:
    """The icon font (woff2 bytes) with only the icons `names` spell; names the font has no
    icon for are left out (they could not be drawn by the whole font either)."""
    font = TTFont(io.BytesIO(data), recalcTimestamp=False)
    ligatures = ligature_glyphs(font)
    glyphs = sorted({ligatures[name] for name in names if name in ligatures})
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]  # its one feature: the ligatures ("rlig")
    options.layout_closure = False  # keep only the rules whose glyphs are all kept
    subsetter = subset.Subsetter(options)
    subsetter.populate(glyphs=glyphs, text=NAME_LETTERS)
    subsetter.subset(font)
    return _save(font)


def subset_text(data: bytes, characters: Iterable[int]) -> bytes:
    """The variable text font (woff2 bytes) with only `characters`, its axes and instances,
    and the layout features browsers apply by default (Streamlit's styles ask for no other)."""
    font = TTFont(io.BytesIO(data), recalcTimestamp=False)
    options = subset.Options()
    options.flavor = "woff2"
    options.name_IDs = ["*"]  # the named instances' and axes' names
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=set(characters))
    subsetter.subset(font)
    return _save(font)


def make_subsets() -> dict[str, bytes]:
    """URL -> subset bytes for both fonts (seconds of CPU: run once, in a child process)."""
    icons = find(ICON_FONT)
    text = find(TEXT_FONT)
    return {
        icons.url: subset_icons(icons.path.read_bytes(), needed_icons()),
        text.url: subset_text(text.path.read_bytes(), needed_characters()),
    }


def main() -> None:
    """The subsets as JSON on standard output: {url: base64 of the woff2 bytes}."""
    os.nice(10)  # the server's requests come first on a busy machine
    made = make_subsets()
    encoded = {url: base64.b64encode(body).decode("ascii") for url, body in made.items()}
    json.dump(encoded, sys.stdout)


if __name__ == "__main__":
    main()
