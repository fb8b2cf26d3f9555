"""Error responses for what went wrong outside a view's own handling.

A database that can't be reached (PostgreSQL restarting, the SQLite file gone) answers
503 Service Unavailable with Retry-After, not 500: nothing was saved, and trying again
shortly is the right thing to do. API, Open311 and webhook clients get
application/problem+json with the code `database_unavailable`; people get a page in their
language that says their complaint was not sent. Rendering it touches no database."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.views import defaults

from hearline.api.errors import problem

RETRY_AFTER_SECONDS = 5
MACHINE_CLIENTS = ("/api/", "/open311/", "/webhooks/")


def server_error(request):
    """handler500: 503 for an unreachable database, else Django's plain 500 page."""
    error = sys.exc_info()[1]
    if not isinstance(error, (OperationalError, InterfaceError)):
        return defaults.server_error(request)
    if request.path.startswith(MACHINE_CLIENTS):
        response = problem(
            503,
            "database_unavailable",
            "The database is briefly unavailable; nothing was saved. Retry shortly.",
        )
    else:
        response = HttpResponse(loader.render_to_string("web/unavailable.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
