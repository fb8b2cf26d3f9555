"""The task queue of the documented production setup on a real Redis (Debian's
redis-server, hearline.testing.redisserver): with HUEY_REDIS_URL set, a served Hearline
queues a complaint answered 202 in Redis, and a consumer reading that queue registers it
and sends the acknowledgement — real tasks through RedisHuey, on the pass's database."""

import json
import os
import signal
import subprocess
import time
import uuid

import pytest

from hearline.testing.redisserver import RedisServer
from hearline.testing.served import BIN, ROOT, fresh_postgres_database, serve

COUNTS = """
from huey.contrib.djhuey import HUEY
from hearline.cases.models import Case
from hearline.notify.models import OutboundMessage
print(json.dumps({{
    "queue": type(HUEY).__name__,
    "pending": HUEY.pending_count(),
    "cases": Case.objects.filter(tracking_number="{number}").count(),
    "sent": OutboundMessage.objects.filter(case__tracking_number="{number}", status="sent").count(),
}}))
"""


@pytest.fixture
def database_url():
    """A fresh PostgreSQL database in the PostgreSQL pass; else "" (a SQLite file)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield ""
        return
    fresh, drop = fresh_postgres_database(url)
    try:
        yield fresh
    finally:
        drop()


def _counts(served, number: str) -> dict:
    code = "import json\n" + COUNTS.format(number=number)
    return json.loads(served.hearline("shell", "-v0", "-c", code))


def test_received_complaint_is_registered_through_redis(tmp_path, database_url):
    with RedisServer() as redis, serve(tmp_path, database_url, HUEY_REDIS_URL=redis.url) as served:
        status, body, _headers = served.post_case(str(uuid.uuid4()), respond_async=True)
        assert status == 202
        number = body["tracking_number"]
        waiting = _counts(served, number)
        assert waiting == {"queue": "RedisHuey", "pending": 1, "cases": 0, "sent": 0}

        consumer = subprocess.Popen(
            [str(BIN / "hearline"), "run_huey", "--workers", "2", "--quiet"],
            env=served.env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 60
            while (done := _counts(served, number))["sent"] == 0 and time.monotonic() < deadline:
                time.sleep(0.5)
        finally:
            consumer.send_signal(signal.SIGTERM)
            consumer.wait(timeout=20)
    assert done["cases"] == 1 and done["sent"] >= 1 and done["pending"] == 0
    assert not (tmp_path / "huey.sqlite3").exists()
