"""The database goes away under a running server (its file moved aside, as when a disk is
unmounted), then comes back.

Meanwhile API clients get a clean 503 problem+json with Retry-After and the portal a page in
Chinese saying the complaint was not received, never a 500 or a hang; nothing is half-saved;
afterwards the same Idempotency-Key registers the case, and the cases acknowledged before
are all there."""

import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.sqlite_only


def _move(database: Path, suffix: str, back: bool = False) -> None:
    for ending in ("", "-wal", "-shm"):
        here, there = Path(f"{database}{ending}"), Path(f"{database}{ending}{suffix}")
        source, target = (there, here) if back else (here, there)
        if back:
            here.unlink(missing_ok=True)  # what SQLite created while the file was away
        if source.exists():
            source.rename(target)


def test_clients_get_503_while_the_database_is_away_and_retries_succeed(served):
    before = [served.post_case(str(uuid.uuid4()))[1]["tracking_number"] for _ in range(5)]
    # Kept connections notice the file has left its path and are replaced (none writes on
    # into the moved file).
    _move(served.database, ".away")
    try:
        key = str(uuid.uuid4())
        status, body, headers = served.post_case(key)
        assert (status, body["code"]) == (503, "database_unavailable")
        assert headers["Content-Type"] == "application/problem+json"
        assert headers["Retry-After"] == "5"
        status, page, headers = served.get("/submit/")
        assert status == 503 and "您的投诉没有提交成功" in page
    finally:
        _move(served.database, ".away", back=True)
    status, body, _headers = served.post_case(key)
    assert status == 201
    with served.db() as db:
        stored = {row[0] for row in db.execute("SELECT tracking_number FROM cases_case")}
    assert stored == {*before, body["tracking_number"]}
    assert served.post_case(key)[1]["tracking_number"] == body["tracking_number"]
