import pytest

from hearline.accounts.models import Department, DepartmentKind


def test_paths_follow_the_tree_and_moves(db):
    root = Department.objects.create(code="r", name="R", kind=DepartmentKind.ORGANISATION)
    a = Department.objects.create(code="a", name="A", kind=DepartmentKind.DEPARTMENT, parent=root)
    b = Department.objects.create(code="b", name="B", kind=DepartmentKind.DEPARTMENT, parent=root)
    unit = Department.objects.create(code="u", name="U", kind=DepartmentKind.UNIT, parent=a)
    assert unit.path == f"/{root.pk}/{a.pk}/{unit.pk}/"
    assert unit.organisation() == root and unit.is_within(root) and not unit.is_within(b)
    a.parent = b
    a.save()
    unit.refresh_from_db()
    assert unit.path == f"/{root.pk}/{b.pk}/{a.pk}/{unit.pk}/"
    assert set(Department.objects.filter(path__startswith=b.path)) == {b, a, unit}


def test_a_department_cannot_move_under_itself(db):
    root = Department.objects.create(code="r", name="R", kind=DepartmentKind.ORGANISATION)
    child = Department.objects.create(
        code="c", name="C", kind=DepartmentKind.DEPARTMENT, parent=root
    )
    root.parent = child
    with pytest.raises(ValueError):
        root.save()
