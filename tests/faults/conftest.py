"""Fault tests run a real Hearline (hearline.testing.served) on a SQLite file of their own,
break it (kill workers, take the database or the attachment disk away) and check what
clients were told against what the database holds. They are marked sqlite_only: one pass
is enough (the PostgreSQL restart test is the one for PostgreSQL)."""

import pytest

from hearline.testing.served import serve


@pytest.fixture
def served(tmp_path):
    with serve(tmp_path) as running:
        yield running
