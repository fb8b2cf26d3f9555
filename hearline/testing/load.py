"""Load generation against a served Hearline (hearline.testing.served): new cases at a
steady rate mixed with reads, for the bounded load test and `bench/load.py`."""

from __future__ import annotations

import statistics
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .served import Served


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of `values` lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def run_load(served: Served, rate: float, duration: float, threads: int = 32) -> dict:
    """Start `rate` registrations per second (each followed by a read) for `duration`
    seconds, from a pool of `threads` clients, and stop: registrations still waiting for a
    free client when the time is up are not sent (counted as `not_sent`). A registration's
    latency runs from the moment it was due, so time spent waiting for a client while the
    server lags counts against it (no coordinated omission)."""
    samples: list[tuple[str, int, float]] = []
    acknowledged: list[str] = []
    lock = threading.Lock()
    started = time.perf_counter()

    def one(n: int) -> None:
        t0 = started + n / rate  # when it was due
        try:
            status, body, _ = served.post_case(str(uuid.uuid4()), timeout=30)
        except OSError as exc:
            status, body = 0, {"error": type(exc).__name__}
        took = time.perf_counter() - t0
        reads = []
        if status == 201:
            number = body["tracking_number"]
            reads.append(("read", f"/api/v1/cases/{number}"))
            if n % 10 == 0:
                reads.append(("list", "/api/v1/cases?page=1"))
        with lock:
            samples.append(("create", status, took))
            if status == 201:
                acknowledged.append(body["tracking_number"])
        for kind, path in reads:
            t0 = time.perf_counter()
            try:
                code = served.get(path, token=True)[0]
            except OSError:
                code = 0
            with lock:
                samples.append((kind, code, time.perf_counter() - t0))

    memory = []
    workers = served.workers()
    pool = ThreadPoolExecutor(max_workers=threads)
    n = 0
    while (elapsed := time.perf_counter() - started) < duration:
        due = int(elapsed * rate)
        while n < due:
            pool.submit(one, n)
            n += 1
        if not memory or elapsed - memory[-1][0] >= 10:
            memory.append(
                (elapsed, sum(_rss_kib(pid) for pid in workers if Path(f"/proc/{pid}").exists()))
            )
        time.sleep(0.002)
    pool.shutdown(wait=True, cancel_futures=True)
    elapsed = time.perf_counter() - started
    creates = [s for s in samples if s[0] == "create"]
    errors = [s for s in samples if not 200 <= s[1] < 300]
    latencies = [s[2] for s in samples]
    return {
        "target_cases_per_s": rate,
        "duration_s": round(elapsed, 1),
        "cases_per_s": round(sum(1 for s in creates if s[1] == 201) / elapsed, 1),
        "requests": len(samples),
        "not_sent": n - len(creates),
        "errors": len(errors),
        "error_statuses": sorted({s[1] for s in errors}),
        "create_p50_ms": round(statistics.median(s[2] for s in creates) * 1000, 1),
        "create_p99_ms": round(percentile([s[2] for s in creates], 0.99) * 1000, 1),
        "all_p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
        "worker_rss_mib": [round(kib / 1024, 1) for _t, kib in memory],
        "acknowledged": acknowledged,
    }
