"""Where Streamlit's two first-visit fonts are, and the addresses its stylesheet asks for them
at. Kept apart from the subsetting (font_subsets.py), which the server runs in a child process
(font_serving.py), so that serving needs nothing of it."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path


def _streamlit_folder() -> Path:
    """Streamlit's installed folder, found without importing Streamlit (the child process that
    makes the subsets has no use for it)."""
    spec = find_spec("streamlit")
    if spec is None or spec.origin is None:
        raise ImportError("streamlit is not installed")
    return Path(spec.origin).parent


# Streamlit's bundle: its stylesheet names the fonts under static/media/ (the URL /static/media/).
STREAMLIT_STATIC = _streamlit_folder() / "static"
MEDIA_DIR = STREAMLIT_STATIC / "static" / "media"
BUNDLE_JS = STREAMLIT_STATIC / "static" / "js"
MEDIA_URL = "/static/media/"
# The file names carry a content hash that changes with Streamlit's version: found by pattern.
ICON_FONT = "MaterialSymbols-Rounded.*.woff2"
TEXT_FONT = "SourceSansVF-Upright.ttf.*.woff2"
# Source Sans' italic is not subset: no screen of the self-check sets text in italics, so a first
# visit never fetches it (checked in the browser: tests/e2e/test_browser_fonts.py).


@dataclass(frozen=True)
class FontFile:
    """One of Streamlit's font files and the address its stylesheet asks for it at."""

    path: Path

    @property
    def url(self) -> str:
        return MEDIA_URL + self.path.name


def find(pattern: str, media: Path = MEDIA_DIR) -> FontFile:
    """The font file matching `pattern` in Streamlit's bundle (exactly one, or ValueError)."""
    found = sorted(media.glob(pattern))
    if len(found) != 1:
        raise ValueError(f"expected one font file for {pattern}, found {len(found)}")
    return FontFile(found[0])


def font_urls() -> frozenset[str]:
    """The addresses the subsets replace (empty when Streamlit's bundle has other fonts)."""
    try:
        return frozenset({find(ICON_FONT).url, find(TEXT_FONT).url})
    except ValueError:
        return frozenset()
