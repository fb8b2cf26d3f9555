"""The citizen portal: submit a complaint, follow it, rate the answer, ask for a reopen or
appeal. Works without JavaScript."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hearline.accounts.loading import staff_by_username
from hearline.accounts.models import User
from hearline.cases.actions import do_complainant_transition, do_register_case, do_transition
from hearline.cases.complainant_lookup import look_up_for_complainant
from hearline.cases.files import CheckedFile, check_upload
from hearline.cases.labels import EVENT_LABELS, error_text
from hearline.cases.queries import lookup_public, timeline
from hearline.cases.workflow import (
    InvalidInput,
    State,
    StorageUnavailable,
    WorkflowError,
)
from hearline.core.ids import as_id
from hearline.core.throttle import Throttled, client_address
from hearline.incidents.compose import bulletin_text
from hearline.incidents.queries import incident_of
from hearline.incidents.workflow import PUBLIC

from . import portal_answers
from .intake_forms import MAX_PHOTOS, PortalForm
from .portal_forms import AppealForm, PublicRatingForm, ReopenForm
from .promise import promise_context


def home(request):
    return render(request, "web/home.html")


def _portal_desk() -> User | None:
    """The account that registers web submissions (the web intake desk, an agent), with its
    department and roles loaded."""
    return staff_by_username(settings.HEARLINE_PORTAL_USERNAME)


@require_http_methods(["GET", "POST"])
def submit(request):
    """A citizen's complaint: validated in full (files included) before anything is saved;
    a double-clicked submit registers one case."""
    if request.method == "POST" and request.POST.get("look"):
        return portal_answers.look_first(request)
    if request.method == "POST" and as_id(request.POST.get("declined_article", "")):
        portal_answers.record_declined(request)
    form = PortalForm(request.POST or None, scope=browser_scope(request))
    desk = _portal_desk()
    if request.method == "POST" and form.is_valid():
        photos = request.FILES.getlist("photos")[: MAX_PHOTOS + 1]
        checked = []
        if len(photos) > MAX_PHOTOS:
            form.add_error(None, _("At most %(n)d photos.") % {"n": MAX_PHOTOS})
        for upload in photos:
            photo, code = check_upload(upload.name, upload)
            if code:
                form.add_error(None, f"{upload.name}: {error_text(code)}")
            checked.append(photo)
        if desk is None:
            form.add_error(None, _("Online submission is not set up yet; please call the hotline."))
        if not form.errors:
            try:
                registration = do_register_case(form.submission(), acting_user=desk)
            except InvalidInput as exc:
                form.add_action_errors(exc)
            else:
                case = registration.case
                if registration.created:
                    _attach_photos(request, case, checked, desk)
                return redirect(
                    f"/submitted/?number={case.tracking_number}&token={case.public_token}"
                )
    status = 422 if request.method == "POST" else 200
    return render(
        request, "web/submit.html", {"form": form, "max_photos": MAX_PHOTOS}, status=status
    )


def browser_scope(request) -> str:
    """What tells one citizen's browser from another's: its CSRF cookie's secret (every
    portal form posts it), never something the page itself hands out. Without one, a scope
    of this request alone."""
    return "browser:" + (request.META.get("CSRF_COOKIE") or uuid.uuid4().hex)


def _attach_photos(request, case, photos: list[CheckedFile], desk: User) -> None:
    """Attach the checked photos to the registered case. The complaint stands even when the
    attachment store is full: the citizen is told the photos were not kept."""
    try:
        for photo in photos:
            do_transition(
                case.pk, "attach", acting_user=desk, payload={"file": photo, "kind": "photo"}
            )
    except StorageUnavailable:
        messages.warning(
            request,
            _("Your complaint was received, but the photos could not be stored just now."),
        )


def submitted(request):
    case = lookup_public(request.GET.get("number", ""), token=request.GET.get("token", ""))
    if case is None:
        return redirect("web:track")
    return render(request, "web/submitted.html", {"case": case, **promise_context(case)})


def _public_forms(case, data=None, failed=None):
    forms = {}
    if case.state == State.REPLIED:
        forms["record_rating"] = PublicRatingForm(data if failed == "record_rating" else None)
    if case.state in (State.REPLIED, State.CONFIRMED, State.FOLLOWED_UP):
        forms["reopen"] = ReopenForm(data if failed == "reopen" else None)
        forms["appeal"] = AppealForm(data if failed == "appeal" else None)
    return forms


THROTTLED = "throttled"


@require_http_methods(["GET", "POST"])
def track(request):
    """Progress of a case for its complainant: tracking number plus phone number (posted,
    never in a URL that logs would keep) or the secret token from the acknowledgement link.
    A wrong pair reveals nothing; too many wrong phones are refused (429) until they age
    (see `complainant_lookup`), the secret link never."""
    data = request.POST if request.method == "POST" else request.GET
    number = data.get("number", "").strip()
    if not number:
        return _render_track(request, None, number)
    phone = request.POST.get("phone", "")
    case = _throttled_lookup(request, number, phone=phone, token=data.get("token", ""))
    if case == THROTTLED:
        return _render_track(request, None, number, THROTTLED, status=429)
    return _render_track(request, case, number, None if case else "wrong")


def _throttled_lookup(request, number: str, phone: str = "", token: str = ""):
    """The case for a public look-up, None for a wrong pair (counted), or THROTTLED."""
    try:
        return look_up_for_complainant(
            number, phone=phone, token=token, client=client_address(request)
        )
    except Throttled:
        return THROTTLED


def _progress(case) -> tuple[list[tuple], object]:
    """The public timeline of the case, with the bulletins of the incident it belongs to
    merged in by time: (time, what, text) rows; and the incident."""
    rows = [
        (e.created_at, e.to_state_label, _own_words(e)) for e in timeline(case, public_only=True)
    ]
    incident = incident_of(case, PUBLIC)
    if incident:
        for bulletin in incident.bulletins.order_by("seq"):
            label = _("Incident bulletin %(seq)d") % {"seq": bulletin.seq}
            if bulletin.restoration:
                label = _("Restored")
            rows.append((bulletin.published_at, label, bulletin_text(bulletin)))
    rows.sort(key=lambda row: row[0])
    return rows, incident


def _own_words(event) -> str:
    """What the complainant wrote with a step they took (the reason of their appeal or
    reopen), shown back to them; what staff wrote stays inside."""
    return event.details.get("reason", "") if event.details.get("by") == "complainant" else ""


def _render_track(request, case, number, error=None, forms=None, status=200):
    events, incident = _progress(case) if case else ([], None)
    return render(
        request,
        "web/track.html",
        {
            "case": case,
            "incident": incident,
            "events": events,
            "error": error,
            "number": number,
            "forms": forms if forms is not None else (_public_forms(case) if case else {}),
            "labels": EVENT_LABELS,
            **(promise_context(case) if case else {}),
        },
        status=status,
    )


@require_POST
def respond(request, action: str):
    """The complainant rates the answer, or asks for a reopen or appeal."""
    number = request.POST.get("number", "").strip()
    case = _throttled_lookup(request, number, token=request.POST.get("token", ""))
    if case is None or case == THROTTLED:
        return redirect("web:track")
    form_class = {
        "record_rating": PublicRatingForm,
        "reopen": ReopenForm,
        "appeal": AppealForm,
    }.get(action)
    form = form_class(request.POST) if form_class else None
    if form is None or not form.is_valid():
        forms = _public_forms(case, request.POST, failed=action)
        return _render_track(request, case, case.tracking_number, forms=forms, status=422)
    try:
        do_complainant_transition(case, action, payload=form.cleaned_data)
    except InvalidInput as exc:
        form.add_action_errors(exc)
        forms = _public_forms(case) | {action: form}
        return _render_track(request, case, case.tracking_number, forms=forms, status=422)
    except WorkflowError:
        messages.error(request, _("This is no longer possible for this case."))
    else:
        messages.success(request, _("Thank you. Your answer has been recorded."))
    return redirect(f"/track/?number={case.tracking_number}&token={case.public_token}")
