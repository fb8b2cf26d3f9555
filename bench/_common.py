"""What the benchmarks share: a database to run against, a percentile and the header of
every result file."""

import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hearline.testing.load import percentile  # noqa: E402, F401  (shared with the load test)


def setup_django(*, demo_cases: int | None = None) -> str:
    """Django on DATABASE_URL (default: a new SQLite file in a temporary directory),
    migrated, optionally with the demo loaded; returns the database vendor."""
    if not os.environ.get("DATABASE_URL"):
        path = Path(tempfile.mkdtemp(prefix="hearline-bench-")) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.setdefault("HEARLINE_ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if demo_cases is not None:
        call_command("demo", cases=demo_cases, verbosity=0)
    from django.db import connection

    return connection.vendor


def result_header(benchmark: str, vendor: str) -> dict:
    """The keys every result file starts with: which benchmark, on which database, when
    (UTC date) and on what machine."""
    return {
        "benchmark": benchmark,
        "database": vendor,
        "date": time.strftime("%Y-%m-%d", time.gmtime()),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
    }
