"""Working calendars, SLA policies, each case's clock and the alerts the sweep raised."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hearline.cases.models import Channel, Urgency

from .calendar import Duration, parse_periods


class Unit(models.TextChoices):
    MINUTES = "minutes", _("minutes")
    HOURS = "hours", _("hours")
    WORKING_HOURS = "working_hours", _("working hours")
    WORKING_DAYS = "working_days", _("working days")


def validate_periods(value: str) -> None:
    try:
        parse_periods(value)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None


class WorkingSchedule(models.Model):
    """Working hours and time zone of one organisation (default 08:30–12:00, 13:30–17:30)."""

    organisation = models.OneToOneField(
        "accounts.Department",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="working_schedule",
        limit_choices_to={"kind": "organisation"},
    )
    periods = models.CharField(
        _("working hours"),
        max_length=100,
        default="08:30-12:00,13:30-17:30",
        validators=[validate_periods],
        help_text=_("e.g. 08:30-12:00,13:30-17:30"),
    )
    time_zone = models.CharField(_("time zone"), max_length=50, default=settings.TIME_ZONE)

    class Meta:
        verbose_name = _("working schedule")
        verbose_name_plural = _("working schedules")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.periods}"


class CalendarOverride(models.Model):
    """One date made a working day or a day off (a local holiday, a typhoon day, or the
    official notice of a year the calendar package doesn't know yet). Without an organisation
    it applies to all."""

    organisation = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calendar_overrides",
        limit_choices_to={"kind": "organisation"},
    )
    date = models.DateField(_("date"))
    is_workday = models.BooleanField(_("working day"))
    reason = models.CharField(_("reason"), max_length=100)

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "date"], name="one_override_per_date"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.reason}"


class CalendarYear(models.Model):
    """An administrator's confirmation that the official holiday notice of `year` has been
    entered as overrides: from then on the year counts as covered."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    confirmed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("confirmed calendar year")
        verbose_name_plural = _("confirmed calendar years")

    def __str__(self) -> str:
        return str(self.year)


class SlaPolicy(models.Model):
    """Response and resolution time limits for cases matching category × urgency (and
    optionally channel and department). Rows are never edited in place: a change makes a new
    version, so a case keeps the policy it was registered under."""

    name = models.CharField(_("name"), max_length=100)
    category = models.ForeignKey(
        "cases.Category",
        verbose_name=_("category (and its subcategories)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    urgency = models.CharField(
        _("urgency"), max_length=10, blank=True, choices=[("", _("any")), *Urgency.choices]
    )
    channel = models.CharField(
        _("channel"), max_length=10, blank=True, choices=[("", _("any")), *Channel.choices]
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department (and its subtree)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    response_amount = models.DecimalField(_("response time"), max_digits=8, decimal_places=2)
    response_unit = models.CharField(_("response unit"), max_length=14, choices=Unit.choices)
    resolution_amount = models.DecimalField(_("resolution time"), max_digits=8, decimal_places=2)
    resolution_unit = models.CharField(_("resolution unit"), max_length=14, choices=Unit.choices)
    followup_days = models.PositiveSmallIntegerField(
        _("follow up within (days after the reply)"), default=7
    )
    archive_days = models.PositiveSmallIntegerField(
        _("archive after (days)"),
        default=15,
        help_text=_(
            "days after the follow-up (or, without one, after the follow-up date) during which "
            "the complainant may still rate, reopen or appeal; then the case is archived"
        ),
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    previous = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="next_version",
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ["name", "-version"]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    def clean(self) -> None:
        for prefix in ("response", "resolution"):
            amount, unit = getattr(self, f"{prefix}_amount"), getattr(self, f"{prefix}_unit")
            if amount is None or not unit:
                continue
            try:
                Duration(float(amount), unit)
            except ValueError as exc:
                raise ValidationError({f"{prefix}_amount": str(exc)}) from None


class Level(models.TextChoices):
    GREEN = "green", _("On time")
    YELLOW = "yellow", _("Nearly due")
    RED = "red", _("Overdue")


# A running clock's worse level: the resolution deadline's, or the response deadline's
# while the case has not been responded to.
_WORST_RED = models.Q(resolution_level=Level.RED) | models.Q(
    responded_at__isnull=True, response_level=Level.RED
)
_WORST_YELLOW = models.Q(resolution_level=Level.YELLOW) | models.Q(
    responded_at__isnull=True, response_level=Level.YELLOW
)


class CaseClock(models.Model):
    """The time limits of one case in its current cycle, kept by `hearline.sla.clock`.

    Due and warning moments are stored in UTC. `paused_at` is set while the case is
    suspended (the clock stands still); `incident_since` while it follows an incident (the
    incident's bulletins and restoration answer it); `stopped` once it needs no more chasing.
    """

    case = models.OneToOneField(
        "cases.Case", primary_key=True, on_delete=models.PROTECT, related_name="clock"
    )
    policy = models.ForeignKey(SlaPolicy, null=True, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        "accounts.Department",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("the case's responsible department, copied for the supervision board"),
    )
    cycle = models.PositiveSmallIntegerField(default=1)
    started_at = models.DateTimeField()
    response_due = models.DateTimeField(null=True)
    response_warn_at = models.DateTimeField(null=True)
    responded_at = models.DateTimeField(null=True)
    response_level = models.CharField(max_length=6, choices=Level.choices, default=Level.GREEN)
    resolution_due = models.DateTimeField(null=True, db_index=True)
    resolution_warn_at = models.DateTimeField(null=True)
    resolved_at = models.DateTimeField(null=True)
    resolution_level = models.CharField(max_length=6, choices=Level.choices, default=Level.GREEN)
    paused_at = models.DateTimeField(null=True)
    incident_since = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_(
            "since when the case follows a confirmed incident: answered by its bulletins, "
            "resolved by its restoration notice, never overdue on its own"
        ),
    )
    appeal_due = models.DateTimeField(
        null=True, blank=True, help_text="when the level above must decide the pending appeal"
    )
    followup_due = models.DateTimeField(
        null=True, blank=True, help_text=_("when the complainant is to be called back (回访)")
    )
    followup_reminded = models.BooleanField(default=False)
    archive_due = models.DateTimeField(
        null=True, blank=True, db_index=True, help_text=_("when the answered case is archived")
    )
    stopped = models.BooleanField(default=False)
    provisional = models.BooleanField(
        default=False, help_text=_("computed without the official calendar of some year")
    )
    working_minutes = models.PositiveIntegerField(
        null=True, help_text=_("working time from registration to reply, suspensions excluded")
    )
    paused_working_minutes = models.PositiveIntegerField(default=0)
    next_alert_at = models.DateTimeField(
        null=True, db_index=True, help_text=_("earliest warning point or deadline not yet alerted")
    )
    # Kept by the database on every write (bulk updates of the sweep included), so the
    # board counts by department and level from one narrow index without evaluating both
    # deadlines' levels for each of hundreds of thousands of open clocks.
    worst_level = models.GeneratedField(
        expression=models.Case(
            models.When(_WORST_RED, then=models.Value(Level.RED.value)),
            models.When(_WORST_YELLOW, then=models.Value(Level.YELLOW.value)),
            default=models.Value(Level.GREEN.value),
        ),
        output_field=models.CharField(max_length=6, choices=Level.choices),
        db_persist=True,
        verbose_name=_("worse of the two levels"),
        help_text=_(
            "the worse of the resolution level and, until the response, the response level"
        ),
    )

    class Meta:
        verbose_name = _("case time limits")
        verbose_name_plural = _("case time limits")
        indexes = [  # the board's lists of late and nearly-late cases, most pressing first
            models.Index(fields=["response_level", "response_due"], name="clock_response_late_idx"),
            models.Index(
                fields=["resolution_level", "resolution_due"], name="clock_resolution_late_idx"
            ),
            # the case list sorted by deadline: open clocks in deadline order, ties by case
            models.Index(
                fields=["resolution_due", "case"],
                name="clock_open_due_idx",
                condition=models.Q(resolved_at__isnull=True, stopped=False),
            ),
            # the supervision board's counts by department and level, from the index alone
            # (cases following an incident are neither on time nor late on their own)
            models.Index(
                fields=["department", "worst_level", "case"],
                name="clock_open_worst_idx",
                condition=models.Q(
                    resolved_at__isnull=True, stopped=False, incident_since__isnull=True
                ),
            ),
        ]

    @property
    def response_on_time(self) -> bool | None:
        if self.responded_at is None or self.response_due is None:
            return None
        return self.responded_at <= self.response_due

    @property
    def resolution_on_time(self) -> bool | None:
        if self.resolved_at is None or self.resolution_due is None:
            return None
        return self.resolved_at <= self.resolution_due


class Deadline(models.TextChoices):
    RESPONSE = "response", pgettext_lazy("deadline", "response")
    RESOLUTION = "resolution", pgettext_lazy("deadline", "resolution")
    FOLLOWUP = "followup", pgettext_lazy("deadline", "follow-up")


class SlaAlert(models.Model):
    """A reminder (yellow) or an overdue notice with urging and escalation (red), raised by
    the sweep at most once per case, deadline kind, due moment and level (the unique
    constraint is what makes two concurrent sweeps safe). Append-only."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="sla_alerts")
    cycle = models.PositiveSmallIntegerField()
    deadline = models.CharField(max_length=10, choices=Deadline.choices)
    due = models.DateTimeField()
    level = models.CharField(max_length=6, choices=Level.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("time-limit alert")
        verbose_name_plural = _("time-limit alerts")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "deadline", "due", "level"], name="one_alert_per_deadline_and_level"
            ),
        ]
