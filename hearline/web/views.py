"""Citizen-facing pages: the home page and the public progress look-up."""

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from hearline.cases.queries import lookup_public, timeline


def home(request):
    return render(request, "web/home.html")


@require_http_methods(["GET", "POST"])
def track(request):
    """Progress of a case for its complainant: tracking number plus phone number (or the
    secret token from the acknowledgement link). A wrong pair reveals nothing."""
    data = request.POST if request.method == "POST" else request.GET
    number = data.get("number", "").strip()
    case, error = None, None
    if number:
        case = lookup_public(number, phone=data.get("phone", ""), token=data.get("token", ""))
        if case is None:
            error = True
    events = timeline(case, public_only=True) if case else []
    return render(
        request,
        "web/track.html",
        {"case": case, "events": events, "error": error, "number": number},
    )
