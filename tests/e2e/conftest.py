"""A real Hearline for browser tests: its own database (a fresh SQLite file, or a fresh
database on the PostgreSQL server the suite runs against), migrated, with the demo loaded,
served by gunicorn on a free local port, driven by Debian's chromium."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from hearline.testing.served import free_port, fresh_postgres_database

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "var" / "test-artifacts" / "e2e"
CHROMIUM = "/usr/bin/chromium"


def _database(tmp: Path):
    """(DATABASE_URL for the server, cleanup callable)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{tmp / 'e2e.sqlite3'}", lambda: None
    return fresh_postgres_database(url)


class LiveHearline:
    """The running server's base `url`, and `run(...)` for a `hearline` command on its
    database (returns the command's standard output)."""

    def __init__(self, url: str, env: dict):
        self.url, self._env = url, env

    def run(self, *args: str) -> str:
        done = subprocess.run(
            [str(BIN / "hearline"), *args],
            env=self._env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        return done.stdout


@pytest.fixture(scope="session")
def live_hearline(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("e2e")
    database_url, drop = _database(tmp)
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        HEARLINE_VAR_DIR=str(tmp),
        DJANGO_SETTINGS_MODULE="config.settings.base",
    )
    for command in (
        ["migrate", "-v0"],
        ["demo", "--cases", "40"],
        ["triage", "train", "--from-cases", "--if-missing"],
        ["collectstatic", "--noinput", "-v0"],
    ):
        subprocess.run([str(BIN / "hearline"), *command], env=env, check=True, cwd=ROOT)
    port = free_port()
    log = tmp / "server.log"
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "-c",
            "config/gunicorn.py",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--access-logfile",
            "-",
        ],
        env=env,
        cwd=ROOT,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/accounts/login/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        live = LiveHearline(base, env)
        yield live
        personal = _complainant_data(live)
    finally:
        server.terminate()
        server.wait(timeout=10)
        drop()
    _assert_no_personal_data(log.read_text(errors="replace"), personal)


PERSONAL_DATA = """
from hearline.cases.models import Complainant
for row in Complainant.objects.values_list("name", "phone", "id_number", "email"):
    for value in row:
        if len(value) >= 2:
            print(value)
"""


def _complainant_data(live: LiveHearline) -> set[str]:
    """Every complainant's name, phone, ID number and e-mail address in the server's
    database at the end of the run (the demo's and those the tests created)."""
    lines = live.run("shell", "-c", PERSONAL_DATA).splitlines()
    return {line.strip() for line in lines if len(line.strip()) >= 2}


def _assert_no_personal_data(log: str, personal: set[str]) -> None:
    """The server's whole log (access log, application log, errors) of the browser tests
    holds none of it: checked after every browser test of this process has run."""
    assert "GET /" in log and len(personal) > 40, "the log and the data were both read"
    found = sorted(value for value in personal if value in log)
    assert found == [], f"complainant data in the server log: {found[:5]}"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def screens():
    """Saves a screenshot of a page as a test artefact under var/test-artifacts/e2e/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    database = (
        "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    )

    def shoot(page, name: str) -> None:
        page.screenshot(path=str(ARTIFACTS / f"{database}-{name}.png"), full_page=True)

    return shoot
