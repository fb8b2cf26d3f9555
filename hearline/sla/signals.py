"""Forget cached calendars and policies in this process as soon as an
admin changes them."""

from django.db.models.signals import post_delete, post_save

from hearline.accounts.models import Department

from .calendars import _calendar_for_path
from .models import CalendarOverride, CalendarYear, SlaPolicy, WorkingSchedule
from .policies import active_policies


def connect() -> None:
    for model in (WorkingSchedule, CalendarOverride, CalendarYear, Department):
        for signal in (post_save, post_delete):
            signal.connect(
                _calendar_for_path.clear,
                sender=model,
                dispatch_uid=f"cal-{model.__name__}-{signal}",
            )
    for signal in (post_save, post_delete):
        signal.connect(active_policies.clear, sender=SlaPolicy, dispatch_uid=f"pol-{signal}")
