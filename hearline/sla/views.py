"""The supervision board (督办台) for supervisors: counts, late cases, approvals, urging."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hearline.accounts.roles import Role
from hearline.cases.actions import do_transition
from hearline.cases.labels import workflow_error_message
from hearline.cases.workflow import WorkflowError
from hearline.core.pagination import CappedPaginator

from .board import department_counts, late_cases, pending_requests

BOARD_ROLES = {Role.SUPERVISOR, Role.MANAGER, Role.ADMIN}
PENDING_SHOWN = 50
BOARD_ACTIONS = {"approve_suspension", "approve_extension", "reject_request", "urge"}


def _require_board(user) -> None:
    if not (user.is_superuser or user.roles & BOARD_ROLES):
        raise PermissionDenied


@login_required
def board(request):
    _require_board(request.user)
    return render(
        request,
        "sla/board.html",
        {
            "counts": department_counts(request.user),
            "late": late_cases(request.user),
            "pending": CappedPaginator(pending_requests(request.user), PENDING_SHOWN).page(1),
            "can_act": Role.SUPERVISOR in request.user.roles,
        },
    )


@login_required
@require_POST
def act(request):
    """Approve or reject a request, or urge a case, from the board."""
    _require_board(request.user)
    action = request.POST.get("action", "")
    if action not in BOARD_ACTIONS:
        messages.error(request, _("Unknown action."))
        return redirect("sla:board")
    try:
        case_id = int(request.POST.get("case", ""))
    except ValueError:
        messages.error(request, _("Unknown case."))
        return redirect("sla:board")
    payload = {k: request.POST.get(k, "") for k in ("reason", "note")}
    try:
        case = do_transition(case_id, action, acting_user=request.user, payload=payload)
    except WorkflowError as exc:
        messages.error(request, workflow_error_message(exc))
    else:
        messages.success(request, _("Done: %(number)s.") % {"number": case.tracking_number})
    return redirect("sla:board")
