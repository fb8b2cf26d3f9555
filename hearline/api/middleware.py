"""Refuse NUL characters anywhere in an API request's path, query or JSON body: no text
column can store them (PostgreSQL refuses them outright), so they are a 422, not a 500."""

from .errors import problem

_NUL_MARKERS = (b"\x00", b"\\u0000")


class RejectNulCharacters:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/") and self._has_nul(request):
            return problem(
                422,
                "validation_failed",
                "NUL characters are not accepted",
                fields={"request": "invalid_character"},
            )
        return self.get_response(request)

    @staticmethod
    def _has_nul(request) -> bool:
        if (
            "\x00" in request.path
            or "\x00" in request.META.get("QUERY_STRING", "")
            or "%00" in request.META.get("QUERY_STRING", "")
        ):
            return True
        if request.content_type.startswith("multipart/"):
            return False  # uploaded files are binary; their names and fields are checked by forms
        body = request.body.lower()
        return any(marker in body for marker in _NUL_MARKERS)
