"""Cases registered per second through `POST /api/v1/cases` under gunicorn on 127.0.0.1.

    python bench/api_intake.py [--requests 2000] [--clients 1,4,16]            # SQLite
    python scripts/with_pgserver.py python bench/api_intake.py                  # PostgreSQL

Starts its own Hearline (fresh database, migrated, the test organisation, one API token)
under gunicorn with 2 sync workers, then sends the requests from N client threads with
keep-alive connections. Every 201 means the case is committed. Results to bench/results/.
"""

import argparse
import http.client
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, percentile  # noqa: E402

from hearline.testing.served import COMPLAINT as BODY  # noqa: E402

BIN = Path(sys.executable).parent


def _payload() -> bytes:
    """The complaint, from another citizen each time (a random phone number)."""
    complainant = BODY["complainant"] | {"phone": f"136{random.randrange(10**8):08d}"}
    return json.dumps(BODY | {"complainant": complainant}, ensure_ascii=False).encode()


def start_server(
    tmp: Path, workers: int, settings: str = "config.settings.base"
) -> tuple[subprocess.Popen, int, str, str]:
    """Hearline under gunicorn on a fresh database: (server, port, agent token, vendor)."""
    env = dict(os.environ, HEARLINE_VAR_DIR=str(tmp), DJANGO_SETTINGS_MODULE=settings)
    env["PYTHONPATH"] = str(ROOT / "bench")
    if not env.get("DATABASE_URL"):
        env["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"

    def run(*args: str) -> str:
        command = [str(BIN / "hearline"), *args]
        done = subprocess.run(
            command, env=env, check=True, cwd=ROOT, capture_output=True, text=True
        )
        return done.stdout

    run("migrate", "-v0")
    run("shell", "-c", "from hearline.testing.org import build_org; build_org()")
    token = run(
        "apikey", "create", "--name", "bench", "--role", "agent", "--department", "callcentre"
    ).strip()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "-c",
            "config/gunicorn.py",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    vendor = "postgresql" if env["DATABASE_URL"].startswith("postgres") else "sqlite"
    return server, port, token, vendor


def fire(port: int, token: str, total: int, clients: int, path: str = "/api/v1/cases") -> dict:
    """`total` registrations from `clients` threads with keep-alive connections."""
    latencies, failures = [], []
    lock = threading.Lock()
    per_client = total // clients
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        for _ in range(per_client):
            t0 = time.perf_counter()
            conn.request("POST", path, _payload(), headers)
            response = conn.getresponse()
            response.read()
            mine.append(time.perf_counter() - t0)
            if response.status != 201:
                failures.append(response.status)
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return {
        "clients": clients,
        "requests": len(latencies),
        "failed": len(failures),
        "cases_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", default="1,4,16")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hearline-bench-") as tmp:
        server, port, token, vendor = start_server(Path(tmp), args.workers)
        try:
            fire(port, token, 100, 2)  # warm-up
            runs = [fire(port, token, args.requests, int(c)) for c in args.clients.split(",")]
        finally:
            server.terminate()
            server.wait(timeout=10)
    result = {
        "benchmark": "api_intake",
        "database": vendor,
        "date": time.strftime("%Y-%m-%d", time.gmtime()),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "gunicorn_workers": args.workers,
        "runs": runs,
    }
    (ROOT / "bench" / "results" / f"api_intake-{vendor}.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=2) + "\n"
    )
    for run in runs:
        print(json.dumps(run))


if __name__ == "__main__":
    main()
