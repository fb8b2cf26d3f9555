"""Chinese first: the language is Simplified Chinese unless the user chose another one."""

from django.conf import settings
from django.utils import translation


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
