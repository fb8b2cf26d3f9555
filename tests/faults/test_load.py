"""The bounded load test: registrations at a steady rate mixed with reads for a few
seconds against a real server. Every answer is a success and every acknowledged case is
stored. (The full run — 200 cases/s for 10 minutes on PostgreSQL with its latency and
memory figures — is `make soak`; figures live in bench/README.md, not in assertions.)"""

import pytest

from hearline.testing.load import run_load

pytestmark = pytest.mark.sqlite_only


def test_a_steady_load_is_answered_without_errors_and_loses_nothing(served):
    result = run_load(served, rate=20, duration=8)
    assert result["errors"] == 0, result["error_statuses"]
    assert len(result["acknowledged"]) >= 100
    with served.db() as db:
        stored = {row[0] for row in db.execute("SELECT tracking_number FROM cases_case")}
    assert stored == set(result["acknowledged"])
