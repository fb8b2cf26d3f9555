"""Every URL the application declares, with sample values in its parameters: for the tests
that must cover each page and endpoint (CSRF, the authorisation matrix) and fail when a new
one is added without the protection."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from django.urls import URLPattern, URLResolver, get_resolver

SAMPLE = {
    "int": "1",
    "str": "x",
    "slug": "x",
    "path": "x",
    "uuid": "00000000-0000-0000-0000-000000000000",
}
PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")


def routes(values: dict[str, str] | None = None) -> list[tuple[str, Callable]]:
    """(path, view) for every route declared with path(), sorted by path; a parameter takes
    values[name] when given, else a sample of its type. Regular-expression patterns (the
    admin's app index, Open311) are not expanded."""
    values = values or {}

    def fill(match: re.Match) -> str:
        return values.get(match.group(2), SAMPLE[match.group(1) or "str"])

    def walk(patterns, prefix: str) -> Iterator[tuple[str, Callable]]:
        for pattern in patterns:
            route = getattr(pattern.pattern, "_route", None)
            if route is None:
                continue
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + route)
            elif isinstance(pattern, URLPattern):
                yield "/" + prefix + PARAMETER.sub(fill, route), pattern.callback

    return sorted(set(walk(get_resolver().url_patterns, "")), key=lambda r: r[0])
