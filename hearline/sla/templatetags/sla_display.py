from django import template
from django.utils.translation import gettext as _

from hearline.sla.board import format_span

register = template.Library()


@register.filter
def span(value) -> str:
    """A remaining time as '剩余 1天2小时5分' or '超时 3小时'."""
    overdue, days, hours, minutes = format_span(value)
    parts = []
    if days:
        parts.append(_("%(n)dd") % {"n": days})
    if hours:
        parts.append(_("%(n)dh") % {"n": hours})
    if minutes or not parts:
        parts.append(_("%(n)dmin") % {"n": minutes})
    text = "".join(parts)
    return (_("overdue %(span)s") if overdue else _("%(span)s left")) % {"span": text}


@register.filter
def remaining(due):
    """Time from now until `due` (negative when overdue)."""
    from django.utils import timezone

    return due - timezone.now()


@register.filter
def get_item(mapping, key):
    return mapping.get(key, key)
