"""Run code as if it were another moment: for the demo's backdated history and for tests of
time limits. Replaces `django.utils.timezone.now` only, which is where Hearline and Django's
auto-timestamps read the time."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from unittest import mock

from django.utils import timezone


@contextmanager
def at_time(moment: datetime) -> Iterator[datetime]:
    """Within the block, `timezone.now()` returns `moment` (which must be aware)."""
    if timezone.is_naive(moment):
        raise ValueError("at_time needs an aware datetime")
    with mock.patch.object(timezone, "now", return_value=moment):
        yield moment
