"""Who must act on a case that has not been dispatched yet: the dispatchers of the
organisation it sits in, not those of the organisations below it."""

import pytest

from hearline.accounts.models import Department, DepartmentKind, User, UserRole
from hearline.accounts.roles import Role
from hearline.notify.models import Notification, NotificationKind
from hearline.sla.notices import handlers, supervisors, urgent_recipients
from hearline.testing.org import register


def test_before_dispatch_the_organisations_own_dispatchers_act(org, django_assert_max_num_queries):
    case = register(org).case
    with django_assert_max_num_queries(3):  # not one query per dispatcher
        found = {u.username for u in handlers(case)}
    assert found == {"dispatcher"}, "water's and metro's dispatchers answer to their own"


def test_an_urgent_registration_tells_the_hotline_dispatchers(org):
    case = register(org, urgency="urgent").case
    told = set(
        Notification.objects.filter(case=case, kind=NotificationKind.URGENT).values_list(
            "recipient__username", flat=True
        )
    )
    assert "dispatcher" in told and not told & {"water_dispatcher", "metro_dispatcher"}


@pytest.mark.parametrize("code", ["callcentre", "repair", "station", "customer", "water", "metro"])
def test_an_urgent_case_tells_the_supervisors_above_and_whoever_must_act_first(
    org, code, django_assert_max_num_queries
):
    # One of the hotline's dispatchers is a supervisor too: told once, as both.
    UserRole.objects.create(user=org.dispatcher, role=Role.SUPERVISOR)
    case = register(org).case
    case.department = org.departments[code]
    expected = [u.username for u in [*supervisors(case), *handlers(case)]]
    with django_assert_max_num_queries(2):
        told = [u.username for u in urgent_recipients(case)]
    assert sorted(told) == sorted(expected) and told


def test_deactivated_staff_are_not_told(org):
    case = register(org).case
    before = {u.username for u in urgent_recipients(case)}
    assert "dispatcher" in before
    org.dispatcher.is_active = False
    org.dispatcher.save()
    after = {u.username for u in urgent_recipients(case)}
    assert after == before - {"dispatcher"}


def test_a_new_organisation_is_seen_at_once_by_whom_an_urgent_case_tells(org):
    case = register(org).case
    assert {u.username for u in urgent_recipients(case)} == {"dispatcher", "hotline_supervisor"}
    # A gas company joins the hotline with its own dispatcher: it answers to its own
    # organisation, so the hotline's urgent cases still tell only the hotline's dispatchers
    # (and its supervisors).
    gas = Department.objects.create(
        code="gas",
        name="燃气公司",
        kind=DepartmentKind.ORGANISATION,
        parent=org.departments["hotline"],
    )
    gas_dispatcher = User.objects.create_user("gas_dispatcher", password="x", department=gas)
    UserRole.objects.create(user=gas_dispatcher, role=Role.DISPATCHER)
    assert {u.username for u in urgent_recipients(case)} == {"dispatcher", "hotline_supervisor"}
