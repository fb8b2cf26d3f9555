"""What the managers' dashboard shows, all summed from rollup rows: the headline measures
against a comparison period, the trend, the top categories and places against the last
period, and the district × category heat table."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import QuerySet, Sum

from hearline.cases.models import Category
from hearline.improvement.models import RootCause

from .drill import link
from .models import DepartmentDay, HotspotDay
from .report import Slice, slices

GRAINS = ("day", "week", "month")
COMPARISONS = ("previous", "last_year", "")


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def comparison_period(start: date, end: date, compare: str) -> tuple[date, date] | None:
    """The period to compare with: the as-long one just before, or the same dates a year
    earlier; None for no comparison."""
    if compare == "previous":
        length = end - start + timedelta(days=1)
        return start - length, end - length
    if compare == "last_year":
        return _year_before(start), _year_before(end)
    return None


def bucket_start(day: date, grain: str) -> date:
    """The first day of the day, ISO week or month containing `day`."""
    if grain == "week":
        return day - timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    return day


def trend(rows: QuerySet[DepartmentDay], start: date, end: date, grain: str) -> list[dict]:
    """One point per day, week or month of the period (empty ones included): its first and
    last day inside the period and its measures."""
    by_day = slices(rows, "day")
    points: dict[date, Slice] = {}
    day = start
    while day <= end:
        key = bucket_start(day, grain)
        points[key] = points.get(key, Slice()) + by_day.get(day, Slice())
        day += timedelta(days=1)
    keys = list(points)
    return [
        {
            "start": max(key, start),
            "end": min(keys[i + 1] - timedelta(days=1), end) if i + 1 < len(keys) else end,
            "measures": points[key].measures(),
        }
        for i, key in enumerate(keys)
    ]


HOTSPOT_COLUMNS = ("category_id", "district", "root_cause_id")


def volumes(rows: QuerySet[HotspotDay]) -> dict[tuple, int]:
    """Cases per (category, district, root cause) in one grouped query: what the hotspot
    panels and the heat table are all summed from."""
    grouped = rows.order_by().values_list(*HOTSPOT_COLUMNS).annotate(n=Sum("volume"))
    return {tuple(key): n for *key, n in grouped if n}


def _by(counts: dict[tuple, int], *columns: str) -> dict:
    at = [HOTSPOT_COLUMNS.index(c) for c in columns]
    out: dict = {}
    for key, n in counts.items():
        part = key[at[0]] if len(at) == 1 else tuple(key[i] for i in at)
        out[part] = out.get(part, 0) + n
    return out


def category_names(ids) -> dict[int, tuple[str, str]]:
    """{category id: (code, name)}; 0 is the cases without a category."""
    named = {c.pk: (c.code, c.name) for c in Category.objects.filter(pk__in=list(ids))}
    return named | {0: ("-", "未分类")}


def _names(column: str, ids) -> dict[int, tuple[str, str]]:
    if column == "category_id":
        return category_names(ids)
    if column == "root_cause_id":
        causes = RootCause.objects.filter(pk__in=list(ids))
        return {c.pk: (c.code, c.name) for c in causes} | {0: ("-", "未标注")}
    return {}


def top_changes(now: dict, before: dict, column: str, limit: int = 10) -> list[dict]:
    """The values of `column` with most cases in `now` (see `volumes`), with their count in
    `before` and the change in per cent (None when there were none before). Cases without
    a root cause are left out of the root causes."""
    now, then = _by(now, column), _by(before, column)
    if column == "root_cause_id":
        now.pop(0, None)
    names = _names(column, now)
    top = sorted(now.items(), key=lambda kv: -kv[1])[:limit]
    return [
        {
            "key": names[value][0] if names else value,
            "label": names[value][1] if names else (value or "—"),
            "now": count,
            "before": then.get(value, 0),
            "change": round(100 * (count - then[value]) / then[value], 1)
            if then.get(value)
            else None,
        }
        for value, count in top
    ]


def heat(now: dict, districts: int = 12, categories: int = 10) -> dict:
    """Case counts by district × category (from `volumes`) for the busiest districts and
    categories, with each cell's share of the largest in tenths (0–10, its shade)."""
    cells = _by(now, "district", "category_id")
    per_district: dict[str, int] = {}
    per_category: dict[int, int] = {}
    for (district, category), n in cells.items():
        per_district[district] = per_district.get(district, 0) + n
        per_category[category] = per_category.get(category, 0) + n
    top_d = sorted(per_district, key=lambda d: -per_district[d])[:districts]
    top_c = sorted(per_category, key=lambda c: -per_category[c])[:categories]
    names = category_names(top_c)
    peak = max((cells.get((d, c), 0) for d in top_d for c in top_c), default=0) or 1
    return {
        "categories": [{"key": names[c][0], "label": names[c][1]} for c in top_c],
        "rows": [
            {
                "district": d,
                "cells": [
                    {
                        "category": names[c][0],
                        "n": cells.get((d, c), 0),
                        "level": round(cells.get((d, c), 0) / peak * 10),
                    }
                    for c in top_c
                ],
            }
            for d in top_d
        ],
    }


def chart_data(trend: list[dict], ranking: list[dict], start: date, end: date) -> dict:
    """What the ECharts script draws: the trend (with each point's drill-down query) and the
    scorecard ranking (with each department's)."""
    return {
        "trend": {
            "labels": [p["start"].isoformat() for p in trend],
            "volume": [p["measures"]["volume"] for p in trend],
            "satisfaction": [p["measures"]["satisfaction_rate"] for p in trend],
            "response": [p["measures"]["response_rate"] for p in trend],
            "links": [link(p["start"], p["end"]) for p in trend],
        },
        "ranking": [
            [r["name"], r["score"], link(start, end, department=r["department"])] for r in ranking
        ],
    }
