"""The `hearline` console command: Django management with Hearline's settings.

Examples: `hearline migrate`, `hearline demo`, `hearline run_huey`, `hearline createsuperuser`.
"""

import os
import sys


def main() -> None:
    """Run a Django management command with DJANGO_SETTINGS_MODULE defaulting to Hearline's."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["hearline", *sys.argv[1:]])


if __name__ == "__main__":
    main()
