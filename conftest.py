import pytest
from django.conf import settings


def pytest_collection_modifyitems(config, items):
    """Tests marked postgres_only are deselected when the suite runs on SQLite."""
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    keep = [item for item in items if item.get_closest_marker("postgres_only") is None]
    dropped = [item for item in items if item.get_closest_marker("postgres_only") is not None]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


@pytest.fixture
def org(db):
    from hearline.testing.org import build_org

    return build_org()
