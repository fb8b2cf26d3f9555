"""Free-form addresses to province, city and district (cpca), so routing rules and hotspots
work on districts even when the caller only gives a street."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Place:
    province: str
    city: str
    district: str
    adcode: str
    rest: str


@lru_cache(maxsize=4096)
def locate(address: str) -> Place | None:
    """The administrative place of an address, or None when nothing is recognised."""
    if not (address or "").strip():
        return None
    import cpca  # pandas and the place tables: loaded when an address is first read

    row = cpca.transform([address]).iloc[0]

    def value(key: str) -> str:
        found = row.get(key)
        return found if isinstance(found, str) else ""

    place = Place(value("省"), value("市"), value("区"), value("adcode"), value("地址"))
    return place if (place.district or place.city or place.province) else None
