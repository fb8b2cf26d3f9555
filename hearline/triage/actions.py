"""Triage at registration and after it.

At registration (before the write lock) the lexicon and the routing rules are applied: a
complaint about a burst main or a threat to call the media is flagged at once — urgency and
risk only ever go up, never down from what a person set. In the same transaction the case's
triage record is written. After commit a Huey task adds the models' suggestions and, when an
automatic routing rule matched, dispatches the case.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction

from hearline.accounts.models import User
from hearline.cases.actions import do_system_transition
from hearline.cases.models import Case, Urgency
from hearline.cases.workflow import Conflict, IllegalTransition

from . import duplicates
from .models import CaseBand, CaseTriage, LexiconKind, Target, TriageOverride
from .places import locate
from .service import flags_for, matching_rule, suggest


@dataclass
class RegistrationTriage:
    """What triage decided before a case is written."""

    flags: dict[str, list[str]] = field(default_factory=dict)
    rule_id: int | None = None
    bands: list = field(default_factory=list)
    repeat_of: int | None = None


# The urgency model thinks the case urgent though nobody and no lexicon term said so.
URGENT_BY_MODEL = "urgent_model"


def plan(case: Case, *, callers: list[int] | None = None) -> RegistrationTriage:
    """Flag and route the unsaved case, raising its urgency and risk flags where the
    lexicon says so. Pure reads; call before the transaction. `callers`: the complainants
    on file with the case's phone number, when the caller has already looked them up."""
    text = f"{case.title}\n{case.description}\n{case.request}"
    if case.address and not case.district:
        place = locate(case.address)
        if place and place.district:
            case.district = place.district
    flags = flags_for(text)
    person = case.complainant
    known = [
        label
        for label, flag in (
            ("elderly", person.is_elderly),
            ("disabled", person.is_disabled),
            ("ill", person.is_ill),
        )
        if flag
    ]
    if known:  # from earlier cases, or what the agent ticked
        flags.setdefault(LexiconKind.VULNERABLE, []).extend(known)
    if LexiconKind.URGENT in flags:
        case.urgency = Urgency.URGENT
    if LexiconKind.SAFETY in flags or LexiconKind.URGENT in flags:
        case.public_safety = True
    if LexiconKind.OPINION in flags:
        case.opinion_risk = True
    category_code = case.category.code if case.category is not None else None
    rule = matching_rule(category_code=category_code, district=case.district, text=text)
    repeats = duplicates.earlier_from_same_complainant(
        case.complainant.phone,
        duplicates.case_text(case),
        category_id=case.category_id,
        people=callers,
    )
    if repeats:
        flags["repeat"] = [m.tracking_number for m in repeats]
    return RegistrationTriage(
        flags=flags,
        rule_id=rule.pk if rule else None,
        bands=duplicates.bands_for(case),
        repeat_of=repeats[0].case_id if repeats else None,
    )


def record(case: Case, decided: RegistrationTriage) -> CaseTriage:
    """Write the case's triage record (inside the registration transaction) and have the
    models' suggestions added after commit."""
    triage = CaseTriage.objects.create(
        case=case,
        flags=sorted(decided.flags),
        routing_rule_id=decided.rule_id,
        repeat_of_id=decided.repeat_of,
    )
    CaseBand.objects.bulk_create(decided.bands)
    from .tasks import triage_case  # the tasks import these actions

    transaction.on_commit(lambda: triage_case(case.pk))
    return triage


def do_triage_case(case_id: int) -> CaseTriage:
    """Add the models' suggestions to the case's triage record; dispatch the case when an
    automatic routing rule matched and nobody has dispatched it yet."""
    case = Case.objects.select_related("category", "triage__routing_rule__department").get(
        pk=case_id
    )
    suggestion = suggest(
        f"{case.title}\n{case.description}",
        district=case.district,
        category_code=case.category.code if case.category is not None else None,
    )
    triage = case.triage
    triage.category_model_id = suggestion.category_model
    triage.department_model_id = suggestion.department_model
    if suggestion.category:
        triage.category_id = suggestion.category["id"]
        triage.category_confidence = suggestion.category["confidence"]
    if suggestion.department:
        triage.department_id = suggestion.department["id"]
        triage.department_confidence = suggestion.department["confidence"]
    triage.top = {"category": suggestion.category_top, "department": suggestion.department_top}
    triage.needs_review = suggestion.needs_review
    if (
        suggestion.urgency
        and suggestion.urgency["level"] == Urgency.URGENT
        and suggestion.urgency["confidence"] >= settings.HEARLINE_TRIAGE_THRESHOLD
        and case.urgency != Urgency.URGENT
        and URGENT_BY_MODEL not in triage.flags
    ):
        # The model reads past the lexicon; a person decides (reclassify) — not raised here.
        triage.flags = sorted([*triage.flags, URGENT_BY_MODEL])
    triage.save()
    if case.category is not None and suggestion.category:
        # The agent chose the category at intake: if the model disagrees, that was an
        # override of what the intake panel suggested.
        record_override(case, Target.CATEGORY, case.category.code, case.owner)
    rule = triage.routing_rule
    if rule and rule.automatic and rule.is_active and case.state == "registered":
        try:
            do_system_transition(
                case.pk, "dispatch", payload={"department": rule.department_id, "rule": rule.name}
            )
        except (IllegalTransition, Conflict):
            pass  # a dispatcher was quicker: their decision stands
    return triage


def record_override(case: Case, target: str, chosen: str, user: User | None) -> None:
    """When a person chooses a category or department other than the one suggested,
    remember it (the next training counts the case twice). Call in the step's transaction."""
    if user is None:
        return
    triage = CaseTriage.objects.filter(case=case).select_related("category", "department").first()
    if triage is None:
        return
    suggested = triage.category if target == Target.CATEGORY else triage.department
    model_id = triage.category_model_id if target == Target.CATEGORY else triage.department_model_id
    if suggested is None or suggested.code == chosen:
        return
    decision = {"case": case, "field": target, "suggested": suggested.code, "chosen": chosen}
    if TriageOverride.objects.filter(**decision).exists():
        return  # the same correction already recorded (a retried task)
    TriageOverride.objects.create(**decision, model_id=model_id, user=user)
