"""The Content-Security-Policy header on every response, from settings.SECURE_CSP.

Django 5.2 has no CSP of its own. Django 6.0's ContentSecurityPolicyMiddleware reads a
setting of the same name and shape ({directive: [sources]}): moving to it is replacing this
middleware with Django's. A response that already carries the header keeps its own.
"""

from django.conf import settings


def policy_header(policy: dict[str, list[str]]) -> str:
    """The header value of a policy: each directive with its sources, joined by "; "."""
    return "; ".join(" ".join([directive, *sources]) for directive, sources in policy.items())


class ContentSecurityPolicyMiddleware:
    """Adds settings.SECURE_CSP (read once, at start) to every response; none when empty."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = policy_header(settings.SECURE_CSP)

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Content-Security-Policy", self.header)
        return response
