"""A phone measurement from the camera aid: how open each eye was and where each mouth corner
was, at rest and during one movement, measured on the person's phone.

It travels only when the person chose to share it, and only as these numbers (never a picture).
It is shown to the clinic next to the answers, labelled as a phone measurement. The rules never
read it (docs/CLINICAL-SAFETY.md says why).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

Movement = Literal["smile", "talk", "pucker", "close_eyes"]


class Sides(BaseModel):
    """One moment: eye opening (lid gap / eye width) and mouth-corner height (below the eyes, in
    eye distances) on the person's right and left."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    # Bounds far outside any face: they only keep nonsense out.
    right_eye: float = Field(ge=0, le=2, allow_inf_nan=False)
    left_eye: float = Field(ge=0, le=2, allow_inf_nan=False)
    right_corner: float = Field(ge=-5, le=5, allow_inf_nan=False)
    left_corner: float = Field(ge=-5, le=5, allow_inf_nan=False)


class Measurement(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    movement: Movement
    rest: Sides
    moving: Sides


def parse(value: object) -> Measurement | None:
    """The measurement a browser sent, or None for anything that is not one."""
    if not isinstance(value, Mapping):
        return None
    try:
        return Measurement.model_validate(dict(value))
    except ValidationError:
        return None


def encode(measurements: Mapping[str, Measurement]) -> str | None:
    """The measurements of a screening by question id, as stored (None when there are none)."""
    if not measurements:
        return None
    return json.dumps({k: m.model_dump() for k, m in sorted(measurements.items())}, sort_keys=True)


def decode(text: str | None) -> dict[str, Measurement]:
    """What `encode` stored; anything unreadable is left out rather than shown wrong."""
    if not text:
        return {}
    try:
        data: Any = json.loads(text)
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    found = {str(k): parse(v) for k, v in data.items()}
    return {k: m for k, m in found.items() if m is not None}


def lines(m: Measurement) -> tuple[str, str]:
    """Two plain lines for the clinician: eye opening right/left at rest and moving, and the
    mouth corners' lift (positive: up) during the movement."""
    eyes = (
        f"eye opening R/L: rest {m.rest.right_eye:.2f}/{m.rest.left_eye:.2f}, "
        f"{m.movement.replace('_', ' ')} {m.moving.right_eye:.2f}/{m.moving.left_eye:.2f}"
    )
    lift_r = m.rest.right_corner - m.moving.right_corner
    lift_l = m.rest.left_corner - m.moving.left_corner
    mouth = f"mouth corner lift R/L: {lift_r:+.2f}/{lift_l:+.2f} eye distances"
    return eyes, mouth
