"""Cases registered per second through the service layer (`do_register_case`), one process.

    python bench/intake_service.py [--cases 2000]                       # SQLite (temp file)
    python scripts/with_pgserver.py python bench/intake_service.py       # PostgreSQL

Each registration is one durable transaction: the case, the complainant, the first timeline
event. For scale, the same machine's raw limit is measured too: a single-row INSERT in its
own transaction through the bare database driver. Results go to bench/results/.
"""

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, percentile, result_header, setup_django  # noqa: E402


def _measure(n: int, step) -> tuple[float, list[float]]:
    """Run step(i) n times; the total seconds and each call's latency."""
    latencies = []
    started = time.perf_counter()
    for i in range(n):
        t0 = time.perf_counter()
        step(i)
        latencies.append(time.perf_counter() - t0)
    return time.perf_counter() - started, latencies


def bench_service(org, n: int) -> dict:
    from hearline.cases.actions import do_register_case
    from hearline.cases.submission import ComplainantData
    from hearline.testing.org import submission

    def register(i):
        # Each complaint from another citizen, as in the HTTP benchmarks.
        caller = ComplainantData(name="王丽", phone=f"139{random.randrange(10**8):08d}")
        do_register_case(
            submission(description=f"第{i}号测试投诉：小区停水。", complainant=caller),
            acting_user=org.agent,
        )

    _measure(20, register)  # warm-up
    elapsed, latencies = _measure(n, register)
    return {
        "cases": n,
        "cases_per_s": round(n / elapsed, 1),
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 2),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 2),
    }


def bench_raw(n: int) -> dict:
    """A plain one-row INSERT per transaction through the driver, with the same durability."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_raw (id INTEGER PRIMARY KEY, body TEXT)")
    sqlite = connection.vendor == "sqlite"

    def insert(i):
        # Autocommit: on PostgreSQL the INSERT is its own transaction; SQLite gets the same
        # BEGIN IMMEDIATE … COMMIT that Hearline's transactions use.
        with connection.cursor() as cursor:
            if sqlite:
                cursor.execute("BEGIN IMMEDIATE")
            cursor.execute(
                "INSERT INTO bench_raw (id, body) VALUES (%s, %s)", [i + 1, "小区停水。"]
            )
            if sqlite:
                cursor.execute("COMMIT")

    elapsed, latencies = _measure(n, insert)
    return {
        "rows": n,
        "rows_per_s": round(n / elapsed, 1),
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    vendor = setup_django()
    from django.db import connection

    from hearline.testing.org import build_org

    org = build_org()
    runs = [bench_service(org, args.cases) for _ in range(args.runs)]
    best = sorted(runs, key=lambda r: r["cases_per_s"])[len(runs) // 2]  # median run
    connection.ensure_connection()
    raw = bench_raw(args.cases)
    result = {
        **result_header("intake_service", vendor),
        "median_run": best,
        "runs": runs,
        "raw_driver_insert": raw,
        "service_vs_raw": round(best["cases_per_s"] / raw["rows_per_s"], 3),
    }
    out = ROOT / "bench" / "results" / f"intake_service-{vendor}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
