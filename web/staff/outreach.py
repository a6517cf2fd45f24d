"""The dashboard's outreach links: a channel and a campaign name in, a tracked link and its QR
code (PNG and SVG, for a flyer) out. The link itself is built by screening.outreach (pure)."""

from __future__ import annotations

import io

import segno
import streamlit as st

from screening.questionnaire.models import Clinic
from screening.records.outreach import MEDIUMS, base_address, file_stem, site_root, tracked_link

SOURCE = "staff.outreach_source"
CAMPAIGN = "staff.outreach_campaign"
CONTENT = "staff.outreach_content"
CAMPAIGN_MAX = 60  # the QR code stays easy to scan


def base(clinic: Clinic) -> str | None:
    """clinic.yaml's public_url, else the site this page is served from; None if neither.

    st.context.url is the staff page's own address; its path (/staff, or a base path behind a
    proxy) is dropped, so a self-check served under a path needs public_url."""
    try:
        if clinic.public_url:
            return base_address(clinic.public_url)
        return site_root(st.context.url) if st.context.url else None
    except ValueError:
        return None


def qr_images(link: str) -> tuple[bytes, bytes]:
    """The link as a QR code: PNG (large enough to print) and SVG (scales to any size)."""
    code = segno.make(link, error="m", micro=False)
    png, svg = io.BytesIO(), io.BytesIO()
    code.save(png, kind="png", scale=12, border=4)
    code.save(svg, kind="svg", scale=4, border=4, xmldecl=True, title="Self-check link")
    return png.getvalue(), svg.getvalue()


def show(clinic: Clinic) -> None:
    """Pick a channel and a campaign; show the link and offer its QR code."""
    root = base(clinic)
    if root is None:
        st.error("Set public_url in clinic.yaml (the self-check's https:// address) first.")
        return
    st.text(f"Links point to {root}")
    st.selectbox("Where will you share it?", list(MEDIUMS), key=SOURCE)
    st.text_input(
        "Campaign name",
        key=CAMPAIGN,
        max_chars=CAMPAIGN_MAX,
        placeholder="e.g. spring 2026",
        help="Letters, digits, spaces and _ . - only; anything else is left out.",
    )
    st.text_input(
        "Version (optional)",
        key=CONTENT,
        max_chars=CAMPAIGN_MAX,
        help="Tells two versions of the same campaign apart, e.g. poster-a and poster-b.",
    )
    source = str(st.session_state.get(SOURCE) or "other")
    campaign = str(st.session_state.get(CAMPAIGN) or "")
    if not campaign.strip():
        st.text("Type a campaign name to get the link.")
        return
    try:
        link = tracked_link(root, source, campaign, st.session_state.get(CONTENT) or None)
    except ValueError:
        st.error("Use letters or digits in the campaign name.")
        return
    st.code(link, language=None, wrap_lines=True)
    png, svg = qr_images(link)
    st.image(png, width=240, caption="Scan to test before printing.")
    stem = file_stem(source, campaign)
    left, right = st.columns(2)
    left.download_button(
        "QR code (PNG)", png, file_name=f"{stem}.png", mime="image/png",
        key="staff.qr_png", on_click="ignore",
    )  # fmt: skip
    right.download_button(
        "QR code (SVG)", svg, file_name=f"{stem}.svg", mime="image/svg+xml",
        key="staff.qr_svg", on_click="ignore",
    )  # fmt: skip
