"""Back up and restore the self-check's database on one server. Standard library only.

    backup.py backup [--to DIR] [--keep-days N]   # one copy now; older ones past N days deleted
    backup.py restore FILE                        # the app stopped first (docs/DEPLOY.md)

The database is the app's: $SCREENING_DATABASE_URL, else `database_url` in .streamlit/secrets.toml,
else data/screening.db, all relative to the project folder (--app-dir, default the working
directory). SQLite is copied with SQLite's online backup (consistent while the app writes), then
checked; PostgreSQL with pg_dump's custom format and restored with pg_restore. Passwords go to
pg_dump through its environment, never on a command line other users can read.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

ENV_URL = "SCREENING_DATABASE_URL"
PREFIX = "screening-"
SUFFIXES = {"sqlite": ".db", "postgresql": ".dump"}
# libpq's environment variables for the URL's query options that matter for a dump.
PG_OPTIONS = {"sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "options": "PGOPTIONS"}


def database_url(app_dir: Path) -> str:
    """The URL the app uses: the environment, else secrets.toml, else the default SQLite file."""
    if os.environ.get(ENV_URL):
        return os.environ[ENV_URL]
    secrets = app_dir / ".streamlit" / "secrets.toml"
    if secrets.is_file():
        value = tomllib.loads(secrets.read_text(encoding="utf-8")).get("database_url")
        if isinstance(value, str) and value:
            return value
    return f"sqlite:///{app_dir / 'data' / 'screening.db'}"


def backend(url: str) -> str:
    """'sqlite' or 'postgresql' (any SQLAlchemy driver suffix such as +psycopg ignored)."""
    scheme = url.split(":", 1)[0].split("+", 1)[0]
    if scheme in ("postgres", "postgresql"):
        return "postgresql"
    if scheme == "sqlite":
        return "sqlite"
    raise SystemExit(f"unsupported database URL scheme {scheme!r}")


def sqlite_path(url: str, app_dir: Path) -> Path:
    """The file of a sqlite:///PATH URL; a relative PATH is relative to the project folder."""
    path = Path(unquote(url.split("///", 1)[1].split("?", 1)[0]))
    return path if path.is_absolute() else app_dir / path


def pg_environment(url: str) -> tuple[dict[str, str], str]:
    """libpq's environment for the URL, and the database name."""
    parts = urlsplit(url)
    env = dict(os.environ)
    for name, value in (
        ("PGHOST", parts.hostname),
        ("PGPORT", str(parts.port) if parts.port else None),
        ("PGUSER", unquote(parts.username) if parts.username else None),
        ("PGPASSWORD", unquote(parts.password) if parts.password else None),
    ):
        if value:
            env[name] = value
    for key, values in parse_qs(parts.query).items():
        if key in PG_OPTIONS:
            env[PG_OPTIONS[key]] = values[-1]
    return env, unquote(parts.path.lstrip("/"))


def backup(url: str, app_dir: Path, folder: Path, now: datetime) -> Path:
    """Write one backup into folder and return its path (readable by its owner only)."""
    kind = backend(url)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    target = folder / f"{PREFIX}{now:%Y%m%dT%H%M%SZ}{SUFFIXES[kind]}"
    partial = target.with_name(target.name + ".partial")  # never mistaken for a finished one
    old_umask = os.umask(0o077)
    try:
        if kind == "sqlite":
            source = sqlite3.connect(sqlite_path(url, app_dir))
            copy = sqlite3.connect(partial)
            try:
                source.backup(copy)
                (verdict,) = copy.execute("PRAGMA integrity_check").fetchone()
                if verdict != "ok":
                    raise SystemExit(f"the copy failed its integrity check: {verdict}")
            finally:
                copy.close()
                source.close()
        else:
            env, name = pg_environment(url)
            command = ["pg_dump", "--format=custom", "--no-owner", "--file", str(partial), name]
            subprocess.run(command, env=env, check=True)
        partial.rename(target)
    finally:
        os.umask(old_umask)
        partial.unlink(missing_ok=True)
    return target


def prune(folder: Path, keep_days: int, now: datetime, keep: Path) -> list[Path]:
    """Delete this script's backups older than keep_days (never `keep`); those deleted."""
    cutoff = (now - timedelta(days=keep_days)).timestamp()
    deleted = []
    for path in sorted(folder.glob(f"{PREFIX}*")):
        if path.suffix not in SUFFIXES.values() or path == keep:
            continue
        if path.stat().st_mtime < cutoff:
            path.unlink()
            deleted.append(path)
    return deleted


def restore(url: str, app_dir: Path, source: Path) -> None:
    """Replace the database's contents with a backup's. Stop the app first."""
    kind = backend(url)
    if source.suffix != SUFFIXES[kind]:
        raise SystemExit(f"{source} is not a {kind} backup ({SUFFIXES[kind]})")
    if kind == "sqlite":
        # Through SQLite's backup, not a file copy: the database's WAL file stays consistent.
        backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        target = sqlite3.connect(sqlite_path(url, app_dir))
        try:
            backup_db.backup(target)
        finally:
            target.close()
            backup_db.close()
    else:
        env, name = pg_environment(url)
        command = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction"]
        subprocess.run([*command, "--dbname", name, str(source)], env=env, check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--app-dir", type=Path, default=Path.cwd(), help="the project folder")
    sub = parser.add_subparsers(dest="command", required=True)
    make = sub.add_parser("backup", help="write one backup and delete old ones")
    make.add_argument("--to", type=Path, default=Path("/var/backups/screening"))
    make.add_argument("--keep-days", type=int, default=14)
    back = sub.add_parser("restore", help="replace the database with a backup (app stopped)")
    back.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    url = database_url(args.app_dir)
    if args.command == "backup":
        now = datetime.now(UTC)
        made = backup(url, args.app_dir, args.to, now)
        print(f"backed up to {made}")
        for path in prune(args.to, args.keep_days, now, keep=made):
            print(f"deleted {path} (older than {args.keep_days} days)")
    else:
        restore(url, args.app_dir, args.file)
        print(f"restored {args.file}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
