"""Bulletins (通报): publishing, delivery once per complainant, and the schedule's reminders
and overdue marks."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from hearline.accounts.models import User
from hearline.cases.models import Case
from hearline.cases.workflow import (
    InvalidInput,
)
from hearline.notify.actions import complainant_channel
from hearline.notify.models import (
    Audience,
    NotificationKind,
    OutboundMessage,
    Purpose,
)
from hearline.notify.tasks import deliver_message

from .. import compose
from ..models import (
    Bulletin,
    BulletinDelivery,
    Incident,
    IncidentCase,
)
from ..workflow import IncidentState
from .steps import after_commit, apply_step, coordinated, notify_coordinators

BATCH = 200
REMIND_BEFORE = timedelta(minutes=30)


# --- bulletins --------------------------------------------------------------------------


def new_bulletin(incident: Incident, actor: User, text: str, *, restoration: bool) -> Bulletin:
    now = timezone.now()
    due = incident.next_bulletin_due_at
    return Bulletin.objects.create(
        incident=incident,
        seq=incident.bulletins.count() + 1,
        text=text.strip(),
        expected_restoration_at=None if restoration else incident.expected_restoration_at,
        measures="" if restoration else incident.measures,
        restoration=restoration,
        due_at=due,
        on_time=due is None or now <= due,
        published_at=now,
        published_by=actor,
    )


def do_publish_bulletin(
    incident_id: int,
    *,
    acting_user: User,
    text: str,
    expected_restoration_at: datetime | None = None,
    measures: str | None = None,
) -> Bulletin:
    """Publish a bulletin (通报): the progress, the expected restoration time and the
    temporary measures. It shows at once on the public incident page and the linked cases'
    progress pages; after commit it is sent once to every linked complainant in their
    channel. The next bulletin falls due one interval later."""
    coordinated(acting_user, incident_id)
    if not (text or "").strip():
        raise InvalidInput("the bulletin needs a text", fields={"text": "required"})
    made: list[Bulletin] = []

    def change(incident, details):
        if expected_restoration_at:
            incident.expected_restoration_at = expected_restoration_at
        if measures is not None:
            incident.measures = measures.strip()
        bulletin = new_bulletin(incident, acting_user, text, restoration=False)
        incident.next_bulletin_due_at = bulletin.published_at + timedelta(
            hours=incident.bulletin_interval_hours
        )
        details.update(bulletin=bulletin.seq, on_time=bulletin.on_time)
        made.append(bulletin)

    apply_step(incident_id, "publish_bulletin", acting_user, change)
    from ..tasks import deliver_bulletin  # the tasks import these actions

    bulletin = made[0]
    transaction.on_commit(lambda: deliver_bulletin(bulletin.pk))
    return bulletin


def do_deliver_bulletin(bulletin_id: int, *, own_needs_only: bool = False) -> int:
    """Queue the bulletin for each linked complainant who has not had it: one delivery
    record and one message per person, however many records of theirs the linked cases
    hold, to the details given with their latest case (the unique delivery, on the person's
    first record, makes a repeated run a no-op).
    `own_needs_only` for a restoration notice, which the other cases get as their reply.
    Returns how many deliveries were created."""
    bulletin = Bulletin.objects.select_related("incident").get(pk=bulletin_id)
    links = IncidentCase.objects.filter(incident=bulletin.incident)
    if own_needs_only:
        links = links.filter(own_needs=True)
    done = BulletinDelivery.objects.filter(bulletin=bulletin).values("complainant_id")
    latest_case: dict[int, int] = {}  # person → their latest linked case (newest details)
    rows = (
        Case.objects.filter(pk__in=links.values("case_id"))
        .annotate(person=Coalesce("complainant__person_id", "complainant_id"))
        .exclude(person__in=done)
        .order_by("person", "-registered_at")
        .values_list("person", "pk")
    )
    for person_id, case_id in rows:  # read in full before writing (SQLite cursors)
        latest_case.setdefault(person_id, case_id)
    people = list(latest_case.items())
    created = 0
    for start in range(0, len(people), BATCH):
        chunk = dict(people[start : start + BATCH])
        cases = Case.objects.select_related("complainant", "department").in_bulk(chunk.values())
        batch = {person: cases[case_id] for person, case_id in chunk.items()}
        created += _deliver_batch(bulletin, batch, complainant_channel, deliver_message)
    return created


def _deliver_batch(bulletin, cases_by_person, channel_of, deliver_message) -> int:
    subject, body = compose.bulletin_message(bulletin)
    try:
        with transaction.atomic():
            messages, deliveries = [], []
            for person_id, case in cases_by_person.items():
                channel = channel_of(case)
                message = None
                if channel is not None:
                    message = OutboundMessage(
                        case=case,
                        audience=Audience.COMPLAINANT,
                        channel=channel,
                        purpose=Purpose.BULLETIN,
                        subject=f"[{case.tracking_number}] {subject}"[:200],
                        body=body,
                        dedupe_key=f"bulletin:{bulletin.pk}:{person_id}",
                    )
                    messages.append(message)
                deliveries.append((person_id, case, message))
            OutboundMessage.objects.bulk_create(messages)
            BulletinDelivery.objects.bulk_create(
                [
                    BulletinDelivery(bulletin=bulletin, complainant_id=p, case=c, message=m)
                    for p, c, m in deliveries
                ]
            )
            for message in messages:
                after_commit(deliver_message, message.pk)
    except IntegrityError:
        return 0  # another worker delivered this batch; the next run picks up any rest
    return len(deliveries)


# --- the bulletin schedule --------------------------------------------------------------


def do_bulletin_sweep(now: datetime | None = None) -> tuple[int, int]:
    """Remind the coordinators of each running incident `REMIND_BEFORE` its next bulletin
    falls due, and mark it overdue (timeline and notice) once it has passed. Each reminder
    and each overdue mark happens once per due time, however often the sweep runs (a
    compare-and-set on the incident). Returns (reminders, overdue)."""
    now = now or timezone.now()
    running = Incident.objects.filter(
        state__in=(IncidentState.OPEN, IncidentState.STABILISING),
        next_bulletin_due_at__lte=now + REMIND_BEFORE,
    )
    reminders = overdue = 0
    for incident in running.select_related("department"):
        due = incident.next_bulletin_due_at
        assert due is not None  # the filter above leaves out incidents without one
        if incident.reminded_for != due and _claim(incident, "reminded_for", due):
            text = _("Bulletin due at %(time)s: %(title)s") % {
                "time": timezone.localtime(due).strftime("%H:%M"),
                "title": incident.title,
            }
            with transaction.atomic():
                notify_coordinators(incident, NotificationKind.BULLETIN_DUE, text)
            reminders += 1
        if now > due and incident.overdue_for != due and _claim(incident, "overdue_for", due):
            text = _("Bulletin overdue: %(title)s") % {"title": incident.title}
            with transaction.atomic():
                apply_step(incident.pk, "bulletin_overdue", None, details={"due": due.isoformat()})
                notify_coordinators(incident, NotificationKind.BULLETIN_OVERDUE, text)
            overdue += 1
    return reminders, overdue


def _claim(incident: Incident, field: str, due: datetime) -> bool:
    """Take the reminder (or overdue mark) for this due time: one sweep wins."""
    return bool(
        Incident.objects.filter(pk=incident.pk, next_bulletin_due_at=due)
        .filter(Q(**{f"{field}__isnull": True}) | ~Q(**{field: due}))
        .update(**{field: due})
    )
