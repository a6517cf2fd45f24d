"""Outreach links: the utm_* values are set, typed text cannot add parameters, QR codes parse."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlsplit

import pytest

from screening.records.outreach import MEDIUMS, base_address, file_stem, site_root, tracked_link
from web.staff.outreach import qr_images

BASE = "https://selfcheck.example.org/"


def params(link: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(link).query, keep_blank_values=True)


@pytest.mark.parametrize(
    ("source", "medium"),
    [
        ("instagram", "social"),
        ("facebook", "social"),
        ("tiktok", "social"),
        ("flyer", "print"),
        ("email", "email"),
        ("other", "referral"),
    ],
)
def test_each_channel_gets_its_medium(source: str, medium: str) -> None:
    link = tracked_link(BASE, source, "spring 2026")
    assert link.startswith(BASE + "?")
    assert params(link) == {
        "utm_source": [source],
        "utm_medium": [medium],
        "utm_campaign": ["spring 2026"],
    }


def test_every_channel_is_covered() -> None:
    assert set(MEDIUMS) == {"instagram", "facebook", "tiktok", "flyer", "email", "other"}


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        pytest.param("<b>fall</b>", "bfallb", id="markup"),
        pytest.param("fall&x=1", "fallx1", id="extra-parameter"),
        pytest.param("fall&utm_source=evil", "fallutm_sourceevil", id="overriding-parameter"),
        pytest.param("fall#top", "falltop", id="fragment"),
        pytest.param("fall?lang=es", "falllanges", id="second-query"),
        pytest.param("fall%26x%3D1", "fall26x3D1", id="pre-encoded"),
        pytest.param("  fall   2026 ", "fall 2026", id="whitespace"),
        pytest.param("fall\n2026", "fall2026", id="newline"),
        pytest.param("otoño", "otoo", id="non-ascii-dropped"),
    ],
)
def test_typed_campaign_text_cannot_inject_anything(typed: str, kept: str) -> None:
    link = tracked_link(BASE, "flyer", typed)
    parts = urlsplit(link)
    assert parts.fragment == ""
    assert parse_qs(parts.query) == {
        "utm_source": ["flyer"],
        "utm_medium": ["print"],
        "utm_campaign": [kept],
    }
    assert "<" not in link and ">" not in link and link.count("&") == 2


def test_version_becomes_utm_content_and_is_cleaned_too() -> None:
    link = tracked_link(BASE, "flyer", "spring", "poster-a&x=1")
    assert params(link)["utm_content"] == ["poster-ax1"]
    assert "utm_content" not in params(tracked_link(BASE, "flyer", "spring", "  "))


@pytest.mark.parametrize("campaign", ["", "   ", "<>&=#?"])
def test_a_campaign_without_letters_or_digits_is_refused(campaign: str) -> None:
    with pytest.raises(ValueError, match="campaign"):
        tracked_link(BASE, "flyer", campaign)


def test_an_unknown_channel_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown channel"):
        tracked_link(BASE, "myspace", "spring")


@pytest.mark.parametrize(
    ("url", "base"),
    [
        ("https://selfcheck.example.org", "https://selfcheck.example.org/"),
        ("https://example.org/check?lang=es#x", "https://example.org/check/"),
        ("http://localhost:8501/", "http://localhost:8501/"),
    ],
)
def test_base_address_keeps_host_and_path_only(url: str, base: str) -> None:
    assert base_address(url) == base


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.org/", "https://", "/x"])
def test_base_address_refuses_what_is_not_a_web_address(url: str) -> None:
    with pytest.raises(ValueError):
        base_address(url)


@pytest.mark.parametrize(
    ("url", "root"),
    [
        ("http://127.0.0.1:8501/staff", "http://127.0.0.1:8501/"),
        ("https://example.org/a/b?x=1#y", "https://example.org/"),
    ],
)
def test_site_root_drops_the_path(url: str, root: str) -> None:
    assert site_root(url) == root


def test_file_stem_is_a_plain_name() -> None:
    assert file_stem("flyer", "Spring 2026.v2") == "selfcheck-flyer-spring-2026-v2"
    assert file_stem("flyer", "<>") == "selfcheck-flyer-campaign"


def test_qr_png_is_a_png_of_printable_size() -> None:
    png, _ = qr_images(tracked_link(BASE, "flyer", "spring 2026"))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    assert width == height >= 300


def test_qr_svg_is_well_formed_svg() -> None:
    _, svg = qr_images(tracked_link(BASE, "flyer", "spring 2026"))
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert float(root.attrib["width"]) == float(root.attrib["height"]) > 100
    assert root.find("{http://www.w3.org/2000/svg}path") is not None
