"""An incident reaches its own organisation (and the hotline's undispatched complaints of its
kind), never another organisation's cases until that organisation's coordinator joins."""

import pytest

from hearline.accounts.models import User, UserRole
from hearline.accounts.roles import Role
from hearline.cases.actions import do_transition
from hearline.cases.models import Case
from hearline.cases.queries import visible_case
from hearline.cases.submission import ComplainantData
from hearline.cases.workflow import Conflict, InvalidInput
from hearline.incidents import actions
from hearline.incidents.actions import do_view_households
from hearline.incidents.models import IncidentCase
from hearline.testing.org import register

from .helpers import open_incident, outage


def _metro_case(org, n=1):
    """An elderly passenger's complaint in the incident's district, handed to the metro."""
    case = register(
        org,
        description=f"南门站{n}号出口电梯停运，老人上下很困难。",
        complainant=ComplainantData(name=f"乘客{n}", phone=f"1370000000{n}", is_elderly=True),
    ).case
    return do_transition(
        case.pk, "dispatch", acting_user=org.dispatcher, payload={"department": "metro"}
    )


def _coordinator(org, username, department):
    user = User.objects.create_user(username, password="x", department=org.departments[department])
    UserRole.objects.create(user=user, role=Role.COORDINATOR)
    return user


def _close(org, incident, committed):
    with committed():
        actions.do_close_incident(
            incident.pk,
            notice="供水已恢复",
            finding="爆管",
            resolution="换管",
            acting_user=org.coordinator,
        )


def test_a_coordinator_cannot_reach_another_organisations_cases(org, water, committed):
    incident = open_incident(org)
    metro = _metro_case(org)
    with pytest.raises(InvalidInput) as refused:
        actions.do_link_cases(incident.pk, [metro.tracking_number], acting_user=org.coordinator)
    assert refused.value.details["fields"] == {"cases": {metro.tracking_number: "not_found"}}
    assert not IncidentCase.objects.exists()
    assert visible_case(org.coordinator, pk=metro.pk) is None
    assert "乘客1" not in [
        row.name for row in do_view_households(incident.pk, acting_user=org.coordinator)
    ]
    _close(org, incident, committed)
    metro.refresh_from_db()
    assert metro.state == "dispatched" and not metro.reply


def test_upstream_complaints_are_linked_only_when_they_are_of_the_incidents_kind(org, water):
    incident = open_incident(org)
    streetlight = register(org, description="小区路灯坏了一个月").case
    with pytest.raises(InvalidInput) as refused:
        actions.do_link_cases(
            incident.pk, [streetlight.tracking_number], acting_user=org.coordinator
        )
    assert refused.value.details["fields"]["cases"] == {streetlight.tracking_number: "not_found"}
    unlinked = outage(org, 1).case
    IncidentCase.objects.filter(case=unlinked).delete()
    assert actions.do_link_cases(
        incident.pk, [unlinked.tracking_number], acting_user=org.coordinator
    ) == [unlinked.tracking_number]


def test_a_complaint_held_by_another_organisation_is_not_linked_at_intake(org, water):
    incident = open_incident(org)
    metro_agent = User.objects.create_user(
        "metro_agent", password="x", department=org.departments["metro"]
    )
    UserRole.objects.create(user=metro_agent, role=Role.AGENT)
    from hearline.cases.actions import do_register_case
    from hearline.testing.org import submission

    at_station = do_register_case(
        submission(description="车站卫生间停水了，没有水洗手。"), acting_user=metro_agent
    ).case
    assert not IncidentCase.objects.filter(case=at_station).exists()
    assert IncidentCase.objects.get(case=outage(org, 1).case).incident == incident


def test_the_other_organisations_coordinator_joins_and_then_the_incident_reaches_it(
    org, water, committed
):
    incident = open_incident(org)
    metro = _metro_case(org)
    metro_coordinator = _coordinator(org, "metro_coordinator", "metro")
    actions.do_join_incident(incident.pk, acting_user=metro_coordinator)
    with pytest.raises(Conflict):
        actions.do_join_incident(incident.pk, acting_user=metro_coordinator)
    with pytest.raises(Conflict):
        actions.do_join_incident(incident.pk, acting_user=org.coordinator)
    assert incident.events.filter(action="join").count() == 1
    actions.do_link_cases(incident.pk, [metro.tracking_number], acting_user=org.coordinator)
    assert visible_case(org.coordinator, pk=metro.pk) is not None
    assert visible_case(metro_coordinator, pk=metro.pk) is not None
    assert "乘客1" in [
        row.name for row in do_view_households(incident.pk, acting_user=metro_coordinator)
    ]
    _close(org, incident, committed)
    assert Case.objects.get(pk=metro.pk).state == "replied"


def test_a_linked_case_handed_to_another_organisation_is_not_answered_by_the_notice(
    org, water, committed
):
    incident = open_incident(org)
    linked = outage(org, 1).case
    do_transition(
        linked.pk, "dispatch", acting_user=org.dispatcher, payload={"department": "metro"}
    )
    _close(org, incident, committed)
    assert Case.objects.get(pk=linked.pk).state == "dispatched"


def test_the_incident_page_offers_joining_and_lists_only_cases_the_viewer_may_see(
    org, water, client
):
    incident = open_incident(org)
    water_case = outage(org, 1).case
    metro_coordinator = _coordinator(org, "metro_coordinator", "metro")
    client.force_login(metro_coordinator)
    page = client.get(f"/staff/incidents/{incident.pk}/").content.decode()
    assert "以本单位身份加入" in page and water_case.tracking_number not in page
    page = client.post(f"/staff/incidents/{incident.pk}/act/join/", follow=True).content.decode()
    assert "本单位已加入该事件" in page, page
    assert water_case.tracking_number in page and "以本单位身份加入" not in page


def test_joining_through_the_api(org, water, client):
    from hearline.api.actions import do_create_api_token

    incident = open_incident(org)
    token = do_create_api_token(name="metro-chief", role="coordinator", department_code="metro")[1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    joined = client.post(f"/api/v1/incidents/{incident.pk}/join", **auth)
    assert joined.status_code == 200, joined.content
    again = client.post(f"/api/v1/incidents/{incident.pk}/join", **auth)
    assert again.status_code == 409 and again.json()["code"] == "conflict"
