"""Lifecycle actions through the API, one process: what each step of handling a case costs.

    python bench/lifecycle_api.py [--cases 300]                          # SQLite (temp file)
    python scripts/with_pgserver.py python bench/lifecycle_api.py        # PostgreSQL

Registers `cases` complaints through `POST /api/v1/cases` (the storm complaint of the load
run, each from another phone number), then handles each to its reply as the load run does
(`hearline.testing.load.HANDLING`: the hotline dispatcher's token dispatches it to repair,
the repair handler's token accepts, resolves and replies), through Django's test client so
that only Hearline's own work is timed, not HTTP. Reports each action's p50/p99 and the
registration's for comparison; writes bench/results/lifecycle_api-<database>.json.
"""

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, percentile, result_header, setup_django  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=300)
    args = parser.parse_args()
    vendor = setup_django()
    from django.test import Client

    from hearline.api.actions import do_create_api_token
    from hearline.testing.load import HANDLING
    from hearline.testing.org import build_org
    from hearline.testing.served import COMPLAINT

    build_org()
    tokens = {
        role: do_create_api_token(name=f"bench-{role}", role=role, department_code=department)[1]
        for role, department in (
            ("agent", "callcentre"),
            ("dispatcher", "callcentre"),
            ("handler", "repair"),
        )
    }
    client = Client()

    def post(path: str, body: dict, role: str) -> dict:
        answer = client.post(
            path,
            json.dumps(body, ensure_ascii=False),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {tokens[role]}",
        )
        if answer.status_code not in (200, 201):
            raise SystemExit(f"{path}: {answer.status_code} {answer.content[:300]!r}")
        return answer.json()

    def register() -> str:
        caller = COMPLAINT["complainant"] | {"phone": f"136{random.randrange(10**8):08d}"}
        return post("/api/v1/cases", COMPLAINT | {"complainant": caller}, "agent")[
            "tracking_number"
        ]

    def handle(number: str, timings: dict) -> None:
        for action, role, payload in HANDLING:
            t0 = time.perf_counter()
            post(f"/api/v1/cases/{number}/actions/{action}", {"payload": payload}, role)
            timings.setdefault(action, []).append(time.perf_counter() - t0)

    for number in [register() for _ in range(20)]:  # warm-up: models, memos, connections
        handle(number, {})
    timings: dict[str, list[float]] = {"register": []}
    numbers = []
    for _ in range(args.cases):
        t0 = time.perf_counter()
        numbers.append(register())
        timings["register"].append(time.perf_counter() - t0)
    for number in numbers:
        handle(number, timings)
    result = {
        **result_header("lifecycle_api", vendor),
        "cases": args.cases,
        "ms": {
            step: {
                "p50": round(percentile(values, 0.50) * 1000, 2),
                "p99": round(percentile(values, 0.99) * 1000, 2),
            }
            for step, values in timings.items()
        },
    }
    out = ROOT / "bench" / "results" / f"lifecycle_api-{vendor}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
