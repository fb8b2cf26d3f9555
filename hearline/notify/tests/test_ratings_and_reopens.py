"""An unsolved or unsatisfied rating reaches the owner and the handling department's
supervisors; a reopened case (重办) shows why and how the last answer was rated."""

from django.test import Client

from hearline.cases.actions import do_complainant_transition, do_transition
from hearline.notify.inbox import inbox
from hearline.testing.org import case_in_state


def _rate(case, confirmation, satisfaction):
    return do_complainant_transition(
        case,
        "record_rating",
        payload={"confirmation": confirmation, "satisfaction": satisfaction},
    )


def test_a_poor_rating_reaches_the_owner_and_the_supervisors(org):
    case = _rate(case_in_state(org, "replied"), "unsolved", "dissatisfied")
    [to_owner] = inbox(org.agent, kind="rating")
    [to_supervisor] = inbox(org.repair_supervisor, kind="rating")
    assert to_owner.case == to_supervisor.case == case
    assert "未解决" in to_owner.text and "不满意" in to_owner.text
    assert not inbox(org.water_supervisor, kind="rating")  # the nearest level only


def test_a_good_rating_tells_nobody(org):
    _rate(case_in_state(org, "replied"), "solved", "basically_satisfied")
    assert not inbox(org.agent, kind="rating") and not inbox(org.repair_supervisor, kind="rating")


def test_a_reopened_case_shows_why_and_the_last_rating_on_top(org):
    case = _rate(case_in_state(org, "replied"), "unsolved", "dissatisfied")
    do_transition(
        case.pk, "reopen", acting_user=org.agent, payload={"reason": "水压仍然不足，晚上没水"}
    )
    client = Client()
    client.force_login(org.repair_handler)
    assert case.pk in [c.pk for c in client.get("/staff/cases/?queue=inbox").context["page"]]
    body = client.get(f"/staff/cases/{case.pk}/").content.decode()
    banner = body.split('id="reopen-banner"')[1].split("</article>")[0]
    assert "重办" in banner and "水压仍然不足，晚上没水" in banner
    assert "未解决" in banner and "不满意" in banner
