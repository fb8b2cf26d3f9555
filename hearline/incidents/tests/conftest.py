import pytest

from hearline.incidents.models import IncidentKind


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): …` runs what the block queued for after commit (Huey tasks run
    immediately in tests), as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def water(org):
    kind = IncidentKind.objects.get(code="water-supply")
    kind.department = org.departments["water"]
    kind.save()
    return kind
