"""kill -9 the gunicorn workers at random moments while clients register cases.

Each client retries with the same Idempotency-Key until it is answered, as the API asks of
integrators. Afterwards every complaint is registered exactly once: each acknowledged
tracking number is in the database, no retry made a second case, and every case is whole
(its deadlines, its first timeline event, its acknowledgement to the complainant)."""

import http.client
import os
import random
import signal
import threading
import time
import uuid

import pytest

from .scale import SCALE

pytestmark = pytest.mark.sqlite_only

CLIENTS = 4
PER_CLIENT = 40 * SCALE
KILLS = 6 * SCALE


def _register(served, key: str, errors: list) -> str:
    for _attempt in range(60):
        try:
            status, body, _headers = served.post_case(key)
        except (OSError, http.client.HTTPException) as exc:
            errors.append(type(exc).__name__)
        else:
            if status in (200, 201):
                return body["tracking_number"]
            errors.append(status)
        time.sleep(0.2)
    raise AssertionError(f"{key} was never answered")


def test_every_acknowledged_case_survives_killed_workers_once_and_whole(served):
    acknowledged: dict[str, str] = {}
    errors: list = []
    lock = threading.Lock()
    done = threading.Event()

    def client():
        for _ in range(PER_CLIENT):
            key = str(uuid.uuid4())
            number = _register(served, key, errors)
            with lock:
                acknowledged[key] = number

    def killer():
        rng = random.Random(10)
        for _ in range(KILLS):
            time.sleep(rng.uniform(0.3, 0.9))
            workers = served.workers()
            if workers:
                os.kill(rng.choice(workers), signal.SIGKILL)
        done.set()

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    threads.append(threading.Thread(target=killer))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300 * SCALE)
    assert done.is_set() and len(acknowledged) == CLIENTS * PER_CLIENT
    print(f"{len(errors)} requests broken by the kills: {sorted(set(map(str, errors)))}")
    assert errors, "the kills hit requests in flight (busy workers)"
    for _ in range(50):  # the master has replaced every killed worker
        if len(served.workers()) == 2:
            break
        time.sleep(0.1)
    assert len(served.workers()) == 2

    numbers = set(acknowledged.values())
    assert len(numbers) == CLIENTS * PER_CLIENT, "a retry made a second case"
    with served.db() as db:
        stored = {row[0] for row in db.execute("SELECT tracking_number FROM cases_case")}
        half_written = db.execute(
            "SELECT count(*) FROM cases_case c WHERE NOT EXISTS "
            "(SELECT 1 FROM sla_caseclock k WHERE k.case_id = c.id) OR NOT EXISTS "
            "(SELECT 1 FROM cases_caseevent e WHERE e.case_id = c.id AND e.seq = 1 "
            " AND e.action = 'register') OR NOT EXISTS "
            "(SELECT 1 FROM notify_outboundmessage m WHERE m.case_id = c.id)"
        ).fetchone()[0]
    assert stored == numbers, "every acknowledged case is stored, and nothing else"
    assert half_written == 0
