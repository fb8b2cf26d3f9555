"""The supervision sweep's query over 1,000,000 open cases with deadlines spread over a month.

    python scripts/with_pgserver.py python bench/sla_sweep_query.py [--cases 1000000]
    python bench/sla_sweep_query.py --cases 1000000                    # SQLite (temp file)

Rows are generated in the database itself. Two situations are timed, each as the median of
5 runs of the sweep's query (`due_clocks`: clocks whose `next_alert_at` has come):
- steady: earlier sweeps ran until a minute ago, so levels are up to date and the sweep finds
  what crossed a threshold in the last minute (what happens every minute);
- catch-up: every clock still green, as after a long outage of the task queue, so the sweep
  must find every reminder and overdue case at once.
"""

import argparse
import json
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, result_header, setup_django  # noqa: E402


def populate(n: int, now) -> None:
    from django.db import connection

    from hearline.cases.actions import do_register_case
    from hearline.cases.models import Case
    from hearline.testing.org import build_org, submission

    org = build_org()
    seed = do_register_case(submission(), acting_user=org.agent).case
    month = 30 * 24 * 3600
    start = now - timedelta(days=15)
    with connection.cursor() as c:
        # Cases: copies of the seed case with their own ids and tracking numbers, in
        # progress; every other column copied (so the copy keeps up with the model).
        own = {"id", "tracking_number", "public_token", "idempotency_key", "state"}
        columns = [f.column for f in Case._meta.concrete_fields if f.column not in own]
        c.execute(
            f"""
            INSERT INTO cases_case (tracking_number, public_token, state, {", ".join(columns)})
            WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < {n})
            SELECT 'B' || i, 't', 'in_progress', {", ".join("c." + x for x in columns)}
            FROM seq, cases_case c WHERE c.id = %s
            """,
            [seed.pk],
        )
        # Clocks: resolution deadlines spread evenly over the month around now; the warning
        # at 75 % of a 5-day span; response deadlines two hours after the start.
        offset = f"((c.id * 7919) %% {month})"
        if connection.vendor == "postgresql":
            due = f"(%s::timestamptz + make_interval(secs => {offset}))"
            warn = f"({due} - interval '30 hours')"
            resp = f"({due} - interval '5 days' + interval '2 hours')"
        else:
            due = f"strftime('%%Y-%%m-%%d %%H:%%M:%%f', %s, '+' || {offset} || ' seconds')"
            warn = (
                f"strftime('%%Y-%%m-%%d %%H:%%M:%%f', %s, '+' || ({offset} - 108000) || ' seconds')"
            )
            resp = (
                f"strftime('%%Y-%%m-%%d %%H:%%M:%%f', %s, '+' || ({offset} - 424800) || ' seconds')"
            )
        c.execute(
            f"""
            INSERT INTO sla_caseclock (case_id, cycle, started_at, response_due, response_warn_at,
                response_level, resolution_due, resolution_warn_at, resolution_level, stopped,
                provisional, paused_working_minutes)
            SELECT c.id, 1, c.registered_at, {resp}, {resp}, 'green', {due}, {warn}, 'green',
                false, false, 0
            FROM cases_case c WHERE c.tracking_number LIKE 'B%%'
            """,
            [start] * 4,
        )
        if connection.vendor == "postgresql":
            c.execute("ANALYZE")


def mark_levels(as_of) -> None:
    """Set levels and `next_alert_at` as earlier sweeps would have left them at `as_of`
    (or all green if None)."""
    from django.db import connection

    from hearline.sla.models import CaseClock

    CaseClock.objects.update(response_level="green", resolution_level="green")
    if as_of is not None:
        for kind in ("response", "resolution"):
            CaseClock.objects.filter(**{f"{kind}_warn_at__lte": as_of}).update(
                **{f"{kind}_level": "yellow"}
            )
            CaseClock.objects.filter(**{f"{kind}_due__lte": as_of}).update(
                **{f"{kind}_level": "red"}
            )
    nxt = {
        kind: f"CASE {kind}_level WHEN 'green' THEN {kind}_warn_at "
        f"WHEN 'yellow' THEN {kind}_due END"
        for kind in ("response", "resolution")
    }
    least = "LEAST" if connection.vendor == "postgresql" else "MIN"
    a, b = nxt["response"], nxt["resolution"]
    with connection.cursor() as c:
        c.execute(
            f"UPDATE sla_caseclock SET next_alert_at = "
            f"{least}(COALESCE({a}, {b}), COALESCE({b}, {a}))"
        )
        if connection.vendor == "postgresql":
            c.execute("ANALYZE sla_caseclock")


def time_queries(now, runs=5) -> dict:
    from hearline.sla.sweep import due_clocks

    timings, found = [], 0
    for _ in range(runs):
        t0 = time.perf_counter()
        found = len(list(due_clocks(now).values_list("pk", flat=True)))
        timings.append(time.perf_counter() - t0)
    return {
        "found": found,
        "median_ms": round(statistics.median(timings) * 1000, 1),
        "max_ms": round(max(timings) * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    args = parser.parse_args()
    vendor = setup_django()
    from django.utils import timezone

    now = timezone.now()
    t0 = time.perf_counter()
    populate(args.cases, now)
    load_s = time.perf_counter() - t0
    mark_levels(now - timedelta(minutes=1))
    steady = time_queries(now)
    mark_levels(None)
    catch_up = time_queries(now, runs=3)
    result = {
        **result_header("sla_sweep_query", vendor),
        "open_cases": args.cases,
        "load_seconds": round(load_s, 1),
        "steady": steady,
        "catch_up": catch_up,
    }
    out = ROOT / "bench" / "results" / f"sla_sweep_query-{vendor}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
