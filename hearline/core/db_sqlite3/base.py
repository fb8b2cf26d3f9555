"""SQLite with connections kept between requests, safely.

Opening a SQLite connection costs about 2 ms per request here (the file, the WAL and
synchronous pragmas, Django's SQL functions), a tenth of a registration. A kept connection,
though, holds the file it opened: if the database file is moved, replaced or restored under
the running server, it would go on writing into a file that is no longer at the path, and
complaints acknowledged meanwhile would be lost. So before each request the connection
checks that the path still names the file it opened (device and inode), and is replaced if
not.
"""

from __future__ import annotations

import os

from django.db.backends.sqlite3 import base


def _identity(path: str) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


class DatabaseWrapper(base.DatabaseWrapper):
    """Django's SQLite backend whose health check is "the path still names my file"."""

    opened: tuple[int, int] | None = None

    def get_new_connection(self, conn_params):
        """Open the database and note which file the path named."""
        connection = super().get_new_connection(conn_params)
        self.opened = None if self.is_in_memory_db() else _identity(self.settings_dict["NAME"])
        return connection

    def is_usable(self) -> bool:
        """True while the database path still names the file this connection opened."""
        if self.is_in_memory_db():
            return True
        return self.opened is not None and _identity(self.settings_dict["NAME"]) == self.opened
