"""Administrators manage departments, users with their roles, and categories in the admin."""

import pytest

from hearline.accounts.models import UserRole


@pytest.mark.parametrize(
    "url",
    [
        "/admin/accounts/department/",
        "/admin/accounts/department/add/",
        "/admin/accounts/user/",
        "/admin/cases/category/",
        "/admin/cases/category/add/",
    ],
)
def test_admin_pages_open(admin_client, url):
    assert admin_client.get(url).status_code == 200


def test_user_list_shows_roles_in_chinese(admin_client):
    body = admin_client.get("/admin/accounts/user/").content.decode()
    assert "受理员" in body and "派单员" in body


def test_admin_grants_a_role(admin_client, org):
    user = org.repair_handler
    page = admin_client.get(f"/admin/accounts/user/{user.pk}/change/")
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update(
        {
            "username": user.username,
            "department": user.department_id,
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "role_assignments-TOTAL_FORMS": "2",
            "role_assignments-INITIAL_FORMS": "1",
            "role_assignments-0-id": user.role_assignments.get().pk,
            "role_assignments-0-user": user.pk,
            "role_assignments-0-role": "handler",
            "role_assignments-1-user": user.pk,
            "role_assignments-1-role": "supervisor",
        }
    )
    data.pop("password", None)
    response = admin_client.post(f"/admin/accounts/user/{user.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert set(UserRole.objects.filter(user=user).values_list("role", flat=True)) == {
        "handler",
        "supervisor",
    }
