"""A real Redis for tests: Debian's redis-server on a free port of 127.0.0.1, its data in a
temporary directory, nothing written to disk."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

REDIS_SERVER = "/usr/bin/redis-server"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    """`with RedisServer() as redis:` serves on redis.url (redis://127.0.0.1:PORT/0)."""

    def __init__(self):
        self.port = _free_port()
        self.root = Path(tempfile.mkdtemp(prefix="hearline-redis-"))
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def __enter__(self):
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--bind", "127.0.0.1", "--port", str(self.port)]
            + ["--dir", str(self.root), "--save", "", "--appendonly", "no"]
            + ["--logfile", str(self.root / "redis.log")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            if self._answers_ping():
                return self
            time.sleep(0.05)
        self.__exit__()
        raise RuntimeError("redis-server did not start: " + self._log())

    def _answers_ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def _log(self) -> str:
        log = self.root / "redis.log"
        return log.read_text() if log.exists() else ""

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.root, ignore_errors=True)
