"""What people are told after a case step (see `hearline.cases.steps`): the first-contact
owner's notice of a step someone else took, the complainant's (or upstream platform's)
messages, composed before a registration takes its write lock, and the staff notices of an
assignment or an urgent case."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from hearline.accounts.models import User
from hearline.cases.labels import ACTION_LABELS
from hearline.cases.steps import Step, observe

from .actions import notify_department, on_case_step, plan_case_messages
from .models import NotificationKind


def _plan(step: Step) -> None:
    step.notes["messages"] = plan_case_messages(step.case, step.action, step.details)


def _owner(step: Step) -> None:
    """首诉负责: the owner hears of every step someone else took (by the channels they
    chose for such notices; in the inbox only, unless they chose otherwise)."""
    case, actor = step.case, step.actor
    if case.owner_id == (actor.pk if actor else None):
        return
    with translation.override(settings.LANGUAGE_CODE):
        text = f"{actor or _('Hearline')}: {ACTION_LABELS[step.action]}"
    owner = User.objects.get(pk=case.owner_id)
    notify_department(case, NotificationKind.STEP, [owner], text, event=step.event)


def _messages(step: Step) -> None:
    assert step.event is not None  # react runs once the step's event is written
    on_case_step(step.case, step.event, planned=step.notes.get("messages"))


def connect() -> None:
    """Register notify's observers (from the app's ready())."""
    observe("prepare", "notify.plan", _plan, actions=["register"])
    observe("react", "notify.owner", _owner)
    observe("react", "notify.messages", _messages)
