"""Vulnerable households of an incident: who needs help brought to them (送水上门)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.db.models.functions import Coalesce

from hearline.cases.models import Case

from .models import Incident, SupportDelivery
from .queries import area_of
from .reach import reach_of

MAX_AREA_HOUSEHOLDS = 500
_FLAGS = ("is_elderly", "is_disabled", "is_ill")


@dataclass
class Household:
    complainant_id: int
    name: str
    phone: str
    address: str
    needs: list[str]
    linked: bool
    cases: list[str] = field(default_factory=list)
    case_id: int = 0
    supports: list[SupportDelivery] = field(default_factory=list)


def _needs(person, triage_flags) -> list[str]:
    needs = [name[3:] for name in _FLAGS if getattr(person, name)]
    if "vulnerable" in (triage_flags or ()) and not needs:
        needs.append("mentioned")
    return needs


def households(incident: Incident) -> list[Household]:
    """The linked complainants flagged elderly, disabled or ill (on their record, or by the
    words of their complaint), then the residents of the affected districts known to be so
    from earlier cases; only cases within the incident's reach. One row per person (however
    many records of theirs), with the details given with their latest case; personal data
    in full (callers log the view)."""
    found: dict[int, Household] = {}
    reach = reach_of(incident)
    linked = (
        Case.objects.filter(reach.rule(), incident_link__incident=incident)
        .select_related("complainant", "triage")
        .order_by("registered_at")
    )
    for case in linked:  # oldest first: a person's later cases bring their newest details
        person = case.complainant
        flags = case.triage.flags if hasattr(case, "triage") else []
        row = found.get(person.person_key)
        if row is None:
            row = found[person.person_key] = Household(person.person_key, "", "", "", [], True)
        row.name, row.phone, row.address = person.name, person.phone, person.address or case.address
        row.needs += [need for need in _needs(person, flags) if need not in row.needs]
        row.cases.append(case.tracking_number)
        row.case_id = case.pk
    found = {key: row for key, row in found.items() if row.needs}
    area = area_of(incident)
    flagged = (
        Q(complainant__is_elderly=True)
        | Q(complainant__is_disabled=True)
        | Q(complainant__is_ill=True)
    )
    earlier = (
        Case.objects.filter(flagged, reach.rule(), district__in=area.districts)
        .annotate(person=Coalesce("complainant__person_id", "complainant_id"))
        .exclude(person__in=list(found))
        .select_related("complainant")
        .order_by("-registered_at")[: MAX_AREA_HOUSEHOLDS * 2]
    )
    from_area = 0
    for case in earlier:  # newest first: a person's newest details
        person = case.complainant
        if person.person_key in found or from_area >= MAX_AREA_HOUSEHOLDS:
            continue
        from_area += 1
        found[person.person_key] = Household(
            person.person_key,
            person.name,
            person.phone,
            person.address or case.address,
            _needs(person, ()),
            False,
            cases=[case.tracking_number],
            case_id=case.pk,
        )
    supports = SupportDelivery.objects.filter(incident=incident).order_by("delivered_at")
    for support in supports:
        if support.complainant_id in found:
            found[support.complainant_id].supports.append(support)
    return sorted(found.values(), key=lambda h: (not h.linked, h.address))
