"""Shared fixtures: the real content files, loaded once.

The loaded models are frozen, so one copy can safely serve every test.
"""

from __future__ import annotations

import pytest

from screening.loader import load_clinic, load_questionnaire
from screening.models import Clinic, Questionnaire


@pytest.fixture(scope="session")
def questionnaire() -> Questionnaire:
    return load_questionnaire()


@pytest.fixture(scope="session")
def clinic() -> Clinic:
    return load_clinic()
