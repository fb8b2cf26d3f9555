"""Fault tests run a real Hearline (hearline.testing.served) on a SQLite file of their own,
break it (kill workers, take the database or the attachment disk away) and check what
clients were told against what the database holds."""

import pytest
from django.conf import settings

from hearline.testing.served import serve


def skip_on_postgresql() -> None:
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        pytest.skip("the fault tests break a SQLite file of their own; run once, on SQLite")


@pytest.fixture
def served(tmp_path):
    skip_on_postgresql()
    with serve(tmp_path) as running:
        yield running
