"""The machine's raw limit for one durable write: a single-row INSERT in its own transaction
through the bare database driver (sqlite3 / psycopg), from N threads with a connection each,
with the durability Hearline uses (SQLite WAL + synchronous=FULL; PostgreSQL
synchronous_commit on). The figure that Hearline's intake is divided by."""

from __future__ import annotations

import sqlite3
import threading
import time

import dj_database_url

TABLE = "bench_raw_insert"


def _sqlite(path: str):
    conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")

    def insert(body: str) -> None:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(f"INSERT INTO {TABLE} (body) VALUES (?)", (body,))
        conn.execute("COMMIT")

    return conn, insert


def _postgres(settings: dict):
    import psycopg

    conn = psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        autocommit=True,
    )

    def insert(body: str) -> None:
        conn.execute(f"INSERT INTO {TABLE} (body) VALUES (%s)", (body,))

    return conn, insert


def _connect(url: str):
    settings = dj_database_url.parse(url)
    if settings["ENGINE"].endswith("sqlite3"):
        return _sqlite(settings["NAME"])
    return _postgres(settings)


def raw_inserts(url: str, total: int, clients: int, body: str) -> dict:
    """`total` one-row transactions from `clients` threads (a connection each) on the database
    of `url`; the table is created for the run and dropped after it."""
    setup, _ = _connect(url)  # in autocommit, as every connection here is
    serial = "INTEGER" if isinstance(setup, sqlite3.Connection) else "BIGSERIAL"
    setup.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (id {serial} PRIMARY KEY, body TEXT)")
    barrier = threading.Barrier(clients + 1)

    def client(count: int) -> None:
        conn, insert = _connect(url)
        barrier.wait()
        for _ in range(count):
            insert(body)
        conn.close()

    threads = [threading.Thread(target=client, args=(total // clients,)) for _ in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    setup.execute(f"DROP TABLE {TABLE}")
    setup.close()
    done = (total // clients) * clients
    return {"clients": clients, "rows": done, "rows_per_s": round(done / elapsed, 1)}


def scalar(url: str, sql: str):
    """The first column of the first row `sql` returns on the database of `url`."""
    conn, _ = _connect(url)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()
