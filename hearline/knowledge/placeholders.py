"""Reply templates' placeholders: the case facts a handler's reply usually repeats, named in
Chinese as the handlers write them ({编号}, {受理日期} …)."""

from __future__ import annotations

import re
import string

from django.utils import timezone

from hearline.cases.models import Case


def _date(value) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value) if hasattr(value, "tzinfo") else value
    return f"{local.year}年{local.month}月{local.day}日"


PLACEHOLDERS = {
    "编号": lambda case: case.tracking_number,
    "受理日期": lambda case: _date(case.registered_at),
    "诉求": lambda case: case.title,
    "承办部门": lambda case: case.department.name,
    "调查结果": lambda case: case.finding,
    "处理结果": lambda case: case.resolution,
    "赔偿金额": lambda case: f"{case.compensation_amount}元" if case.compensation_amount else "",
    "答复日期": lambda case: _date(timezone.now()),
}
_FIELD = re.compile(r"\{([^{}]*)\}")


def unknown_placeholders(body: str) -> list[str]:
    """The placeholders in `body` that are not known (a typo would reach the complainant)."""
    try:
        names = [name for _text, name, _spec, _conv in string.Formatter().parse(body) if name]
    except ValueError:
        return ["{"]
    return [name for name in dict.fromkeys(names) if name not in PLACEHOLDERS]


def render(body: str, case: Case) -> str:
    """The template's text with the case's values in place of its placeholders."""
    return _FIELD.sub(
        lambda m: PLACEHOLDERS[m.group(1)](case) if m.group(1) in PLACEHOLDERS else m.group(0),
        body,
    )
