"""Keeping the rollups exact: each change of a case moves its contribution.

Every transaction that changes a case brings them in line: registration and each workflow
step through `contribute` (`record_step`) with the case and clock they hold, the
supervision sweep raising a deadline to red through `record_case`. Each works out the
case's facts from its stored state, compares them with the facts it last contributed, and
applies the difference to the rollup rows with one upsert per row touched. The facts
depend only on stored state (a deadline counts as passed once the sweep has marked it red),
so replaying every case from scratch (`rebuild`) gives the same rows.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from hearline.cases.models import Case
from hearline.sla.models import CaseClock, Level
from hearline.triage.models import CaseTriage

from .models import DIMENSIONS, FLAGS, CaseFacts, DepartmentDay, HotspotDay, Rollup, TermDay
from .terms import case_terms
from .upsert import upsert_many

BIT = {name: 1 << i for i, name in enumerate(FLAGS)}


def band_of(minutes: int | None) -> int:
    """The handling-time band (its lower bound in working minutes) of a replied case:
    half-hour bands below 10 hours, 5-hour bands below 100 hours, 50-hour bands beyond (few
    bands keep the rollups small); -1 for none."""
    if minutes is None:
        return -1
    if minutes < 600:
        return minutes // 30 * 30
    if minutes < 6000:
        return minutes // 300 * 300
    return minutes // 3000 * 3000


def _late(done, due) -> bool:
    return due is not None and done > due


def facts_of(case: Case, clock: CaseClock | None, repeat: bool) -> tuple[tuple, int, int]:
    """(slice key, flags, handling minutes) of a case in its current state and cycle."""
    responded = resolved = response_red = resolution_red = False
    responded_late = resolved_late = False
    minutes = None
    incident = clock is not None and clock.incident_since is not None
    if clock is not None and not incident:
        responded = clock.responded_at is not None
        resolved = clock.resolved_at is not None
        response_red = clock.response_level == Level.RED
        resolution_red = clock.resolution_level == Level.RED
        responded_late = responded and _late(clock.responded_at, clock.response_due)
        resolved_late = resolved and _late(clock.resolved_at, clock.resolution_due)
        if resolved:
            minutes = clock.working_minutes
    handled = minutes is not None
    facts = {
        "responded_on_time": responded and not responded_late,
        "response_decided": responded or response_red,
        "resolved_on_time": resolved and not resolved_late,
        "resolution_decided": resolved or resolution_red,
        "solved": case.confirmation == "solved",
        "confirmed": case.confirmation != "",
        "satisfied": case.satisfaction == "satisfied",
        "basically_satisfied": case.satisfaction == "basically_satisfied",
        "rated": case.satisfaction != "",
        "handled": handled,
        "reopened": case.reopen_count > 0,
        "had_reply": case.replied_at is not None or case.reopen_count > 0,
        "repeats": repeat,
        "on_spot": case.closed_on_spot,
        "overdue": resolved_late or (not resolved and resolution_red),
        "incident": incident,
    }
    flags = sum(BIT[name] for name, on in facts.items() if on)
    key = (
        timezone.localdate(case.registered_at),
        case.department_id or 0,
        case.category_id or 0,
        case.channel,
        case.district,
        case.urgency,
        case.root_cause_id or 0,
        band_of(minutes),
    )
    return key, flags, minutes or 0


SUMS = ("volume", *FLAGS, "handling_minutes")
# The tables kept from the facts: each with the dimensions it keeps and the sums it holds.
# Rollup has every dimension; the others are its projections, small enough to read a
# month of them at once however many cases there are.
TABLES = (
    (Rollup, DIMENSIONS, SUMS),
    (DepartmentDay, ("day", "department_id", "band"), SUMS),
    (HotspotDay, ("day", "department_id", "category_id", "district", "root_cause_id"), ("volume",)),
)
# Where each table's columns sit in a full slice key.
_POSITIONS = tuple(tuple(DIMENSIONS.index(c) for c in columns) for _m, columns, _s in TABLES)


def _project(key: tuple, table: int) -> tuple:
    """A full slice key cut down to the columns TABLES[table] keeps."""
    return tuple(key[i] for i in _POSITIONS[table])


def _upsert(model, columns: tuple, key: tuple, sums: dict[str, int]) -> None:
    """Add `sums` to one row of `model` (created when missing), in one statement."""
    upsert_many(model, columns, tuple(sums), [(key, tuple(sums.values()))])


def _contribution(flags: int, minutes: int) -> dict[str, int]:
    added = {name: 1 if flags & BIT[name] else 0 for name in FLAGS}
    return {"volume": 1, **added, "handling_minutes": minutes}


def _move(old: tuple | None, new: tuple) -> None:
    """Move a case's contribution from `old` (key, flags, minutes; None: nothing yet) to
    `new` in every kept table: one upsert where its projected key stays, two where it
    moves, none where nothing the table holds changes."""
    after = _contribution(new[1], new[2])
    if old is None:
        for table, (model, columns, sums) in enumerate(TABLES):
            _upsert(model, columns, _project(new[0], table), {n: after[n] for n in sums})
        return
    before = _contribution(old[1], old[2])
    for table, (model, columns, sums) in enumerate(TABLES):
        new_key, old_key = _project(new[0], table), _project(old[0], table)
        if old_key == new_key:
            delta = {n: after[n] - before[n] for n in sums}
            if any(delta.values()):
                _upsert(model, columns, new_key, delta)
            continue
        _upsert(model, columns, old_key, {n: -before[n] for n in sums})
        _upsert(model, columns, new_key, {n: after[n] for n in sums})


def _key_of(facts: CaseFacts) -> tuple:
    return tuple(getattr(facts, name) for name in DIMENSIONS)


def contribute(case: Case, clock: CaseClock | None, repeat: bool, created: bool = False) -> None:
    """Bring the rollups in line with `case` as it is now (inside its transaction, with the
    case or its clock locked so that no other change of it runs at the same time);
    `created`: the case is being registered, so it has contributed nothing yet."""
    key, flags, minutes = facts_of(case, clock, repeat)
    old = None if created else CaseFacts.objects.select_for_update().filter(pk=case.pk).first()
    if old is None:
        _move(None, (key, flags, minutes))
        CaseFacts.objects.create(
            case_id=case.pk,
            **dict(zip(DIMENSIONS, key, strict=True)),
            flags=flags,
            handling_minutes=minutes,
        )
        return
    before = (_key_of(old), old.flags, old.handling_minutes)
    if before == (key, flags, minutes):
        return
    _move(before, (key, flags, minutes))
    for name, value in zip(DIMENSIONS, key, strict=True):
        setattr(old, name, value)
    old.flags, old.handling_minutes = flags, minutes
    old.save(update_fields=[*DIMENSIONS, "flags", "handling_minutes"])


def record_case(case_id: int) -> None:
    """Re-read a case with its clock and triage mark and bring the rollups in line with it
    (see `contribute`)."""
    case = Case.objects.select_related("clock", "triage").get(pk=case_id)
    clock = getattr(case, "clock", None)
    triage = getattr(case, "triage", None)
    contribute(case, clock, repeat=bool(triage and triage.repeat_of_id))


def record_step(case: Case, clock: CaseClock | None) -> None:
    """`record_case` for a case its caller has just written in this transaction, with the
    clock it holds locked and saved: only the triage mark is read."""
    repeat_of = (
        CaseTriage.objects.filter(case_id=case.pk).values_list("repeat_of_id", flat=True).first()
    )
    contribute(case, clock, repeat=repeat_of is not None)


def rebuild(since: date | None = None) -> int:
    """Recompute every case's facts, the rollup rows and the term counts from scratch (all
    cases, or those registered on or after `since`), in one transaction; returns the number
    of cases. For a database that had cases before the rollups existed, or to repair one by
    hand. Sums are gathered in memory and written as multi-row upserts every `FLUSH` keys,
    so the work is a few statements per thousand cases whatever the data."""
    cases = Case.objects.select_related("clock", "triage").order_by("pk")
    if since is not None:
        cases = cases.filter(registered_at__date__gte=since)
    kept = [CaseFacts, TermDay, *(model for model, _c, _s in TABLES)]
    totals: list[dict[tuple, list[int]]] = [{} for _ in TABLES]
    terms: dict[tuple, list[int]] = {}
    facts: list[CaseFacts] = []
    count = 0
    with transaction.atomic():
        for model in kept:
            rows = model.objects.all()
            (rows if since is None else rows.filter(day__gte=since)).delete()
        for case in cases.iterator(chunk_size=2000):
            triage = getattr(case, "triage", None)
            key, flags, minutes = facts_of(
                case, getattr(case, "clock", None), bool(triage and triage.repeat_of_id)
            )
            contribution = _contribution(flags, minutes)
            for table, (_model, _columns, sums) in enumerate(TABLES):
                sums_of = totals[table].setdefault(_project(key, table), [0] * len(sums))
                for i, name in enumerate(sums):
                    sums_of[i] += contribution[name]
            for term in case_terms(case.title, case.description):
                terms.setdefault((key[0], term), [0])[0] += 1
            facts.append(
                CaseFacts(
                    case_id=case.pk,
                    **dict(zip(DIMENSIONS, key, strict=True)),
                    flags=flags,
                    handling_minutes=minutes,
                    terms_counted=True,
                )
            )
            count += 1
            if len(facts) >= 2000:
                CaseFacts.objects.bulk_create(facts)
                facts.clear()
            if max(len(terms), *(len(t) for t in totals)) >= FLUSH:
                _flush(totals, terms)
        CaseFacts.objects.bulk_create(facts)
        _flush(totals, terms)
    return count


FLUSH = 100_000


def _flush(totals: list[dict[tuple, list[int]]], terms: dict[tuple, list[int]]) -> None:
    """Add the gathered sums to their tables and empty the buffers."""
    for (model, columns, sums), table in zip(TABLES, totals, strict=True):
        upsert_many(model, columns, sums, [(k, tuple(v)) for k, v in table.items()])
        table.clear()
    upsert_many(TermDay, ("day", "term"), ("cases",), [(k, tuple(v)) for k, v in terms.items()])
    terms.clear()
