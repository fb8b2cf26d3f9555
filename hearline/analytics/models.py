"""Rollups: the measures' sums per day and slice, kept exact as cases change.

Every case contributes to exactly one rollup row: the one of its registration day,
department, category, channel, district, urgency, root cause and handling-time band. What it contributes
(its *facts*: a bit per counted component and its handling minutes) is stored per case, so a
change moves the case's contribution from the old row to the new one without knowing what
changed. Figures for any period and slice are sums over rollup rows, never a scan of cases.
"""

from django.db import models

# The case's facts as bits of `CaseFacts.flags`, in this order; each is a `Components` sum.
FLAGS = (
    "responded_on_time",
    "response_decided",
    "resolved_on_time",
    "resolution_decided",
    "solved",
    "confirmed",
    "satisfied",
    "basically_satisfied",
    "rated",
    "handled",
    "reopened",
    "had_reply",
    "repeats",
    "on_spot",
    "overdue",
    "incident",
)
DIMENSIONS = (
    "day",
    "department_id",
    "category_id",
    "channel",
    "district",
    "urgency",
    "root_cause_id",
    "band",
)


class SliceKey(models.Model):
    """The slice columns shared by a case's facts and the rollup rows. `department_id`,
    `category_id` and `root_cause_id` are 0 for none; `band` is the handling-time band's lower bound in working
    minutes, -1 while the case has no reply in its current cycle."""

    day = models.DateField()
    department_id = models.IntegerField()
    category_id = models.IntegerField()
    channel = models.CharField(max_length=10)
    district = models.CharField(max_length=60)
    urgency = models.CharField(max_length=10)
    root_cause_id = models.IntegerField(default=0)
    band = models.IntegerField()

    class Meta:
        abstract = True


class CaseFacts(SliceKey):
    """What one case adds to its rollup row now (written with every change of the case)."""

    case = models.OneToOneField(
        "cases.Case", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    flags = models.IntegerField()
    handling_minutes = models.IntegerField()
    terms_counted = models.BooleanField(default=False)


class Sums(models.Model):
    """The measures' sums (see `measures.Components`)."""

    volume = models.IntegerField(default=0)
    responded_on_time = models.IntegerField(default=0)
    response_decided = models.IntegerField(default=0)
    resolved_on_time = models.IntegerField(default=0)
    resolution_decided = models.IntegerField(default=0)
    solved = models.IntegerField(default=0)
    confirmed = models.IntegerField(default=0)
    satisfied = models.IntegerField(default=0)
    basically_satisfied = models.IntegerField(default=0)
    rated = models.IntegerField(default=0)
    handled = models.IntegerField(default=0)
    reopened = models.IntegerField(default=0)
    had_reply = models.IntegerField(default=0)
    repeats = models.IntegerField(default=0)
    on_spot = models.IntegerField(default=0)
    overdue = models.IntegerField(default=0)
    incident = models.IntegerField(default=0)
    handling_minutes = models.BigIntegerField(default=0)

    class Meta:
        abstract = True


class Rollup(SliceKey, Sums):
    """The sums of the facts of the cases in one slice of one day (every dimension)."""

    class Meta:
        constraints = [models.UniqueConstraint(fields=DIMENSIONS, name="rollup_slice_unique")]
        indexes = [
            models.Index(fields=["day", "department_id"], name="rollup_day_idx"),
            models.Index(fields=["category_id", "day"], name="rollup_category_idx"),
        ]


class DepartmentDay(Sums):
    """The rollups summed over everything but day, department and handling band: what the
    scorecard, the headline figures and the trend read (a few thousand rows a month however
    many cases)."""

    day = models.DateField()
    department_id = models.IntegerField()
    band = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "department_id", "band"], name="departmentday_unique"
            )
        ]


class HotspotDay(models.Model):
    """Cases per day, department, category, district and root cause: what the hotspot
    panels and the heat table read."""

    day = models.DateField()
    department_id = models.IntegerField()
    category_id = models.IntegerField()
    district = models.CharField(max_length=60)
    root_cause_id = models.IntegerField()
    volume = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "department_id", "category_id", "district", "root_cause_id"],
                name="hotspotday_unique",
            )
        ]


class TermDay(models.Model):
    """How many cases registered on a day used a word (title and description, segmented):
    what the rising-terms panel compares between periods."""

    day = models.DateField()
    term = models.CharField(max_length=20)
    cases = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "term"], name="termday_unique")]


class MonthlyReport(models.Model):
    """The monthly report as archived (PDF), generated on the 1st for the month before or
    on demand."""

    month = models.DateField(unique=True)  # its first day
    pdf = models.BinaryField()
    generated_at = models.DateTimeField()

    class Meta:
        ordering = ["-month"]
