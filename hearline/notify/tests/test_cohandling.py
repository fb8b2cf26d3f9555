"""A co-handling department (协办) hears of the case: when it is asked to help, and when a
supervisor urges the case."""

from hearline.cases.actions import do_transition
from hearline.notify.inbox import inbox
from hearline.testing.org import case_in_state


def test_the_co_handling_department_is_told_when_asked_and_when_urged(org):
    case = case_in_state(org, "in_progress", cohandled=True)
    [asked] = inbox(org.customer_handler, kind="assignment")
    assert asked.case == case and "协办" in asked.text
    assert all("协办" not in n.text for n in inbox(org.repair_handler2))  # responsible, not 协办
    do_transition(case.pk, "urge", acting_user=org.repair_supervisor, payload={"note": "协同处理"})
    [urged] = inbox(org.customer_handler, kind="urge")
    assert urged.case == case and "协同处理" in urged.text
    assert not inbox(org.metro_handler)
