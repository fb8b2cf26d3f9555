"""Errors as application/problem+json (RFC 9457), each with a machine-readable code."""

from django.http import Http404, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from hearline.cases.workflow import WorkflowError

from .schemas import ERRORS

PROBLEM = "application/problem+json"
TITLES = {
    400: "Bad request",
    401: "Authentication required",
    403: "Forbidden",
    404: "Not found",
    409: "Conflict",
    413: "Content too large",
    422: "Validation failed",
    503: "Service unavailable",
    507: "Insufficient storage",
}
_ERROR_CODES = {str(code) for code in ERRORS}


class HearlineAPI(NinjaAPI):
    """The API whose OpenAPI document gives error responses the media type they are sent
    with (application/problem+json)."""

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if str(status) in _ERROR_CODES and "application/json" in content:
                        content[PROBLEM] = content.pop("application/json")
        return schema


def problem(status: int, code: str, detail: str, **extra) -> JsonResponse:
    body = {
        "type": f"https://hearline.invalid/problems/{code}",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "code": code,
        "detail": detail,
        **extra,
    }
    return JsonResponse(
        body, status=status, content_type=PROBLEM, json_dumps_params={"ensure_ascii": False}
    )


def install(api) -> None:
    """Register the handlers on a NinjaAPI."""

    @api.exception_handler(WorkflowError)
    def workflow_error(request, exc: WorkflowError):
        extra = {
            k: v for k, v in exc.details.items() if k in ("fields", "state", "action", "version")
        }
        return problem(exc.status, exc.code, exc.message, **extra)

    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        fields = {}
        for error in exc.errors:
            location = [
                str(part)
                for part in error.get("loc", [])
                if part not in ("body", "payload", "query")
            ]
            fields[".".join(location) or "request"] = error.get("type", "invalid")
        return problem(
            422, "validation_failed", "the request does not match the schema", fields=fields
        )

    @api.exception_handler(AuthenticationError)
    def authentication_error(request, exc):
        return problem(401, "unauthenticated", "a valid token or session is required")

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        code = {400: "malformed_request", 403: "forbidden", 429: "throttled"}.get(
            exc.status_code, "http_error"
        )
        return problem(exc.status_code, code, str(exc))

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return problem(404, "not_found", "no such resource")
