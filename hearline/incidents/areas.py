"""Whether a complaint's place lies in an incident's area. Pure functions.

An area is any of: a list of districts, a centre with a radius, an outline (polygon of
[lat, lng] points). A case is inside when its district is listed, or when it has
coordinates within the radius or the outline.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

EARTH_RADIUS_M = 6_371_000


@dataclass(frozen=True)
class Area:
    districts: tuple[str, ...] = ()
    centre: tuple[float, float] | None = None
    radius_m: float | None = None
    polygon: tuple[tuple[float, float], ...] = field(default=())

    def contains(self, district: str, lat: float | None, lng: float | None) -> bool:
        """The place is in the area (see the module's rule)."""
        if district and district in self.districts:
            return True
        if lat is None or lng is None:
            return False
        if self.centre and self.radius_m and distance_m((lat, lng), self.centre) <= self.radius_m:
            return True
        return len(self.polygon) >= 3 and in_polygon((lat, lng), self.polygon)


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in metres between two (lat, lng) points."""
    lat1, lng1, lat2, lng2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


def in_polygon(point: tuple[float, float], polygon) -> bool:
    """Ray casting: whether `point` lies inside the closed outline `polygon`."""
    y, x = point
    inside = False
    n = len(polygon)
    for i in range(n):
        y1, x1 = polygon[i]
        y2, x2 = polygon[(i + 1) % n]
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def degrees_box(lat: float, radius_m: float) -> tuple[float, float]:
    """Half-height and half-width in degrees of a box holding the circle at `lat`."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    dlng = dlat / max(math.cos(math.radians(lat)), 0.01)
    return dlat, dlng
