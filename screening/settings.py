"""Every deployment setting in one place, with one precedence: the environment variable, then
`.streamlit/secrets.toml`, then the default.

The app, /ready, the command line, the staff sign-in and the mail notice all resolve their
settings here, so they can never disagree about which database (or password hash) is in force:
reading one source in one place and another elsewhere once made `forget` delete a different
person's request than the one the app had stored. The secrets file is read with tomllib from
where Streamlit reads it (~/.streamlit/secrets.toml, then ./.streamlit/secrets.toml, the second
winning); inside the app the shell passes Streamlit's own view of that file instead. Pure apart
from `from_files`, which reads the files and the environment.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .questionnaire.loader import DEFAULT_CLINIC, DEFAULT_QUESTIONS, ROOT

SECRETS_NAME = Path(".streamlit") / "secrets.toml"
DEFAULT_DATABASE_URL = f"sqlite:///{ROOT / 'data' / 'screening.db'}"
MASK = "****"


@dataclass(frozen=True)
class Spec:
    """One setting: its environment variable, its key in secrets.toml, its default."""

    name: str
    env: str | None
    key: str | None
    default: object
    secret: bool  # shown masked by `python -m screening settings`


SPECS: tuple[Spec, ...] = (
    Spec("database_url", "SCREENING_DATABASE_URL", "database_url", DEFAULT_DATABASE_URL, True),
    Spec("staff_password_hash", "SCREENING_STAFF_PASSWORD_HASH", "staff_password_hash", None, True),
    Spec("address_key", "SCREENING_ADDRESS_KEY", "address_key", None, True),
    Spec("questions", "SCREENING_QUESTIONS", None, str(DEFAULT_QUESTIONS), False),
    Spec("clinic", "SCREENING_CLINIC", None, str(DEFAULT_CLINIC), False),
    Spec("smtp", None, "smtp", None, True),
    # Minutes without a click after which a staff sign-in ends (HIPAA's automatic log-off).
    Spec("staff_idle_minutes", "SCREENING_STAFF_IDLE_MINUTES", "staff_idle_minutes", 15, False),
    # How long a person's place in the check is kept (screening/records/storage/resume.py):
    # seconds since their last change, and at most since they began.
    Spec(
        "resume_idle_seconds", "SCREENING_RESUME_IDLE_SECONDS", "resume_idle_seconds", 1800, False
    ),
    Spec(
        "resume_keep_seconds", "SCREENING_RESUME_KEEP_SECONDS", "resume_keep_seconds", 7200, False
    ),
    # Streamlit's two fonts as small subsets (web/site/font_serving.py); "off" serves its originals.
    Spec("font_subsets", "SCREENING_FONT_SUBSETS", None, "on", False),
)
IDLE_RANGE = (1, 12 * 60)  # staff_idle_minutes outside it falls back to the default
BY_NAME = {spec.name: spec for spec in SPECS}


@dataclass(frozen=True)
class Value:
    """A setting in force and where it came from ("environment", "secrets", "default")."""

    name: str
    value: Any
    source: str

    @property
    def where(self) -> str:
        """The place, in words a message can use."""
        spec = BY_NAME[self.name]
        if self.source == "environment":
            return f"the environment variable {spec.env}"
        if self.source == "secrets":
            return f"{spec.key} in .streamlit/secrets.toml"
        return "the default"


@dataclass(frozen=True)
class Settings:
    """Every setting resolved from one environment and one secrets mapping."""

    values: Mapping[str, Value]

    def get(self, name: str) -> Value:
        return self.values[name]

    @property
    def database_url(self) -> str:
        return str(self.values["database_url"].value)

    @property
    def staff_idle_seconds(self) -> float:
        """staff_idle_minutes in seconds; the default when it is not a whole number of minutes
        within IDLE_RANGE (a typo never switches the log-off off)."""
        raw = self.values["staff_idle_minutes"].value
        default = float(BY_NAME["staff_idle_minutes"].default)  # type: ignore[arg-type]
        try:
            minutes = int(str(raw).strip())
        except ValueError:
            return default * 60
        low, high = IDLE_RANGE
        return float(minutes * 60) if low <= minutes <= high else default * 60

    @property
    def questions(self) -> Path:
        return Path(self.values["questions"].value)

    @property
    def clinic(self) -> Path:
        return Path(self.values["clinic"].value)

    def seconds(self, name: str) -> float:
        """A duration setting; its default when the value is not a positive number."""
        default = BY_NAME[name].default
        assert isinstance(default, int), f"{name} is not a duration setting"
        try:
            value = float(self.values[name].value)
        except (TypeError, ValueError):
            return float(default)
        return value if 0 < value < float("inf") else float(default)


def resolve(env: Mapping[str, str], secrets: Mapping[str, Any]) -> Settings:
    """Each setting from `env`, else `secrets`, else its default. An empty value counts as
    unset, so `VAR=` in a service file does not hide the secrets file."""
    values: dict[str, Value] = {}
    for spec in SPECS:
        if spec.env and env.get(spec.env):
            values[spec.name] = Value(spec.name, env[spec.env], "environment")
        elif spec.key and secrets.get(spec.key) not in (None, ""):
            values[spec.name] = Value(spec.name, secrets[spec.key], "secrets")
        else:
            values[spec.name] = Value(spec.name, spec.default, "default")
    return Settings(values)


def secrets_files(cwd: Path | None = None, home: Path | None = None) -> list[Path]:
    """Where Streamlit looks for secrets, in its order (a later file wins)."""
    return [(home or Path.home()) / SECRETS_NAME, (cwd or Path.cwd()) / SECRETS_NAME]


class SecretsFileError(ValueError):
    """A secrets file exists but cannot be read as TOML."""


def read_secrets(files: list[Path] | None = None) -> dict[str, Any]:
    """The merged secrets files (missing files are skipped); SecretsFileError names a broken one
    by path and line, never by its contents."""
    merged: dict[str, Any] = {}
    for path in secrets_files() if files is None else files:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise SecretsFileError(f"{path}: cannot be read ({exc.strerror})") from None
        try:
            merged.update(tomllib.loads(raw.decode("utf-8")))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise SecretsFileError(f"{path}: not valid TOML ({exc})") from None
    return merged


def from_files(files: list[Path] | None = None) -> Settings:
    """The settings of this process: its environment and the secrets files."""
    return resolve(os.environ, read_secrets(files))


def mask_url(url: str) -> str:
    """A database URL with its password hidden (the rest says which database it is)."""
    head, sep, rest = url.partition("://")
    if not sep or "@" not in rest.split("/", 1)[0]:
        return url
    credentials, _, host = rest.partition("@")
    user, has_password, _ = credentials.partition(":")
    return f"{head}://{user}{':' + MASK if has_password else ''}@{host}"


def shown(value: Value) -> str:
    """How `python -m screening settings` prints a value: secrets masked."""
    if value.value is None:
        return "(not set)"
    if value.name == "database_url":
        return mask_url(str(value.value))
    if value.name == "smtp" and isinstance(value.value, Mapping):
        parts = [f"{k}={MASK if k in {'password', 'user'} else v}" for k, v in value.value.items()]
        return ", ".join(parts)
    if BY_NAME[value.name].secret:
        return f"{MASK} (set)"
    return str(value.value)
