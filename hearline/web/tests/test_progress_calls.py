"""进度查询: any intake agent answers a progress call about any case of the organisation's
tree — found by tracking number or phone, its state, department, deadlines and reply shown,
the complainant masked, nothing to do on it, and a look-up by phone logged."""

from django.test import Client

from hearline.accounts.models import User, UserRole
from hearline.accounts.roles import Role
from hearline.cases.models import ComplainantAccess
from hearline.testing.org import case_in_state


def _agent(org, user):
    client = Client()
    client.force_login(user)
    return client


def test_another_agent_finds_the_case_and_reads_its_progress(org):
    case = case_in_state(org, "replied")
    org.agent2.department = org.departments["hotline"]  # another team than the owner's
    org.agent2.save()
    assert case.owner == org.agent
    client = _agent(org, org.agent2)

    found = client.get("/staff/cases/", {"queue": "all", "q": case.tracking_number.lower()})
    assert list(found.context["page"]) == [case]
    assert not ComplainantAccess.objects.exists()  # a tracking number is no personal data

    page = client.get(f"/staff/cases/{case.pk}/")
    body = page.content.decode()
    assert page.status_code == 200
    assert case.get_state_display() in body and case.department.name in body
    assert case.reply in body  # the answer the caller is asking about
    assert "13812345678" not in body and "138****5678" in body  # masked as for other staff
    assert "王丽" not in body
    assert page.context["action_forms"] == [] and not page.context["may_reveal"]
    client.post(f"/staff/cases/{case.pk}/reveal/")
    assert not ComplainantAccess.objects.exists()  # refused: nothing revealed, nothing logged


def test_a_look_up_by_phone_is_logged(org):
    case = case_in_state(org, "in_progress")
    client = _agent(org, org.agent2)
    found = client.get("/staff/cases/", {"queue": "all", "q": "138 1234 5678"})
    assert list(found.context["page"]) == [case]
    access = ComplainantAccess.objects.get()
    assert (access.user, access.case, access.fields) == (org.agent2, case, ["phone"])


def test_a_desk_of_another_organisation_does_not_find_it(org):
    case = case_in_state(org, "in_progress")
    metro_desk = User.objects.create_user(
        "metro_desk", password="x", department=org.departments["metro"]
    )
    UserRole.objects.create(user=metro_desk, role=Role.AGENT)
    client = _agent(org, metro_desk)
    assert client.get(f"/staff/cases/{case.pk}/").status_code == 404
    found = client.get("/staff/cases/", {"queue": "all", "q": case.tracking_number})
    assert list(found.context["page"]) == []


def test_the_owners_team_mate_may_call_the_complainant_back(org):
    case = case_in_state(org, "replied")
    client = _agent(org, org.agent2)  # of the owner's intake team
    page = client.get(f"/staff/cases/{case.pk}/")
    assert [name for name, _label, _form in page.context["action_forms"]] == ["follow_up"]
    assert page.context["may_reveal"]
    client.post(f"/staff/cases/{case.pk}/reveal/")
    assert ComplainantAccess.objects.get().user == org.agent2  # and the look is logged
