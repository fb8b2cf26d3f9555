"""The supervision board (督办台) for supervisors: counts, late cases, approvals, urging."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hearline.accounts.models import Department
from hearline.accounts.roles import Role
from hearline.cases.actions import do_transition
from hearline.cases.labels import workflow_error_message
from hearline.cases.workflow import WorkflowError
from hearline.core.pagination import CappedPaginator

from .board import (
    appeals_waiting,
    department_counts,
    late_cases,
    open_cases_at,
    pending_requests,
)
from .models import Level

BOARD_ROLES = {Role.SUPERVISOR, Role.MANAGER, Role.ADMIN}
PENDING_SHOWN = 50
CASES_PAGE = 50
BOARD_ACTIONS = {"approve_suspension", "approve_extension", "reject_request", "urge"}


def _require_board(user) -> None:
    if not (user.is_superuser or user.roles & BOARD_ROLES):
        raise PermissionDenied


@login_required
def board(request):
    """The board (督办台): decisions waiting first (approvals, appeals), then the open cases
    per department and the most pressing late ones, each case once; a summary on one screen,
    every list on demand, every number a link to the cases behind it."""
    _require_board(request.user)
    user = request.user
    counts = department_counts(user)
    return render(
        request,
        "sla/board.html",
        {
            "counts": counts,
            "totals": {level: sum(getattr(c, level) for c in counts) for level in Level.values},
            "late": late_cases(user),
            "pending": CappedPaginator(pending_requests(user), PENDING_SHOWN).page(1),
            "appeals": CappedPaginator(appeals_waiting(user), PENDING_SHOWN).page(1),
            "can_act": Role.SUPERVISOR in user.roles,
        },
    )


@login_required
def board_cases(request):
    """The open cases behind one count of the board: `?level=` red, yellow or green, and
    `?department=` an id (none: every department the user sees)."""
    _require_board(request.user)
    level = request.GET.get("level", "")
    if level not in Level.values:
        raise Http404
    department = request.GET.get("department", "")
    department_id = int(department) if department.isdigit() else None
    found = open_cases_at(request.user, department_id, level)
    page = CappedPaginator(found, CASES_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "sla/board_cases.html",
        {
            "page": page,
            "level": level,
            "level_label": Level(level).label,
            "department": Department.objects.filter(pk=department_id).first(),
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
