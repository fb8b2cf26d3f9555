"""Complaints after restoration (discoloured water after a burst main) are proposed to the
restored incident's coordinators, who link them or mark them unrelated."""

from datetime import timedelta

import pytest
from django.test import Client

from hearline.cases.workflow import Conflict
from hearline.core.timetravel import at_time
from hearline.incidents import actions
from hearline.incidents.models import AftermathProposal, IncidentCase, IncidentKind, LinkedBy
from hearline.testing.org import register

from .helpers import T0, open_incident, outage, restore

RESTORED = T0 + timedelta(hours=30)


@pytest.fixture
def restored(org, water, committed):
    with at_time(T0):
        incident = open_incident(org)
        outage(org, 1)
    with at_time(RESTORED), committed():
        restore(org, incident)
    return incident


def _yellow_water(org, district="海曙区"):
    return register(
        org, description="来水以后水龙头出来的都是黄水，还有沉淀。", district=district
    ).case


def test_discoloured_water_after_restoration_is_proposed_to_the_incident(org, restored):
    with at_time(RESTORED + timedelta(hours=3)):
        case = _yellow_water(org)
        elsewhere = _yellow_water(org, district="江北区")
    proposal = AftermathProposal.objects.get()
    assert (proposal.incident_id, proposal.case_id) == (restored.pk, case.pk)
    assert not AftermathProposal.objects.filter(case=elsewhere).exists()


def test_only_within_the_kinds_hours_after_restoration(org, restored):
    hours = IncidentKind.objects.get(code="water-quality").aftermath_hours
    with at_time(RESTORED + timedelta(hours=hours, minutes=1)):
        _yellow_water(org)
    assert not AftermathProposal.objects.exists()


def test_linked_it_counts_with_the_incident_and_keeps_its_own_time_limits(org, restored):
    with at_time(RESTORED + timedelta(hours=3)):
        case = _yellow_water(org)
        due = case.clock.resolution_due
        actions.do_decide_aftermath(
            restored.pk, case.tracking_number, linked=True, acting_user=org.coordinator
        )
    link = IncidentCase.objects.get(case=case)
    assert (link.incident_id, link.linked_by) == (restored.pk, LinkedBy.AFTERMATH)
    assert case.events.filter(action="link_aftermath").count() == 1
    case.clock.refresh_from_db()
    assert case.clock.incident_since is None and case.clock.resolution_due == due
    with pytest.raises(Conflict):
        actions.do_decide_aftermath(
            restored.pk, case.tracking_number, linked=False, acting_user=org.coordinator
        )
    assert restored.events.filter(action="aftermath").count() == 1


def test_the_coordinator_decides_from_the_incident_page(org, restored):
    with at_time(RESTORED + timedelta(hours=3)):
        related = _yellow_water(org)
        unrelated = _yellow_water(org)
    coordinator = Client()
    coordinator.force_login(org.coordinator)
    page = coordinator.get(f"/staff/incidents/{restored.pk}/").content.decode()
    assert "恢复后的投诉" in page and related.tracking_number in page
    act = f"/staff/incidents/{restored.pk}/act/aftermath/"
    coordinator.post(act, {"number": related.tracking_number, "linked": "yes"})
    coordinator.post(act, {"number": unrelated.tracking_number, "linked": "no"})
    decided = dict(AftermathProposal.objects.values_list("case_id", "linked"))
    assert decided == {related.pk: True, unrelated.pk: False}
    assert not IncidentCase.objects.filter(case=unrelated).exists()
    page = coordinator.get(f"/staff/incidents/{restored.pk}/").content.decode()
    assert f'id="aftermath-{related.tracking_number}"' not in page

    others = Client()
    others.force_login(org.water_supervisor)
    refused = others.post(act, {"number": unrelated.tracking_number, "linked": "yes"})
    assert refused.status_code == 302  # back to the page, with the reason as a message
    assert not IncidentCase.objects.filter(case=unrelated).exists()
