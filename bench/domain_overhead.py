"""What Hearline's domain work costs on top of the database writes it makes.

    python bench/domain_overhead.py [--requests 1000] [--clients 4] [--rounds 3]     # SQLite
    python scripts/with_pgserver.py python bench/domain_overhead.py                  # PostgreSQL

One gunicorn (2 workers) serves both POST /api/v1/cases and /bare/cases (bench/bare_urls.py:
a bare Django view that writes the same rows — complainant, case, clock, topic, incident
link, event, triage, bands, facts, acknowledgement, notification, the three rollup counters
— copied from the latest warm-up case, with the delivery queued after commit). Rounds alternate between the two; the result
is cases/s of each and the domain share: how much longer a registration takes through the
API than the bare writes (1 − bare rate ÷ API rate would be the saving if it were free)."""

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, result_header  # noqa: E402
from api_intake import fire, start_server  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    runs = {"api": [], "bare": []}
    with tempfile.TemporaryDirectory(prefix="hearline-bench-") as tmp:
        server, port, token, vendor = start_server(Path(tmp), 2, settings="bare_settings")
        try:
            fire(port, token, 50, 2)  # the template case and warm-up
            fire(port, token, 50, 2, path="/bare/cases")
            for _ in range(args.rounds):
                runs["api"].append(fire(port, token, args.requests, args.clients))
                runs["bare"].append(
                    fire(port, token, args.requests, args.clients, path="/bare/cases")
                )
        finally:
            server.terminate()
            server.wait(timeout=10)
    api = statistics.median(r["cases_per_s"] for r in runs["api"])
    bare = statistics.median(r["cases_per_s"] for r in runs["bare"])
    result = {
        **result_header("domain_overhead", vendor),
        "clients": args.clients,
        "api_cases_per_s": api,
        "bare_cases_per_s": bare,
        "domain_share_of_time": round(1 - api / bare, 3),
        "api_time_over_bare": round(bare / api - 1, 3),
        "runs": runs,
    }
    (ROOT / "bench" / "results" / f"domain_overhead-{vendor}.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=2) + "\n"
    )
    print(json.dumps({k: v for k, v in result.items() if k != "runs"}, ensure_ascii=False))


if __name__ == "__main__":
    main()
