"""Database triggers that make a table append-only on SQLite and PostgreSQL.

Used from migrations: `AppendOnly("cases_caseevent")` refuses every UPDATE and DELETE in the
database itself, whoever issues it (the ORM, the admin, a raw SQL shell).
"""

from django.db import migrations

MESSAGE = "append-only table: rows can be inserted, never updated or deleted"


def _sqlite_sql(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table}: {MESSAGE}'); END;"
        for verb in ("UPDATE", "DELETE")
    ]


def _postgresql_sql(table: str) -> list[str]:
    return [
        "CREATE OR REPLACE FUNCTION hearline_refuse_change() RETURNS trigger AS $$ "
        f"BEGIN RAISE EXCEPTION '%: {MESSAGE}', TG_TABLE_NAME USING ERRCODE = 'raise_exception'; "
        "END; $$ LANGUAGE plpgsql;",
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION hearline_refuse_change();",
    ]


def _drop_sql(vendor: str, table: str) -> list[str]:
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {table}_no_{v};" for v in ("update", "delete")]
    return [f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};"]


class AppendOnly(migrations.RunPython):
    """Migration operation installing (and on reverse removing) the append-only triggers.

    `again=True` makes sure they are there, in both directions: SQLite rebuilds a table to
    change some of its constraints and the triggers go with the old table, so a migration
    that does so puts one such operation after the change (for going forward) and one
    before it (for going back)."""

    def __init__(self, table: str, again: bool = False):
        self.table, self.again = table, again

        def install(apps, schema_editor):
            vendor = schema_editor.connection.vendor
            if again:
                for sql in _drop_sql(vendor, table):
                    schema_editor.execute(sql, params=None)
            if vendor == "sqlite":
                statements = _sqlite_sql(table)
            elif vendor == "postgresql":
                statements = _postgresql_sql(table)
            else:
                raise NotImplementedError(f"append-only triggers for {vendor}")
            for sql in statements:
                schema_editor.execute(sql, params=None)

        def remove(apps, schema_editor):
            for sql in _drop_sql(schema_editor.connection.vendor, table):
                schema_editor.execute(sql, params=None)

        super().__init__(install, install if again else remove)

    def describe(self) -> str:
        return f"Make {self.table} append-only"

    def deconstruct(self):
        return (self.__class__.__qualname__, [self.table], {"again": self.again})
