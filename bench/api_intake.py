"""Cases registered per second under gunicorn on 127.0.0.1, through `POST /api/v1/cases` and
through the citizen portal's form, beside the machine's raw limit for a durable write.

    python bench/api_intake.py [--requests 1000] [--clients 1,4,16]            # SQLite
    python scripts/with_pgserver.py python bench/api_intake.py                  # PostgreSQL

Starts its own Hearline (fresh database, migrated, the test organisation, one API token)
under gunicorn with 2 sync workers, then sends the requests from N client threads with
keep-alive connections: JSON with a bearer token to the API (every 201 is a committed case),
the public form with its CSRF token (every 302 to the confirmation is one); and first, with
the Huey consumer running, the API with `Prefer: respond-async` (every 202 is a committed
receipt; the run also times how long until the queue has made every receipt a case). Then
the same database's raw limit: one-row INSERT transactions through the bare driver from N threads
(bench/_raw.py). Results to bench/results/.
"""

import argparse
import http.client
import json
import os
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
from _common import ROOT, percentile, result_header  # noqa: E402
from _forms import hearline_portal_fields, submit_round  # noqa: E402
from _raw import raw_inserts, scalar  # noqa: E402

from hearline.testing.served import COMPLAINT as BODY  # noqa: E402
from hearline.testing.served import free_port  # noqa: E402

BIN = Path(sys.executable).parent


def _payload() -> bytes:
    """The complaint, from another citizen each time (a random phone number)."""
    complainant = BODY["complainant"] | {"phone": f"136{random.randrange(10**8):08d}"}
    return json.dumps(BODY | {"complainant": complainant}, ensure_ascii=False).encode()


def _env(tmp: Path, settings: str = "config.settings.base") -> dict:
    env = dict(os.environ, HEARLINE_VAR_DIR=str(tmp), DJANGO_SETTINGS_MODULE=settings)
    env["PYTHONPATH"] = str(ROOT / "bench")
    if not env.get("DATABASE_URL"):
        env["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    return env


def start_server(
    tmp: Path, workers: int, settings: str = "config.settings.base"
) -> tuple[subprocess.Popen, int, str, str]:
    """Hearline under gunicorn on a fresh database: (server, port, agent token, vendor)."""
    env = _env(tmp, settings)

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
    port = free_port()
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


def fire(
    port: int,
    token: str,
    total: int,
    clients: int,
    path: str = "/api/v1/cases",
    respond_async: bool = False,
) -> dict:
    """`total` registrations from `clients` threads with keep-alive connections; with
    `respond_async`, complaints received for background registration (202)."""
    latencies, failures = [], []
    lock = threading.Lock()
    per_client = total // clients
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    expected = 201
    if respond_async:
        headers["Prefer"] = "respond-async"
        expected = 202

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        for _ in range(per_client):
            t0 = time.perf_counter()
            conn.request("POST", path, _payload(), headers)
            response = conn.getresponse()
            response.read()
            mine.append(time.perf_counter() - t0)
            if response.status != expected:
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


def fire_async(port: int, token: str, total: int, clients: int, url: str) -> dict:
    """`total` complaints sent with `Prefer: respond-async` while the task queue registers
    them: how fast they are received (202, durable), and how long until the last is a case
    (every receipt registered)."""
    started = time.perf_counter()
    run = fire(port, token, total, clients, respond_async=True)
    sent = time.perf_counter()
    waiting = "SELECT count(*) FROM cases_intakereceipt WHERE state = 'received'"
    while scalar(url, waiting):
        time.sleep(0.1)
    done = time.perf_counter()
    refused = scalar(url, "SELECT count(*) FROM cases_intakereceipt WHERE state = 'refused'")
    return run | {
        "refused": refused,
        "all_registered_s": round(done - started, 1),
        "registered_after_last_sent_s": round(done - sent, 1),
        "registered_per_s": round(run["requests"] / (done - started), 1),
    }


def async_rows(tmp: Path, port: int, token: str, total: int, counts: list[int]) -> list[dict]:
    """The respond-async rows, with the Huey consumer running as `make run` runs it."""
    env = _env(tmp)
    consumer = subprocess.Popen(
        [str(BIN / "hearline"), "run_huey", "--workers", "2", "--quiet"], env=env, cwd=ROOT
    )
    try:
        return [fire_async(port, token, total, c, env["DATABASE_URL"]) for c in counts]
    finally:
        consumer.terminate()
        consumer.wait(timeout=30)


class Portal:
    """The public form of the Hearline under test, for `_forms.submit_round`."""

    form_path = "/submit/"
    fields = staticmethod(hearline_portal_fields)

    def __init__(self, port: int):
        self.port = port


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--clients", default="1,4,16")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    counts = [int(c) for c in args.clients.split(",")]
    with tempfile.TemporaryDirectory(prefix="hearline-bench-") as tmp:
        server, port, token, vendor = start_server(Path(tmp), args.workers)
        portal = Portal(port)
        try:
            fire(port, token, 100, 2)  # warm-up
            submit_round(portal, 40, 2)
            received = async_rows(Path(tmp), port, token, args.requests, counts)
            api = [fire(port, token, args.requests, c) for c in counts]
            form = []
            for c in counts:
                run = submit_round(portal, args.requests, c)
                form.append(
                    {
                        "clients": c,
                        "requests": args.requests // c * c,
                        "failed": run["failed"],
                        "cases_per_s": run["per_s"],
                        "p50_ms": run["p50_ms"],
                        "p99_ms": run["p99_ms"],
                    }
                )
        finally:
            server.terminate()
            server.wait(timeout=10)
        url = _env(Path(tmp))["DATABASE_URL"]
        raw = [raw_inserts(url, max(2000, args.requests), c, _payload().decode()) for c in counts]
    for runs in (api, form, received):
        for run, limit in zip(runs, raw, strict=True):
            run["of_raw"] = round(run["cases_per_s"] / limit["rows_per_s"], 4)
    result = {
        **result_header("api_intake", vendor),
        "gunicorn_workers": args.workers,
        "runs": api,
        "portal_runs": form,
        "respond_async_runs": received,
        "raw_driver": raw,
    }
    (ROOT / "bench" / "results" / f"api_intake-{vendor}.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=2) + "\n"
    )
    print(f"{'channel':8} {'clients':>7} {'cases/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'raw/s':>8}")
    for name, runs in (("api", api), ("portal", form), ("async", received)):
        for run, limit in zip(runs, raw, strict=True):
            print(
                f"{name:8} {run['clients']:>7} {run['cases_per_s']:>8} {run['p50_ms']:>7} "
                f"{run['p99_ms']:>7} {limit['rows_per_s']:>8}"
            )
    for run in received:
        print(
            f"async, {run['clients']} clients: all {run['requests']} registered after "
            f"{run['all_registered_s']} s ({run['registered_per_s']} cases/s), "
            f"{run['refused']} refused"
        )


if __name__ == "__main__":
    main()
