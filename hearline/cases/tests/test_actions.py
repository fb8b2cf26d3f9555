"""The case actions against the real database: the closed loop, and nothing changing on error."""

from decimal import Decimal

import pytest

from hearline.cases.actions import do_register_case, do_transition
from hearline.cases.models import Attachment, Case, CaseEvent
from hearline.cases.workflow import (
    TRANSITIONS,
    Conflict,
    IllegalTransition,
    InvalidInput,
    NotAllowed,
    NotFound,
)
from hearline.notify.models import Notification
from hearline.testing.org import case_in_state, register, submission, valid_payload


def _act(org, case, action, username, **extra):
    payload = valid_payload(action, org) | extra
    return do_transition(case.pk, action, acting_user=org.users[username], payload=payload)


def _snapshot(case):
    case = Case.objects.get(pk=case.pk)
    return (
        case.state,
        case.version,
        case.department_id,
        case.events.count(),
        list(case.co_departments.values_list("pk", flat=True)),
        case.reply,
        case.pending_request,
    )


def test_the_whole_closed_loop(org):
    registration = register(org)
    case = registration.case
    assert registration.created
    assert case.state == "registered" and case.owner == org.agent
    assert case.department.code == "callcentre"
    loop = [
        ("dispatch", "dispatcher"),
        ("accept", "repair_handler"),
        ("record_investigation", "repair_handler"),
        ("resolve", "repair_handler"),
        ("reply", "repair_handler"),
        ("record_rating", "agent"),
        ("follow_up", "agent"),
        ("archive", "agent"),
    ]
    for action, who in loop:
        case = _act(org, case, action, who)
    assert case.state == "archived"
    assert case.owner == org.agent, "the first-contact owner is never lost"
    assert case.department.code == "repair"
    assert case.archived_at and case.replied_at and case.followed_up_at
    assert case.reply_channel == "phone", "reply goes out in the complainant's preferred channel"
    events = list(case.events.order_by("seq"))
    assert [e.action for e in events] == ["register"] + [a for a, _ in loop]
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert events[-1].to_state == case.state and case.version == len(events)
    assert events[1].details["department"]["code"] == "repair"


def test_the_owner_is_notified_of_every_step_taken_by_others(org):
    case = register(org).case
    case = _act(org, case, "dispatch", "dispatcher")
    case = _act(org, case, "accept", "repair_handler")
    notified = Notification.objects.filter(recipient=org.agent, case=case)
    assert sorted(n.event.action for n in notified) == ["accept", "dispatch"]


def test_registration_returns_readback_and_acknowledgement(org):
    registration = register(org, occurred_at=None)
    readback, ack = registration.readback, registration.acknowledgement
    number = registration.case.tracking_number
    assert "王丽" in readback and "水压偏低" in readback and "海曙区中山西路12号" in readback
    assert "尽快恢复供水" in readback
    assert " ".join(number.replace("-", "")) in readback
    assert number in ack


def test_tracking_numbers_are_unique_and_readable(org):
    numbers = {register(org).case.tracking_number for _ in range(20)}
    assert len(numbers) == 20
    for number in numbers:
        day, suffix = number.split("-")
        assert len(day) == 6 and day.isdigit() and len(suffix) == 5
        assert not set(suffix) & set("ILOU")


def test_a_taken_tracking_number_is_drawn_again_and_nothing_is_half_written(org, monkeypatch):
    taken = register(org).case.tracking_number
    draws = iter([taken, "261123-NEW01"])
    monkeypatch.setattr("hearline.cases.actions.register.new_tracking_number", lambda: next(draws))
    from hearline.cases.submission import ComplainantData

    newcomer = ComplainantData(name="赵敏", phone="13700001111")
    second = register(org, complainant=newcomer)
    assert second.created and second.case.tracking_number == "261123-NEW01"
    assert Case.objects.count() == 2 and CaseEvent.objects.count() == 2
    assert second.case.complainant.phone == "13700001111"
    assert Case.objects.get(tracking_number=taken).complainant.name == "王丽"


def test_a_retried_registration_returns_the_first_case(org):
    first = register(org, idempotency_key="mail-<abc@example>")
    again = register(org, idempotency_key="mail-<abc@example>")
    assert again.case.pk == first.case.pk and not again.created
    assert Case.objects.filter(idempotency_key="mail-<abc@example>").count() == 1
    assert CaseEvent.objects.filter(case=first.case).count() == 1


@pytest.mark.parametrize(
    "overrides, field, code",
    [
        ({"description": "  "}, "description", "required"),
        ({"channel": "pigeon"}, "channel", "invalid_choice"),
        ({"urgency": "whenever"}, "urgency", "invalid_choice"),
        ({"category_id": 999999}, "category", "unknown_category"),
        ({"latitude": Decimal("123")}, "latitude", "out_of_range"),
    ],
)
def test_bad_registrations_are_refused_with_the_field_and_change_nothing(
    org, overrides, field, code
):
    with pytest.raises(InvalidInput) as exc:
        register(org, **overrides)
    assert exc.value.details["fields"][field] == code
    assert Case.objects.count() == 0 and CaseEvent.objects.count() == 0


def test_a_complainant_needs_a_way_to_be_reached(org):
    from hearline.cases.submission import ComplainantData

    with pytest.raises(InvalidInput) as exc:
        register(org, complainant=ComplainantData(name="匿名"))
    assert exc.value.details["fields"] == {"complainant.phone": "required"}


def test_only_intake_roles_register(org):
    with pytest.raises(NotAllowed):
        do_register_case(submission(), acting_user=org.repair_handler)
    assert Case.objects.count() == 0


def test_a_returning_caller_is_recognised(org):
    first = register(org).case
    second = register(org).case
    assert first.complainant_id == second.complainant_id


def test_illegal_action_is_refused_and_changes_nothing(org):
    case = case_in_state(org, "dispatched")
    before = _snapshot(case)
    with pytest.raises(IllegalTransition):
        _act(org, case, "reply", "repair_handler")
    with pytest.raises(NotFound):
        _act(org, case, "accept", "customer_handler")  # not their department: not even visible
    with pytest.raises(NotAllowed):
        _act(org, case, "accept", "agent")
    assert _snapshot(case) == before


def test_missing_fields_are_refused_and_change_nothing(org):
    case = case_in_state(org, "in_progress")
    before = _snapshot(case)
    with pytest.raises(InvalidInput) as exc:
        do_transition(case.pk, "resolve", acting_user=org.repair_handler, payload={"finding": "x"})
    assert set(exc.value.details["fields"]) == {"resolution_type", "resolution"}
    assert _snapshot(case) == before


def test_dispatch_only_inside_the_dispatchers_organisation(org):
    case = register(org).case
    with pytest.raises(InvalidInput) as exc:
        _act(org, case, "dispatch", "dispatcher", department="no-such-dept")
    assert exc.value.details["fields"] == {"department": "unknown_department"}
    # A water company dispatcher cannot see a case sitting at the city hotline at all.
    with pytest.raises(NotFound):
        _act(org, case, "dispatch", "water_dispatcher")


def test_return_and_redispatch(org):
    case = case_in_state(org, "returned")
    assert case.events.last().details["reason"] == "不属于本部门职责"
    case = _act(org, case, "dispatch", "dispatcher", department="customer")
    assert case.state == "dispatched" and case.department.code == "customer"


def test_transfer_moves_responsibility(org):
    case = case_in_state(org, "in_progress")
    case = _act(org, case, "transfer", "dispatcher")
    assert case.state == "dispatched" and case.department.code == "customer"
    event = case.events.last()
    assert event.details["from_department"]["code"] == "repair"
    with pytest.raises(NotFound):
        _act(org, case, "record_investigation", "repair_handler")


def test_cohandler_sees_and_records_but_cannot_resolve(org):
    case = case_in_state(org, "in_progress")
    case = _act(org, case, "add_cohandler", "repair_handler")
    assert list(case.co_departments.values_list("code", flat=True)) == ["customer"]
    case = _act(org, case, "record_investigation", "customer_handler")
    with pytest.raises(NotAllowed):
        _act(org, case, "resolve", "customer_handler")
    with pytest.raises(InvalidInput):
        _act(org, case, "add_cohandler", "repair_handler", department="repair")


def test_suspension_needs_a_supervisors_approval(org):
    case = case_in_state(org, "in_progress", pending="suspension")
    assert case.state == "in_progress" and case.pending_request == "suspension"
    with pytest.raises(NotAllowed):
        _act(org, case, "approve_suspension", "repair_handler")
    with pytest.raises(NotFound):
        _act(org, case, "approve_suspension", "metro_supervisor")
    case = _act(org, case, "approve_suspension", "water_supervisor")
    assert case.state == "suspended" and case.pending_request == ""
    case = _act(org, case, "resume", "repair_handler")
    assert case.state == "in_progress"


def test_extension_moves_the_deadline_once_approved(org):
    case = case_in_state(org, "in_progress", pending="extension")
    assert case.pending_until is not None and case.extended_until is None
    with pytest.raises(IllegalTransition):
        _act(org, case, "request_suspension", "repair_handler")
    requested = case.pending_until
    case = _act(org, case, "approve_extension", "repair_supervisor")
    assert case.extended_until == requested and case.pending_request == ""


@pytest.mark.parametrize(
    "until, code",
    [
        ("2001-01-01T00:00:00+08:00", "in_past"),
        ("2099-01-01T00:00:00+08:00", "too_far"),
        ("next week", "invalid_datetime"),
    ],
)
def test_extension_must_be_a_real_date_within_a_year(org, until, code):
    case = case_in_state(org, "in_progress")
    with pytest.raises(InvalidInput) as exc:
        _act(org, case, "request_extension", "repair_handler", until=until)
    assert exc.value.details["fields"] == {"until": code}
    assert Case.objects.get(pk=case.pk).pending_request == ""


def test_rejected_request_leaves_the_case_in_progress(org):
    case = case_in_state(org, "in_progress", pending="suspension")
    case = _act(org, case, "reject_request", "repair_supervisor")
    assert case.state == "in_progress" and case.pending_request == ""
    assert case.events.last().details["reason"] == "理由不充分"


def test_compensation_is_recorded_with_its_amount(org):
    case = case_in_state(org, "in_progress")
    case = _act(
        org,
        case,
        "resolve",
        "repair_handler",
        resolution_type="compensation",
        compensation_amount="120.50",
    )
    assert case.compensation_amount == Decimal("120.50")
    assert case.events.last().details["compensation_amount"] == "120.50"


def test_close_on_the_spot(org):
    case = register(org).case
    case = _act(org, case, "close_on_spot", "agent")
    assert case.state == "replied" and case.closed_on_spot and case.replied_at
    with pytest.raises(NotAllowed):  # another agent sees it (进度查询) but acts on own cases only
        _act(org, register(org).case, "close_on_spot", "agent2")
    with pytest.raises(NotAllowed):
        _act(org, register(org).case, "close_on_spot", "dispatcher")


def test_reopen_starts_a_new_cycle_and_keeps_the_old_reply_in_the_timeline(org):
    case = case_in_state(org, "confirmed")
    old_reply = case.reply
    case = _act(org, case, "reopen", "agent")
    assert case.state == "dispatched" and case.department.code == "repair"
    assert case.reopen_count == 1 and case.reply == "" and case.satisfaction == ""
    assert case.events.filter(action="reply").first().details["reply"] == old_reply


# Each action a person must give a reason or a note for: (state it is taken from, pending
# request, who takes it).
WRITTEN = {
    "return": ("dispatched", "", "repair_handler"),
    "transfer": ("dispatched", "", "dispatcher"),
    "request_suspension": ("in_progress", "", "repair_handler"),
    "request_extension": ("in_progress", "", "repair_handler"),
    "reject_request": ("in_progress", "suspension", "repair_supervisor"),
    "reopen": ("confirmed", "", "agent"),
    "appeal": ("replied", "", "agent"),
    "dismiss_appeal": ("appealed", "", "hotline_supervisor"),
    "record_contact": ("in_progress", "", "agent"),
    "record_investigation": ("in_progress", "", "repair_handler"),
    "comment": ("registered", "", "agent"),
    "urge": ("in_progress", "", "repair_supervisor"),
    "mark_sensitive": ("in_progress", "", "repair_handler"),
    "answer_cohandling": ("in_progress", "", "customer_handler"),
}


def test_every_action_that_requires_a_reason_or_a_note_is_listed_here():
    written = {a for a, t in TRANSITIONS.items() if {"reason", "note"} & set(t.requires)}
    assert written == set(WRITTEN)


@pytest.mark.parametrize("action", sorted(WRITTEN))
def test_the_reason_or_note_an_action_requires_is_kept_on_the_timeline(org, action):
    state, pending, username = WRITTEN[action]
    cohandled = action == "answer_cohandling"  # only a co-handling department answers it
    case = case_in_state(org, state, pending=pending, cohandled=cohandled)
    field = "reason" if "reason" in TRANSITIONS[action].requires else "note"
    case = _act(org, case, action, username, **{field: "写下的理由：第二次漏水"})
    assert case.events.order_by("seq").last().details[field] == "写下的理由：第二次漏水"


def test_appeal_is_decided_by_a_supervisor_above_the_handling_organisation(org):
    case = case_in_state(org, "appealed")
    for who in ("agent", "repair_supervisor", "water_supervisor"):
        with pytest.raises(NotAllowed):
            _act(org, case, "dismiss_appeal", who)
    case = _act(org, case, "dismiss_appeal", "hotline_supervisor")
    assert case.state == "followed_up"


def test_merge_into_an_open_case(org):
    target = register(org).case
    duplicate = register(org).case
    duplicate = _act(org, duplicate, "merge", "dispatcher", merged_into=target.tracking_number)
    assert duplicate.state == "merged" and duplicate.merged_into == target
    with pytest.raises(InvalidInput):
        _act(org, register(org).case, "merge", "dispatcher", merged_into=duplicate.pk)
    with pytest.raises(InvalidInput):
        self_case = register(org).case
        _act(org, self_case, "merge", "dispatcher", merged_into=self_case.pk)


def test_stale_version_is_a_conflict(org):
    case = register(org).case
    _act(org, case, "dispatch", "dispatcher")
    with pytest.raises(Conflict):
        do_transition(case.pk, "accept", acting_user=org.repair_handler, expected_version=1)
    assert Case.objects.get(pk=case.pk).state == "dispatched"


def test_attachments_are_checked_by_content(org):
    case = register(org).case
    pdf = b"%PDF-1.4 evidence"
    case = _act(org, case, "attach", "agent", file=pdf, name="现场记录.pdf", kind="evidence")
    attachment = Attachment.objects.get(case=case)
    assert attachment.content_type == "application/pdf" and attachment.size == len(pdf)
    assert case.events.last().details["attachment"]["name"] == "现场记录.pdf"
    for name, content, code in [
        ("virus.exe", b"MZ....", "unsupported_type"),
        ("fake.png", b"GIF89a....", "content_mismatch"),
        ("empty.pdf", b"", "empty_file"),
    ]:
        with pytest.raises(InvalidInput) as exc:
            _act(org, case, "attach", "agent", file=content, name=name)
        assert exc.value.details["fields"] == {"file": code}
    assert Attachment.objects.filter(case=case).count() == 1


def test_attachment_size_limit(org, settings):
    settings.HEARLINE_ATTACHMENT_MAX_BYTES = 100
    case = register(org).case
    with pytest.raises(InvalidInput) as exc:
        _act(org, case, "attach", "agent", file=b"%PDF-" + b"x" * 200, name="big.pdf")
    assert exc.value.details["fields"] == {"file": "too_large"}
