"""Incidents (突发事件): one event behind many complaints, its bulletins, the households it
reaches and what was learned from it."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .workflow import ACTIVE, IncidentState


class IncidentKind(models.Model):
    """A kind of incident (停水, 停电, 燃气泄漏 …) and how a burst of it is recognised: the
    words that give a complaint this topic, the categories whose cases have it, and how many
    such open cases within `window_minutes` and one district (or `radius_m` when the cases
    have coordinates) make a burst. Edited by administrators."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60)
    terms = models.CharField(
        _("words"), max_length=500, blank=True, help_text=_("any of them, separated by spaces")
    )
    categories = models.ManyToManyField(
        "cases.Category",
        verbose_name=_("categories (and their subcategories)"),
        blank=True,
        related_name="+",
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("coordinating department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("its coordinators run incidents of this kind; empty: the whole organisation"),
    )
    threshold = models.PositiveSmallIntegerField(
        _("cases that make a burst"), default=5, help_text=_("open cases of this kind in one place")
    )
    window_minutes = models.PositiveIntegerField(_("time window (minutes)"), default=120)
    radius_m = models.PositiveIntegerField(_("radius (metres)"), default=1000)
    aftermath_of = models.ForeignKey(
        "self",
        verbose_name=_("follows the restoration of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "complaints of this kind in the area of a restored incident of that kind (water "
            "quality after a burst main) are proposed to its coordinators for linking"
        ),
    )
    aftermath_hours = models.PositiveIntegerField(_("for (hours after restoration)"), default=72)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("incident kind")
        verbose_name_plural = _("incident kinds")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class DetectedBy(models.TextChoices):
    BURST = "burst", _("Burst of similar complaints")
    INCIDENT_WORTHY = "incident_worthy", _("One urgent incident-worthy complaint")
    MANUAL = "manual", _("Opened by a coordinator")


class Incident(models.Model):
    """One event behind many complaints. Written only by `hearline.incidents.actions`; each
    change is also an `IncidentEvent`."""

    title = models.CharField(_("title"), max_length=120)
    kind = models.ForeignKey(
        IncidentKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="incidents"
    )
    summary = models.TextField(_("public summary"), blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=IncidentState.choices, default=IncidentState.PROPOSED
    )
    version = models.PositiveIntegerField(default=1)
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("coordinating department"),
        on_delete=models.PROTECT,
        related_name="incidents",
    )
    coordinator = models.ForeignKey(
        "accounts.User",
        verbose_name=_("coordinator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="coordinated_incidents",
    )
    detected_by = models.CharField(_("detected by"), max_length=16, choices=DetectedBy.choices)
    area_key = models.CharField(
        max_length=120,
        blank=True,
        help_text="kind and place of a detected incident: one active incident per key",
    )
    districts = models.JSONField(_("districts"), default=list, blank=True)
    centre_lat = models.FloatField(_("centre latitude"), null=True, blank=True)
    centre_lng = models.FloatField(_("centre longitude"), null=True, blank=True)
    radius_m = models.PositiveIntegerField(_("radius (metres)"), null=True, blank=True)
    polygon = models.JSONField(
        _("area outline"), default=list, blank=True, help_text="[[lat, lng], …]"
    )
    started_at = models.DateTimeField(_("started at"))
    expected_restoration_at = models.DateTimeField(_("expected restoration"), null=True, blank=True)
    measures = models.TextField(_("temporary measures"), blank=True)
    bulletin_interval_hours = models.PositiveSmallIntegerField(
        _("bulletin every (hours)"), default=6
    )
    next_bulletin_due_at = models.DateTimeField(_("next bulletin due"), null=True, blank=True)
    reminded_for = models.DateTimeField(null=True, blank=True, editable=False)
    overdue_for = models.DateTimeField(null=True, blank=True, editable=False)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("restored at"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review = models.JSONField(_("review"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["state", "kind"])]
        constraints = [
            models.UniqueConstraint(
                fields=["area_key"],
                condition=models.Q(state__in=sorted(ACTIVE)) & ~models.Q(area_key=""),
                name="incident_one_active_per_area",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=IncidentState.values), name="incident_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE


class LinkedBy(models.TextChoices):
    INTAKE = "intake", _("At intake")
    DETECTION = "detection", _("By the detection")
    COORDINATOR = "coordinator", _("By the coordinator")
    AFTERMATH = "aftermath", _("After restoration, by the coordinator")


class IncidentCase(models.Model):
    """A case linked to an incident; a case belongs to at most one incident. `own_needs`:
    the complainant needs more than the incident's end (the case stays open at closure)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="links")
    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="incident_link"
    )
    linked_by = models.CharField(max_length=12, choices=LinkedBy.choices)
    linked_at = models.DateTimeField(auto_now_add=True)
    own_needs = models.BooleanField(_("needs beyond the incident"), default=False)

    class Meta:
        indexes = [models.Index(fields=["incident", "linked_at"])]


class IncidentOrganisation(models.Model):
    """An organisation whose coordinator joined an incident coordinated by another: its
    coordinators co-run the incident, and its cases come within the incident's reach."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="joined")
    organisation = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="+"
    )
    joined_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "organisation"], name="incident_organisation_once"
            )
        ]


class CaseTopic(models.Model):
    """The incident kind a case is about, with its place and time: what burst detection
    counts. Written at registration for cases that have a topic."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    kind = models.ForeignKey(IncidentKind, on_delete=models.CASCADE, related_name="+")
    district = models.CharField(max_length=60, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    registered_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["kind", "district", "registered_at"], name="topic_place_idx"),
            models.Index(fields=["kind", "registered_at"], name="topic_time_idx"),
        ]


class Bulletin(models.Model):
    """One published update (通报): progress, the expected restoration time and the
    temporary measures; the last one of an incident is its restoration notice."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="bulletins")
    seq = models.PositiveSmallIntegerField()
    text = models.TextField(_("text"))
    expected_restoration_at = models.DateTimeField(_("expected restoration"), null=True, blank=True)
    measures = models.TextField(_("temporary measures"), blank=True)
    restoration = models.BooleanField(_("restoration notice"), default=False)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    on_time = models.BooleanField(_("on time"), default=True)
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        ordering = ["incident", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "seq"], name="bulletin_seq_unique")
        ]


class BulletinDelivery(models.Model):
    """A bulletin for one complainant: once per person however many of their cases are
    linked. `message` is the outbound message (None when we have no address: the public
    page and the case's progress page still show it)."""

    bulletin = models.ForeignKey(Bulletin, on_delete=models.PROTECT, related_name="deliveries")
    complainant = models.ForeignKey("cases.Complainant", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    message = models.OneToOneField(
        "notify.OutboundMessage", null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["bulletin", "complainant"], name="bulletin_once_per_person"
            )
        ]


class SupportDelivery(models.Model):
    """Help brought to a vulnerable household during an incident (送水上门 …)."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="supports")
    complainant = models.ForeignKey("cases.Complainant", on_delete=models.PROTECT, related_name="+")
    what = models.CharField(_("what was delivered"), max_length=200)
    note = models.CharField(_("note"), max_length=300, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"))
    delivered_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["delivered_at", "id"]


class IncidentEvent(models.Model):
    """One step in an incident's history; append-only (database triggers)."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    actor = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("action"), max_length=30)
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("time"))

    class Meta:
        ordering = ["incident", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "seq"], name="incident_event_seq_unique")
        ]


class AftermathProposal(models.Model):
    """A complaint registered in a restored incident's area, of a kind that follows such an
    incident (discoloured water after a burst main): proposed to the incident's coordinators,
    who link it to the incident (it is counted with it, and still answered on its own) or
    mark it unrelated. Written only by `hearline.incidents.actions`."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="aftermath")
    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="aftermath_proposal"
    )
    proposed_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    linked = models.BooleanField(null=True, help_text="None until the coordinators decide")

    class Meta:
        indexes = [models.Index(fields=["incident", "decided_at"])]


class PlanTrigger(models.TextChoices):
    PUBLIC_SAFETY = "public_safety", _("Public safety")
    OPINION_RISK = "opinion_risk", _("Public-opinion risk")
    INCIDENT = "incident", _("Incident of a kind")


class ResponsePlan(models.Model):
    """A plan (预案) an organisation starts when a case is marked as a public-safety or
    public-opinion risk, or when an incident of a kind is confirmed: its leaders are told at
    once and its steps become a checklist ticked off on the case or incident. Edited by
    administrators; a running checklist keeps the steps it started with."""

    name = models.CharField(_("name"), max_length=100)
    trigger = models.CharField(_("started by"), max_length=16, choices=PlanTrigger.choices)
    kind = models.ForeignKey(
        IncidentKind,
        verbose_name=_("incident kind"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
        help_text=_("for plans started by an incident"),
    )
    organisation = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "organisation"},
        help_text=_("its cases and incidents (and those below it); empty: everyone's"),
    )
    leaders = models.ManyToManyField(
        "accounts.User",
        verbose_name=_("leaders told at once"),
        blank=True,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("plan (预案)")
        verbose_name_plural = _("plans (预案)")
        ordering = ["trigger", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if (self.trigger == PlanTrigger.INCIDENT) != (self.kind_id is not None):
            raise ValidationError(
                {
                    "kind": _(
                        "An incident kind goes with, and only with, plans started by an incident."
                    )
                }
            )


class StepWords(models.Model):
    """What a plan's step says: its place in the plan, what to do, who does it, the message."""

    position = models.PositiveSmallIntegerField(_("order"), default=1)
    text = models.CharField(_("what to do"), max_length=200)
    owner = models.CharField(_("who does it"), max_length=60)
    template = models.TextField(_("message template"), blank=True)

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class PlanStep(StepWords):
    """One step of a plan, as the administrators wrote it."""

    plan = models.ForeignKey(ResponsePlan, on_delete=models.CASCADE, related_name="steps")

    class Meta(StepWords.Meta):
        verbose_name = _("plan step")
        verbose_name_plural = _("plan steps")


class PlanRun(models.Model):
    """A plan started on one case or one incident, with its own copy of the steps."""

    plan = models.ForeignKey(ResponsePlan, on_delete=models.PROTECT, related_name="runs")
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="plan_runs"
    )
    incident = models.ForeignKey(
        Incident, null=True, blank=True, on_delete=models.CASCADE, related_name="plan_runs"
    )
    started_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "case"], name="one_run_per_plan_and_case"),
            models.UniqueConstraint(
                fields=["plan", "incident"], name="one_run_per_plan_and_incident"
            ),
            models.CheckConstraint(
                condition=models.Q(case__isnull=True) ^ models.Q(incident__isnull=True),
                name="plan_run_of_a_case_or_an_incident",
            ),
        ]


class PlanRunStep(StepWords):
    """A step of a started plan (copied from the plan), ticked off once done: by whom, when,
    with a note."""

    run = models.ForeignKey(PlanRun, on_delete=models.CASCADE, related_name="steps")
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True)
