"""The authorisation matrix, generated: every page and API endpoint (GET) × every user of
the test organisation (each role, in the case's own department and in others) × a case of
the repair department and one of the customer department.

No response may show a complainant's full name or phone (they are revealed only through
the logged reveal action), and a page may show a case's description only to users who may
see that case. Signed out, no staff page or staff API answers with content."""

import json

import pytest
from django.test import Client

from hearline.cases.actions import do_transition
from hearline.cases.queries import cases_visible_to
from hearline.testing.org import ComplainantData, register
from hearline.testing.routes import routes

# Pages that change the session rather than show data.
SKIPPED = ("/accounts/logout/", "/i18n/setlang/")
PERSONS = {
    "repair": ("赵一鸣", "13811112222", "【矩阵甲】六楼水压偏低，早晚高峰几乎没水。"),
    "customer": ("钱二丫", "13933334444", "【矩阵乙】水费账单金额异常，比上月多出三倍。"),
}


def _case(org, department, handler):
    name, phone, description = PERSONS[department]
    complainant = ComplainantData(name=name, phone=phone, address="江北区人民路8号")
    case = register(org, description=description, complainant=complainant).case
    do_transition(
        case.pk, "dispatch", acting_user=org.dispatcher, payload={"department": department}
    )
    return do_transition(case.pk, "accept", acting_user=org.users[handler])


@pytest.fixture
def matrix_cases(org):
    return [_case(org, "repair", "repair_handler"), _case(org, "customer", "customer_handler")]


def _pages(case):
    return [
        path
        for path, _view in routes({"case_id": str(case.pk), "number": case.tracking_number})
        if not path.startswith(SKIPPED) and not path.startswith("/admin/")
    ]


def _text(response) -> str:
    """The response as text; JSON with its escaped characters decoded."""
    if "json" in response.get("Content-Type", ""):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode(errors="replace")


def test_no_page_shows_a_complainant_or_a_case_to_someone_who_may_not_see_it(org, matrix_cases):
    leaks, seen = [], set()
    client = Client()
    for user in org.users.values():
        client.force_login(user)
        visible = set(cases_visible_to(user).values_list("pk", flat=True))
        for case in matrix_cases:
            name, phone, description = PERSONS[case.department.code]
            for path in _pages(case):
                body = _text(client.get(path))
                if phone in body or name in body:
                    leaks.append((user.username, path, "complainant"))
                if description in body:
                    seen.add((user.username, case.pk, path.split("/")[1]))
                    if case.pk not in visible:
                        leaks.append((user.username, path, "case"))
    assert leaks == []
    # The matrix looks at real content: each case's page and API show it to its handler.
    repair, customer = matrix_cases
    for who, case in (("repair_handler", repair), ("customer_handler", customer)):
        assert {(who, case.pk, "staff"), (who, case.pk, "api")} <= seen


def test_signed_out_no_staff_page_or_api_answers_with_content(matrix_cases):
    client = Client()
    served = []
    for path in _pages(matrix_cases[0]):
        if not path.startswith(
            (
                "/staff/",
                "/api/v1/cases",
                "/api/v1/receipts",
                "/api/v1/incidents",
                "/api/v1/analytics",
                "/api/v1/triage",
            )
        ):
            continue
        status = client.get(path).status_code
        if status not in (302, 401, 403, 404, 405):
            served.append((path, status))
    assert served == []
