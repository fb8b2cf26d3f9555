"""Registering complaints: the agent's phone form with read-back, and the phone look-up."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from hearline.accounts.roles import Role
from hearline.cases.actions import do_log_phone_search, do_register_case
from hearline.cases.models import Case
from hearline.cases.queries import allowed_actions, intake_scope, of_phone
from hearline.cases.readback import acknowledgement_text, readback_text
from hearline.cases.workflow import InvalidInput
from hearline.core.ids import as_id
from hearline.core.phones import phone_digits
from hearline.incidents.detection import notice_for
from hearline.incidents.queries import incident_of
from hearline.incidents.workflow import IncidentState
from hearline.knowledge.actions import published_article
from hearline.knowledge.search import search
from hearline.triage.assist import assist

from .action_forms import FORMS
from .intake_forms import AgentIntakeForm
from .promise import promise_context
from .staff_views import case_or_404

INTAKE_ROLES = {Role.AGENT, Role.DISPATCHER}


def _require_intake(user) -> None:
    if not user.roles & INTAKE_ROLES:
        raise PermissionDenied


@login_required
def intake(request):
    """Register a phone call: on success, the read-back page; on error, the form again with
    the errors next to the fields and nothing saved."""
    _require_intake(request.user)
    form = AgentIntakeForm(request.POST or None, scope=f"user:{request.user.pk}")
    if request.method == "POST" and form.is_valid():
        try:
            registration = do_register_case(form.submission(), acting_user=request.user)
        except InvalidInput as exc:
            form.add_action_errors(exc)
        else:
            url = reverse("staff:readback", args=[registration.case.pk])
            article = form.cleaned_data.get("article")
            return redirect(f"{url}?article={article}" if article else url)
    status = 422 if request.method == "POST" else 200
    return render(request, "staff/intake.html", {"form": form}, status=status)


@login_required
def readback(request, case_id: int):
    """复述确认: the summary to read to the caller, the tracking number, and closing on the
    spot for a question answered at once."""
    case = case_or_404(request.user, case_id)
    article = _chosen_article(request.GET.get("article", ""))
    close_form = FORMS["close_on_spot"](
        user=request.user,
        case=case,
        initial={"reply": article.summary, "article": article.pk} if article else {},
    )
    may_send = bool(
        article and article.is_public and "send_article" in allowed_actions(request.user, case)
    )
    on_the_call = case.state == "registered" and case.owner_id == request.user.pk
    return render(
        request,
        "staff/readback.html",
        {
            "case": case,
            "readback": readback_text(case, on_the_call=on_the_call),
            "acknowledgement": acknowledgement_text(case),
            **promise_context(case),
            "close_form": close_form if on_the_call else None,
            "incident": _running_incident_notice(case),
            "article": article,
            "may_send": may_send,
        },
    )


def _chosen_article(ref: str):
    """The published article the agent chose at intake, if it still is published."""
    try:
        return published_article(ref, public_only=False)
    except InvalidInput:
        return None


def _running_incident_notice(case) -> dict | None:
    """The running incident the case was linked to, with its latest bulletin to read out."""
    incident = incident_of(case, (IncidentState.OPEN, IncidentState.STABILISING))
    return notice_for(incident) if incident else None


@login_required
@require_GET
def lookup(request):
    """The caller's earlier cases, found by phone number while the agent types (htmx):
    among the cases the desk may find (`intake_scope`); a number that matches is logged as
    an access to the phone of each case shown that the agent may not reveal."""
    _require_intake(request.user)
    phone = phone_digits(request.GET.get("phone", ""))
    earlier = []
    if len(phone) >= 7:
        within = intake_scope(request.user)
        cases = of_phone(Case.objects if within is None else Case.objects.filter(within), phone)
        earlier = list(
            cases.select_related("category", "department").order_by("-registered_at")[:10]
        )
        if earlier:
            do_log_phone_search(
                cases.filter(pk__in=[c.pk for c in earlier]), acting_user=request.user
            )
    return render(request, "staff/_earlier_cases.html", {"earlier": earlier, "phone": phone})


@login_required
@require_GET
def suggest(request):
    """Triage suggestions while the agent types the complaint (htmx)."""
    _require_intake(request.user)
    text = request.GET.get("description", "").strip()
    result = None
    if len(text) >= 6:
        category = request.GET.get("category", "")
        result = assist(
            text,
            acting_user=request.user,
            district=request.GET.get("district", ""),
            category_id=as_id(category),
            phone=request.GET.get("phone", ""),
        )
    articles = search(text, public_only=False, limit=3) if len(text) >= 4 else []
    return render(request, "staff/_suggestions.html", {"result": result, "articles": articles})
