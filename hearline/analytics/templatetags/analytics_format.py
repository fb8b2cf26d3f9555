"""Showing measures: rates as percentages, hours with one decimal, "—" for none."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def measure_value(value, unit: str) -> str:
    """A measure's value for display in its unit."""
    if value is None:
        return "—"
    if unit == "rate":
        return f"{value * 100:.1f}%"
    if unit == "hours":
        return _("%(hours).1f h") % {"hours": value}
    return f"{value:,}"


@register.filter
def change(now, before) -> str:
    """The change from `before` to `now`: per cent for counts and hours, percentage points
    (pp) for rates given as 0–1; "" when either is missing."""
    if now is None or before is None:
        return ""
    if isinstance(now, float) and now <= 1 and before <= 1:
        return f"{(now - before) * 100:+.1f} pp"
    if not before:
        return ""
    return f"{(now - before) / before * 100:+.1f}%"
