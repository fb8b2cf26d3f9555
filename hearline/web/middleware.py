"""Chinese first: the language is Simplified Chinese unless the user chose another one.
Requests too large to read are refused before they are read."""

from django.conf import settings
from django.http import HttpResponse
from django.template import loader
from django.utils import translation

from hearline.api.errors import problem

from .errors import MACHINE_CLIENTS


class ChosenLanguageMiddleware:
    """Activates the language chosen with Django's set_language view (its cookie), else
    LANGUAGE_CODE. A browser's Accept-Language alone does not switch the interface: staff
    on English-language systems still get the Chinese UI their colleagues see."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class RefuseOversizedRequests:
    """Answers 413 to a request whose declared body (Content-Length) is larger than
    HEARLINE_REQUEST_MAX_BYTES, before anything reads it: API, Open311 and webhook clients
    get application/problem+json with the code `request_too_large` and the limit, people a
    page in their language. Nothing is changed. (A body without Content-Length is not read
    by Django at all.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        limit = settings.HEARLINE_REQUEST_MAX_BYTES
        if declared <= limit:
            return self.get_response(request)
        if request.path.startswith(MACHINE_CLIENTS):
            return problem(
                413,
                "request_too_large",
                f"the request body is larger than {limit} bytes; nothing was saved",
                limit=limit,
            )
        page = loader.render_to_string("web/too_large.html", {"limit_mb": limit // 2**20})
        return HttpResponse(page, status=413)
