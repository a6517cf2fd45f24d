"""The served settings that protect visitors, and a theme whose text passes WCAG AA contrast."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

CONFIG = tomllib.loads(
    (Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml").read_text()
)


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_formula_matches_known_values() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_privacy_and_error_settings() -> None:
    assert CONFIG["browser"]["gatherUsageStats"] is False
    assert CONFIG["client"]["showErrorDetails"] == "none"
    assert CONFIG["server"]["enableCORS"] is True
    assert CONFIG["server"]["enableXsrfProtection"] is True
    assert CONFIG["server"].get("enableAgentApi", False) is False


def test_memory_and_network_limits() -> None:
    assert CONFIG["server"]["maxUploadSize"] == 0  # no uploader, so no uploads
    assert CONFIG["server"]["maxWidgetStateSize"] == 1  # megabytes: the option's smallest
    assert CONFIG["server"]["address"] == "127.0.0.1"  # make run: loopback only


@pytest.mark.parametrize(
    ("foreground", "background"),
    [
        ("textColor", "backgroundColor"),
        ("textColor", "secondaryBackgroundColor"),
        ("primaryColor", "backgroundColor"),
    ],
)
def test_theme_text_passes_wcag_aa(foreground: str, background: str) -> None:
    theme = CONFIG["theme"]
    assert contrast(theme[foreground], theme[background]) >= 4.5
