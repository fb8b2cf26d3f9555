"""A message's delivery report is a fact on the timeline, not a step of the case's lifecycle:
it changes neither the case nor its version, and nobody's open form is refused for it."""

import pytest

from hearline.cases.actions import do_record_delivery_report, do_system_transition, do_transition
from hearline.cases.models import Case
from hearline.cases.workflow import UnknownAction
from hearline.notify.models import Notification
from hearline.testing.org import register, valid_payload

SENT = {"message": 7, "channel": "sms", "purpose": "acknowledgement", "recipient": "138****5678"}


def test_a_report_changes_nothing_of_the_case_and_sorts_after_the_step_it_follows(org):
    case = register(org).case
    before = Case.objects.values("version", "state", "updated_at").get(pk=case.pk)

    first = do_record_delivery_report(case.pk, "message_sent", details=SENT)
    second = do_record_delivery_report(case.pk, "message_failed", details=SENT | {"error": "x"})

    assert Case.objects.values("version", "state", "updated_at").get(pk=case.pk) == before
    assert (first.seq, first.report_seq, second.seq, second.report_seq) == (1, 1, 1, 2)
    assert (first.actor, first.details["by"], first.public) == (None, "system", False)
    assert second.details["error"] == "x" and first.from_state == first.to_state == "registered"

    # A form opened before the reports is still current: the dispatch is accepted.
    do_transition(
        case.pk,
        "dispatch",
        acting_user=org.dispatcher,
        payload=valid_payload("dispatch", org, case),
        expected_version=before["version"],
    )
    timeline = [(e.action, e.seq, e.report_seq) for e in case.events.all()]
    assert timeline == [
        ("register", 1, None),
        ("message_sent", 1, 1),
        ("message_failed", 1, 2),
        ("dispatch", 2, None),
    ]


def test_a_report_keeps_only_what_a_report_says(org):
    case = register(org).case
    event = do_record_delivery_report(
        case.pk, "message_sent", details=SENT | {"body": "全文", "state": "closed"}
    )
    assert set(event.details) == set(SENT) | {"by"}


def test_a_report_is_no_step_and_a_step_is_no_report(org):
    case = register(org).case
    with pytest.raises(UnknownAction):
        do_system_transition(case.pk, "message_sent", payload={"message": 1})
    with pytest.raises(ValueError):
        do_record_delivery_report(case.pk, "dispatch", details=SENT)
    do_record_delivery_report(case.pk, "message_sent", details=SENT)
    # No observer runs for a report: the owner hears of nothing.
    assert not Notification.objects.filter(case=case).exclude(event__action="register").exists()
    assert list(case.events.values_list("action", flat=True)) == ["register", "message_sent"]
