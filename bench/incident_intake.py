"""Intake with incident matching on and off, while 100,000 cases are open.

    python bench/incident_intake.py [--open-cases 100000] [--cases 1500]     # SQLite
    python scripts/with_pgserver.py python bench/incident_intake.py          # PostgreSQL

The open cases are inserted in bulk: spread over eight districts and the last 30 days, one in
ten about a water outage (with its topic row, as registration writes it), some of those
within the last two hours. One incident is running in 海曙区 with a bulletin. Then
registrations through the service layer (`do_register_case`, one process) alternate in rounds
of 100 between matching on and off (HEARLINE_INCIDENT_MATCHING), so both see the same
database and machine state: half are outage complaints from 海曙区 (linked to the running
incident, the agent gets its bulletin), a quarter outage complaints elsewhere (counted for a
burst: some propose incidents, later ones join them), a quarter about other things.
Results to bench/results/.
"""

import argparse
import json
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, percentile, result_header, setup_django  # noqa: E402

PLACES = ["海曙区", "江北区", "鄞州区", "镇海区", "北仑区", "奉化区", "余姚市", "慈溪市"]
OTHER = ["楼下噪音扰民", "公交站台破损", "水费账单有误", "地铁太挤", "路灯不亮"]
# Outage words that the urgent lexicon does not flag (停水, 没水 … would be urgent, and urgent
# cases linked to an incident skip the per-case urgent notice: that would flatter "on").
OUTAGE = ["水龙头不出水", "到现在还没来水", "小区供水中断", "家里没有水了"]


def populate(n: int, rng: random.Random):
    """Bulk-insert `n` open cases (and topic rows for the outage ones); returns the org."""
    from django.db import connection, transaction
    from django.utils import timezone

    from hearline.cases.actions import do_register_case
    from hearline.incidents.models import IncidentKind
    from hearline.testing.org import build_org, submission

    org = build_org()
    kind = IncidentKind.objects.get(code="water-supply")
    kind.department = org.departments["water"]
    kind.save()
    seed = do_register_case(
        submission(description="小区路灯不亮", district="鄞州区"), acting_user=org.agent
    ).case
    with connection.cursor() as c:
        c.execute("SELECT max(id) FROM cases_case")
        first = c.fetchone()[0] + 1
    columns = (
        "id, tracking_number, public_token, channel, complainant_id, title, description, "
        "address, district, request, search_text, urgency, public_safety, opinion_risk, "
        "owner_id, department_id, state, version, finding, responsibility, resolution_type, "
        "resolution, reply, reply_channel, closed_on_spot, confirmation, satisfaction, "
        "followup_result, reopen_count, pending_request, pending_reason, attributes, media_url, "
        "upstream_reference, registered_at, updated_at"
    )
    placeholders = ", ".join(["%s"] * 36)
    now = timezone.now()
    for start in range(0, n, 5000):
        cases, topics = [], []
        for i in range(start, min(n, start + 5000)):
            pk = first + i
            outage = i % 10 == 0
            text = rng.choice(OUTAGE if outage else OTHER)
            district = rng.choice(PLACES)
            recent = outage and i % 100 == 0
            at = now - (
                timedelta(minutes=rng.uniform(0, 119))
                if recent
                else timedelta(days=rng.uniform(0, 30))
            )
            cases.append(
                (pk, f"B{pk}", "t", "hotline", seed.complainant_id, text, text, "", district, "",
                 text, "normal", False, False, seed.owner_id, seed.department_id, "registered",
                 1, "", "", "", "", "", "", False, "", "", "", 0, "", "", "{}", "", "", at, at)
            )  # fmt: skip
            if outage:
                topics.append((pk, kind.pk, district, None, None, at))
        with transaction.atomic(), connection.cursor() as c:
            c.executemany(f"INSERT INTO cases_case ({columns}) VALUES ({placeholders})", cases)
            c.executemany(
                "INSERT INTO incidents_casetopic (case_id, kind_id, district, latitude, "
                "longitude, registered_at) VALUES (%s, %s, %s, %s, %s, %s)",
                topics,
            )
    if connection.vendor == "postgresql":
        from django.core.management.color import no_style

        from hearline.cases.models import Case

        with connection.cursor() as c:
            for statement in connection.ops.sequence_reset_sql(no_style(), [Case]):
                c.execute(statement)  # the ids were given explicitly above
            c.execute("ANALYZE")
    return org


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--open-cases", type=int, default=100_000)
    parser.add_argument("--cases", type=int, default=1500, help="registrations per setting")
    args = parser.parse_args()
    vendor = setup_django()
    from django.conf import settings

    from hearline.cases.actions import do_register_case
    from hearline.cases.models import Case
    from hearline.cases.submission import ComplainantData
    from hearline.incidents import actions
    from hearline.incidents.models import Incident, IncidentCase
    from hearline.testing.org import submission

    rng = random.Random(11)
    started = time.perf_counter()
    org = populate(args.open_cases, rng)
    print(f"{args.open_cases} open cases in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    incident = actions.do_open_incident(
        kind="water-supply",
        title="海曙区爆管停水",
        districts=["海曙区"],
        acting_user=org.coordinator,
    )
    actions.do_publish_bulletin(
        incident.pk, text="抢修中，预计今晚恢复。", acting_user=org.coordinator
    )

    counter = iter(range(10**9))

    def register():
        i = next(counter)
        roll = i % 4
        if roll < 2:
            district, text = "海曙区", rng.choice(OUTAGE)
        elif roll == 2:
            district, text = rng.choice(PLACES[1:]), rng.choice(OUTAGE)
        else:
            district, text = rng.choice(PLACES), rng.choice(OTHER)
        person = ComplainantData(name=f"市民{i}", phone=f"137{i:08d}")
        do_register_case(
            submission(description=f"{text}（{i}）", district=district, complainant=person),
            acting_user=org.agent,
        )

    latencies = {True: [], False: []}
    seconds = {True: 0.0, False: 0.0}
    for _ in range(20):  # warm-up, both paths
        for on in (True, False):
            settings.HEARLINE_INCIDENT_MATCHING = on
            register()
    rounds = max(1, args.cases // 100)
    for r in range(rounds):
        for on in (True, False) if r % 2 == 0 else (False, True):
            settings.HEARLINE_INCIDENT_MATCHING = on
            t_round = time.perf_counter()
            for _ in range(100):
                t0 = time.perf_counter()
                register()
                latencies[on].append(time.perf_counter() - t0)
            seconds[on] += time.perf_counter() - t_round

    def summary(on):
        values = latencies[on]
        return {
            "cases": len(values),
            "cases_per_s": round(len(values) / seconds[on], 1),
            "p50_ms": round(statistics.median(values) * 1000, 2),
            "p99_ms": round(percentile(values, 0.99) * 1000, 2),
        }

    on, off = summary(True), summary(False)
    result = {
        **result_header("incident_intake", vendor),
        "open_cases": Case.objects.exclude(state__in=("merged", "archived")).count(),
        "matching_on": on,
        "matching_off": off,
        "throughput_ratio_on_vs_off": round(on["cases_per_s"] / off["cases_per_s"], 3),
        "linked_to_the_running_incident": IncidentCase.objects.filter(incident=incident).count(),
        "incidents_proposed": Incident.objects.filter(detected_by="burst").count(),
    }
    (ROOT / "bench" / "results" / f"incident_intake-{vendor}.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=2) + "\n"
    )
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
