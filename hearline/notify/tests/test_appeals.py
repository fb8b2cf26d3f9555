"""An appeal (申诉) goes to the level above the handling organisation (or where that
organisation sends its appeals), waits in that level's queue with its own deadline, is
upheld (handled again, with an instruction) or dismissed with reasons, and the complainant
is told the decision in their channel."""

from django.test import Client
from django.utils import timezone

from hearline.accounts.models import Department, DepartmentKind, User, UserRole
from hearline.accounts.roles import Role
from hearline.cases.actions import do_complainant_transition, do_transition
from hearline.cases.models import Case
from hearline.notify.backends import MemoryBackend
from hearline.notify.inbox import inbox
from hearline.sla.models import CaseClock
from hearline.testing.org import case_in_state


def _appealed(org):
    return do_complainant_transition(
        case_in_state(org, "replied"), "appeal", payload={"reason": "答复与事实不符"}
    )


def _queue(user):
    client = Client()
    client.force_login(user)
    return list(client.get("/staff/cases/", {"queue": "appeals"}).context["page"])


def test_an_appeal_waits_for_the_level_above_with_its_own_deadline(org):
    case = _appealed(org)
    assert case.appeal_department == org.departments["hotline"]
    clock = CaseClock.objects.get(case=case)
    assert clock.appeal_due is not None and clock.appeal_due > clock.started_at
    [notice] = inbox(org.hotline_supervisor, kind="appeal")
    assert notice.case == case and "答复与事实不符" in notice.text
    assert _queue(org.hotline_supervisor) == [case]
    assert _queue(org.water_supervisor) == [] and not inbox(org.water_supervisor, kind="appeal")
    client = Client()
    client.force_login(org.hotline_supervisor)
    listed = client.get("/staff/cases/", {"queue": "appeals"}).content.decode()
    assert timezone.localtime(clock.appeal_due).strftime("%m-%d %H:%M") in listed  # its deadline


def test_an_organisation_sends_its_appeals_to_a_supervision_office(
    org, django_capture_on_commit_callbacks
):
    office = Department.objects.create(
        code="supervision",
        name="督办科",
        kind=DepartmentKind.DEPARTMENT,
        parent=org.departments["hotline"],
    )
    org.departments["water"].appeals_to = office
    org.departments["water"].save()
    reviewer = User.objects.create_user("reviewer", password="x", department=office)
    UserRole.objects.create(user=reviewer, role=Role.SUPERVISOR)

    case = _appealed(org)
    assert case.appeal_department == office
    assert _queue(reviewer) == [case] and _queue(org.hotline_supervisor) == [case]
    with django_capture_on_commit_callbacks(execute=True):
        do_transition(
            case.pk,
            "uphold_appeal",
            acting_user=reviewer,
            payload={"instruction": "重新核实水压数据并上门测试"},
        )
    case = Case.objects.get(pk=case.pk)
    assert (case.state, case.reopen_count, case.reply) == ("dispatched", 1, "")
    assert CaseClock.objects.get(case=case).cycle == 2
    told = [m["body"] for m in MemoryBackend.outbox if case.tracking_number in m["subject"]]
    assert "您的申诉成立" in told[-1]
    handler = Client()
    handler.force_login(org.repair_handler)
    assert case in handler.get("/staff/cases/?queue=inbox").context["page"]


def test_a_dismissed_appeal_tells_the_complainant_why(org, django_capture_on_commit_callbacks):
    case = _appealed(org)
    with django_capture_on_commit_callbacks(execute=True):
        do_transition(
            case.pk,
            "dismiss_appeal",
            acting_user=org.hotline_supervisor,
            payload={"reason": "经复核，答复符合供水服务规定。"},
        )
    told = [m["body"] for m in MemoryBackend.outbox if case.tracking_number in m["subject"]]
    assert "维持原答复" in told[-1] and "经复核，答复符合供水服务规定。" in told[-1]
    assert Case.objects.get(pk=case.pk).state == "followed_up"
