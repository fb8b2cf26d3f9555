"""A bounded load run: new cases at a steady rate mixed with reads, against a real Hearline
under gunicorn on 127.0.0.1; stops by itself.

    python bench/load.py [--rate 200] [--duration 600] [--readers 2]            # SQLite
    python scripts/with_pgserver.py python bench/load.py --rate 200 --duration 600

Each second it starts `rate` registrations (POST /api/v1/cases with an Idempotency-Key),
spread evenly, from a pool of client threads, and for each a read of the new case and,
every tenth, a page of the case list. It records every answer's status and latency, the
workers' memory every 10 s, and afterwards checks that every acknowledged case is stored.
Prints one JSON line and writes bench/results/load-<database>.json."""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT  # noqa: E402

from hearline.testing.load import run_load  # noqa: E402
from hearline.testing.served import fresh_postgres_database, serve  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--duration", type=float, default=600)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    url, drop = os.environ.get("DATABASE_URL", ""), lambda: None
    if url.startswith("postgres"):
        url, drop = fresh_postgres_database(url)
    vendor = "postgresql" if url else "sqlite"
    try:
        with tempfile.TemporaryDirectory(prefix="hearline-load-") as tmp:
            with serve(Path(tmp), database_url=url, workers=args.workers) as served:
                result = run_load(served, args.rate, args.duration)
                missing = [
                    n
                    for n in result["acknowledged"]
                    if served.get(f"/api/v1/cases/{n}", token=True)[0] != 200
                ]
    finally:
        drop()
    result["acknowledged_missing"] = len(missing)
    del result["acknowledged"]
    result |= {
        "benchmark": "load",
        "database": vendor,
        "date": time.strftime("%Y-%m-%d", time.gmtime()),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "gunicorn_workers": args.workers,
    }
    (ROOT / "bench" / "results" / f"load-{vendor}.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=2) + "\n"
    )
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
