"""Sensitive cases trigger their plan (预案): the flags set and cleared with an event, the
leaders told at once, the plan's steps ticked off on the case; incidents likewise."""

import pytest
from django.test import Client

from hearline.cases.actions import do_transition
from hearline.cases.workflow import Conflict, InvalidInput, NotAllowed, NotFound
from hearline.core.timetravel import at_time
from hearline.incidents import actions
from hearline.incidents.models import PlanRun, PlanTrigger, ResponsePlan
from hearline.notify.models import Notification, NotificationKind
from hearline.testing.org import case_in_state, register

from .helpers import T0, open_incident, outage


def _told(kind=NotificationKind.PLAN) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def _mark(case, user, **flags):
    return do_transition(
        case.pk, "mark_sensitive", acting_user=user, payload={"reason": "媒体已关注", **flags}
    )


def test_a_public_safety_complaint_starts_its_plan_and_tells_the_leaders_at_once(org):
    case = register(
        org, description="小区燃气管道有明显漏气味道，楼道里很重。", public_safety=True
    ).case
    run = PlanRun.objects.get(case=case)
    assert run.plan.trigger == PlanTrigger.PUBLIC_SAFETY
    assert [s.text for s in run.steps.all()][0] == "立即电话报告值班领导和分管领导"
    assert _told() == {"hotline_supervisor"}  # no leaders named: the organisation's supervisors


def test_the_leaders_named_on_the_organisations_plan_are_told(org):
    general = ResponsePlan.objects.get(trigger=PlanTrigger.OPINION_RISK)
    own = ResponsePlan.objects.create(
        name="本热线舆情预案",
        trigger=PlanTrigger.OPINION_RISK,
        organisation=org.departments["hotline"],
    )
    own.steps.create(position=1, text="报告主任", owner="受理员")
    own.leaders.add(org.manager)
    case = register(org).case
    _mark(case, org.dispatcher, opinion_risk=True)
    run = PlanRun.objects.get(case=case)
    assert run.plan == own and run.plan != general
    assert _told() == {"manager"}


def test_flags_are_set_and_cleared_with_the_event_and_the_plan_starts_once(org):
    case = register(org).case
    with pytest.raises(InvalidInput):
        _mark(case, org.dispatcher, opinion_risk=False)  # nothing changes
    with pytest.raises(InvalidInput):
        do_transition(
            case.pk, "mark_sensitive", acting_user=org.dispatcher, payload={"opinion_risk": True}
        )
    _mark(case, org.dispatcher, opinion_risk=True)
    event = case.events.get(action="mark_sensitive")
    assert event.details["opinion_risk"] == {"from": False, "to": True}
    assert event.details["reason"] == "媒体已关注"
    _mark(case, org.dispatcher, opinion_risk=False)
    _mark(case, org.dispatcher, opinion_risk=True)
    case.refresh_from_db()
    assert case.opinion_risk and case.events.filter(action="mark_sensitive").count() == 3
    assert PlanRun.objects.filter(case=case).count() == 1
    with pytest.raises(NotAllowed):
        _mark(case, org.manager, public_safety=True)


def test_a_step_is_ticked_off_on_the_case_by_those_who_act_on_it(org):
    case = case_in_state(org, "in_progress")
    _mark(case, org.repair_handler, public_safety=True)
    first = PlanRun.objects.get(case=case).steps.first()
    with pytest.raises((NotFound, NotAllowed)):
        actions.do_complete_plan_step(first.pk, acting_user=org.metro_handler)
    actions.do_complete_plan_step(first.pk, acting_user=org.repair_handler, note="已报告王经理")
    first.refresh_from_db()
    assert first.done_by == org.repair_handler and first.note == "已报告王经理"
    event = case.events.get(action="complete_plan_step")
    assert event.details["step"]["text"] == first.text
    with pytest.raises(Conflict):
        actions.do_complete_plan_step(first.pk, acting_user=org.repair_handler)


def test_a_confirmed_incident_starts_the_plan_of_its_kind(org, water):
    with at_time(T0):
        incident = open_incident(org)
        outage(org, 1, public_safety=True)
    run = PlanRun.objects.get(incident=incident)
    assert run.plan.kind == incident.kind
    assert not PlanRun.objects.filter(case__isnull=False).exists()  # the incident's plan runs
    step = run.steps.first()
    with pytest.raises(NotAllowed):
        actions.do_complete_plan_step(step.pk, acting_user=org.dispatcher)
    actions.do_complete_plan_step(step.pk, acting_user=org.coordinator)
    assert incident.events.filter(action="plan_step").count() == 1


def test_the_checklist_and_the_sensitive_queue_in_the_workspace(org):
    case = case_in_state(org, "in_progress")
    handler = Client()
    handler.force_login(org.repair_handler)
    marked = handler.post(
        f"/staff/cases/{case.pk}/act/mark_sensitive/",
        {"public_safety": "on", "reason": "井盖缺失，有行人跌落风险"},
    )
    assert marked.status_code == 302
    page = handler.get(f"/staff/cases/{case.pk}/").content.decode()
    step = PlanRun.objects.get(case=case).steps.first()
    assert "公共安全类投诉处置预案" in page and f'id="plan-step-{step.pk}"' in page
    handler.post(f"/staff/plan-steps/{step.pk}/done/", {"note": "已电话报告"})
    step.refresh_from_db()
    assert step.done_at is not None

    dispatcher = Client()
    dispatcher.force_login(org.dispatcher)
    queue = dispatcher.get("/staff/cases/?queue=sensitive").content.decode()
    assert case.tracking_number in queue
    ordinary = register(org).case
    assert ordinary.tracking_number not in queue
