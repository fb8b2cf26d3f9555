"""Organisations in the department tree, read from a per-process memo: which organisation a
department sits in, which are nested in it, which stand above it. Departments are named by
their materialised path ("/1/4/9/"), so callers that know a path need no query."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from hearline.core.cache import memo

from .models import Department, DepartmentKind


@memo(seconds=60)
def organisations_in(root_id: int) -> tuple[tuple[int, str], ...]:
    """(id, path) of the organisations in the tree under `root_id`. Read at most once a
    minute per process; a change to any department in this process forgets it at once."""
    return tuple(
        Department.objects.filter(
            kind=DepartmentKind.ORGANISATION, path__startswith=f"/{root_id}/"
        ).values_list("pk", "path")
    )


def _tree_of(path: str) -> tuple[tuple[int, str], ...]:
    return organisations_in(int(path.strip("/").split("/")[0]))


def organisation_at(path: str) -> tuple[int, str]:
    """(id, path) of the organisation the department at `path` sits in: the nearest at or
    above it, else the department itself."""
    found = [(pk, p) for pk, p in _tree_of(path) if path.startswith(p)]
    if not found:
        return int(path.strip("/").split("/")[-1]), path
    return max(found, key=lambda row: len(row[1]))


def organisation_paths(department: Department) -> tuple[str, tuple[str, ...]]:
    """The path of the organisation `department` sits in (the nearest at or above it, else
    the department itself) and the paths of the organisations nested in that one."""
    own = organisation_at(department.path)[1]
    nested = tuple(p for _pk, p in _tree_of(department.path) if p.startswith(own) and p != own)
    return own, nested


def organisations_above(path: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """For each organisation strictly above the one the department at `path` sits in: its
    path and the paths of the organisations nested (at any depth) in it."""
    own = organisation_at(path)[1]
    tree = _tree_of(path)
    above = sorted(p for _pk, p in tree if own.startswith(p) and p != own)
    return tuple((a, tuple(p for _pk, p in tree if p.startswith(a) and p != a)) for a in above)


def appeals_department_for(department: Department) -> Department:
    """Where an appeal against an answer of `department` is decided: its organisation's own
    choice (`appeals_to`), else the organisation above it, else (at the top) the organisation
    itself."""
    organisation = department.organisation()
    if organisation.appeals_to is not None:
        return organisation.appeals_to
    if organisation.parent_id is None:
        return organisation
    return Department.objects.get(pk=organisation.parent_id).organisation()


def connect() -> None:
    """Forget the memo whenever a department is saved or deleted in this process."""
    for signal in (post_save, post_delete):
        signal.connect(organisations_in.clear, sender=Department, dispatch_uid=f"org-{signal}")
