"""SQLite writers queue for the write lock by asking again every half millisecond (not in
SQLite's sleeping busy handler), up to the connection's timeout, and leave the connection's
own busy timeout as it was."""

import sqlite3
import threading

import pytest
from django.db import OperationalError
from django.db.utils import ConnectionHandler

from config.settings.base import database_from_url

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def file_db(tmp_path, django_db_blocker):
    """A connection of Hearline's SQLite engine to a file of its own (timeout 0.3 s)."""
    path = tmp_path / "writers.sqlite3"
    settings = database_from_url(f"sqlite:///{path}")
    settings["OPTIONS"]["timeout"] = 0.3
    handler = ConnectionHandler({"default": settings})
    connection = handler["default"]
    with django_db_blocker.unblock():
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE complaint (id INTEGER PRIMARY KEY, body TEXT)")
        yield path, connection
        handler.close_all()


def _hold_write_lock(path, release: threading.Event, held: threading.Event):
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO complaint (body) VALUES ('first')")
    held.set()
    release.wait()
    other.execute("COMMIT")
    other.close()


def _write(connection, body: str) -> None:
    """A write transaction as `transaction.atomic()` opens it on this connection."""
    connection._start_transaction_under_autocommit()
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO complaint (body) VALUES (%s)", [body])
        cursor.execute("COMMIT")


def test_a_writer_waits_for_the_lock_and_writes_once_it_is_free(file_db):
    path, connection = file_db
    release, held = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(path, release, held))
    holder.start()
    held.wait()
    threading.Timer(0.1, release.set).start()
    _write(connection, "second")
    holder.join()
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM complaint ORDER BY id")
        assert [row[0] for row in cursor.fetchall()] == ["first", "second"]
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 300


def test_a_writer_gives_up_after_the_timeout_and_writes_nothing(file_db):
    path, connection = file_db
    release, held = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(path, release, held))
    holder.start()
    held.wait()
    try:
        with pytest.raises(OperationalError, match="locked"):
            _write(connection, "second")
    finally:
        release.set()
        holder.join()
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM complaint ORDER BY id")
        assert [row[0] for row in cursor.fetchall()] == ["first"]
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 300
