"""The citizen is told the promise: the acknowledgement, the portal, the progress page, the
agent's read-back and the public API state the time limits in local time; an approved
extension tells the new date and the reason, a suspension its reason, a resumption the new
answer date."""

from django.test import Client
from django.utils import timezone

from hearline.cases.actions import do_transition
from hearline.cases.models import Case
from hearline.notify.backends import MemoryBackend
from hearline.sla.models import CaseClock
from hearline.testing.org import case_in_state, register
from hearline.testing.portal import portal_complaint


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _bodies(case):
    return [m["body"] for m in MemoryBackend.outbox if case.tracking_number in m["subject"]]


def test_the_acknowledgement_states_both_time_limits_in_local_time(
    org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = register(org).case
    clock = CaseClock.objects.get(case=case)
    [ack] = _bodies(case)
    assert f"我们将于 {_local(clock.response_due)} 前与您联系" in ack
    assert f"于 {_local(clock.resolution_due)} 前答复您" in ack


def test_an_extension_a_suspension_and_a_resumption_are_told_with_dates_and_reasons(
    org, django_capture_on_commit_callbacks
):
    case = case_in_state(org, "in_progress", pending="extension")
    with django_capture_on_commit_callbacks(execute=True):
        do_transition(case.pk, "approve_extension", acting_user=org.repair_supervisor)
    case.refresh_from_db()
    extended = _bodies(case)[-1]
    assert f"新的办理期限为 {_local(case.extended_until)}" in extended
    assert "原因：需要协调道路开挖许可" in extended

    do_transition(
        case.pk,
        "request_suspension",
        acting_user=org.repair_handler,
        payload={"reason": "等待投诉人提供购房合同"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        do_transition(case.pk, "approve_suspension", acting_user=org.repair_supervisor)
    assert "原因：等待投诉人提供购房合同" in _bodies(case)[-1]
    assert "暂停计时" in _bodies(case)[-1]

    with django_capture_on_commit_callbacks(execute=True):
        do_transition(case.pk, "resume", acting_user=org.repair_handler)
    clock = CaseClock.objects.get(case=case)
    assert f"我们将于 {_local(clock.resolution_due)} 前答复您" in _bodies(case)[-1]


def test_the_progress_page_the_portal_the_read_back_and_the_api_state_the_promise(org):
    case = register(org).case
    clock = CaseClock.objects.get(case=case)
    promise = f"我们将于 {_local(clock.response_due)} 前与您联系，于 {_local(clock.resolution_due)} 前答复您。"
    public = Client()
    page = public.post("/track/", {"number": case.tracking_number, "phone": "13812345678"})
    assert promise in page.content.decode()

    staff = Client()
    staff.force_login(org.agent)
    assert promise in staff.get(f"/staff/cases/{case.pk}/readback/").content.decode()

    api = public.get(
        f"/api/v1/public/cases/{case.tracking_number}", HTTP_X_COMPLAINANT_PHONE="13812345678"
    ).json()["deadlines"]
    assert api["resolution_due"].endswith("+08:00") and api["paused"] is False
    assert api["resolution_due"].startswith(_local(clock.resolution_due).replace(" ", "T"))

    submitted = public.post("/submit/", portal_complaint(), follow=True).content.decode()
    on_screen = CaseClock.objects.get(case=Case.objects.latest("pk"))
    assert f"于 {_local(on_screen.resolution_due)} 前答复您" in submitted


def test_once_answered_no_promise_is_left(org):
    case = case_in_state(org, "replied")
    public = Client()
    api = public.get(
        f"/api/v1/public/cases/{case.tracking_number}", HTTP_X_COMPLAINANT_PHONE="13812345678"
    ).json()
    assert api["deadlines"] is None
    page = public.post("/track/", {"number": case.tracking_number, "phone": "13812345678"})
    assert 'id="promise"' not in page.content.decode()
