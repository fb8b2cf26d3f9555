"""A request's staff account arrives with its department and roles, in one statement."""

from hearline.accounts.loading import staff_by_username
from hearline.accounts.models import User, UserRole


def test_the_account_comes_with_its_department_and_every_role(org, django_assert_num_queries):
    UserRole.objects.create(user=org.users["repair_handler"], role="supervisor")
    with django_assert_num_queries(1):
        user = staff_by_username("repair_handler")
        assert user.department == org.departments["repair"]
        assert user.department.path == org.departments["repair"].path
        assert user.department.parent_id == org.departments["water"].pk
        assert user.roles == {"handler", "supervisor"}
        assert user.date_joined.tzinfo is not None  # converted as the ORM would


def test_no_account_unknown_or_deactivated(org):
    assert staff_by_username("nobody") is None
    User.objects.filter(username="agent").update(is_active=False)
    assert staff_by_username("agent") is None


def test_an_account_without_a_department_or_roles(db):
    User.objects.create_user("lonely", password="x")
    user = staff_by_username("lonely")
    assert user.department is None and user.roles == frozenset()
