"""Two people acting on one case at the same moment: exactly one wins (real threads, real
PostgreSQL row locks)."""

import threading

import pytest
from django.db import connection, connections

from hearline.cases.actions import do_transition
from hearline.cases.models import Case
from hearline.cases.workflow import Conflict, IllegalTransition
from hearline.testing.org import build_org, case_in_state

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def _race(case_id, action, users, payloads):
    barrier = threading.Barrier(len(users))
    outcomes = [None] * len(users)

    def act(i):
        try:
            barrier.wait(timeout=10)
            do_transition(case_id, action, acting_user=users[i], payload=payloads[i])
            outcomes[i] = "won"
        except (IllegalTransition, Conflict) as exc:
            outcomes[i] = exc.code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=act, args=(i,)) for i in range(len(users))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


def _steps(case):
    """The case's steps, without the delivery reports of its messages (sent after commit)."""
    events = case.events.steps().order_by("seq")
    return [e.action for e in events]


def test_exactly_one_of_two_simultaneous_accepts_succeeds():
    assert connection.vendor == "postgresql"
    org = build_org()
    for _ in range(5):
        case = case_in_state(org, "dispatched")
        outcomes = _race(case.pk, "accept", [org.repair_handler, org.repair_handler2], [{}, {}])
        assert sorted(outcomes) == ["illegal_transition", "won"]
        case = Case.objects.get(pk=case.pk)
        assert case.state == "in_progress" and case.version == case.events.steps().count()
        assert _steps(case) == ["register", "dispatch", "accept"]


def test_simultaneous_dispatch_and_merge_leave_one_consistent_outcome():
    org = build_org()
    target = case_in_state(org, "registered")
    case = case_in_state(org, "registered")
    outcomes = _race(
        case.pk,
        "dispatch",
        [org.dispatcher, org.dispatcher],
        [{"department": "repair"}, {"department": "customer"}],
    )
    assert sorted(outcomes) == ["illegal_transition", "won"]
    case = Case.objects.get(pk=case.pk)
    assert _steps(case) == ["register", "dispatch"] and case.version == case.events.steps().count()
    dispatch = case.events.get(action="dispatch")
    assert dispatch.details["department"]["code"] == case.department.code
    assert target.state == "registered"


def _register_twice_at_once(receipt_id: int) -> list[bool]:
    """Two workers register the receipt at the same moment; whether each created the case."""
    from hearline.cases.actions import do_register_receipt

    barrier = threading.Barrier(2)
    created = []

    def work():
        try:
            barrier.wait(timeout=10)
            registration = do_register_receipt(receipt_id)
            created.append(registration is not None and registration.created)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return created


def test_a_receipt_registered_by_two_workers_at_once_becomes_one_case(monkeypatch):
    from hearline.cases.actions import do_receive_case
    from hearline.cases.models import IntakeReceipt
    from hearline.testing.org import submission

    # The receipt's own task is held back (the queue runs tasks at once in tests), so that
    # two workers find it waiting at the same moment, as a retry and the catch-up can.
    monkeypatch.setattr("hearline.cases.actions.receive._enqueue", lambda receipt_id: None)
    org = build_org()
    for _ in range(5):
        receipt = do_receive_case(submission(), acting_user=org.agent)
        assert sorted(_register_twice_at_once(receipt.pk)) == [False, True]
        case = Case.objects.get(tracking_number=receipt.tracking_number)
        assert IntakeReceipt.objects.get(pk=receipt.pk).case == case
        assert _steps(case) == ["register"]
