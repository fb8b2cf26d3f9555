"""Every staff page reads a bounded number of queries, whatever the number of cases."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hearline.testing.org import case_in_state, register


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "username, url",
    [
        ("agent", "/staff/cases/?queue=mine"),
        ("agent", "/staff/cases/?queue=all&q=停水"),
        ("dispatcher", "/staff/cases/?queue=dispatch"),
        ("repair_handler", "/staff/cases/?queue=inbox"),
        ("repair_supervisor", "/staff/supervision/"),
        ("manager", "/staff/dashboard/"),
    ],
)
def test_list_pages_do_not_grow_with_the_number_of_cases(client, org, username, url):
    client.force_login(org.users[username])
    for _ in range(3):
        case_in_state(org, "in_progress")
        register(org)
    _queries(client, url)  # warms the per-process calendar and policy memo
    few = _queries(client, url)
    for _ in range(12):
        case_in_state(org, "in_progress")
        register(org)
    many = _queries(client, url)
    assert many == few, f"{url}: {few} queries with 6 cases, {many} with 30"
    # the dashboard: 25, and the navigation's badges (the knowledge base, unread notices, the
    # sensitive cases with the organisation they are seen from); the supervision board also
    # reads the appeals waiting and their count
    assert many <= 31


def test_case_page_queries_are_bounded(client, org):
    case = case_in_state(org, "in_progress")
    client.force_login(org.repair_handler)
    _queries(client, f"/staff/cases/{case.pk}/")  # warms the synonym and common-word memo
    first = _queries(client, f"/staff/cases/{case.pk}/")
    from hearline.cases.actions import do_transition

    for i in range(10):
        do_transition(
            case.pk,
            "record_investigation",
            acting_user=org.repair_handler,
            payload={"note": f"核查{i}"},
        )
    assert _queries(client, f"/staff/cases/{case.pk}/") == first
    assert first <= 30
