"""Analytics work in the Huey consumer: the monthly report, archived on the 1st."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from .monthly import do_archive_monthly_report, last_month


@db_periodic_task(crontab(day="1", hour="6", minute="0"))
@lock_task("monthly-report")
def archive_last_months_report() -> None:
    """On the 1st at 06:00, the report of the month before, for the whole organisation."""
    do_archive_monthly_report(last_month())
