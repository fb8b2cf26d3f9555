"""The deadline clock's reactions to case steps (see `hearline.cases.steps`): a new case's
clock computed before it is written and saved with it, every later step kept in step with
it (stopped, resumed, extended, met); and who must act told so: a supervisor's urging, a
case sent to a department, an urgent case registered."""

from __future__ import annotations

from django.utils.translation import gettext as _

from hearline.accounts.models import User
from hearline.cases.models import CaseEvent, Urgency
from hearline.cases.models.cases import Confirmation, Satisfaction
from hearline.cases.steps import Step, observe
from hearline.notify.actions import notify_department
from hearline.notify.compose import local_time
from hearline.notify.models import NotificationKind

from .clock import (
    follow_incident,
    next_alert,
    on_transition,
    prepare_clock,
    summary,
    unfollow_incident,
)
from .notices import (
    cohandlers,
    handlers,
    supervisors,
    supervisors_above,
    urge,
    urgent_recipients,
)

# The states of an incident whose bulletins answer the cases linked to it (confirmed, not
# yet restored), as the incidents' observers write them on the step's details.
RUNNING_INCIDENT_STATES = frozenset({"open", "stabilising"})


def _prepare(step: Step) -> None:
    """The new case's clock; one that joins a confirmed incident (its notice is what the
    agent reads out) follows it from the start, so the acknowledgement says so."""
    step.clock = prepare_clock(step.case, step.at)
    if (step.announcement or {}).get("state") in RUNNING_INCIDENT_STATES:
        follow_incident(step.clock, step.at)
        step.clock.next_alert_at = next_alert(step.clock)
    step.details["deadlines"] = summary(step.clock)


def _joined_running_incident(step: Step) -> bool:
    """Whether the step's case was just linked to a confirmed incident (see the incidents'
    observers: the link is on the step's details before the clock is recorded)."""
    return step.details.get("incident", {}).get("state") in RUNNING_INCIDENT_STATES


def _record(step: Step) -> None:
    if step.is_registration:
        assert step.clock is not None  # computed by _prepare for every registration
        step.clock.case = step.case
        if step.clock.incident_since and not _joined_running_incident(step):
            unfollow_incident(step.clock)  # the incident ended between plan and write
            step.clock.next_alert_at = next_alert(step.clock)
            step.details["deadlines"] = summary(step.clock)
        step.clock.save(force_insert=True)
        return
    step.clock, deadlines = on_transition(step.case, step.action, step.at)
    step.details.update(deadlines)


def _urge(step: Step) -> None:
    note = step.payload.get("note", "")
    assert step.actor is not None  # only a supervisor may urge (the workflow table)
    step.details["notified"] = urge(step.case, by=step.actor, note=note)


def _urge_acknowledged(step: Step) -> None:
    """The supervisor who urged hears that the handler acknowledged it."""
    case, actor = step.case, step.actor
    urged = CaseEvent.objects.steps().filter(case=case, action="urge").order_by("-seq").first()
    if urged is None or urged.actor is None:
        return
    text = str(_("%(who)s acknowledged the urging of case %(number)s.")) % {
        "who": actor,
        "number": case.tracking_number,
    }
    if step.payload.get("note"):
        text = f"{text} {step.payload['note']}"
    notify_department(case, NotificationKind.URGE_ACKNOWLEDGED, [urged.actor], text)


def _poor_rating(step: Step) -> None:
    """A complainant's "not solved" or "dissatisfied" is told to the case's owner and to the
    supervisors of the department that handled it."""
    case = step.case
    unsolved = case.confirmation == Confirmation.UNSOLVED
    if not unsolved and case.satisfaction != Satisfaction.DISSATISFIED:
        return
    text = str(_("Case %(number)s: the complainant says %(verdict)s.")) % {
        "number": case.tracking_number,
        "verdict": "、".join(
            str(label)
            for label, said in (
                (Confirmation.UNSOLVED.label, unsolved),
                (Satisfaction.DISSATISFIED.label, case.satisfaction == Satisfaction.DISSATISFIED),
            )
            if said
        ),
    }
    owner = User.objects.filter(pk=case.owner_id).first()
    notify_department(case, NotificationKind.RATING, [owner, *supervisors(case)], text)


def _appeal(step: Step) -> None:
    """An appeal waits for the supervisors where it is decided (the level above)."""
    case = step.case
    if case.appeal_department is None:
        return
    text = str(_("Appeal on case %(number)s, to decide by %(due)s: %(reason)s")) % {
        "number": case.tracking_number,
        "due": local_time(step.details.get("appeal_due")),
        "reason": step.payload.get("reason", ""),
    }
    reviewers = supervisors_above(case.appeal_department)
    notify_department(case, NotificationKind.APPEAL, reviewers, text)


def _approval(step: Step) -> None:
    """A handler's request for more time or a pause waits for a supervisor's decision."""
    case = step.case
    asked = (
        _("an extension of the time limit")
        if step.action == "request_extension"
        else _("a suspension")
    )
    text = str(_("%(who)s asks for %(what)s on case %(number)s: %(reason)s")) % {
        "who": step.actor,
        "what": asked,
        "number": case.tracking_number,
        "reason": step.payload.get("reason", ""),
    }
    notify_department(case, NotificationKind.APPROVAL, supervisors(case), text)


def _assigned(step: Step) -> None:
    """The handlers of the department a case was just sent to."""
    case = step.case
    text = str(_("New case for your department: %(title)s")) % {"title": case.title}
    notify_department(case, NotificationKind.ASSIGNMENT, handlers(case), text)


def _cohandling(step: Step) -> None:
    """The handlers of a department just asked to co-handle the case (协办)."""
    case = step.case
    added = step.details["department"]
    text = str(_("Case for your department to co-handle (协办): %(title)s")) % {"title": case.title}
    notify_department(case, NotificationKind.ASSIGNMENT, cohandlers(case, added["id"]), text)


def _cohandling_answered(step: Step) -> None:
    """The handlers of the responsible department hear a co-handling department's answer
    (they reply to the complainant with it)."""
    case = step.case
    text = str(_("%(department)s answered its part of case %(number)s: %(note)s")) % {
        "department": step.details["department"]["name"],
        "number": case.tracking_number,
        "note": step.payload["note"],
    }
    notify_department(case, NotificationKind.COHANDLING, handlers(case), text)


def _urgent(step: Step) -> None:
    """An urgent case: the supervisors above and whoever must act first (the dispatchers);
    not for a case that joined a confirmed incident (its coordinators run it, and a burst
    must not flood everyone with one notice per complaint)."""
    case = step.case
    if case.urgency != Urgency.URGENT or _joined_running_incident(step):
        return
    text = str(_("Urgent case registered: %(title)s")) % {"title": case.title}
    notify_department(case, NotificationKind.URGENT, urgent_recipients(case), text)


def connect() -> None:
    """Register the clock's observers (from the app's ready())."""
    observe("prepare", "sla.clock", _prepare, actions=["register"])
    observe("record", "sla.clock", _record)
    observe("record", "sla.urge", _urge, actions=["urge"])
    observe("react", "sla.assigned", _assigned, actions=["dispatch", "transfer"])
    observe("react", "sla.cohandling", _cohandling, actions=["add_cohandler"])
    observe("react", "sla.cohandling_answered", _cohandling_answered, actions=["answer_cohandling"])
    observe("react", "sla.urge_acknowledged", _urge_acknowledged, actions=["acknowledge_urge"])
    observe("react", "sla.approval", _approval, actions=["request_extension", "request_suspension"])
    observe("react", "sla.poor_rating", _poor_rating, actions=["record_rating", "follow_up"])
    observe("react", "sla.appeal", _appeal, actions=["appeal"])
    observe("react", "sla.urgent", _urgent, actions=["register"])
