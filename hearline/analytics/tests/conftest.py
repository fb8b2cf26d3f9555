import pytest

from .helpers import build_june


@pytest.fixture
def june(org):
    """The June cases of `helpers.build_june`."""
    return build_june(org)
