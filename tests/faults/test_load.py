"""The bounded load test: registrations at a steady rate mixed with reads and lifecycle
actions for a few seconds against a real server. Every answer is a success, every
acknowledged case is stored, and every case handled under load has the whole handling in
its timeline. (The full run — 200 cases/s for 10 minutes on PostgreSQL with its latency
and memory figures — is `make soak`; figures live in bench/README.md, not in assertions.)"""

import pytest

from hearline.testing.load import HANDLING, run_load

from .scale import SCALE

pytestmark = pytest.mark.sqlite_only


def test_a_steady_load_is_answered_without_errors_and_loses_nothing(served):
    result = run_load(served, rate=20, duration=8 * SCALE, handle_every=10)
    assert result["errors"] == 0, result["error_statuses"]
    assert len(result["acknowledged"]) >= 100 * SCALE
    assert len(result["handled"]) >= 10 * SCALE
    assert result["lifecycle_actions"] == len(HANDLING) * len(result["handled"])
    expected = [action for action, _role, _payload in HANDLING]
    with served.db() as db:
        states = dict(db.execute("SELECT tracking_number, state FROM cases_case"))
        steps = db.execute(
            "SELECT c.tracking_number, e.action FROM cases_caseevent e"
            " JOIN cases_case c ON c.id = e.case_id WHERE e.action IN (?, ?, ?, ?)"
            " ORDER BY e.case_id, e.seq",
            expected,
        ).fetchall()
    assert set(states) == set(result["acknowledged"])
    handled = set(result["handled"])
    assert {states[n] for n in handled} == {"replied"}
    assert {states[n] for n in states.keys() - handled} == {"registered"}
    timelines = {}
    for number, action in steps:
        timelines.setdefault(number, []).append(action)
    assert timelines == {n: expected for n in handled}
