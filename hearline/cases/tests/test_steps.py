"""The case-step stream: who observes which phase, in which order, is declared once and
pinned here; every declared observer is registered by its app."""

import pytest
from django.core.management import call_command

from hearline.cases import steps

EXPECTED = [
    ("prepare", "triage.plan", "hearline.triage.observers"),
    ("prepare", "incidents.plan", "hearline.incidents.observers"),
    ("prepare", "sla.clock", "hearline.sla.observers"),
    ("prepare", "notify.plan", "hearline.notify.observers"),
    ("record", "incidents.link", "hearline.incidents.observers"),
    ("record", "sla.clock", "hearline.sla.observers"),
    ("record", "sla.urge", "hearline.sla.observers"),
    ("record", "knowledge.use", "hearline.knowledge.observers"),
    ("record", "improvement.root_cause", "hearline.improvement.observers"),
    ("record", "open311.token", "hearline.open311.observers"),
    ("react", "notify.owner", "hearline.notify.observers"),
    ("react", "triage.record", "hearline.triage.observers"),
    ("react", "triage.overrides", "hearline.triage.observers"),
    ("react", "analytics.rollup", "hearline.analytics.observers"),
    ("react", "notify.messages", "hearline.notify.observers"),
    ("react", "sla.assigned", "hearline.sla.observers"),
    ("react", "sla.cohandling", "hearline.sla.observers"),
    ("react", "sla.cohandling_answered", "hearline.sla.observers"),
    ("react", "sla.urgent", "hearline.sla.observers"),
    ("react", "sla.urge_acknowledged", "hearline.sla.observers"),
    ("react", "sla.approval", "hearline.sla.observers"),
    ("react", "sla.poor_rating", "hearline.sla.observers"),
    ("react", "sla.appeal", "hearline.sla.observers"),
    ("react", "incidents.plans", "hearline.incidents.observers"),
    ("react", "triage.answered", "hearline.triage.observers"),
]


def test_the_observers_and_their_order_are_pinned():
    found = [(o.phase, o.name, o.reaction.__module__) for o in steps.observers()]
    assert found == EXPECTED
    assert steps.missing() == []


def test_a_name_not_declared_is_refused():
    with pytest.raises(ValueError):
        steps.observe("react", "somebody.else", lambda step: None)
    with pytest.raises(ValueError):
        steps.observe("later", "notify.owner", lambda step: None)


def test_publish_runs_the_observers_that_want_the_action_in_order(monkeypatch):
    ran = []
    monkeypatch.setattr(steps, "_observers", {})
    steps.observe("react", "triage.answered", lambda s: ran.append("answered"), ["reply"])
    steps.observe("react", "notify.owner", lambda s: ran.append("owner"))
    step = steps.Step(case=None, action="reply", actor=None, at=None)
    steps.publish("react", step)
    steps.publish("react", steps.Step(case=None, action="comment", actor=None, at=None))
    assert ran == ["owner", "answered", "owner"]


def test_the_steps_command_lists_what_observes_what(capsys):
    call_command("steps")
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[:2] for line in lines] == [[p, n] for p, n, _m in EXPECTED]
