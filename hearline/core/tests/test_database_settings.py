"""The PostgreSQL connection options: prepared statements by default, the URL can turn them off."""

import pytest
from django.db import connection

from config.settings.base import database_from_url
from hearline.cases.models import Case


def _prepared(pattern: str) -> int:
    """How many statements matching the LIKE `pattern` this connection has prepared."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", [pattern]
        )
        return cursor.fetchone()[0]


def test_the_urls_query_string_wins_over_the_defaults():
    url = "postgres://hearline@db.example/hearline?server_side_binding=false&sslmode=require"
    options = database_from_url(url)["OPTIONS"]
    assert options["server_side_binding"] is False
    assert options["sslmode"] == "require"


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_a_statement_run_often_is_prepared_on_the_connection():
    for number in range(6):
        list(Case.objects.filter(tracking_number=f"T{number}").values_list("id"))
    assert _prepared('%FROM "cases_case" WHERE "cases_case"."tracking_number" = $1%') == 1


@pytest.mark.postgres_only
def test_a_prepared_statement_survives_a_column_added_to_its_table(org):
    """A migration that adds a column while workers run does not break the statements their
    connections prepared, not even a written-out `SELECT u.*`: the server plans it again."""
    from hearline.accounts.loading import staff_by_username

    user = org.users["dispatcher"]
    for _ in range(6):
        assert staff_by_username(user.username).pk == user.pk
    assert _prepared("SELECT u.*, r.role AS held_role%") == 1
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the org's rows are checked first
        cursor.execute("ALTER TABLE accounts_user ADD COLUMN added_later integer")
    assert staff_by_username(user.username).pk == user.pk
