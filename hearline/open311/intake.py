"""Reading the fields of an Open311 `POST requests` form."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from .formats import Open311Error

_ATTRIBUTE = re.compile(r"^attribute\[([^\]]+)\](\[\])?$")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def form_attributes(data) -> dict:
    """`attribute[code]=v` and `attribute[code][]=v1&attribute[code][]=v2` as {code: value}."""
    answers: dict = {}
    for key in data:
        match = _ATTRIBUTE.match(key)
        if match:
            values = data.getlist(key)
            answers[match.group(1)] = values if match.group(2) else values[-1]
    return answers


def parse_coordinate(data, name: str, bound: int) -> Decimal | None:
    """A latitude or longitude from the form, or None; out of range or not a number is a
    400 error from the caller's view."""
    raw = data.get(name, "").strip()
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise Open311Error(400, f"{name} must be a number") from None
    if not value.is_finite() or not -bound <= value <= bound:
        raise Open311Error(400, f"{name} is out of range")
    return value.quantize(Decimal("0.000001"))


def contact_name(first: str, last: str) -> str:
    """Chinese names are family name first and unspaced; others 'first last'."""
    first, last = first.strip(), last.strip()
    if _CJK.search(first + last):
        return last + first
    return " ".join(p for p in (first, last) if p)
