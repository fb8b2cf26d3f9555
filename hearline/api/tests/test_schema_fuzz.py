"""Schemathesis generates requests from /api/v1/openapi.json: no 5xx, no response that
breaks the schema, only documented status codes and media types (a bounded number of
examples per operation). Rules the schema can't express (a time not in the future, a known
category) may still refuse schema-valid input with a 422, so that check is not asked for."""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import checks

from hearline.api.actions import do_create_api_token

# Examples per operation: 15 in `make test`; `make soak` asks 200 (about 5,800 requests).
EXAMPLES = int(os.environ.get("HEARLINE_FUZZ_EXAMPLES", "15"))
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """As Django's test client does: requests must not close the connection that holds the
    test's transaction (PostgreSQL would lose it)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(org):
    return do_create_api_token(name="fuzz", role="agent", department_code="callcentre")[1]


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)
def test_api_conforms_to_its_schema(case, token):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"},
        checks=[
            checks.not_a_server_error,
            checks.response_schema_conformance,
            checks.status_code_conformance,
            checks.content_type_conformance,
        ],
    )
