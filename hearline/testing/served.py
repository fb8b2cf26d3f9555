"""A real Hearline served by gunicorn for tests and benchmarks that break or load it: the
fault tests (tests/faults/) and the load run (bench/load.py)."""

from __future__ import annotations

import http.client
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[2]
COMPLAINT: dict[str, Any] = {
    "description": "小区停水，没有任何通知。",
    "address": "海曙区中山西路1号",
    "district": "海曙区",
    "request": "尽快恢复供水",
    "complainant": {"name": "陈先生", "phone": "13600001111"},
}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on just now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """The running server: `post_case(key)` sends one complaint, `workers()` lists the
    worker processes, `db()` opens the database file directly (not through Hearline),
    `env` is the environment its commands run with (`hearline(...)` runs one)."""

    def __init__(self, port: int, token: str, database: Path, server: subprocess.Popen, env):
        self.port, self.token, self.database, self.server = port, token, database, server
        self.env = env

    def hearline(self, *args: str) -> str:
        """Run a `hearline` command on this server's database; returns its output."""
        return _hearline(self.env, *args)

    def post_case(
        self, key: str | None = None, timeout: float = 10, respond_async: bool = False
    ) -> tuple[int, dict, dict]:
        """(status, body, headers); raises OSError/HTTPException when the connection breaks.
        `respond_async` asks for registration in the background (202)."""
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        if key:
            headers["Idempotency-Key"] = key
        if respond_async:
            headers["Prefer"] = "respond-async"
        # Another citizen per complaint; a retry (same key) sends the very same body.
        phone = f"136{random.Random(key).randrange(10**8):08d}"
        complainant = COMPLAINT["complainant"] | {"phone": phone}
        body = json.dumps(COMPLAINT | {"complainant": complainant}).encode()
        status, answer, answer_headers = self._request(
            "POST", "/api/v1/cases", body, headers, timeout
        )
        kind = answer_headers.get("Content-Type", "")
        parsed = json.loads(answer) if "json" in kind else {"text": answer.decode()}
        return status, parsed, answer_headers

    def get(self, path: str, token: bool = False, timeout: float = 10) -> tuple[int, str, dict]:
        """(status, text, headers) of a GET, with the API token when `token`."""
        headers = {"Authorization": f"Bearer {self.token}"} if token else {}
        status, body, answer_headers = self._request("GET", path, None, headers, timeout)
        return status, body.decode(), answer_headers

    def act(self, number: str, action: str, token: str, payload: dict | None = None) -> int:
        """Take one lifecycle action on a case through the API as the holder of `token`;
        returns the status (raises OSError/HTTPException when the connection breaks)."""
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        body = json.dumps({"payload": payload or {}}).encode()
        path = f"/api/v1/cases/{number}/actions/{action}"
        return self._request("POST", path, body, headers, timeout=30)[0]

    def attach(
        self, number: str, name: str, content_type: str, content: bytes, timeout: float = 10
    ) -> tuple[int, dict]:
        """(status, parsed body) of attaching one file to a case through the API, sent as a
        multipart body of its own (raises OSError/HTTPException when the connection
        breaks)."""
        boundary = uuid.uuid4().hex
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"'
            f"\r\nContent-Type: {content_type}\r\n\r\n"
        ).encode()
        headers = {
            "Authorization": f"Bearer {self.token}",
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        }
        body = head + content + f"\r\n--{boundary}--\r\n".encode()
        path = f"/api/v1/cases/{number}/attachments"
        status, answer, _headers = self._request("POST", path, body, headers, timeout)
        return status, json.loads(answer)

    def _request(
        self, method: str, path: str, body: bytes | None, headers: dict, timeout: float = 10
    ) -> tuple[int, bytes, dict]:
        """(status, body, headers) of one request on a connection of its own."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body, headers)
            response = conn.getresponse()
            return response.status, response.read(), dict(response.getheaders())
        finally:
            conn.close()

    def workers(self) -> list[int]:
        """The process ids of gunicorn's current workers."""
        children = Path(f"/proc/{self.server.pid}/task/{self.server.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def processes(self, word: str) -> list[int]:
        """The process ids of the server's descendants whose command line holds `word`."""
        found, pending = [], [self.server.pid]
        while pending:
            pid = pending.pop()
            try:
                children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            except FileNotFoundError:
                continue
            for child in map(int, children):
                pending.append(child)
                try:
                    command = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ")
                except FileNotFoundError:
                    continue
                if word.encode() in command:
                    found.append(child)
        return found

    def db(self) -> sqlite3.Connection:
        """A direct connection to the SQLite file (to check what is stored)."""
        return sqlite3.connect(self.database)


def _hearline(env: dict, *args: str) -> str:
    done = subprocess.run(
        [str(BIN / "hearline"), *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def _prepared(tmp_path: Path, database_url: str, extra_env: dict) -> tuple[dict, str, Path]:
    """(environment, agent's API token, SQLite file) of a new Hearline on `database_url` (an
    empty database) or else a fresh SQLite file under `tmp_path`: migrated, with the test
    organisation."""
    database = tmp_path / "served.sqlite3"
    env = dict(
        os.environ,
        DATABASE_URL=database_url or f"sqlite:///{database}",
        HEARLINE_VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="config.settings.base",
        **extra_env,
    )
    _hearline(env, "migrate", "-v0")
    _hearline(env, "shell", "-c", "from hearline.testing.org import build_org; build_org()")
    token = _hearline(
        env, "apikey", "create", "--name", "faults", "--role", "agent", "--department", "callcentre"
    ).strip()
    return env, token, database


def _wait_until_serving(served: Served) -> None:
    for _ in range(200):
        try:
            if served.get("/accounts/login/")[0] == 200:
                return
        except OSError:
            time.sleep(0.1)


@contextmanager
def serve(tmp_path: Path, database_url: str = "", workers: int = 2, **extra_env: str):
    """Start a Hearline under gunicorn on a free local port, on `database_url` (an empty
    database) or else a fresh SQLite file under `tmp_path`: migrated, with the test
    organisation and an agent's API token. Yields a Served; stops the server after."""
    env, token, database = _prepared(tmp_path, database_url, extra_env)
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "config/gunicorn.py", "config.wsgi:application"]
        + ["--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--log-level", "warning"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    served = Served(port, token, database, server, env)
    try:
        _wait_until_serving(served)
        yield served
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)


@contextmanager
def serve_as_make_run(tmp_path: Path, **extra_env: str):
    """Start a Hearline the way `make run` does, through scripts/serve.sh (the task consumer
    and gunicorn), on a fresh SQLite file under `tmp_path` with the test organisation and an
    agent's API token. Yields a Served whose `server` is the script; stops everything the
    script started after (it runs in a process group of its own)."""
    port = free_port()
    extra_env = {"BIN": str(BIN), "HOST": "127.0.0.1", "PORT": str(port), **extra_env}
    env, token, database = _prepared(tmp_path, "", extra_env)
    server = subprocess.Popen(
        ["sh", "scripts/serve.sh"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    served = Served(port, token, database, server, env)
    try:
        _wait_until_serving(served)
        yield served
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def fresh_postgres_database(url: str):
    """A new, empty database on the PostgreSQL server of `url`: (its URL, a callable that
    drops it)."""
    import psycopg

    name = f"hearline_{uuid.uuid4().hex[:12]}"
    parsed = urlparse(url)
    admin = url.replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunparse(parsed._replace(path=f"/{name}")), drop
