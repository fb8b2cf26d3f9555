"""Every response carries a strict Content-Security-Policy and the browser's other security
headers; no template needs what the policy forbids (inline scripts, event-handler
attributes, inline styles); the API docs come from this server, not from a CDN."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

HEARLINE = Path(__file__).resolve().parents[2]
PAGES = [
    "/",
    "/submit/",
    "/track/",
    "/accounts/login/",
    "/staff/cases/",
    "/staff/intake/",
    "/staff/dashboard/",
    "/admin/",
    "/admin/accounts/user/",
    "/api/v1/docs",
    "/api/v1/openapi.json",
    "/api/v1/categories",
    "/no-such-page/",
]
INLINE = {
    "inline script": re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>"),
    "event handler": re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE),
    "style attribute": re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE),
    "style element": re.compile(r"<style\b", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


def _policy(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {
        name: sources
        for name, *sources in (part.split() for part in header.split(";") if part.strip())
    }


@pytest.mark.parametrize("path", PAGES)
def test_every_response_carries_the_policy_and_security_headers(admin_client, path):
    response = admin_client.get(path)
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"]
    for directive in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in policy.get(directive, []), directive
        assert "'unsafe-eval'" not in policy.get(directive, []), directive
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_no_template_needs_inline_script_or_style():
    found = []
    for template in sorted(HEARLINE.glob("*/templates/**/*.html")):
        text = template.read_text()
        for what, pattern in INLINE.items():
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{template.relative_to(HEARLINE)}:{line}: {what}")
    assert found == []


def test_the_api_docs_load_swagger_ui_from_this_server(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    body = page.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]*)"', body)
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in sources
    assert "/static/vendor/swagger-ui/swagger-ui.css" in sources
    assert all(source.startswith("/") and not source.startswith("//") for source in sources)
    for what, pattern in INLINE.items():
        assert not pattern.search(body), what
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        assert finders.find(f"vendor/swagger-ui/{asset}"), asset
