"""kill -9 the task consumer of a Hearline started the way `make run` starts it
(scripts/serve.sh): whatever starts the consumer starts it again, so a complaint answered
202 afterwards is still registered, and a task lock the killed consumer held (here the
deadline sweep's) is released instead of stopping that periodic task for good."""

import os
import signal
import time
import uuid

import pytest

from hearline.testing.served import serve_as_make_run

pytestmark = pytest.mark.sqlite_only


def _wait_for(condition, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.5)
    return False


def _consumers(served) -> list[int]:
    """The running consumer processes (not the supervisor that starts them)."""
    supervisors = served.processes("supervise.py")
    return [pid for pid in served.processes("run_huey") if pid not in supervisors]


def _registered(served, number: str) -> bool:
    with served.db() as db:
        row = db.execute(
            "SELECT count(*) FROM cases_case WHERE tracking_number = ?", (number,)
        ).fetchone()
    return row[0] == 1


def _huey(served, code: str) -> str:
    """Run Python code with the server's task queue as HUEY; what it prints."""
    return served.hearline("shell", "-v0", "-c", f"from huey.contrib.djhuey import HUEY; {code}")


def test_killed_consumer_is_restarted_and_registers_received_complaints(tmp_path):
    with serve_as_make_run(tmp_path) as served:
        assert _wait_for(lambda: len(_consumers(served)) == 1)
        status, body, _headers = served.post_case(str(uuid.uuid4()), respond_async=True)
        assert status == 202
        assert _wait_for(lambda: _registered(served, body["tracking_number"]))

        # The consumer dies in the middle of the deadline sweep, holding its lock.
        _huey(served, "HUEY.lock_task('sla-sweep').acquire()")
        (killed,) = _consumers(served)
        os.kill(killed, signal.SIGKILL)
        assert _wait_for(lambda: killed not in _consumers(served))

        status, body, _headers = served.post_case(str(uuid.uuid4()), respond_async=True)
        assert status == 202
        assert _wait_for(lambda: _registered(served, body["tracking_number"]))
        assert _wait_for(lambda: _huey(served, "print(HUEY.is_locked('sla-sweep'))") == "False\n")
        assert len(_consumers(served)) == 1
