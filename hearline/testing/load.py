"""Load generation against a served Hearline (hearline.testing.served): new cases at a
steady rate mixed with reads and lifecycle actions, for the bounded load test and
`bench/load.py`."""

from __future__ import annotations

import statistics
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from functools import partial
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


# What the storm day's staff do with a case while complaints keep coming: the hotline's
# dispatcher sends it to the repair department, whose handler takes it up, resolves it and
# replies. (action, whose token, payload)
HANDLING: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("dispatch", "dispatcher", {"department": "repair"}),
    ("accept", "handler", {}),
    (
        "resolve",
        "handler",
        {"finding": "供水主管爆裂", "resolution_type": "repair", "resolution": "已抢修，恢复供水"},
    ),
    (
        "reply",
        "handler",
        {"reply": "您好，供水主管爆裂已抢修完毕，供水已恢复，给您带来不便敬请谅解。"},
    ),
)


def _staff_tokens(served: Served) -> dict[str, str]:
    """API tokens for the dispatcher (hotline call centre) and the handler (repair) who
    take the HANDLING steps."""
    suffix = uuid.uuid4().hex[:8]
    return {
        role: served.hearline(
            "apikey", "create", "--name", f"load-{role}-{suffix}", "--role", role,
            "--department", department,
        ).strip()
        for role, department in (("dispatcher", "callcentre"), ("handler", "repair"))
    }  # fmt: skip


def run_load(
    served: Served, rate: float, duration: float, threads: int = 32, handle_every: int = 10
) -> dict:
    """Start `rate` registrations per second for `duration` seconds, from a pool of
    `threads` clients, and stop: registrations still waiting for a free client when the
    time is up are not sent (counted as `not_sent`). Each acknowledged case is read back;
    every tenth is followed by a page of the case list, and every `handle_every`-th (0:
    none) is handled to its reply through the API (HANDLING, by the dispatcher's and the
    handler's tokens), the next step only after the previous one succeeded. A
    registration's latency runs from the moment it was due, so time spent waiting for a
    client while the server lags counts against it (no coordinated omission). `handled`
    lists the cases whose reply was accepted."""
    samples: list[tuple[str, int, float]] = []
    acknowledged: list[str] = []
    handled: list[str] = []
    tokens = _staff_tokens(served) if handle_every else {}
    lock = threading.Lock()
    started = time.perf_counter()

    def one(n: int) -> None:
        t0 = started + n / rate  # when it was due
        try:
            status, body, _ = served.post_case(str(uuid.uuid4()), timeout=30)
        except OSError as exc:
            status, body = 0, {"error": type(exc).__name__}
        took = time.perf_counter() - t0
        with lock:
            samples.append(("create", status, took))
        if status != 201:
            return
        number = body["tracking_number"]
        with lock:
            acknowledged.append(number)
        steps = [("read", lambda: served.get(f"/api/v1/cases/{number}", token=True)[0])]
        if n % 10 == 0:
            steps.append(("list", lambda: served.get("/api/v1/cases?page=1", token=True)[0]))
        handles = bool(handle_every) and n % handle_every == handle_every // 2
        if handles:
            steps += [
                (action, partial(served.act, number, action, tokens[role], payload))
                for action, role, payload in HANDLING
            ]
        for kind, step in steps:
            t0 = time.perf_counter()
            try:
                code = step()
            except OSError:
                code = 0
            with lock:
                samples.append((kind, code, time.perf_counter() - t0))
            if code != 200:
                return
        if handles:
            with lock:
                handled.append(number)

    memory: list[tuple[float, int]] = []
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
    lifecycle = {action for action, _role, _payload in HANDLING}
    errors = [s for s in samples if not 200 <= s[1] < 300]
    latencies = [s[2] for s in samples]
    return {
        "target_cases_per_s": rate,
        "duration_s": round(elapsed, 1),
        "cases_per_s": round(sum(1 for s in creates if s[1] == 201) / elapsed, 1),
        "requests": len(samples),
        "lifecycle_actions": sum(1 for s in samples if s[0] in lifecycle),
        "not_sent": n - len(creates),
        "errors": len(errors),
        "error_statuses": sorted({s[1] for s in errors}),
        "create_p50_ms": round(statistics.median(s[2] for s in creates) * 1000, 1),
        "create_p99_ms": round(percentile([s[2] for s in creates], 0.99) * 1000, 1),
        "all_p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
        "worker_rss_mib": [round(kib / 1024, 1) for _t, kib in memory],
        "acknowledged": acknowledged,
        "handled": handled,
    }
