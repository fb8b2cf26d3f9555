"""The staff workspace: work queues, search, the case page and its actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hearline.accounts.roles import Role
from hearline.analytics.exports import FORMATS, export_cases
from hearline.cases.actions import (
    do_log_phone_search,
    do_reveal_complainant,
    do_transition,
    masked_complainant,
    may_reveal_complainant,
)
from hearline.cases.labels import ACTION_LABELS, EVENT_LABELS, workflow_error_message
from hearline.cases.models import Attachment, CaseState
from hearline.cases.models.cases import Confirmation, Satisfaction
from hearline.cases.queries import (
    access_case,
    allowed_actions,
    cohandling_parts,
    timeline,
    visible_case_id,
)
from hearline.cases.workflow import InvalidInput, NotFound, State, WorkflowError
from hearline.core.ids import as_id
from hearline.core.pagination import CappedPaginator
from hearline.incidents.plans import runs_of
from hearline.incidents.queries import incident_of
from hearline.knowledge.actions import may_draft_article
from hearline.knowledge.offers import articles_for_case
from hearline.notify.models import MessageChannel, Purpose
from hearline.sla.models import CaseClock
from hearline.triage.models import CaseTriage, LexiconKind

from .action_forms import FORMS
from .queues import QUEUE_BY_KEY, SORTS, queues_for, search, searched_phone

PAGE_SIZE = 25
LANDING = [
    (Role.AGENT, "mine"),
    (Role.DISPATCHER, "dispatch"),
    (Role.HANDLER, "inbox"),
]


@login_required
def home(request):
    """Each role lands on its own work queue (supervisors on the board, managers on the
    dashboard)."""
    roles = request.user.roles
    for role, key in LANDING:
        if role in roles:
            return redirect(f"/staff/cases/?queue={key}")
    if Role.COORDINATOR in roles:
        return redirect("staff:incidents")
    if Role.SUPERVISOR in roles:
        return redirect("sla:board")
    if Role.MANAGER in roles:
        return redirect("staff:dashboard")
    return redirect("/staff/cases/?queue=all")


@login_required
def case_list(request):
    user = request.user
    available = queues_for(user)
    if not available:
        raise Http404
    queue = QUEUE_BY_KEY.get(request.GET.get("queue", ""), available[0])
    if queue not in available:
        queue = available[0]
    q, state, sort = (request.GET.get(k, "") for k in ("q", "state", "sort"))
    found = search(user, queue, q, state, sort or queue.default_sort)
    if searched_phone(q):
        do_log_phone_search(found, acting_user=user)
    if request.GET.get("format") in FORMATS:
        return export_cases(f"cases-{queue.key}", request.GET["format"], found)
    page = CappedPaginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "staff/case_list.html",
        {
            "queue": queue,
            "page": page,
            "q": q,
            "state": state,
            "sort": sort or queue.default_sort,
            "sorts": SORTS,
            "now": timezone.now(),
            "states": CaseState.choices,
            "bulk": queue.key == "dispatch",
            "dispatch_form": FORMS["dispatch"](user=user, case=None)
            if queue.key == "dispatch"
            else None,
        },
    )


def _case_context(request, case, forms=None, revealed=None):
    user = request.user
    actions = allowed_actions(user, case)
    forms = forms or {}
    action_forms = [
        (action, ACTION_LABELS[action], forms.get(action) or FORMS[action](user=user, case=case))
        for action in actions
        if action in FORMS  # incident steps are taken on the incident's page
    ]
    # Sending an article is offered only when some public article answers the case.
    action_forms = [
        (action, label, form)
        for action, label, form in action_forms
        if action != "send_article" or form.fields["article"].choices
    ]
    events = timeline(case)
    return {
        "case": case,
        # A supervisor's urging the handler has not acknowledged yet, on top of the page.
        "urged": events.filter(action="urge").last()
        if case.urge_pending and case.state in State.UNANSWERED
        else None,
        # 重办: why it is handled again (the complainant's reason, or the instruction of an
        # upheld appeal), and how the complainant rated the last answer.
        "reopened": events.filter(action__in=("reopen", "uphold_appeal")).last()
        if case.reopen_count and case.state in State.UNANSWERED
        else None,
        "rating_labels": dict(Confirmation.choices) | dict(Satisfaction.choices),
        "appealed": events.filter(action="appeal").last() if case.state == State.APPEALED else None,
        "incident": incident_of(case),
        "plan_runs": runs_of(case=case),
        "may_tick_plan": "complete_plan_step" in actions,
        "complainant": revealed or masked_complainant(case),
        "revealed": revealed is not None,
        "may_reveal": may_reveal_complainant(user, case),
        "events": events,
        "labels": EVENT_LABELS,
        "message_labels": dict(Purpose.choices) | dict(MessageChannel.choices),
        "attachments": case.attachments.all(),
        "clock": CaseClock.objects.filter(case=case).first(),
        "action_forms": action_forms,
        "cohandlers": case.co_departments.all(),
        "cohandling_parts": cohandling_parts(case),
        "extra_answers": case.category.describe_answers(case.attributes) if case.category else [],
        "triage": CaseTriage.objects.filter(case=case)
        .select_related("category", "department", "routing_rule", "repeat_of")
        .first(),
        "articles": articles_for_case(case, public_only=False),
        "may_draft_article": may_draft_article(user, case),
        "flag_labels": dict(LexiconKind.choices)
        | {"repeat": _("Repeat complaint"), "urgent_model": _("Possibly urgent (model)")},
    }


def case_or_404(user, case_id):
    try:
        return access_case(user, case_id)
    except NotFound:
        raise Http404 from None


@login_required
def case_detail(request, case_id: int):
    case = case_or_404(request.user, case_id)
    return render(request, "staff/case.html", _case_context(request, case))


@login_required
@require_POST
def reveal(request, case_id: int):
    """Show the complainant's data in full: allowed to the owner, handlers and supervisors,
    and logged."""
    case = case_or_404(request.user, case_id)
    try:
        data = do_reveal_complainant(
            case.pk, acting_user=request.user, reason=request.POST.get("reason", "")
        )
    except WorkflowError:
        messages.error(request, _("You may not see this complainant's personal data."))
        return redirect("staff:case", case_id=case.pk)
    return render(request, "staff/case.html", _case_context(request, case, revealed=data))


@login_required
@require_POST
def act(request, case_id: int, action: str):
    """Take one action from the case page; errors come back next to the fields."""
    case = case_or_404(request.user, case_id)
    form_class = FORMS.get(action)
    if form_class is None:
        raise Http404
    form = form_class(request.POST, request.FILES, user=request.user, case=case)
    if form.is_valid():
        try:
            version = int(request.POST.get("version", "")) if request.POST.get("version") else None
            payload = form.payload()
            cohandlers = payload.pop("cohandlers", [])
            do_transition(
                case.pk, action, acting_user=request.user, payload=payload, expected_version=version
            )
            for department in cohandlers:
                if department.pk != payload.get("department"):
                    do_transition(
                        case.pk,
                        "add_cohandler",
                        acting_user=request.user,
                        payload={"department": department.pk},
                    )
        except InvalidInput as exc:
            form.add_action_errors(exc)
        except WorkflowError as exc:
            messages.error(request, workflow_error_message(exc))
            return redirect("staff:case", case_id=case.pk)
        else:
            messages.success(request, _("%(action)s: done.") % {"action": ACTION_LABELS[action]})
            if visible_case_id(request.user, pk=case.pk) is not None:
                back = request.POST.get("next", "")
                if back.startswith(f"/staff/cases/{case.pk}/"):
                    return redirect(back)
                return redirect("staff:case", case_id=case.pk)
            return redirect("staff:home")
    case.refresh_from_db()
    context = _case_context(request, case, forms={action: form})
    context["open_action"] = action
    return render(request, "staff/case.html", context, status=422)


@login_required
@require_POST
def bulk_dispatch(request):
    """Dispatch several selected cases to one department at once."""
    form = FORMS["dispatch"](request.POST, user=request.user, case=None)
    ids = [pk for pk in map(as_id, request.POST.getlist("cases")) if pk is not None]
    if not ids or not form.is_valid():
        messages.error(request, _("Choose the cases and a department."))
        return redirect("/staff/cases/?queue=dispatch")
    done, failed = 0, 0
    for case_id in ids:
        try:
            do_transition(
                case_id,
                "dispatch",
                acting_user=request.user,
                payload={"department": form.cleaned_data["department"].pk},
            )
            done += 1
        except WorkflowError:
            failed += 1
    messages.success(
        request,
        _("%(done)d dispatched, %(failed)d not dispatched.") % {"done": done, "failed": failed},
    )
    return redirect("/staff/cases/?queue=dispatch")


@login_required
def attachment(request, case_id: int, attachment_id: int):
    """Download an attachment of a case the user may see."""
    case = case_or_404(request.user, case_id)
    item = get_object_or_404(Attachment, pk=attachment_id, case=case)
    return FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.original_name,
        content_type=item.content_type,
    )
