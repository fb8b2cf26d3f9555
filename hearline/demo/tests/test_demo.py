"""`hearline demo` builds an organisation with cases in every state, each with a true timeline."""

import pytest
from django.core.management import call_command

from hearline.accounts.models import User
from hearline.cases.models import Case
from hearline.cases.workflow import State
from hearline.incidents.models import Incident


def test_demo_covers_every_state_with_consistent_timelines(db):
    call_command("demo", cases=60, verbosity=0)
    states = set(Case.objects.values_list("state", flat=True))
    assert states == set(State.ALL)
    for case in Case.objects.prefetch_related("events"):
        events = sorted(case.events.all(), key=lambda e: e.seq)
        assert events[0].action == "register" and events[-1].to_state == case.state
        assert [e.created_at for e in events] == sorted(e.created_at for e in events)
        assert case.owner.has_role("agent")
    assert User.objects.get(username="admin").check_password("hearline-demo")


def test_demo_has_a_running_incident_with_bulletins_and_a_reviewed_one(db):
    call_command("demo", cases=20, verbosity=0)
    running = Incident.objects.get(state="open")
    assert running.bulletins.count() == 2 and running.links.count() >= 24
    assert running.events.filter(action="confirm").exists()
    reviewed = Incident.objects.get(state="reviewed")
    assert reviewed.corrective_actions.count() == 1
    assert not reviewed.links.exclude(case__state="replied").exists()


def test_demo_refuses_a_non_empty_database_unless_asked_to_skip(db):
    call_command("demo", cases=1, verbosity=0)
    made = Case.objects.count()
    with pytest.raises(SystemExit):
        call_command("demo", cases=1, verbosity=0)
    call_command("demo", cases=1, if_empty=True, verbosity=0)
    assert Case.objects.count() == made
