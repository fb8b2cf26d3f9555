"""Staff pages with 100,000 (or --cases) cases: median and p99 response time and queries.

    python bench/staff_pages.py [--cases 100000]                        # SQLite (temp file)
    python scripts/with_pgserver.py python bench/staff_pages.py         # PostgreSQL

Results go to bench/results/staff_pages-<database>.json, with -<cases> appended for another
size than 100,000.

The demo organisation is loaded, then the cases are multiplied in the database itself
(spread over departments, agents, states, categories and a year of registration dates, each
with its clock). Each page is requested 30 times through Django's test client as the user
who works from it; the figures are server-side (no network).
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, result_header, setup_django  # noqa: E402


def multiply(n: int) -> None:
    """Copies of the demo cases until there are about `n`, with their clocks."""
    from django.db import connection

    from hearline.cases.models import Case
    from hearline.sla.models import CaseClock

    existing = Case.objects.count()
    copies = max(0, n - existing)
    pg = connection.vendor == "postgresql"
    day = "make_interval(days => (s.i %% 365))" if pg else None
    with connection.cursor() as c:
        registered = (
            f"(c.registered_at - {day})"
            if pg
            else "strftime('%%Y-%%m-%%d %%H:%%M:%%f', c.registered_at, '-' || (s.i %% 365) || ' days')"
        )
        # Every column copied from the source case but the ones that make the copy its own
        # (so the copy keeps up with new columns of the model).
        own = {"id", "tracking_number", "idempotency_key", "registered_at"}
        columns = [f.column for f in Case._meta.concrete_fields if f.column not in own]
        c.execute(
            f"""
            INSERT INTO cases_case (tracking_number, registered_at, {", ".join(columns)})
            WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < %s)
            SELECT 'X' || s.i || '-' || c.id, {registered}, {", ".join("c." + x for x in columns)}
            FROM s JOIN cases_case c ON c.id = 1 + (s.i %% %s)
            """,
            [copies, existing],
        )
        # The copy's tracking number "X<i>-<source id>" names the case whose clock it copies.
        source_id = (
            "split_part(x.tracking_number, '-', 2)::int"
            if pg
            else "CAST(substr(x.tracking_number, instr(x.tracking_number, '-') + 1) AS INTEGER)"
        )
        own = {"case_id", "cycle", "started_at", "paused_working_minutes", "next_alert_at"}
        own |= {"department_id"}
        clock = [
            f.column
            for f in CaseClock._meta.concrete_fields
            if f.column not in own and not f.generated
        ]
        c.execute(
            f"""
            INSERT INTO sla_caseclock (case_id, cycle, started_at, paused_working_minutes,
                next_alert_at, department_id, {", ".join(clock)})
            SELECT x.id, 1, x.registered_at, 0, NULL, x.department_id,
                {", ".join("k." + x for x in clock)}
            FROM cases_case x
            JOIN sla_caseclock k ON x.tracking_number LIKE 'X%%' AND k.case_id = {source_id}
            """
        )
        # Statistics, and on PostgreSQL the visibility map that autovacuum keeps in a
        # running database (without it no index-only scan can skip the table).
        c.execute("VACUUM ANALYZE" if pg else "ANALYZE")


def measure(client, url: str, runs: int = 30) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm-up
    timings = []
    for _ in range(runs):
        t0 = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - t0)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    timings.sort()
    return {
        "median_ms": round(statistics.median(timings) * 1000, 1),
        "p99_ms": round(timings[min(len(timings) - 1, int(len(timings) * 0.99))] * 1000, 1),
        "queries": len(queries),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    args = parser.parse_args()
    vendor = setup_django(demo_cases=200)
    t0 = time.perf_counter()
    multiply(args.cases)
    load_s = time.perf_counter() - t0
    from django.test import Client

    from hearline.accounts.models import User
    from hearline.cases.models import Case

    total = Case.objects.count()
    handler = User.objects.get(username="handler_network")
    sample = (
        Case.objects.filter(tracking_number__startswith="X", department=handler.department)
        .order_by("-id")
        .first()
    )
    number = Case.objects.exclude(tracking_number__startswith="X").first().tracking_number
    pages = [
        ("agent", "/staff/cases/?queue=mine"),
        ("agent", f"/staff/cases/?queue=all&q={number}"),
        ("agent", "/staff/cases/?queue=all&q=13812345678"),
        ("dispatcher", "/staff/cases/?queue=dispatch"),
        ("dispatcher", "/staff/cases/?queue=all&q=停水&page=3"),
        ("dispatcher", "/staff/cases/?queue=all&sort=due"),
        ("handler_network", "/staff/cases/?queue=inbox"),
        ("handler_network", f"/staff/cases/{sample.pk}/"),
        ("supervisor", "/staff/supervision/"),
        ("manager", "/staff/dashboard/"),
    ]
    results = []
    for username, url in pages:
        client = Client()
        client.force_login(User.objects.get(username=username))
        results.append({"user": username, "url": url, **measure(client, url)})
        print(json.dumps(results[-1], ensure_ascii=False), flush=True)
    result = {
        **result_header("staff_pages", vendor),
        "cases": total,
        "load_seconds": round(load_s, 1),
        "pages": results,
    }
    size = "" if args.cases == 100_000 else f"-{args.cases}"
    out = ROOT / "bench" / "results" / f"staff_pages-{vendor}{size}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps({k: v for k, v in result.items() if k != "pages"}, ensure_ascii=False))


if __name__ == "__main__":
    main()
