"""Text as the models see it: Chinese segmented into words (jieba, via its Rust port
rjieba), English split on word boundaries, both lower-cased."""

from __future__ import annotations

import re

import rjieba

# The start of a text says what it is about; the rest of a long letter adds cost, not signal.
MAX_CHARS = 300
_PUNCTUATION = re.compile(r"[\W_]+")
# Anonymised or coded place names (A市, K2区, J10 县) carry no topic.
_PLACE_CODE = re.compile(r"(?<![A-Za-z])[A-Z]\d{0,2}\s?[省市县区]")


def normalise(text: str) -> str:
    """Lower-cased, place codes removed, whitespace collapsed."""
    text = _PLACE_CODE.sub("", (text or "")[:MAX_CHARS])
    return re.sub(r"\s+", " ", text).strip().lower()


def words(text: str) -> list[str]:
    """The words of a normalised text, punctuation dropped."""
    return [w for w in rjieba.cut(_PUNCTUATION.sub(" ", text)) if not w.isspace()]
