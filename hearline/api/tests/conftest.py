"""The API tests' service accounts: an intake app, a dispatcher, two departments' handlers."""

import pytest

from hearline.api.actions import do_create_api_token


@pytest.fixture
def tokens(org):
    made = {}
    for name, role, dept in [
        ("app", "agent", "callcentre"),
        ("dispatch", "dispatcher", "callcentre"),
        ("repair", "handler", "repair"),
        ("metro", "handler", "metro"),
    ]:
        made[name] = do_create_api_token(name=name, role=role, department_code=dept)[1]
    return made
