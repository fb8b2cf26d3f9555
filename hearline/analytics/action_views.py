"""Corrective-action pages: the list, a new action, and an action with its before/after in
the slice it targets and its history."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from hearline.cases.workflow import InvalidInput, NotAllowed
from hearline.improvement.actions import (
    do_create_corrective_action,
    do_update_corrective_action,
    may_manage,
)
from hearline.improvement.models import ActionStatus, CorrectiveAction

from .action_forms import CorrectiveActionForm
from .effect import COMPARED, before_after
from .measures import MEASURE_BY_KEY, Measure
from .views import require_analyst

VOLUME_PER_30 = Measure(
    "volume_per_30_days",
    _("Cases per 30 days"),
    _("cases registered in the window × 30 ÷ days in the window"),
    "cases",
)


@login_required
def action_list(request):
    """Every corrective action, open ones first, with its owner and due date."""
    require_analyst(request)
    actions = CorrectiveAction.objects.select_related("owner", "department", "incident")
    status = request.GET.get("status", "")
    if status in ActionStatus.values:
        actions = actions.filter(status=status)
    return render(
        request,
        "analytics/actions.html",
        {"actions": actions, "status": status, "statuses": ActionStatus.choices},
    )


@login_required
def action_new(request):
    """Create a corrective action; form errors in place, nothing written on error."""
    require_analyst(request)
    if not may_manage(request.user):
        raise PermissionDenied
    form = CorrectiveActionForm(request.POST or None, initial={"status": ActionStatus.PLANNED})
    if request.method == "POST" and form.is_valid():
        try:
            action = do_create_corrective_action(**form.values(), acting_user=request.user)
        except InvalidInput as error:
            form.add_action_errors(error)
        else:
            return redirect("staff:corrective_action", action.pk)
    return render(request, "analytics/action_form.html", {"form": form})


@login_required
def action_detail(request, action_id: int):
    """The action, the before/after of its target slice, its history; POST changes it."""
    require_analyst(request)
    action = CorrectiveAction.objects.filter(pk=action_id).first()
    if action is None:
        raise Http404
    form = CorrectiveActionForm.of(action)
    if request.method == "POST":
        form = CorrectiveActionForm(request.POST, action=action)
        if form.is_valid():
            try:
                do_update_corrective_action(action.pk, **form.values(), acting_user=request.user)
            except NotAllowed:
                raise PermissionDenied from None
            except InvalidInput as error:
                form.add_action_errors(error)
            else:
                return redirect("staff:corrective_action", action.pk)
    effect = before_after(request.user, action)
    rows = [
        {
            "measure": VOLUME_PER_30 if key == "volume_per_30_days" else MEASURE_BY_KEY[key],
            "before": effect["before"].measures[key] if effect["before"] else None,
            "after": effect["after"].measures[key] if effect["after"] else None,
            "change": effect["changes"].get(key),
        }
        for key in COMPARED
    ]
    return render(
        request,
        "analytics/action.html",
        {
            "action": action,
            "form": form,
            "effect": effect,
            "rows": rows,
            "events": action.events.select_related("actor"),
            "may_edit": may_manage(request.user) or action.owner_id == request.user.pk,
        },
    )
