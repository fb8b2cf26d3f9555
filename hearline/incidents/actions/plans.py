"""Plans (预案) started and ticked off: on a case marked as a public-safety or public-opinion
risk, and on a confirmed incident of a kind that has one."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hearline.accounts.models import User
from hearline.cases.actions import do_transition
from hearline.cases.models import Case
from hearline.cases.workflow import Conflict, NotFound
from hearline.notify.actions import notify_department, notify_staff
from hearline.notify.models import NotificationKind, Purpose

from .. import compose
from ..models import Incident, PlanRun, PlanRunStep, PlanTrigger, ResponsePlan
from ..plans import leaders_of, plan_for
from .steps import apply_step, coordinated


def _start(plan: ResponsePlan, now: datetime, *, new: bool = False, **about) -> PlanRun | None:
    """A run of `plan` on the case or incident in `about` (`new`: just written, so none can
    exist yet), with a copy of its steps; None when it was started there already."""
    if not new and PlanRun.objects.filter(plan=plan, **about).exists():
        return None
    run = PlanRun.objects.create(plan=plan, started_at=now, **about)
    PlanRunStep.objects.bulk_create(
        PlanRunStep(run=run, position=s.position, text=s.text, owner=s.owner, template=s.template)
        for s in plan.steps.all()
    )
    return run


def start_case_plans(
    case: Case, triggers: Sequence[str], now: datetime, *, registered: bool = False
) -> list[PlanRun]:
    """Start the plan of each trigger (public safety, public-opinion risk) that applies to
    the case (`registered`: in its registration), once, and tell its leaders at once
    (inside the step's transaction)."""
    started = []
    for trigger in triggers:
        plan = plan_for(trigger, case.department)
        if plan is None or (run := _start(plan, now, new=registered, case=case)) is None:
            continue
        text = str(_("%(what)s: case %(number)s (%(title)s). Plan started: %(plan)s")) % {
            "what": PlanTrigger(trigger).label,
            "number": case.tracking_number,
            "title": case.title.rstrip("。.!！?？"),
            "plan": plan.name,
        }
        notify_department(case, NotificationKind.PLAN, leaders_of(plan, case.department), text)
        started.append(run)
    return started


def start_incident_plan(incident: Incident, now: datetime) -> PlanRun | None:
    """Start the plan of the incident's kind, once, and tell its leaders (inside the
    incident step's transaction)."""
    plan = plan_for(PlanTrigger.INCIDENT, incident.department, kind_id=incident.kind_id)
    if plan is None or (run := _start(plan, now, incident=incident)) is None:
        return None
    text = str(_("Incident #%(id)s %(title)s: plan started: %(plan)s")) % {
        "id": incident.pk,
        "title": incident.title,
        "plan": plan.name,
    }
    notify_staff(
        leaders_of(plan, incident.department),
        kind=NotificationKind.PLAN,
        purpose=Purpose.INCIDENT,
        text=text,
        subject=text,
        body=f"{text}\n{compose.staff_link(incident)}",
        incident=incident,
    )
    return run


def do_complete_plan_step(step_id: int, *, acting_user: User, note: str = "") -> PlanRunStep:
    """Tick off a step of a started plan: on a case, by anyone who acts on it (the step is on
    the case's timeline); on an incident, by its coordinators (on the incident's history).
    Ticking a step twice is refused."""
    with transaction.atomic():
        step = (
            PlanRunStep.objects.select_for_update().select_related("run").filter(pk=step_id).first()
        )
        if step is None:
            raise NotFound("no such plan step")
        if step.done_at is not None:
            raise Conflict("the step was ticked off already")
        said = {"id": step.pk, "text": step.text, "owner": step.owner}
        run = step.run
        if run.case_id is not None:
            payload: dict = {"step": said} | ({"note": note} if note else {})
            do_transition(
                run.case_id, "complete_plan_step", acting_user=acting_user, payload=payload
            )
        else:
            assert run.incident_id is not None  # a run is of a case or of an incident
            coordinated(acting_user, run.incident_id)
            apply_step(
                run.incident_id,
                "plan_step",
                acting_user,
                lambda incident, details: details.update(step=said, note=note),
            )
        step.done_at, step.done_by, step.note = timezone.now(), acting_user, note[:500]
        step.save(update_fields=["done_at", "done_by", "note"])
    return step
