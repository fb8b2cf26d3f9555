"""A bounded load run: new cases at a steady rate mixed with reads and lifecycle actions,
against a real Hearline under gunicorn on 127.0.0.1; stops by itself.

    python bench/load.py [--rate 200] [--duration 600] [--handle-every 10]      # SQLite
    python scripts/with_pgserver.py python bench/load.py --rate 200 --duration 600

Each second it starts `rate` registrations (POST /api/v1/cases with an Idempotency-Key),
spread evenly, from a pool of client threads, and for each a read of the new case and,
every tenth, a page of the case list; every `handle-every`-th case is handled through the
API by a dispatcher and a handler (dispatch, accept, resolve, reply). It records every
answer's status and latency, the workers' memory every 10 s, and afterwards checks that
every acknowledged case is stored and every handled one replied.
Prints one JSON line, writes bench/results/load-<database>.json, and judges the run against
the storm-day targets: exit status 1, naming what was missed, unless there were no errors,
every acknowledged case is stored, at least 95 % of the asked rate was held, p99 stayed
under 500 ms and the workers' memory grew by under 10 % after the first minute."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, result_header  # noqa: E402

from hearline.testing.load import run_load  # noqa: E402
from hearline.testing.served import fresh_postgres_database, serve  # noqa: E402


def missed_targets(result: dict) -> list[str]:
    """What of the storm-day targets a load run missed (empty: all met)."""
    missed = []
    if result["errors"]:
        missed.append(f"{result['errors']} errors {result['error_statuses']}")
    if result["acknowledged_missing"]:
        missed.append(f"{result['acknowledged_missing']} acknowledged cases not stored")
    if result["handled_not_replied"]:
        missed.append(f"{result['handled_not_replied']} handled cases not replied")
    if result["cases_per_s"] < 0.95 * result["target_cases_per_s"]:
        missed.append(f"held {result['cases_per_s']} of {result['target_cases_per_s']} cases/s")
    if result["all_p99_ms"] >= 500:
        missed.append(f"p99 {result['all_p99_ms']} ms")
    rss = result["worker_rss_mib"]
    settled = rss[6] if len(rss) > 7 else None  # after the first minute's model loading
    if settled and rss[-1] > 1.1 * settled:
        missed.append(f"worker memory grew from {settled} to {rss[-1]} MiB")
    return missed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--duration", type=float, default=600)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--handle-every", type=int, default=10)
    args = parser.parse_args()
    url, drop = os.environ.get("DATABASE_URL", ""), lambda: None
    if url.startswith("postgres"):
        url, drop = fresh_postgres_database(url)
    vendor = "postgresql" if url else "sqlite"
    try:
        with tempfile.TemporaryDirectory(prefix="hearline-load-") as tmp:
            with serve(Path(tmp), database_url=url, workers=args.workers) as served:
                result = run_load(served, args.rate, args.duration, handle_every=args.handle_every)
                states = {}
                for number in result["acknowledged"]:
                    status, text, _ = served.get(f"/api/v1/cases/{number}", token=True)
                    states[number] = json.loads(text)["state"] if status == 200 else None
    finally:
        drop()
    result["acknowledged_missing"] = sum(1 for state in states.values() if state is None)
    result["handled_cases"] = len(result["handled"])
    result["handled_not_replied"] = sum(1 for n in result["handled"] if states[n] != "replied")
    del result["acknowledged"], result["handled"]
    result |= {
        **result_header("load", vendor),
        "gunicorn_workers": args.workers,
    }
    result["missed_targets"] = missed_targets(result)
    (ROOT / "bench" / "results" / f"load-{vendor}.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=2) + "\n"
    )
    print(json.dumps(result, ensure_ascii=False))
    if result["missed_targets"]:
        sys.exit("targets missed: " + "; ".join(result["missed_targets"]))
    print("targets met")


if __name__ == "__main__":
    main()
