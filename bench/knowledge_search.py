"""Knowledge-base search at 10,000 articles: latency of `search()` and of the public API.

    python bench/knowledge_search.py [--articles 10000] [--queries 500]       # SQLite
    python scripts/with_pgserver.py python bench/knowledge_search.py          # PostgreSQL

Articles come from the real citizen messages with official replies in ../shared/data when
present (subject → title, reply → answer, message → text), else from generated Chinese
service texts. Queries are other citizens' subjects and openings of their messages, so most
match many articles and the ranking does real work. Each query is timed once, after 20
warm-up queries; the figures are p50 / p99 / max in milliseconds.
"""

import argparse
import csv
import json
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, percentile, result_header, setup_django  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "gov_messages_with_replies.csv"
TOPICS = [
    "水费",
    "停水",
    "水压",
    "水表",
    "报装",
    "营业执照",
    "社保",
    "公积金",
    "户口",
    "噪音",
    "路灯",
    "公交",
    "地铁",
    "燃气",
    "物业",
    "停车",
    "学校",
    "医保",
    "拆迁",
    "垃圾",
]
ACTS = ["办理", "缴纳", "查询", "投诉", "申请", "补办", "更换", "维修", "退费", "过户"]


def _texts(n: int, rng: random.Random, real: bool) -> tuple[list[tuple[str, str, str]], list[str]]:
    """(title, answer, text) of n articles, and the questions to ask."""
    rows = []
    if real:
        with DATA.open(encoding="utf-8-sig") as f:
            rows = [(r["留言主题"], r["答复意见"], r["留言详情"]) for r in csv.DictReader(f)]
    if not rows:
        for _ in range(3000):
            topic, act = rng.choice(TOPICS), rng.choice(ACTS)
            rows.append(
                (
                    f"{topic}{act}指南",
                    f"{topic}{act}可到政务服务中心或网上办理。",
                    f"关于{topic}{act}的规定、材料和时限。" * 5,
                )
            )
    rng.shuffle(rows)
    questions = [r[0] if i % 2 else r[2][:40] for i, r in enumerate(rows[:600])]
    articles = [rows[i % len(rows)] for i in range(n)]
    return articles, questions


def populate(articles) -> float:
    from django.db import connection, transaction
    from django.utils import timezone

    from hearline.knowledge.models import Article, ArticleStatus, Audience
    from hearline.knowledge.search import index_article
    from hearline.testing.org import build_org

    org = build_org()
    now = timezone.now()
    t0 = time.perf_counter()
    with transaction.atomic():
        made = Article.objects.bulk_create(
            Article(
                title=title[:200],
                summary=answer[:2000],
                body=text[:4000],
                owner=org.departments["customer"],
                audience=Audience.PUBLIC if i % 3 else Audience.STAFF,
                status=ArticleStatus.PUBLISHED,
                review_by=now.date() + timedelta(days=365),
                updated_at=now,
            )
            for i, (title, answer, text) in enumerate(articles)
        )
        for article in made:
            index_article(article)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return time.perf_counter() - t0


def timed(fn, questions) -> dict:
    for q in questions[:20]:
        fn(q)
    timings, hits = [], 0
    for q in questions:
        t0 = time.perf_counter()
        hits += bool(fn(q))
        timings.append((time.perf_counter() - t0) * 1000)
    return {
        "queries": len(questions),
        "with_results": hits,
        "p50_ms": round(statistics.median(timings), 2),
        "p99_ms": round(percentile(timings, 0.99), 2),
        "max_ms": round(max(timings), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--generated", action="store_true", help="ignore ../shared/data")
    args = parser.parse_args()
    real = DATA.exists() and not args.generated
    vendor = setup_django()
    from django.test import Client

    from hearline.knowledge.search import search

    rng = random.Random(20261123)
    articles, questions = _texts(args.articles, rng, real)
    questions = questions[: args.queries]
    load_s = populate(articles)
    client = Client()
    result = {
        **result_header("knowledge_search", vendor),
        "articles": args.articles,
        "source": "gov_messages_with_replies.csv" if real else "generated",
        "index_seconds": round(load_s, 1),
        "search_staff": timed(lambda q: search(q, public_only=False, limit=5), questions),
        "search_public": timed(lambda q: search(q, public_only=True, limit=5), questions),
        "api_public": timed(
            lambda q: client.get("/api/v1/articles", {"q": q, "limit": 5}).json(), questions
        ),
    }
    name = f"knowledge_search-{vendor}" + ("" if real else "-generated")
    out = ROOT / "bench" / "results" / f"{name}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
