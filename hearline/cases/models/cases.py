from django.db import models
from django.utils.translation import gettext_lazy as _

from hearline.cases.workflow import State

from .complainants import ReplyChannel


class Channel(models.TextChoices):
    HOTLINE = "hotline", _("Hotline")
    WEB = "web", _("Web portal")
    APP = "app", _("Mobile app")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    SOCIAL = "social", _("Social media")
    ONSITE = "onsite", _("On-site window")
    LETTER = "letter", _("Letter or visit")
    OPEN311 = "open311", _("Open311")
    UPSTREAM = "upstream", _("Upstream platform (12345)")


class Urgency(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    IMPORTANT = "important", _("Important")
    NORMAL = "normal", _("Normal")


class CaseState(models.TextChoices):
    REGISTERED = State.REGISTERED, _("Registered")
    DISPATCHED = State.DISPATCHED, _("Dispatched")
    RETURNED = State.RETURNED, _("Returned")
    IN_PROGRESS = State.IN_PROGRESS, _("In progress")
    SUSPENDED = State.SUSPENDED, _("Suspended")
    RESOLVED = State.RESOLVED, _("Resolved")
    REPLIED = State.REPLIED, _("Replied")
    CONFIRMED = State.CONFIRMED, _("Rated")
    FOLLOWED_UP = State.FOLLOWED_UP, _("Followed up")
    APPEALED = State.APPEALED, _("Appealed")
    MERGED = State.MERGED, _("Merged")
    ARCHIVED = State.ARCHIVED, _("Archived")


class ResolutionType(models.TextChoices):
    EXPLANATION = "explanation", _("Explanation")
    REPAIR = "repair", _("Repair")
    COMPENSATION = "compensation", _("Compensation")
    PROCESS_CHANGE = "process_change", _("Process change")
    ACCOUNTABILITY = "accountability", _("Accountability")


class Confirmation(models.TextChoices):
    SOLVED = "solved", _("Solved")
    UNSOLVED = "unsolved", _("Not solved")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


class PendingRequest(models.TextChoices):
    SUSPENSION = "suspension", _("Suspension")
    EXTENSION = "extension", _("Extension")


class Case(models.Model):
    """A complaint (工单). Written only by `hearline.cases.actions`; every change to it is
    also a `CaseEvent`, and `version` counts those changes (optimistic concurrency)."""

    tracking_number = models.CharField(_("tracking number"), max_length=20, unique=True)
    public_token = models.CharField(max_length=32, editable=False)
    idempotency_key = models.CharField(max_length=120, null=True, blank=True, unique=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    complainant = models.ForeignKey(
        "cases.Complainant",
        verbose_name=_("complainant"),
        on_delete=models.PROTECT,
        related_name="cases",
    )

    title = models.CharField(_("subject"), max_length=120)
    description = models.TextField(_("what happened"))
    occurred_at = models.DateTimeField(_("when it happened"), null=True, blank=True)
    address = models.CharField(_("where"), max_length=255, blank=True)
    district = models.CharField(_("district"), max_length=60, blank=True, db_index=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    request = models.TextField(_("what they ask for"), blank=True)
    attributes = models.JSONField(
        _("extra fields"),
        default=dict,
        blank=True,
        help_text="answers to the category's extra fields",
    )
    media_url = models.URLField(_("photo or video link"), max_length=500, blank=True)
    upstream_reference = models.CharField(
        _("upstream reference"),
        max_length=150,
        blank=True,
        db_index=True,
        help_text="platform:reference of a case transferred from an upstream platform (转办)",
    )
    search_text = models.TextField(
        editable=False,
        default="",
        help_text="subject, description, address and request in lower case, for staff search",
    )

    category = models.ForeignKey(
        "cases.Category",
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    public_safety = models.BooleanField(_("public safety"), default=False)
    opinion_risk = models.BooleanField(_("public-opinion risk"), default=False)

    owner = models.ForeignKey(
        "accounts.User",
        verbose_name=_("first-contact owner"),
        on_delete=models.PROTECT,
        related_name="owned_cases",
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("responsible department"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    co_departments = models.ManyToManyField(
        "accounts.Department",
        verbose_name=_("co-handling departments"),
        blank=True,
        related_name="cohandled_cases",
    )

    state = models.CharField(
        _("state"), max_length=12, choices=CaseState.choices, default=CaseState.REGISTERED
    )
    version = models.PositiveIntegerField(default=1)

    finding = models.TextField(_("finding of fact"), blank=True)
    responsibility = models.TextField(_("responsibility"), blank=True)
    resolution_type = models.CharField(
        _("resolution type"), max_length=16, choices=ResolutionType.choices, blank=True
    )
    resolution = models.TextField(_("resolution"), blank=True)
    compensation_amount = models.DecimalField(
        _("compensation amount"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    reply = models.TextField(_("reply"), blank=True)
    reply_channel = models.CharField(
        _("reply channel"), max_length=10, choices=ReplyChannel.choices, blank=True
    )
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    closed_on_spot = models.BooleanField(_("closed on the spot"), default=False)
    confirmation = models.CharField(
        _("confirmation"), max_length=10, choices=Confirmation.choices, blank=True
    )
    satisfaction = models.CharField(
        _("satisfaction"), max_length=20, choices=Satisfaction.choices, blank=True
    )
    followup_result = models.TextField(_("follow-up result"), blank=True)
    followed_up_at = models.DateTimeField(_("followed up at"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_cases",
    )
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    root_cause = models.ForeignKey(
        "improvement.RootCause",
        verbose_name=_("root cause"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    pending_request = models.CharField(
        _("pending request"), max_length=10, choices=PendingRequest.choices, blank=True
    )
    pending_reason = models.TextField(_("reason of the pending request"), blank=True)
    pending_until = models.DateTimeField(_("requested new deadline"), null=True, blank=True)
    extended_until = models.DateTimeField(_("extended until"), null=True, blank=True)
    appeal_department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("appeal decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Where the complainant's appeal (申诉) is decided: the level above."),
    )
    urge_pending = models.BooleanField(
        _("urging not yet acknowledged"),
        default=False,
        help_text=_("A supervisor urged the case (催办) and its handler has not acknowledged it."),
    )

    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-registered_at", "-id"]
        indexes = [
            # a department's cases by state; its inbox, urgent and newest first, from the
            # index alone
            models.Index(
                fields=["department", "state", "urgency", "-registered_at", "-id"],
                name="case_department_state_idx",
            ),
            models.Index(fields=["owner", "state"]),
            # the staff lists: newest first, within an owner, a department, or everything
            models.Index(fields=["owner", "-registered_at", "-id"], name="case_owner_newest_idx"),
            models.Index(
                fields=["department", "-registered_at", "-id"], name="case_department_newest_idx"
            ),
            models.Index(fields=["-registered_at", "-id"], name="case_newest_idx"),
            # the dispatch queue and inboxes, urgent and newest first: the page's keys are read
            # from this index alone (the urgency order is computed from its urgency column)
            models.Index(
                fields=["state", "urgency", "-registered_at", "-id", "department"],
                name="case_state_urgency_idx",
            ),
            # triage: the district's recent cases are duplicate candidates
            models.Index(fields=["district", "-registered_at"], name="case_district_newest_idx"),
            models.Index(fields=["state", "registered_at"]),
            models.Index(
                fields=["updated_at"],
                name="case_pending_request_idx",
                condition=~models.Q(pending_request=""),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=State.ALL), name="case_state_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(state=State.MERGED) | models.Q(merged_into__isnull=False),
                name="merged_case_has_target",
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_number

    @property
    def is_open(self) -> bool:
        return self.state not in State.TERMINAL
