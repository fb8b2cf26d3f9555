"""受理: registering a complaint from any channel."""

from __future__ import annotations

from dataclasses import dataclass, fields

from django.db import IntegrityError, transaction
from django.utils import timezone

from hearline.accounts.models import User
from hearline.core.phones import normalise_phone

from .. import queries, workflow
from ..models import Case, Complainant, IntakeReceipt, ReceiptState
from ..readback import acknowledgement_text, readback_text
from ..steps import Step, publish
from ..submission import IntakeSubmission
from ..tracking import new_public_token, new_tracking_number
from ..workflow import InvalidInput, NotAllowed, State
from .effects import dept_ref
from .timeline import record_event


@dataclass(frozen=True)
class Registration:
    """The result of registering: the case, the read-back for the agent, the
    acknowledgement for the complainant, whether this call created the case, and the
    running incident it was linked to with its latest bulletin (for the agent to read out)."""

    case: Case
    readback: str
    acknowledgement: str
    created: bool
    incident: dict | None = None


def _registration(case: Case, created: bool, incident: dict | None = None) -> Registration:
    return Registration(case, readback_text(case), acknowledgement_text(case), created, incident)


# Run for every registration: written out, as the ORM took four times as long to compose
# it as the database to answer. Newest first: the first record with the name is the person
# on file.
_CALLERS_SQL = (
    f"SELECT * FROM {Complainant._meta.db_table} WHERE phone = %s ORDER BY id DESC LIMIT 50"
)
# Details a new call may leave out without meaning "none any more".
_KEPT_WHEN_EMPTY = ("email", "social_account", "id_number", "address")
_FLAGS = ("is_elderly", "is_disabled", "is_ill")


def _given_with(on_file: Complainant, values: dict) -> dict:
    """The details of a caller on file as given now: what the call says wins (the reply
    channel too); details it leaves empty stay as on file, and so does a vulnerability
    flag it does not set."""
    merged = dict(values)
    for name in _KEPT_WHEN_EMPTY:
        merged[name] = values[name] or getattr(on_file, name)
    for name in _FLAGS:
        merged[name] = values[name] or getattr(on_file, name)
    return merged


def _complainant(submission: IntakeSubmission) -> tuple[Complainant, list[int]]:
    """The complainant for a new case: the person on file with this phone number and name
    when the details given match theirs; when the call gives other details, a new record
    of the same person with them (unsaved, as is a new person's: it is inserted with the
    case). Also the ids of everyone on file with the number (for the caller's repeats),
    found in the same query."""
    data = submission.complainant
    values = {f.name: getattr(data, f.name) for f in fields(data)}
    values["phone"] = normalise_phone(data.phone)
    if not values["phone"]:
        return Complainant(**values), []
    people = list(Complainant.objects.raw(_CALLERS_SQL, [values["phone"]]))
    on_file = next((p for p in people if p.name == data.name), None)
    if on_file is None:
        return Complainant(**values), [p.pk for p in people]
    given = _given_with(on_file, values)
    if all(getattr(on_file, name) == value for name, value in given.items()):
        return on_file, [p.pk for p in people]
    return Complainant(**given, person_id=on_file.person_key), [p.pk for p in people]


def mark_receipt_registered(receipt: IntakeReceipt, case: Case) -> None:
    """Record that `case` stands for `receipt`, and drop the complaint's copy: from then on
    the complainant's data lives only with the case, under its access rules."""
    IntakeReceipt.objects.filter(pk=receipt.pk, state=ReceiptState.RECEIVED).update(
        state=ReceiptState.REGISTERED, case=case, submission={}
    )


def check_registration(submission: IntakeSubmission, acting_user: User) -> None:
    """Raise NotAllowed unless `acting_user` may register complaints, InvalidInput (with an
    error code per field) unless `submission` can be registered as it stands."""
    workflow.check(
        "register",
        state=State.NEW,
        capacities=queries.capacities(acting_user, None),
        payload={"description": submission.description},
    )
    if acting_user.department_id is None:
        raise NotAllowed("a user without a department cannot register cases")
    errors = submission.errors()
    if errors:
        raise InvalidInput("invalid complaint", action="register", fields=errors)


def do_register_case(
    submission: IntakeSubmission,
    *,
    acting_user: User,
    receipt: IntakeReceipt | None = None,
    _attempt: int = 1,
) -> Registration:
    """Register a complaint (受理). The case is committed before this returns, owned by the
    acting user (首诉负责人) and held by their department until dispatched. A submission with
    an `idempotency_key` already used returns that first case and creates nothing.

    A complaint received earlier (`receipt`) keeps the receipt's tracking number, its
    deadlines count from when it was received, and the receipt is marked registered in the
    same transaction.

    The registration is published as a case step (`hearline.cases.steps`): what its
    observers can work out beforehand (triage, the deadlines, the acknowledgement, the
    incident it joins) they do before the transaction, so it holds the write lock only for
    the inserts. The tracking number's uniqueness is left to the unique index: a clash
    rolls the attempt back and registers again with a new number."""
    if submission.idempotency_key and receipt is None:
        # (A receipt is registered in the transaction that marks it: a receipt still waiting
        # has no case, and one run at the same moment is stopped by the unique key below.)
        existing = Case.objects.filter(idempotency_key=submission.idempotency_key).first()
        if existing:
            return _registration(existing, created=False)
    check_registration(submission, acting_user)
    department = acting_user.department
    assert department is not None  # check_registration refuses a user without one
    now = receipt.received_at if receipt else timezone.now()
    complainant, callers = _complainant(submission)
    case = Case(
        tracking_number=receipt.tracking_number if receipt else new_tracking_number(),
        public_token=new_public_token(),
        idempotency_key=submission.idempotency_key or None,
        channel=submission.channel,
        complainant=complainant,
        title=submission.derived_title(),
        description=submission.description.strip(),
        occurred_at=submission.occurred_at,
        address=submission.address,
        district=submission.district,
        latitude=submission.latitude,
        longitude=submission.longitude,
        request=submission.request,
        attributes=submission.attributes,
        media_url=submission.media_url,
        upstream_reference=submission.upstream_reference,
        search_text=submission.search_text(),
        category_id=submission.category_id,
        urgency=submission.urgency,
        public_safety=submission.public_safety,
        opinion_risk=submission.opinion_risk,
        owner=acting_user,
        department=department,
        state=State.REGISTERED,
        version=1,
        registered_at=now,
    )
    details = {"channel": case.channel, "department": dept_ref(department)}
    if receipt:
        details["received_at"] = receipt.received_at.isoformat()
    step = Step(
        case=case, action="register", actor=acting_user, at=now, details=details, callers=callers
    )
    publish("prepare", step)
    try:
        with transaction.atomic():
            if case.complainant.pk is None:
                case.complainant.save(force_insert=True)
            case.save(force_insert=True)
            publish("record", step)
            step.event = record_event(
                case, actor=acting_user, action="register", from_state=State.NEW, details=details
            )
            publish("react", step)
            if receipt:
                mark_receipt_registered(receipt, case)
    except IntegrityError:
        if submission.idempotency_key:
            existing = Case.objects.filter(idempotency_key=submission.idempotency_key).first()
            if existing:
                return _registration(existing, created=False)
        # The random tracking number was taken (about one in 16 million per case of the
        # day): the unique index refused it and nothing was written; register afresh. (A
        # receipt's number is its own: it is never drawn again.)
        if (
            receipt is None
            and _attempt < 3
            and Case.objects.filter(tracking_number=case.tracking_number).exists()
        ):
            return do_register_case(submission, acting_user=acting_user, _attempt=_attempt + 1)
        raise
    return _registration(case, created=True, incident=step.announcement)
