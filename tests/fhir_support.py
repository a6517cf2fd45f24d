"""What the FHIR tests share: one answer set for every path through the questionnaire, what each
routes to, and a walk over a resource's items."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from core_spec import ABOUT, NO_EMERGENCY, NO_RECENT_SIGNS, build

AUTHORED = datetime(2025, 1, 31, 14, 30, tzinfo=UTC)
# Every path through the questionnaire: stopped at once, stopped after a step, no palsy, a
# recent palsy (movements not asked), a palsy weeks old (recent step and movements), a child.
EXAMPLES = {
    "emergency": {"rf_stroke_signs": "now"},
    "urgent": {**NO_EMERGENCY, **ABOUT, "hx_onset": "3w_3m", **NO_RECENT_SIGNS,
               "rf_ear_signs": "yes"},
    "soon": build(rf_lump="yes", hx_treatment=["botox", "surgery"]),
    "consult": build(eye_narrows_smile="often", hx_onset="3w_3m"),
    "info": build(hx_treatment=[]),
    "no-palsy": build(hx_palsy="no", nh_twitching="unsure"),
    "recent-palsy": build(hx_onset="lt_3w"),
    "minor": build(hx_age="lt_18", hx_onset="3w_3m"),
}  # fmt: skip


# What each example routes to (contract 2's codes), and the steps it shows.
ROUTED = {
    "emergency": ("emergency", ("stroke_signs",), ("emergency",)),
    "urgent": ("urgent", ("ear_signs", "eye_care"), ("emergency", "about_you", "recent")),
    "soon": ("soon", ("lump",), ("emergency", "about_you", "safety", "history",
                                 "movements_eye", "movements_mouth", "movements_feel")),
    "consult": ("consult", ("linked_movements", "early"), None),
    "info": ("info", ("no_warning_signs", "few_signs"), None),
    "no-palsy": ("info", ("no_warning_signs", "twitching_without_palsy_unsure",
                          "no_palsy_history"), ("emergency", "about_you", "safety", "no_palsy")),
    "recent-palsy": ("info", ("no_warning_signs", "early"),
                     ("emergency", "about_you", "recent", "safety", "history")),
    "minor": ("soon", ("minor", "early"), None),
}  # fmt: skip


def items(node: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Every item below a resource, depth first."""
    found = []
    for item in node.get("item", []):
        found.append(item)
        found += items(item)
    return found
