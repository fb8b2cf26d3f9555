"""Ids as sent: ASCII digits that fit a key, nothing else."""

import pytest

from hearline.core.ids import MAX_ID, as_id


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (7, 7),
        ("42", 42),
        (" 42 ", 42),
        ("²", None),
        ("١٢", None),
        ("4²", None),
        ("water", None),
        ("", None),
        ("0", None),
        (True, None),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("9" * 400, None),
        (MAX_ID + 1, None),
    ],
)
def test_only_ascii_digits_that_fit_a_key_are_an_id(value, expected):
    assert as_id(value) == expected


def test_a_reference_is_looked_up_by_id_or_by_its_field():
    from hearline.core.ids import by_ref

    assert by_ref("42") == {"pk": 42}
    assert by_ref("repair") == {"code": "repair"}
    assert by_ref("²") == {"code": "²"}
    assert by_ref("261203-AB12C", "tracking_number") == {"tracking_number": "261203-AB12C"}
