"""Two sweeps at the same moment on PostgreSQL raise each alert exactly once."""

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connections

from hearline.notify.models import Notification
from hearline.sla.models import SlaAlert
from hearline.sla.sweep import do_sweep
from hearline.testing.org import build_org, register

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]
TZ = ZoneInfo("Asia/Shanghai")


def test_two_concurrent_sweeps_raise_each_alert_once():
    org = build_org()
    from hearline.core.timetravel import at_time

    with at_time(datetime(2026, 3, 2, 9, 0, tzinfo=TZ)):
        cases = [register(org).case for _ in range(40)]
    now = datetime(2026, 3, 20, 9, 0, tzinfo=TZ)
    barrier = threading.Barrier(2)
    results = [None, None]

    def sweep(i):
        try:
            barrier.wait(timeout=10)
            results[i] = do_sweep(now)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    raised = results[0].overdue + results[1].overdue
    assert raised == 80  # response and resolution overdue for each of the 40 cases
    assert SlaAlert.objects.count() == 80
    assert SlaAlert.objects.values("case", "deadline", "level").distinct().count() == 80
    # Not dispatched: each overdue notice goes to the hotline dispatcher once per deadline.
    per_case = Notification.objects.filter(case=cases[0], kind="overdue").count()
    assert per_case == 2
