import pytest

from hearline.incidents.models import IncidentKind


@pytest.fixture
def water(org):
    kind = IncidentKind.objects.get(code="water-supply")
    kind.department = org.departments["water"]
    kind.save()
    return kind
