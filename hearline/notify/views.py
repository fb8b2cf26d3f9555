"""The staff member's inbox: every notice Hearline wrote them (unread first, a filter by
kind, mark read, open the case), the badge in the navigation, and the choice of the notices
that also come by e-mail or SMS."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hearline.cases.labels import ACTION_LABELS
from hearline.core.errors import InvalidInput, NotFound
from hearline.core.ids import as_id
from hearline.core.pagination import CappedPaginator

from .actions import do_mark_notification_read, do_mark_notifications_read, do_set_notice_channels
from .forms import NoticeChannelsForm
from .inbox import BADGE_CAP, inbox, unread_count
from .models import Notification, NotificationKind

PAGE_SIZE = 30


@login_required
@require_GET
def notification_list(request):
    """The inbox, unread first; `?unread=1` only the unread, `?kind=` one kind."""
    kind = request.GET.get("kind", "")
    kind = kind if kind in NotificationKind.values else ""
    unread = request.GET.get("unread") == "1"
    found = inbox(request.user, unread=unread, kind=kind)
    page = CappedPaginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notify/inbox.html",
        {
            "page": page,
            "rows": [(notice, _what(notice)) for notice in page],
            "kind": kind,
            "unread": unread,
            "kinds": NotificationKind.choices,
        },
    )


def _what(notice: Notification) -> str:
    """The notice's words; a step notice written before notices had words names its step."""
    if notice.text:
        return notice.text
    if notice.event is not None:
        return str(ACTION_LABELS.get(notice.event.action, notice.event.action))
    return ""


@login_required
@require_GET
def badge(request):
    """The navigation's badge of unread notices (htmx polls it)."""
    return render(
        request,
        "notify/_badge.html",
        {
            "nav_unread": unread_count(request.user),
            "badge_cap": BADGE_CAP,
            "nav_poll_seconds": settings.HEARLINE_NOTICE_POLL_SECONDS,
        },
    )


@login_required
@require_POST
def open_notification(request, notification_id: int):
    """Mark the notice read and go to what it is about: its case, its incident, or back to
    the inbox."""
    notice = _read(request, notification_id)
    if notice.case_id:
        return redirect("staff:case", notice.case_id)
    if notice.incident_id:
        return redirect("staff:incident", notice.incident_id)
    return redirect("staff:notifications")


@login_required
@require_POST
def mark_read(request):
    """Mark one notice (`id`) or all of them (of the filtered `kind`) read."""
    if request.POST.get("id"):
        _read(request, request.POST["id"])
    else:
        kind = request.POST.get("kind", "")
        count = do_mark_notifications_read(
            acting_user=request.user, kind=kind if kind in NotificationKind.values else ""
        )
        messages.success(request, _("%(n)d notices marked read.") % {"n": count})
    return redirect(_back_to_inbox(request))


def _read(request, notification_id) -> Notification:
    pk = as_id(notification_id)
    if pk is None:
        raise Http404
    try:
        return do_mark_notification_read(pk, acting_user=request.user)
    except NotFound:
        raise Http404 from None


def _back_to_inbox(request) -> str:
    query = request.POST.get("return_query", "")
    return reverse("staff:notifications") + (f"?{query}" if query else "")


@login_required
def notice_settings(request):
    """The channels each kind of notice also comes by, and the mobile number for SMS."""
    form = NoticeChannelsForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            do_set_notice_channels(
                form.choices(), acting_user=request.user, mobile=form.cleaned_data["mobile"]
            )
        except InvalidInput as exc:
            form.add_action_errors(exc)
        else:
            messages.success(request, _("Your notice settings were saved."))
            return redirect("staff:notice_settings")
    status = 422 if request.method == "POST" else 200
    return render(request, "notify/settings.html", {"form": form}, status=status)
