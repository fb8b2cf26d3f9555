"""Triage speed: suggestion latency at intake with many open cases, and batch throughput.

    python bench/triage.py [--open-cases 1000000]                  # SQLite (temp file)
    DATABASE_URL=sqlite:///…/bench.sqlite3 python bench/triage.py --reuse  # measure again
    python scripts/with_pgserver.py python bench/triage.py

Needs ../shared/data/gov_messages_with_replies.csv (real citizen messages): the models are
trained on them, labelled into seven topics by keywords in their subjects (a stand-in for
an organisation's history), and the open cases are those texts with a random place and
detail appended, each with its duplicate-index bands, inserted in bulk.

Timed: `assist()` — what the intake panel calls: category and department models, lexicon,
routing rules, near-duplicates among the open cases, the caller's repeats — median and p99
of 300 calls with texts not in the database; and `predict_top` on 10,000 texts in batch.
"""

import argparse
import csv
import json
import os
import platform
import random
import re
import statistics
import sys
import time
from multiprocessing import Pool
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, percentile, setup_django  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "gov_messages_with_replies.csv"
TOPICS = {
    "labour": "工资|社保|养老保险|医保|退休|劳动|失业|拖欠",
    "education": "学校|教师|老师|学生|幼儿园|招生|补课|教育|入学",
    "health": "医院|医生|患者|计划生育|疫苗|诊所|独生子女|生育",
    "transport": "公交|出租车|驾驶|高速|交通|地铁|客运|线路",
    "commerce": "消费者|价格|旅游|超市|传销|景区|营业厅|快递",
    "environment": "污染|排放|噪音|扰民|环保|废水|粉尘|油烟|臭",
    "urban": "物业|小区|拆迁|房屋|施工|规划|开发商|业主|楼盘|房产证",
}
PLACES = ["海曙区", "江北区", "鄞州区", "镇海区", "北仑区", "奉化区", "余姚市", "慈溪市"]
CALLER = "13900001111"  # a caller with no history (the generated cases share one complainant)
DETAILS = ["情况已持续一周", "多次反映无果", "影响周边居民", "请尽快处理", "希望相关部门重视"]


def texts_and_topics():
    rows = list(csv.DictReader(open(DATA, encoding="utf-8")))
    texts = [f"{r['留言主题']}\n{r['留言详情']}"[:300] for r in rows]
    labelled = []
    for r, text in zip(rows, texts, strict=True):
        for topic, pattern in TOPICS.items():
            if re.search(pattern, r["留言主题"]):
                labelled.append((text, topic))
                break
    return texts, labelled


def _bands(text):
    from hearline.triage.duplicates import band_keys, shingles

    return band_keys(shingles(text))


def _init():
    import django

    django.setup()


def populate(n, texts, rng):
    from django.db import connection, transaction

    from hearline.cases.actions import do_register_case
    from hearline.testing.org import build_org, submission

    org = build_org()
    seed = do_register_case(submission(), acting_user=org.agent).case
    variants = [
        f"{rng.choice(texts)[:200]}{rng.choice(DETAILS)}（{rng.choice(PLACES)}{rng.randrange(1, 300)}号）"
        for _ in range(n)
    ]
    started = time.perf_counter()
    with Pool(os.cpu_count(), initializer=_init) as pool:
        bands = pool.map(_bands, variants, chunksize=2000)
    print(f"bands computed in {time.perf_counter() - started:.0f} s", file=sys.stderr)
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
    now = seed.registered_at
    batch = 5000
    for start in range(0, n, batch):
        case_rows, band_rows = [], []
        for i in range(start, min(n, start + batch)):
            pk = first + i
            text = variants[i]
            case_rows.append(
                (pk, f"B{pk}", "t", "hotline", seed.complainant_id, text[:40], text, "",
                 rng.choice(PLACES), "", text, "normal", False, False, seed.owner_id,
                 seed.department_id, "dispatched", 1, "", "", "", "", "", "", False, "", "",
                 "", 0, "", "", "{}", "", "", now, now)
            )  # fmt: skip
            band_rows.extend((pk, key) for key in bands[i])
        with transaction.atomic(), connection.cursor() as c:
            c.executemany(f"INSERT INTO cases_case ({columns}) VALUES ({placeholders})", case_rows)
            c.executemany("INSERT INTO triage_caseband (case_id, key) VALUES (%s, %s)", band_rows)
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("ANALYZE")
    return org


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--open-cases", type=int, default=1_000_000)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="DATABASE_URL already holds the open cases of an earlier run: only measure",
    )
    args = parser.parse_args()
    if not DATA.exists():
        sys.exit(f"needs {DATA}")
    vendor = setup_django()
    from hearline.triage.assist import assist
    from hearline.triage.classifier import predict_top
    from hearline.triage.service import active_pipeline, clear_caches
    from hearline.triage.training import do_train

    rng = random.Random(7)
    texts, labelled = texts_and_topics()
    rng.shuffle(texts)
    held_out, stock = texts[:300], texts[300:]
    if not args.reuse:
        started = time.perf_counter()
        populate(args.open_cases, stock, rng)
        print(f"{args.open_cases} cases in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    from hearline.triage.models import CaseBand

    open_cases = CaseBand.objects.values("case_id").distinct().count()

    from hearline.cases.models import Category

    for topic in TOPICS:
        Category.objects.get_or_create(code=topic, defaults={"name": topic})
    do_train([t for t, _ in labelled], [c for _, c in labelled], target="category", source="bench")
    departments = ["repair", "customer", "metro"]
    do_train(
        [t for t, _ in labelled],
        [departments[hash(c) % 3] for _, c in labelled],
        target="department",
        source="bench",
    )
    do_train(
        [t for t, _ in labelled],
        ["urgent" if re.search("停水|爆管|燃气|触电|火", t) else "normal" for t, _ in labelled],
        target="urgency",
        source="bench",
    )
    clear_caches()
    for text in held_out[:20]:  # warm: models loaded, memos filled
        assist(text, district="海曙区", phone=CALLER)
    if os.environ.get("PROFILE"):
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.enable()
        for text in held_out[:100]:
            assist(text, district=rng.choice(PLACES), phone=CALLER)
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
    latencies, found = [], 0
    for text in held_out:
        t0 = time.perf_counter()
        result = assist(text, district=rng.choice(PLACES), phone=CALLER)
        latencies.append((time.perf_counter() - t0) * 1000)
        found += bool(result["duplicates"])
    _pk, pipeline = active_pipeline("category")
    batch = (held_out * 40)[:10_000]
    t0 = time.perf_counter()
    predict_top(pipeline, batch)
    per_second = len(batch) / (time.perf_counter() - t0)
    result = {
        "benchmark": "triage",
        "database": vendor,
        "open_cases": open_cases,
        "assist_p50_ms": round(statistics.median(latencies), 2),
        "assist_p99_ms": round(percentile(latencies, 0.99), 2),
        "queries_with_duplicates": found,
        "classification_texts_per_s": round(per_second),
        "training_rows": len(labelled),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d"),
    }
    print(json.dumps(result, ensure_ascii=False))
    out = ROOT / "bench" / "results" / f"triage-{vendor}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
