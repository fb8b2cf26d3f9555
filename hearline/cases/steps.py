"""The case-step stream: the case core publishes every step it takes (a registration, a
transition); the apps that react to case steps observe them. Pure Python: no Django.

`hearline.cases.actions` builds a `Step` and publishes it in three phases, synchronously and
in the order `ORDER` declares, so a reaction is exact and atomic with the step itself:

- prepare  before the write lock, reads only: may complete the unsaved case of a
           registration, add to the event's `details` and leave notes for later phases
           (published for registrations; a transition reads its case only under its lock);
- record   in the step's transaction, once the case row is written and before its event:
           may write rows of its own, add to `details`, or raise to refuse the step (the
           transaction then rolls back whole);
- react    in the step's transaction, after the event is written (`step.event`).

Each app registers its observers in its `AppConfig.ready()` with `observe()`; a name not in
`ORDER` is refused, so the order is decided here, once, and a test pins it. `hearline steps`
lists what observes what.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

PHASES = ("prepare", "record", "react")

# Who observes which phase, in the order they run. A phase's observers see what the ones
# before them left on the step (triage's flags before incident detection; the incident link
# before the SLA clock that follows it; the clock before the rollups that count against it).
ORDER: dict[str, tuple[str, ...]] = {
    "prepare": (
        "triage.plan",
        "incidents.plan",
        "sla.clock",
        "notify.plan",
    ),
    "record": (
        "incidents.link",
        "sla.clock",
        "sla.urge",
        "knowledge.use",
        "improvement.root_cause",
        "open311.token",
    ),
    "react": (
        "notify.owner",
        "triage.record",
        "triage.overrides",
        "analytics.rollup",
        "notify.messages",
        "sla.assigned",
        "sla.cohandling",
        "sla.cohandling_answered",
        "sla.urgent",
        "sla.urge_acknowledged",
        "sla.approval",
        "sla.poor_rating",
        "sla.appeal",
        "incidents.plans",
        "triage.answered",
    ),
}

REGISTER = "register"


@dataclass
class Step:
    """One step on one case, as its observers see it.

    case      the case (a registration's is unsaved during `prepare`)
    action    the workflow action (`register` for a registration)
    actor     the acting staff user, None for the complainant or Hearline itself
    at        when the step is taken
    payload   the step's fields as checked by the workflow
    details   the event's details being built (observers may add to them)
    from_state  the state before the step ("" for a registration)
    event     the timeline event once written (react)
    callers   registration: ids of the complainants on file with the caller's phone
    flags     what triage found in the complaint's words (lexicon kind → terms)
    clock     the case's deadline clock, as the SLA observers prepared or saved it
    announcement  what the registering agent reads out to the caller (a running incident
              and its latest bulletin), None when nothing
    notes     what an observer hands on to a later phase of its own, by its own key
    """

    case: Any
    action: str
    actor: Any | None
    at: datetime
    payload: Mapping[str, Any] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)
    from_state: str = ""
    event: Any | None = None
    callers: list[int] = field(default_factory=list)
    flags: dict[str, list[str]] = field(default_factory=dict)
    clock: Any | None = None
    announcement: dict[str, Any] | None = None
    notes: dict[str, Any] = field(default_factory=dict)

    @property
    def is_registration(self) -> bool:
        return self.action == REGISTER


Reaction = Callable[[Step], None]


@dataclass(frozen=True)
class Observer:
    """A reaction to the steps of `actions` (None: every step) in one phase."""

    name: str
    phase: str
    reaction: Reaction
    actions: frozenset[str] | None = None

    def wants(self, action: str) -> bool:
        return self.actions is None or action in self.actions


_observers: dict[tuple[str, str], Observer] = {}


def observe(
    phase: str, name: str, reaction: Reaction, actions: Iterable[str] | None = None
) -> None:
    """Register `reaction` as the observer `name` of `phase` (for the steps of `actions`,
    or every step). The name must be declared in ORDER for the phase; registering it again
    replaces the reaction (an app's ready() may run twice in tests)."""
    if phase not in PHASES:
        raise ValueError(f"unknown phase {phase!r}")
    if name not in ORDER[phase]:
        raise ValueError(f"{name!r} is not declared in steps.ORDER[{phase!r}]")
    wanted = None if actions is None else frozenset(actions)
    _observers[(phase, name)] = Observer(name, phase, reaction, wanted)


def publish(phase: str, step: Step) -> None:
    """Run the observers of `phase` that want `step.action`, in the declared order."""
    for name in ORDER[phase]:
        observer = _observers.get((phase, name))
        if observer is not None and observer.wants(step.action):
            observer.reaction(step)


def observers() -> list[Observer]:
    """Every registered observer, phase by phase in the declared order."""
    return [
        _observers[(phase, name)]
        for phase in PHASES
        for name in ORDER[phase]
        if (phase, name) in _observers
    ]


def missing() -> list[tuple[str, str]]:
    """(phase, name) of the declared observers nobody registered."""
    return [
        (phase, name)
        for phase in PHASES
        for name in ORDER[phase]
        if (phase, name) not in _observers
    ]
