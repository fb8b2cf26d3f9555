"""Complainant data is masked by default; unmasking is for those who need it, and logged."""

import pytest

from hearline.cases.actions import do_reveal_complainant, masked_complainant, may_reveal_complainant
from hearline.cases.models import ComplainantAccess
from hearline.cases.workflow import NotAllowed, NotFound
from hearline.testing.org import case_in_state


def test_everyone_sees_the_masked_form_by_default(org):
    case = case_in_state(org, "in_progress")
    data = masked_complainant(case)
    assert data["phone"] == "138****5678" and data["name"] == "王*"
    assert "12号" not in data["address"]


@pytest.mark.parametrize("username", ["agent", "repair_handler", "repair_supervisor"])
def test_those_who_need_it_can_reveal_and_each_view_is_logged(org, username):
    case = case_in_state(org, "in_progress")
    user = org.users[username]
    assert may_reveal_complainant(user, case)
    data = do_reveal_complainant(case.pk, acting_user=user, reason="需要回电核实")
    assert data["phone"] == "13812345678" and data["address"] == "海曙区中山西路12号"
    do_reveal_complainant(case.pk, acting_user=user)
    log = ComplainantAccess.objects.filter(case=case, user=user)
    assert log.count() == 2
    assert "phone" in log.first().fields


@pytest.mark.parametrize("username", ["dispatcher", "manager", "administrator", "coordinator"])
def test_roles_that_dont_need_it_are_refused(org, username):
    case = case_in_state(org, "in_progress")
    with pytest.raises(NotAllowed):
        do_reveal_complainant(case.pk, acting_user=org.users[username])
    assert not ComplainantAccess.objects.exists()


def test_users_who_cannot_see_the_case_get_not_found(org):
    case = case_in_state(org, "in_progress")
    with pytest.raises(NotFound):
        do_reveal_complainant(case.pk, acting_user=org.metro_handler)
    assert not ComplainantAccess.objects.exists()
