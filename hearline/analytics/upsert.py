"""Adding to counter rows in bulk: one statement inserts missing rows and adds to the
others (INSERT … ON CONFLICT DO UPDATE, on SQLite and PostgreSQL alike)."""

from django.db import connection


def upsert_many(model, columns: tuple, names: tuple, rows: list[tuple[tuple, tuple]]) -> None:
    """Add each row's values (for the columns `names`) to the row of `model` with its key
    (for `columns`), creating rows that are missing: multi-row statements within the
    database's parameter limit. Keys must be distinct."""
    table = connection.ops.quote_name(model._meta.db_table)
    quoted = [connection.ops.quote_name(c) for c in (*columns, *names)]
    updates = ", ".join(f"{q} = {table}.{q} + excluded.{q}" for q in quoted[len(columns) :])
    limit = connection.features.max_query_params or 10_000
    per_statement = max(1, min(500, limit // len(quoted)))
    placeholder = f"({', '.join(['%s'] * len(quoted))})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            batch = rows[start : start + per_statement]
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(quoted)}) "
                f"VALUES {', '.join([placeholder] * len(batch))} "
                f"ON CONFLICT ({', '.join(quoted[: len(columns)])}) DO UPDATE SET {updates}",
                [value for key, values in batch for value in (*key, *values)],
            )
