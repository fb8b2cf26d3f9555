"""The scorecard and the dashboard at scale: 10,000,000 cases on PostgreSQL, 1,000,000 on
SQLite, registered over three years.

    python scripts/with_pgserver.py python bench/analytics_scale.py --cases 10000000
    python bench/analytics_scale.py --cases 1000000                 # SQLite (temp file)

Rows are generated in the database itself, with skewed distributions as in real hotline data
(a few categories, departments and districts take most cases; most cases come by phone, are
normal, carry no root cause): the cases (copies of one registered case with their own ids,
day, department, category, channel, district, urgency and root cause), each case's facts
(random outcomes and handling-time bands) and the rollup rows summed from the facts exactly
as the lifecycle keeps them, their projections by department and by hotspot, plus the daily
word counts. Clocks and timelines are not
generated: the figures never read them.

Then, for five months chosen at random, the manager's requests are timed through Django's
test client (full request: URL routing, session, query, template): the scorecard page, the
dashboard with its comparison, trend, ranking, hotspots, heat table and rising terms, and
the scorecard API. Median and maximum of the five months are reported.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, result_header, setup_django  # noqa: E402

DAYS = 3 * 365
FIRST_DAY = date(2023, 11, 1)
CHANNELS = ["hotline", "web", "app", "sms", "email", "social"]
URGENCIES = ["normal", "important", "urgent"]
DISTRICTS = [
    "海曙区",
    "江北区",
    "鄞州区",
    "镇海区",
    "北仑区",
    "奉化区",
    "余姚市",
    "慈溪市",
    "宁海县",
    "象山县",
]
CHUNK = 1_000_000


def build_reference():
    """An organisation of 30 departments under 6 organisations, 40 categories, a manager."""
    from hearline.accounts.models import Department, DepartmentKind, User, UserRole
    from hearline.accounts.roles import Role
    from hearline.cases.models import Category

    root = Department.objects.create(
        code="city", name="市12345热线", kind=DepartmentKind.ORGANISATION
    )
    departments = []
    for o in range(6):
        org = Department.objects.create(
            code=f"org{o}", name=f"单位{o}", kind=DepartmentKind.ORGANISATION, parent=root
        )
        for d in range(5):
            departments.append(
                Department.objects.create(
                    code=f"d{o}{d}",
                    name=f"单位{o}部门{d}",
                    kind=DepartmentKind.DEPARTMENT,
                    parent=org,
                )
            )
    categories = [Category.objects.create(code=f"c{i}", name=f"类别{i}") for i in range(40)]
    manager = User.objects.create_user("manager", password="x", department=root)
    UserRole.objects.create(user=manager, role=Role.MANAGER)
    agent = User.objects.create_user("agent", password="x", department=departments[0])
    UserRole.objects.create(user=agent, role=Role.AGENT)
    return manager, agent, [d.pk for d in departments], [c.pk for c in categories]


def _skewed(k: int, vendor: str, power: float = 2.5) -> str:
    """SQL for an index 0..k-1 drawn with most weight on the first values."""
    r = "random()" if vendor == "postgresql" else "(abs(random()) / 9223372036854775808.0)"
    return f"CAST(floor({k} * power({r}, {power})) AS integer)"


def _pick(values: list, index_sql: str, vendor: str) -> str:
    if vendor == "postgresql":
        items = ", ".join(
            f"'{v}'" if isinstance(v, str) else "NULL" if v is None else str(v) for v in values
        )
        return f"(ARRAY[{items}])[1 + {index_sql}]"
    items = json.dumps(values, ensure_ascii=False)
    return f"json_extract('{items}', '$[' || {index_sql} || ']')"


def populate(n: int, seed_case_id: int, departments, categories, causes, vendor: str) -> None:
    from django.db import connection, transaction

    from hearline.cases.models import Case

    day_sql = (
        f"(DATE '{FIRST_DAY}' + CAST(floor(i * {DAYS}.0 / {n}) AS integer))"
        if vendor == "postgresql"
        else f"date('{FIRST_DAY}', '+' || CAST(i * {DAYS} / {n} AS integer) || ' days')"
    )
    at_sql = (
        f"({day_sql} + time '09:00' - interval '8 hours')"
        if vendor == "postgresql"
        else f"({day_sql} || ' 01:00:00')"
    )
    # Each category belongs to one department, as in real routing: draw the category
    # once per row (ci) and take both from it.
    ci = _skewed(40, vendor, 2.5)
    series = (
        f"(SELECT i, {ci} AS ci FROM generate_series(%s::integer, %s::integer) AS g(i)) AS s"
        if vendor == "postgresql"
        else "(WITH RECURSIVE seq(i) AS (SELECT %s UNION ALL SELECT i + 1 FROM seq WHERE i < %s) "
        f"SELECT i, {ci} AS ci FROM seq) AS s"
    )
    cause = _pick([None] * 40 + causes, _skewed(40 + len(causes), vendor, 0.5), vendor)
    overrides = {
        "tracking_number": "'S' || i",
        "public_token": "'t' || i",
        "idempotency_key": "NULL",
        "channel": _pick(CHANNELS, _skewed(6, vendor, 3), vendor),
        "district": _pick(DISTRICTS, _skewed(10, vendor, 1.5), vendor),
        "urgency": _pick(URGENCIES, _skewed(3, vendor, 4), vendor),
        "department_id": _pick([departments[k % 30] for k in range(40)], "ci", vendor),
        "category_id": _pick(categories, "ci", vendor),
        "root_cause_id": cause,
        "state": "'archived'",
        "registered_at": at_sql,
        "updated_at": at_sql,
    }
    columns = [f.column for f in Case._meta.concrete_fields if f.column != "id"]
    for first in range(1, n + 1, CHUNK):
        last = min(n, first + CHUNK - 1)
        with transaction.atomic(), connection.cursor() as c:
            values = ", ".join(overrides.get(col, f"seed.{col}") for col in columns)
            c.execute(
                f"INSERT INTO cases_case ({', '.join(columns)}) SELECT {values} "
                f"FROM {series}, cases_case seed WHERE seed.id = %s",
                [first, last, seed_case_id],
            )
    r = "random()" if vendor == "postgresql" else "(abs(random()) / 9223372036854775808.0)"
    minutes = f"CAST(floor(6000 * power({r}, 3)) AS integer)"
    with transaction.atomic(), connection.cursor() as c:
        # Facts: every outcome bit on with a plausible probability; replied cases (bit 9,
        # "handled") in a handling-time band.
        bits = " + ".join(
            f"(CASE WHEN {r} < {p} THEN {1 << bit} ELSE 0 END)"
            for bit, p in enumerate(
                [0.9, 0.97, 0.85, 0.95, 0.7, 0.8, 0.6, 0.2, 0.8, 0.9, 0.04, 0.92, 0.08, 0.15, 0.1]
            )
        )
        c.execute(
            f"""
            INSERT INTO analytics_casefacts (case_id, day, department_id, category_id, channel,
                district, urgency, root_cause_id, band, flags, handling_minutes, terms_counted)
            SELECT id, {
                "CAST(registered_at AS date)" if vendor == "postgresql" else "date(registered_at)"
            }, department_id, category_id, channel,
                district, urgency, COALESCE(root_cause_id, 0), -1, {bits}, 0, true
            FROM cases_case WHERE tracking_number LIKE 'S%%'
            """
        )
        c.execute(
            f"UPDATE analytics_casefacts SET handling_minutes = {minutes} "
            f"WHERE (flags & {1 << 9}) <> 0"
        )
        c.execute(
            "UPDATE analytics_casefacts SET band = CASE "
            "WHEN handling_minutes < 600 THEN handling_minutes / 30 * 30 "
            "WHEN handling_minutes < 6000 THEN handling_minutes / 300 * 300 "
            "ELSE handling_minutes / 3000 * 3000 END WHERE (flags & 512) <> 0"
        )
    from hearline.analytics.models import DIMENSIONS, FLAGS
    from hearline.analytics.rollup import TABLES

    sums = ", ".join(
        f"SUM(CASE WHEN (flags & {1 << i}) <> 0 THEN 1 ELSE 0 END)" for i in range(len(FLAGS))
    )
    dims = ", ".join(DIMENSIONS)
    with transaction.atomic(), connection.cursor() as c:
        c.execute("DELETE FROM analytics_rollup")
        c.execute(
            f"""
            INSERT INTO analytics_rollup ({dims}, volume, {", ".join(FLAGS)}, handling_minutes)
            SELECT {dims}, COUNT(*), {sums}, SUM(handling_minutes)
            FROM analytics_casefacts GROUP BY {dims}
            """
        )
        for model, columns, kept in TABLES[1:]:
            keys = ", ".join(columns)
            totals = ", ".join(f"SUM({name})" for name in kept)
            c.execute(f"DELETE FROM {model._meta.db_table}")
            c.execute(
                f"INSERT INTO {model._meta.db_table} ({keys}, {', '.join(kept)}) "
                f"SELECT {keys}, {totals} FROM analytics_rollup GROUP BY {keys}"
            )
        # Daily word counts: 800 words a day, a few of them common.
        day_of = (
            f"(DATE '{FIRST_DAY}' + d)"
            if vendor == "postgresql"
            else f"date('{FIRST_DAY}', '+' || d || ' days')"
        )
        days = (
            f"generate_series(0, {DAYS - 1}) AS dd(d)"
            if vendor == "postgresql"
            else f"(WITH RECURSIVE q(d) AS (SELECT 0 UNION ALL SELECT d + 1 FROM q WHERE d < "
            f"{DAYS - 1}) SELECT d FROM q) AS dd"
        )
        words = (
            "generate_series(0, 799) AS ww(w)"
            if vendor == "postgresql"
            else "(WITH RECURSIVE p(w) AS (SELECT 0 UNION ALL SELECT w + 1 FROM p WHERE w < 799) "
            "SELECT w FROM p) AS ww"
        )
        c.execute(
            f"""
            INSERT INTO analytics_termday (day, term, cases)
            SELECT {day_of}, '词' || w, 1 + CAST(floor({n / DAYS / 20} * power({r}, 2) * 800 / (w + 1)) AS integer)
            FROM {days}, {words}
            """
        )
    if vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("VACUUM ANALYZE")


def _time(fn, runs: int = 1) -> float:
    t0 = time.perf_counter()
    for _ in range(runs):
        fn()
    return (time.perf_counter() - t0) / runs


def measure(manager, token: str, months: list[date]) -> dict:
    from django.test import Client

    from hearline.analytics.monthly import month_bounds

    client = Client()
    client.force_login(manager)
    timings = {"scorecard_page": [], "dashboard_page": [], "scorecard_api": []}
    for month in months:
        start, end = month_bounds(month)
        period = {"start": start.isoformat(), "end": end.isoformat()}

        def check(response):
            assert response.status_code == 200, response.status_code
            return response

        timings["scorecard_page"].append(
            _time(lambda p=period: check(client.get("/staff/analytics/scorecard/", p)))
        )
        timings["dashboard_page"].append(
            _time(
                lambda p=period: check(
                    client.get("/staff/dashboard/", p | {"compare": "last_year"})
                )
            )
        )
        timings["scorecard_api"].append(
            _time(
                lambda p=period: check(
                    client.get(
                        "/api/v1/analytics/scorecard",
                        p,
                        HTTP_AUTHORIZATION=f"Bearer {token}",
                    )
                )
            )
        )
    return {
        name: {
            "median_ms": round(statistics.median(values) * 1000, 1),
            "max_ms": round(max(values) * 1000, 1),
        }
        for name, values in timings.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    args = parser.parse_args()
    os.environ.setdefault("HEARLINE_ALLOWED_HOSTS", "testserver")
    vendor = setup_django()
    from django.db import connection

    from hearline.analytics.models import Rollup, TermDay
    from hearline.cases.actions import do_register_case
    from hearline.improvement.models import RootCause
    from hearline.testing.org import submission

    manager, agent, departments, categories = build_reference()
    seed = do_register_case(submission(), acting_user=agent).case
    causes = list(RootCause.objects.values_list("pk", flat=True))
    t0 = time.perf_counter()
    populate(args.cases, seed.pk, departments, categories, causes, vendor)
    load_s = time.perf_counter() - t0
    with connection.cursor() as c:
        c.execute("SELECT COUNT(*) FROM cases_case")
        cases = c.fetchone()[0]
    rng = random.Random(7)
    months = sorted({date(2024 + rng.randrange(2), 1 + rng.randrange(12), 1) for _ in range(20)})[
        :5
    ]
    from hearline.api.actions import do_create_api_token

    token = do_create_api_token(name="bench", role="manager", department_code="city")[1]
    measure(manager, token, months[:1])  # warm the caches and imports once
    result = {
        **result_header("analytics_scale", vendor),
        "cases": cases,
        "rollup_rows": Rollup.objects.count(),
        "term_rows": TermDay.objects.count(),
        "load_seconds": round(load_s, 1),
        "months": [m.strftime("%Y-%m") for m in months],
        "timings": measure(manager, token, months),
    }
    out = ROOT / "bench" / "results" / f"analytics_scale-{vendor}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
