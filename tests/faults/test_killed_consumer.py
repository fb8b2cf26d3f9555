"""kill -9 the Huey consumer at random moments while cases are registered and their
acknowledgements sent (the SMS gateway here is the outbox file, one JSON line per send).

After the consumer is restarted and the stalled messages are handed back (what the
five-minutely catch-up task does; its delay is 3 s here), every acknowledgement has been
sent and reached the gateway: each message's key is in the outbox, and no message went
twice except one the consumer was killed in the middle of sending — at most one per kill,
with the same key, so a gateway that drops repeated keys delivers each exactly once. And a
complaint answered 202 for registration in the background becomes exactly one case."""

import json
import random
import signal
import subprocess
import time
import uuid
from collections import Counter

import pytest

from hearline.testing.served import BIN, ROOT, serve

from .scale import SCALE

pytestmark = pytest.mark.sqlite_only

CASES = 60 * SCALE
KILLS = 4 * SCALE


def _consumer(served) -> subprocess.Popen:
    return subprocess.Popen(
        [str(BIN / "hearline"), "run_huey", "--workers", "2", "--quiet"],
        env=served.env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


class KilledConsumer:
    """The Huey consumer of `served`, killed (kill -9) and restarted KILLS times in a run of
    CASES requests, each time at a random moment after a request."""

    def __init__(self, served, seed: int):
        self.served, self.rng, self.kills = served, random.Random(seed), 0
        self.process = _consumer(served)

    def after_request(self, n: int) -> None:
        if n % (CASES // KILLS) == CASES // KILLS - 1:
            time.sleep(self.rng.uniform(0.0, 0.3))
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
            self.kills += 1
            self.process = _consumer(self.served)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=20)


def _settle(served, unfinished: str, catch_up: str, pause: float) -> int:
    """Count what is not finished yet (`unfinished`, SQL) until it is 0 or two minutes have
    passed, running the catch-up (`catch_up`, Python for `hearline shell`) between counts;
    the last count."""
    deadline = time.monotonic() + 120
    while True:
        with served.db() as db:
            left = db.execute(unfinished).fetchone()[0]
        if left == 0 or time.monotonic() > deadline:
            return left
        time.sleep(pause)
        served.hearline("shell", "-c", catch_up)


@pytest.fixture
def served_with_queue(tmp_path):
    with serve(tmp_path, HEARLINE_MESSAGE_STALE_CLAIM="3") as served:
        yield served


def test_every_acknowledgement_is_sent_after_consumer_kills(served_with_queue, tmp_path):
    served = served_with_queue
    consumer = KilledConsumer(served, seed=7)
    try:
        for n in range(CASES):
            assert served.post_case(str(uuid.uuid4()))[0] == 201
            consumer.after_request(n)
        unsent = _settle(
            served,
            "SELECT count(*) FROM notify_outboundmessage WHERE status != 'sent'",
            "from hearline.notify.actions import do_requeue_stalled as r; r()",
            pause=3.5,
        )
    finally:
        consumer.stop()
    assert consumer.kills == KILLS and unsent == 0
    with served.db() as db:
        keys = {row[0] for row in db.execute("SELECT dedupe_key FROM notify_outboundmessage")}
    sent = Counter(
        json.loads(line)["dedupe_key"]
        for line in (tmp_path / "outbox" / "sms.jsonl").read_text().splitlines()
    )
    assert len(keys) >= CASES and set(sent) == keys
    repeated = sum(count - 1 for count in sent.values())
    print(f"{repeated} repeated sends after {consumer.kills} kills")
    assert repeated <= consumer.kills


def test_every_received_complaint_becomes_one_case_after_consumer_kills(tmp_path):
    """Complaints answered 202 (Prefer: respond-async) while the consumer registering them is
    killed: after a restart and the catch-up (its wait is 2 s here), each received number is
    exactly one case with one registration."""
    with serve(tmp_path, HEARLINE_RECEIPT_STALE="2") as served:
        consumer = KilledConsumer(served, seed=11)
        numbers = []
        try:
            for n in range(CASES):
                status, body, _headers = served.post_case(str(uuid.uuid4()), respond_async=True)
                assert status == 202
                numbers.append(body["tracking_number"])
                consumer.after_request(n)
            waiting = _settle(
                served,
                "SELECT count(*) FROM cases_intakereceipt WHERE state != 'registered'",
                "from hearline.cases.actions import do_register_waiting_receipts as r; r()",
                pause=2.5,
            )
        finally:
            consumer.stop()
        assert consumer.kills == KILLS and waiting == 0
        with served.db() as db:
            cases = dict(db.execute("SELECT tracking_number, id FROM cases_case").fetchall())
            registrations = Counter(
                row[0]
                for row in db.execute(
                    "SELECT case_id FROM cases_caseevent WHERE action = 'register'"
                )
            )
    assert set(cases) == set(numbers) and len(numbers) == CASES
    assert all(registrations[cases[number]] == 1 for number in numbers)
