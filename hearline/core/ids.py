"""Row ids as people and integrations send them: an integer, or text of ASCII digits, that
fits a database key. Pure functions, no Django."""

MAX_ID = 2**63 - 1


def as_id(value) -> int | None:
    """The id `value` stands for, or None when it stands for none: a code, a flag, digits of
    other scripts or superscripts (`"²".isdigit()` is true, `int("²")` fails), or a number
    past the range of a database key."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value <= MAX_ID else None
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ID)):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def by_ref(ref, field: str = "code") -> dict:
    """The look-up (for `.filter(**…)`) of a row named by `ref`: its id when `ref` is one,
    else the value of `field` (a code, a tracking number)."""
    pk = as_id(ref)
    return {"pk": pk} if pk is not None else {field: str(ref)}
