"""Characters no complaint needs and some of our outputs cannot carry.

Invalid here: control characters other than tab, line feed and carriage return (C0, DEL,
C1), lone surrogates and the non-characters U+FFFE and U+FFFF. PostgreSQL refuses NUL in
text; XML 1.0 (Open311's XML, XLSX files) cannot carry any C0 control character but those
three, nor surrogates, nor U+FFFE/U+FFFF.
"""

import re

_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def has_invalid_characters(text: str) -> bool:
    """Whether `text` holds any character this module calls invalid."""
    return bool(_INVALID.search(text))


def strip_invalid_characters(text: str) -> str:
    """`text` without its invalid characters; every other character stays, in order."""
    return _INVALID.sub("", text)
