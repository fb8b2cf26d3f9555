"""The PostgreSQL connection options: prepared statements by default, the URL can turn them off."""

import pytest
from django.db import connection

from config.settings.base import database_from_url
from hearline.cases.models import Case


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
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ['%FROM "cases_case" WHERE "cases_case"."tracking_number" = $1%'],
        )
        assert cursor.fetchone()[0] == 1
