"""Incident pages: the coordinator's list and incident page with its actions, the
vulnerable households, and the public incident pages (bulletins, no personal data)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hearline.accounts.roles import Role
from hearline.cases.labels import workflow_error_message
from hearline.cases.queries import cases_visible_to
from hearline.cases.workflow import InvalidInput, NotFound, State, WorkflowError

from . import actions, forms
from .models import Incident, PlanRunStep
from .plans import runs_of
from .queries import (
    access_incident,
    delivery_counts,
    incidents_visible_to,
    may_coordinate,
    proposed_and_running_first,
)
from .workflow import ACTIVE, PUBLIC, IncidentState, available_steps

LINKED_SHOWN = 100


def _incident_or_404(user, incident_id):
    try:
        return access_incident(user, incident_id)
    except NotFound:
        raise Http404 from None


@login_required
def incident_list(request):
    """Proposed and running incidents first, then the finished ones."""
    user = request.user
    incidents = proposed_and_running_first(
        incidents_visible_to(user)
        .select_related("kind", "coordinator")
        .annotate(n_cases=Count("links"))
    )[:200]
    return render(
        request,
        "incidents/list.html",
        {
            "incidents": incidents,
            "may_open": Role.COORDINATOR in user.roles,
            "open_form": forms.OpenForm(),
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def incident_open(request):
    """A coordinator opens an incident by hand; errors come back next to the fields."""
    form = forms.OpenForm(request.POST)
    if form.is_valid():
        try:
            incident = actions.do_open_incident(**form.values(), acting_user=request.user)
        except InvalidInput as exc:
            form.add_action_errors(exc)
        except WorkflowError as exc:
            messages.error(request, workflow_error_message(exc))
            return redirect("staff:incidents")
        else:
            return redirect("staff:incident", incident_id=incident.pk)
    incidents = proposed_and_running_first(
        incidents_visible_to(request.user).annotate(n_cases=Count("links"))
    )
    return render(
        request,
        "incidents/list.html",
        {"incidents": incidents[:200], "may_open": True, "open_form": form, "opening": True},
        status=422,
    )


def _forms_for(incident: Incident, bound: dict | None = None) -> dict:
    initial_area = {
        "title": incident.title,
        "districts": " ".join(incident.districts or []),
        "centre_lat": incident.centre_lat,
        "centre_lng": incident.centre_lng,
        "radius_m": incident.radius_m,
        "expected_restoration_at": incident.expected_restoration_at,
        "measures": incident.measures,
        "summary": incident.summary,
        "bulletin_interval_hours": incident.bulletin_interval_hours,
    }
    made = {
        "confirm": forms.AreaForm(initial=initial_area),
        "update": forms.AreaForm(initial=initial_area),
        "dismiss": forms.ReasonForm(),
        "publish_bulletin": forms.BulletinForm(initial={"measures": incident.measures}),
        "link": forms.LinkForm(),
        "unlink": forms.UnlinkForm(),
        "own_needs": forms.OwnNeedsForm(),
        "close": forms.CloseForm(initial={"restored_at": timezone.now()}),
        "review": forms.ReviewForm(),
        "follow_up": forms.FollowUpForm(),
        "stabilise": forms.IncidentForm(),
        "join": forms.IncidentForm(),
    }
    made.update(bound or {})
    return made


STEP_LABELS = {  # lazy: translated per request
    "confirm": gettext_lazy("Confirm the incident"),
    "dismiss": gettext_lazy("Dismiss the proposal"),
    "update": gettext_lazy("Change area, expected restoration, measures"),
    "publish_bulletin": gettext_lazy("Publish a bulletin"),
    "link": gettext_lazy("Link cases"),
    "unlink": gettext_lazy("Unlink a case"),
    "own_needs": gettext_lazy("Mark a case as needing more"),
    "stabilise": gettext_lazy("Situation under control"),
    "close": gettext_lazy("Restoration notice (closes the incident)"),
    "review": gettext_lazy("Post-incident review"),
    "follow_up": gettext_lazy("Follow up all answered cases (回访)"),
    "join": gettext_lazy("Join with my organisation"),
}


EVENT_LABELS = {
    "propose": gettext_lazy("Proposed by Hearline"),
    "open": gettext_lazy("Opened"),
    "confirm": gettext_lazy("Confirmed"),
    "dismiss": gettext_lazy("Dismissed"),
    "expire": gettext_lazy("Expired (nobody confirmed it)"),
    "update": gettext_lazy("Changed"),
    "link": gettext_lazy("Cases linked"),
    "unlink": gettext_lazy("Case unlinked"),
    "stabilise": gettext_lazy("Situation under control"),
    "publish_bulletin": gettext_lazy("Bulletin published"),
    "bulletin_overdue": gettext_lazy("Bulletin overdue"),
    "record_support": gettext_lazy("Delivery to a household"),
    "close": gettext_lazy("Restoration notice"),
    "review": gettext_lazy("Post-incident review"),
    "join": gettext_lazy("Another organisation joined"),
    "aftermath": gettext_lazy("Complaint after restoration decided"),
    "follow_up": gettext_lazy("Cases followed up"),
    "plan_step": gettext_lazy("Plan step done (预案)"),
}


def _context(request, incident: Incident, bound: dict | None = None) -> dict:
    user = request.user
    coordinating = may_coordinate(user, incident)
    steps = available_steps(incident.state) if coordinating else []
    if "unlink" in steps:
        steps.append("own_needs")
    if not coordinating and Role.COORDINATOR in user.roles and incident.is_active:
        steps.append("join")
    step_forms = _forms_for(incident, bound)
    links = incident.links.select_related("case").order_by("-linked_at")
    shown = links.filter(case__in=cases_visible_to(user))
    return {
        "incident": incident,
        "coordinating": coordinating,
        "steps": [(s, STEP_LABELS[s], step_forms[s]) for s in steps if s in STEP_LABELS],
        "n_linked": links.count(),
        "n_open": links.filter(case__state__in=State.UNANSWERED).count(),
        "links": shown[:LINKED_SHOWN],
        "bulletins": incident.bulletins.select_related("published_by").order_by("seq"),
        "deliveries": delivery_counts(incident.bulletins.all()),
        "events": incident.events.select_related("actor").order_by("seq"),
        "event_labels": EVENT_LABELS,
        "corrective_actions": incident.corrective_actions.all(),
        "plan_runs": runs_of(incident=incident),
        "aftermath": (
            incident.aftermath.filter(decided_at__isnull=True)
            .select_related("case")
            .order_by("proposed_at")
            if coordinating
            else []
        ),
        "now": timezone.now(),
        "active": incident.state in ACTIVE,
        "public": incident.state in PUBLIC,
    }


@login_required
def incident_detail(request, incident_id: int):
    """The incident page: area, bulletins with delivery counts, linked cases, history, and
    the coordinator's actions for its state."""
    incident = _incident_or_404(request.user, incident_id)
    return render(request, "incidents/incident.html", _context(request, incident))


def _run(request, incident: Incident, step: str, form) -> str:
    """Call the action behind `step` with the form's input; returns the success message."""
    user, pk = request.user, incident.pk
    if step == "confirm":
        actions.do_confirm_incident(pk, **form.values(), acting_user=user)
        return _("The incident is open; the linked cases are being marked.")
    if step == "update":
        actions.do_update_incident(pk, **form.values(), acting_user=user)
        return _("Saved.")
    if step == "dismiss":
        actions.do_dismiss_incident(pk, reason=form.cleaned_data["reason"], acting_user=user)
        return _("Proposal dismissed.")
    if step == "publish_bulletin":
        data = form.cleaned_data
        bulletin = actions.do_publish_bulletin(
            pk,
            text=data["text"],
            expected_restoration_at=data.get("expected_restoration_at"),
            measures=data.get("measures"),
            acting_user=user,
        )
        return _("Bulletin %(seq)d published; it is being sent to the complainants.") % {
            "seq": bulletin.seq
        }
    if step == "link":
        linked = actions.do_link_cases(pk, form.numbers_list(), acting_user=user)
        return _("%(n)d cases linked.") % {"n": len(linked)}
    if step == "unlink":
        data = form.cleaned_data
        actions.do_unlink_case(pk, data["number"], reason=data["reason"], acting_user=user)
        return _("Case unlinked.")
    if step == "own_needs":
        data = form.cleaned_data
        actions.do_mark_own_needs(pk, data["number"], own_needs=data["own_needs"], acting_user=user)
        return _("Saved.")
    if step == "aftermath":
        linked = form.cleaned_data["linked"] == "yes"
        number = form.cleaned_data["number"]
        actions.do_decide_aftermath(pk, number, linked=linked, acting_user=user)
        if linked:
            return _("Case %(number)s linked to the incident.") % {"number": number}
        return _("Case %(number)s marked unrelated.") % {"number": number}
    if step == "follow_up":
        actions.do_follow_up_incident(pk, result=form.cleaned_data["result"], acting_user=user)
        return _("The follow-up is being recorded on the answered cases.")
    if step == "stabilise":
        actions.do_stabilise_incident(pk, acting_user=user)
        return _("Saved.")
    if step == "join":
        actions.do_join_incident(pk, acting_user=user)
        return _("Your organisation joined the incident; you now help run it.")
    if step == "close":
        data = form.cleaned_data
        actions.do_close_incident(pk, **data, acting_user=user)
        return _("Restoration notice published; the linked cases are being replied to.")
    if step == "review":
        actions.do_review_incident(
            pk,
            summary=form.cleaned_data["summary"],
            corrective_actions=form.corrective_actions(),
            acting_user=user,
        )
        return _("Review recorded.")
    raise Http404


FORM_CLASSES = {
    "confirm": forms.AreaForm,
    "update": forms.AreaForm,
    "dismiss": forms.ReasonForm,
    "publish_bulletin": forms.BulletinForm,
    "link": forms.LinkForm,
    "unlink": forms.UnlinkForm,
    "own_needs": forms.OwnNeedsForm,
    "aftermath": forms.AftermathForm,
    "stabilise": forms.IncidentForm,
    "join": forms.IncidentForm,
    "close": forms.CloseForm,
    "review": forms.ReviewForm,
    "follow_up": forms.FollowUpForm,
}


@login_required
@require_POST
def incident_act(request, incident_id: int, step: str):
    """One coordinator action from the incident page; errors come back next to the fields."""
    incident = _incident_or_404(request.user, incident_id)
    form_class = FORM_CLASSES.get(step)
    if form_class is None:
        raise Http404
    form = form_class(request.POST)
    if form.is_valid():
        try:
            done = _run(request, incident, step, form)
        except InvalidInput as exc:
            form.add_action_errors(exc)
        except WorkflowError as exc:
            messages.error(request, workflow_error_message(exc))
            return redirect("staff:incident", incident_id=incident.pk)
        else:
            messages.success(request, done)
            return redirect("staff:incident", incident_id=incident.pk)
    incident.refresh_from_db()
    context = _context(request, incident, bound={step: form})
    context["open_step"] = step
    return render(request, "incidents/incident.html", context, status=422)


@login_required
@require_POST
def complete_plan_step(request, step_id: int):
    """Tick off a step of a plan (预案) from the case or incident page it is shown on; back
    to that page, with the reason when it was refused."""
    step = get_object_or_404(PlanRunStep.objects.select_related("run"), pk=step_id)
    run = step.run
    try:
        actions.do_complete_plan_step(
            step_id, acting_user=request.user, note=request.POST.get("note", "")[:500]
        )
    except WorkflowError as exc:
        messages.error(request, workflow_error_message(exc))
    else:
        messages.success(request, _("Step ticked off: %(step)s") % {"step": step.text})
    if run.case_id is not None:
        return redirect("staff:case", case_id=run.case_id)
    return redirect("staff:incident", incident_id=run.incident_id)


@login_required
def households(request, incident_id: int):
    """The vulnerable households, for the coordinators (each view logged)."""
    incident = _incident_or_404(request.user, incident_id)
    try:
        rows = actions.do_view_households(incident.pk, acting_user=request.user)
    except WorkflowError:
        raise Http404 from None
    return render(
        request,
        "incidents/households.html",
        {"incident": incident, "rows": rows, "form": forms.SupportForm()},
    )


@login_required
@require_POST
def record_support(request, incident_id: int):
    """Record a delivery to a household from the households page."""
    incident = _incident_or_404(request.user, incident_id)
    form = forms.SupportForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_record_support(
                incident.pk,
                complainant_id=data["complainant"],
                what=data["what"],
                note=data["note"],
                acting_user=request.user,
            )
        except WorkflowError as exc:
            messages.error(request, workflow_error_message(exc))
        else:
            messages.success(request, _("Delivery recorded."))
    else:
        messages.error(request, _("Say what was delivered."))
    return redirect("staff:incident_households", incident_id=incident.pk)


# --- public -----------------------------------------------------------------------------


def public_list(request):
    """Incidents the public is told about: running ones, and those restored in the last 30
    days."""
    since = timezone.now() - timedelta(days=30)
    incidents = (
        Incident.objects.filter(state__in=PUBLIC)
        .filter(Q(resolved_at__isnull=True) | Q(resolved_at__gte=since))
        .select_related("kind")
        .order_by("-started_at")[:50]
    )
    return render(request, "incidents/public_list.html", {"incidents": incidents})


def public_detail(request, incident_id: int):
    """One incident for the public: area, expected restoration, temporary measures and the
    bulletins in order. No names, no case numbers, nothing about complainants."""
    incident = get_object_or_404(
        Incident.objects.select_related("kind"), pk=incident_id, state__in=PUBLIC
    )
    return render(
        request,
        "incidents/public.html",
        {
            "incident": incident,
            "bulletins": incident.bulletins.order_by("seq"),
            "running": incident.state in (IncidentState.OPEN, IncidentState.STABILISING),
        },
    )
