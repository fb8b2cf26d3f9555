"""Hearline and django-helpdesk side by side, on the same machine and database engine, in
alternation (a round of one, then the other, three times):

1. creation through each product's public submission form over HTTP (gunicorn, 2 sync
   workers each, 4 client threads; each client signs the form's CSRF token once);
2. creation through each product's Python API in one process (Hearline `do_register_case`;
   django-helpdesk `PublicTicketForm.save()`, what its public view calls);
3. with 100,000 cases / tickets: the staff list page (helpdesk's page and the JSON its table
   loads) and a report page (Hearline's scorecard; helpdesk's queue × status report).

    python bench/peer_compare.py                                         # SQLite
    python scripts/with_pgserver.py python bench/peer_compare.py         # PostgreSQL

Needs bench/peer/.venv (`make bench-peer` creates it from bench/peer/requirements.txt).
Results to bench/results/peer-<database>.json and a table on standard output; ratios are
Hearline ÷ peer for throughput and peer ÷ Hearline for time (above 1: Hearline is better).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, result_header  # noqa: E402
from _forms import (  # noqa: E402
    hearline_portal_fields,
    sign_in,
    submit_round,
    summarise_times,
    time_page,
)

from hearline.testing.served import free_port, fresh_postgres_database  # noqa: E402

BIN = Path(sys.executable).parent
PEER = ROOT / "bench" / "peer"
PEER_BIN = PEER / ".venv" / "bin"
HEARLINE_API = """
import json, statistics, time
from hearline.accounts.models import User
from hearline.cases.actions import do_register_case
from hearline.cases.submission import ComplainantData, IntakeSubmission
agent = User.objects.get(username="agent")
timings = []
started = time.perf_counter()
for i in range(N):
    t0 = time.perf_counter()
    do_register_case(IntakeSubmission(
        channel="hotline",
        description=f"小区停水，从早上七点到现在没有水，也没有任何通知。{i}",
        complainant=ComplainantData(name="陈先生", phone=f"136{i % 10**8:08d}"),
        address="海曙区中山西路1号", district="海曙区", request="尽快恢复供水",
    ), acting_user=agent)
    timings.append(time.perf_counter() - t0)
elapsed = time.perf_counter() - started
timings.sort()
print(json.dumps({"per_s": round(N / elapsed, 1),
    "p50_ms": round(statistics.median(timings) * 1000, 2),
    "p99_ms": round(timings[int(len(timings) * 0.99)] * 1000, 2)}))
"""


def _wait(port: int) -> None:
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port}")


def _json_line(output: str) -> dict:
    return json.loads([line for line in output.splitlines() if line.startswith("{")][-1])


class Product:
    """One product under test: how to run its commands, its server, its form and pages."""

    def __init__(self, name, env, command, cwd, gunicorn, form_path, login_path, user, pw):
        self.name, self.env, self.command, self.cwd = name, env, command, cwd
        self.gunicorn, self.form_path = gunicorn, form_path
        self.login_path, self.user, self.password = login_path, user, pw
        self.port, self.server, self.fields = 0, None, None

    def run(self, *args: str) -> str:
        done = subprocess.run(
            [*self.command, *args], env=self.env, cwd=self.cwd, capture_output=True, text=True
        )
        if done.returncode != 0:
            raise RuntimeError(f"{self.name} {args[:2]}: {done.stderr[-2000:]}")
        return done.stdout

    def start(self) -> None:
        self.port = free_port()
        self.server = subprocess.Popen(
            [*self.gunicorn, "--bind", f"127.0.0.1:{self.port}", "--workers", "2"]
            + ["--log-level", "warning"],
            env=self.env,
            cwd=self.cwd,
        )
        _wait(self.port)

    def stop(self) -> None:
        if self.server:
            self.server.terminate()
            self.server.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--submissions", type=int, default=600)
    parser.add_argument("--api", type=int, default=500)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--page-runs", type=int, default=10)
    args = parser.parse_args()
    if not (PEER_BIN / "python").exists():
        sys.exit("bench/peer/.venv is missing: run `make bench-peer`")
    base_url = os.environ.get("DATABASE_URL", "")
    vendor = "postgresql" if base_url.startswith("postgres") else "sqlite"
    drops = []
    with tempfile.TemporaryDirectory(prefix="hearline-peer-") as tmp:
        tmp = Path(tmp)
        urls = {}
        for name in ("hearline", "peer"):
            if vendor == "postgresql":
                urls[name], drop = fresh_postgres_database(base_url)
                drops.append(drop)
            else:
                urls[name] = f"sqlite:///{tmp / name}.sqlite3"
        hearline_env = dict(
            os.environ,
            DATABASE_URL=urls["hearline"],
            HEARLINE_VAR_DIR=str(tmp / "hearline"),
            DJANGO_SETTINGS_MODULE="config.settings.base",
        )
        peer_env = dict(
            os.environ,
            DATABASE_URL=urls["peer"],
            PEER_MEDIA_ROOT=str(tmp / "peer-media"),
            DJANGO_SETTINGS_MODULE="peerdesk.settings",
        )
        hearline = Product(
            "Hearline",
            hearline_env,
            [str(BIN / "hearline")],
            ROOT,
            [str(BIN / "gunicorn"), "-c", "config/gunicorn.py", "config.wsgi:application"],
            "/submit/",
            "/accounts/login/",
            "manager",
            "hearline-demo",
        )
        peer = Product(
            "django-helpdesk",
            peer_env,
            [str(PEER_BIN / "python"), "manage.py"],
            PEER,
            [str(PEER_BIN / "gunicorn"), "peerdesk.wsgi:application"],
            "/helpdesk/tickets/submit/",
            "/helpdesk/login/",
            "staff",
            "peer-bench",
        )
        try:
            result = compare(args, vendor, hearline, peer)
        finally:
            hearline.stop()
            peer.stop()
            for drop in drops:
                drop()
    result |= {
        **result_header("peer", vendor),
    }
    (ROOT / "bench" / "results" / f"peer-{vendor}.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=2) + "\n"
    )
    print_table(result)


def compare(args, vendor: str, hearline: Product, peer: Product) -> dict:
    (Path(hearline.env["HEARLINE_VAR_DIR"])).mkdir(parents=True, exist_ok=True)
    hearline.run("migrate", "-v0")
    hearline.run("demo", "--cases", "200")
    hearline.run("triage", "train", "--from-cases", "--if-missing")
    peer.run("migrate", "-v0")
    queue = _json_line(
        peer.run("shell", "-v0", "-c", "from peerdesk.benchtools import prepare; prepare()")
    )["queue"]
    hearline.fields = hearline_portal_fields
    peer.fields = lambda: {
        "queue": str(queue),
        "title": "No water since this morning",
        "body": "Our building has had no water since 7am, no notice was given.",
        "priority": "3",
        "submitter_email": "resident@example.org",
    }
    hearline.start()
    peer.start()
    forms = {"Hearline": [], "django-helpdesk": []}
    for product in (hearline, peer):
        submit_round(product, 40, 2)  # warm-up
    for _ in range(args.rounds):
        for product in (hearline, peer):
            forms[product.name].append(submit_round(product, args.submissions, args.clients))
    apis = {"Hearline": [], "django-helpdesk": []}
    for _ in range(args.rounds):
        script = HEARLINE_API.replace("range(N)", f"range({args.api})").replace(
            "N /", f"{args.api} /"
        )
        apis["Hearline"].append(_json_line(hearline.run("shell", "-c", script)))
        apis["django-helpdesk"].append(
            _json_line(
                peer.run(
                    "shell",
                    "-v0",
                    "-c",
                    f"from peerdesk.benchtools import create_through_api; create_through_api({args.api})",
                )
            )
        )
    fill = (
        "import sys; sys.path.insert(0, 'bench'); from staff_pages import multiply; "
        f"multiply({args.tickets})"
    )
    hearline.run("shell", "-c", fill)
    hearline.run("analytics", "rebuild")
    filled = _json_line(
        peer.run(
            "shell", "-v0", "-c", f"from peerdesk.benchtools import fill; fill({args.tickets})"
        )
    )
    data_path = _json_line(
        peer.run(
            "shell", "-v0", "-c", "from peerdesk.benchtools import list_data_path; list_data_path()"
        )
    )["path"]
    pages = {
        "Hearline list": (hearline, "/staff/cases/?queue=all"),
        "Hearline scorecard": (hearline, "/staff/analytics/scorecard/"),
        "helpdesk list page": (peer, "/helpdesk/tickets/"),
        "helpdesk list data": (peer, data_path + "?draw=1&start=0&length=25"),
        "helpdesk report": (peer, "/helpdesk/reports/queuestatus/"),
    }
    jars = {hearline.name: sign_in(hearline), peer.name: sign_in(peer)}
    timings = {label: [] for label in pages}
    for product, path in pages.values():
        time_page(product.port, path, jars[product.name])  # warm-up
    for _ in range(args.page_runs):
        for label, (product, path) in pages.items():
            timings[label].append(time_page(product.port, path, jars[product.name]))
    return {
        "forms": forms,
        "python_api": apis,
        "tickets": filled["tickets"],
        "pages": {label: summarise_times(values) for label, values in timings.items()},
        "clients": args.clients,
        "gunicorn_workers": 2,
    }


def _median(runs: list[dict], key: str) -> float:
    return statistics.median(run[key] for run in runs)


def print_table(result: dict) -> None:
    forms, apis, pages = result["forms"], result["python_api"], result["pages"]
    h_form, p_form = _median(forms["Hearline"], "per_s"), _median(forms["django-helpdesk"], "per_s")
    h_api, p_api = _median(apis["Hearline"], "per_s"), _median(apis["django-helpdesk"], "per_s")
    h_list = pages["Hearline list"]["median_ms"]
    p_list = pages["helpdesk list page"]["median_ms"] + pages["helpdesk list data"]["median_ms"]
    h_report, p_report = (
        pages["Hearline scorecard"]["median_ms"],
        pages["helpdesk report"]["median_ms"],
    )
    rows = [
        ("public form, created/s (HTTP)", h_form, p_form, h_form / p_form),
        ("Python API, created/s", h_api, p_api, h_api / p_api),
        (f"staff list at {result['tickets']:,}, ms (page + data)", h_list, p_list, p_list / h_list),
        ("report page, ms", h_report, p_report, p_report / h_report),
    ]
    print(f"| {result['database']} | Hearline | django-helpdesk | Hearline advantage |")
    print("| --- | --- | --- | --- |")
    for label, ours, theirs, ratio in rows:
        print(f"| {label} | {ours:,.1f} | {theirs:,.1f} | {ratio:.1f}× |")


if __name__ == "__main__":
    main()
