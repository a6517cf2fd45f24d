"""Load the questionnaire and clinic once per process; refuse to serve half-valid content."""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from screening.errors import ContentError, Problem
from screening.questionnaire.loader import load_clinic, load_questionnaire
from screening.questionnaire.models import Clinic, Questionnaire
from screening.settings import resolve

log = logging.getLogger("screening.app")


@dataclass(frozen=True)
class Content:
    questionnaire: Questionnaire
    clinic: Clinic


@dataclass(frozen=True)
class Unavailable:
    problems: tuple[Problem, ...]
    clinic: Clinic | None  # for the phone number, when clinic.yaml itself is fine


def paths() -> tuple[Path, Path]:
    """questions.yaml and clinic.yaml, or the files SCREENING_QUESTIONS / SCREENING_CLINIC name
    (screening/settings.py; these two have no key in secrets.toml)."""
    chosen = resolve(os.environ, {})
    return chosen.questions, chosen.clinic


_loaded: dict[tuple[Path, Path], Content] = {}
_loading = threading.Lock()


def _load(questions: Path, clinic: Path) -> Content:
    # Frozen models shared by every session, kept in a plain dict: asked for on every rerun,
    # and st.cache_resource would hash both paths each time. A failure raises and is therefore
    # not kept, so the next page view tries again.
    found = _loaded.get((questions, clinic))
    if found is None:
        with _loading:  # sessions starting together read the files once
            found = _loaded.get((questions, clinic))
            if found is None:
                found = Content(load_questionnaire(questions), load_clinic(clinic))
                _loaded[(questions, clinic)] = found
    return found


def load() -> Content | Unavailable:
    """The loaded content, or why it cannot be served (the problems are logged)."""
    questions, clinic_path = paths()
    try:
        return _load(questions, clinic_path)
    except ContentError as exc:
        for problem in exc.problems:
            log.error("content problem: %s", problem)
        try:
            clinic: Clinic | None = load_clinic(clinic_path)
        except ContentError:
            clinic = None
        return Unavailable(tuple(exc.problems), clinic)


def show_unavailable(down: Unavailable) -> None:
    """A short bilingual page; the content files cannot be trusted for its words."""
    phone = down.clinic.phone if down.clinic else None
    st.title("Temporarily unavailable / No disponible por ahora")
    en = "This self-check is temporarily unavailable."
    es = "Esta autoevaluación no está disponible por ahora."
    if phone:
        en += f" Please call {phone}."
        es += f" Por favor, llame al {phone}."
    st.text(en)
    st.text(es)
    st.text("In an emergency, call 911. / En una emergencia, llame al 911.")
