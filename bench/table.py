"""The headline figures of every benchmark in one table, read from bench/results/*.json.

    python bench/table.py

`make bench` prints it after its runs (and `make bench-peer` prints its own). Each cell is
the figure of the last run recorded for that database, with the date it was measured;
"—" where that benchmark has not been run on that database. bench/README.md explains each
figure, the command that made it and how it compares across runs.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
DATABASES = ("sqlite", "postgresql")


def _load(name: str, database: str) -> dict | None:
    """The result file `name` ("staff_pages-{db}-1000000") for the database, if recorded."""
    path = RESULTS / f"{name.format(db=database)}.json"
    return json.loads(path.read_text()) if path.exists() else None


def _by_clients(runs: list[dict]) -> str:
    return " / ".join(f"{r['cases_per_s']:g}" for r in runs)


def _slowest(pages: list[dict]) -> str:
    page = max(pages, key=lambda p: p["median_ms"])
    return f"{page['median_ms']:g} ms ({page['url']})"


def _median_run(runs: list[dict]) -> dict:
    return sorted(runs, key=lambda r: r["per_s"])[len(runs) // 2]


def _peer_ratio(kind: str) -> Callable[[dict], str]:
    def cell(d: dict) -> str:
        ours, theirs = (_median_run(d[kind][p])["per_s"] for p in ("Hearline", "django-helpdesk"))
        return f"{ours / theirs:.2f}× ({ours:g} vs {theirs:g}/s)"

    return cell


def _peer_pages(ours: str, theirs: tuple[str, ...]) -> Callable[[dict], str]:
    def cell(d: dict) -> str:
        mine = d["pages"][ours]["median_ms"]
        peer = sum(d["pages"][name]["median_ms"] for name in theirs)
        return f"{peer / mine:.0f}× faster ({mine:g} vs {peer:,.0f} ms)"

    return cell


def _load_run(d: dict) -> str:
    return (
        f"{d['duration_s']:.0f} s: {d['cases_per_s']:g} of {d['target_cases_per_s']:g}/s held, "
        f"{d['lifecycle_actions']:,} lifecycle actions, {d['errors']} errors, "
        f"{d['acknowledged_missing']} missing, p99 {d['all_p99_ms'] / 1000:,.1f} s"
    )


# (what, result file with {db} for the database, cell from its result, target)
ROWS: list[tuple[str, str, Callable[[dict], str], str]] = [
    (
        "registration in one process, cases/s (p50)",
        "intake_service-{db}",
        lambda d: f"{d['median_run']['cases_per_s']:g} ({d['median_run']['p50_ms']:g} ms)",
        "",
    ),
    (
        "raw driver, durable one-row transactions/s",
        "intake_service-{db}",
        lambda d: f"{d['raw_driver_insert']['rows_per_s']:,.0f}",
        "",
    ),
    (
        "API over HTTP, cases/s, 1 / 4 / 16 clients",
        "api_intake-{db}",
        lambda d: _by_clients(d["runs"]),
        "≥ 700",
    ),
    (
        "portal form over HTTP, cases/s, 1 / 4 / 16 clients",
        "api_intake-{db}",
        lambda d: _by_clients(d["portal_runs"]),
        "≥ 700",
    ),
    (
        "API with Prefer: respond-async, received/s, 1 / 4 / 16 clients",
        "api_intake-{db}",
        lambda d: _by_clients(d.get("respond_async_runs", [])) or "—",
        "",
    ),
    (
        "API in one process, p50 ms: register / dispatch / accept / resolve / reply",
        "lifecycle_api-{db}",
        lambda d: " / ".join(
            f"{d['ms'][step]['p50']:g}"
            for step in ("register", "dispatch", "accept", "resolve", "reply")
        ),
        "",
    ),
    (
        "API time over the bare writes (4 clients)",
        "domain_overhead-{db}",
        lambda d: (
            f"+{d['api_time_over_bare'] * 100:.0f} % ({d['api_cases_per_s']:g} vs "
            f"{d['bare_cases_per_s']:g}/s)"
        ),
        "< +33 %",
    ),
    (
        "supervision sweep query, 1,000,000 open cases",
        "sla_sweep_query-{db}",
        lambda d: f"{d['steady']['median_ms']:g} ms",
        "",
    ),
    (
        "slowest staff page at 100,000 cases (median)",
        "staff_pages-{db}",
        lambda d: _slowest(d["pages"]),
        "< 100 ms",
    ),
    (
        "slowest staff page at 1,000,000 cases (median)",
        "staff_pages-{db}-1000000",
        lambda d: _slowest(d["pages"]),
        "< 100 ms",
    ),
    (
        "scorecard page (median)",
        "analytics_scale-{db}",
        lambda d: f"{d['timings']['scorecard_page']['median_ms']:g} ms at {d['cases']:,} cases",
        "",
    ),
    (
        "triage suggestions at 1,000,000 open cases, p50 / p99",
        "triage-{db}",
        lambda d: f"{d['assist_p50_ms']:g} / {d['assist_p99_ms']:g} ms",
        "",
    ),
    (
        "triage classification, texts/s",
        "triage-{db}",
        lambda d: f"{d['classification_texts_per_s']:,}",
        "",
    ),
    (
        "knowledge search at 10,000 articles, p50 / p99",
        "knowledge_search-{db}",
        lambda d: f"{d['search_staff']['p50_ms']:g} / {d['search_staff']['p99_ms']:g} ms",
        "",
    ),
    ("django-helpdesk: public form, Hearline ÷ peer", "peer-{db}", _peer_ratio("forms"), "≥ 10×"),
    (
        "django-helpdesk: Python API, Hearline ÷ peer",
        "peer-{db}",
        _peer_ratio("python_api"),
        "≥ 10×",
    ),
    (
        "django-helpdesk: staff list at 100,000",
        "peer-{db}",
        _peer_pages("Hearline list", ("helpdesk list page", "helpdesk list data")),
        "≥ 10×",
    ),
    (
        "django-helpdesk: report at 100,000",
        "peer-{db}",
        _peer_pages("Hearline scorecard", ("helpdesk report",)),
        "≥ 10×",
    ),
    ("storm load (bench/load.py)", "load-{db}", _load_run, "200/s for 600 s, p99 < 500 ms"),
]


def _cell(name: str, render: Callable[[dict], str], database: str) -> str:
    result = _load(name, database)
    return "—" if result is None else f"{render(result)} · {result.get('date', '?')}"


def main() -> None:
    machines = {
        r["machine"]
        for name in {row[1] for row in ROWS}
        for database in DATABASES
        if (r := _load(name, database)) and "machine" in r
    }
    print(f"Hearline benchmarks ({'; '.join(sorted(machines))}); bench/README.md explains each.")
    print()
    print("| what | SQLite | PostgreSQL | target |")
    print("| --- | --- | --- | --- |")
    for what, name, render, target in ROWS:
        cells = [_cell(name, render, database) for database in DATABASES]
        print(f"| {what} | {cells[0]} | {cells[1]} | {target} |")


if __name__ == "__main__":
    main()
