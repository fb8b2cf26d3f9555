"""Near-duplicates and repeats at intake.

A text becomes the set of its words (jieba; common function words dropped), a
48-permutation MinHash, and 16 bands of 3 values; each band's hash is a row in `CaseBand` for
every open case. Cases sharing any band are candidates (for two texts with Jaccard
similarity s the chance of sharing a band is 1 − (1 − s³)¹⁶: 0.45 → 78 %, 0.6 → 97 %,
0.1 → 1.6 %); so are the open cases of the last week in the same district, where a burst
main's callers are. Candidates are then scored exactly, and the same district and category
count in their favour. Words, not
character n-grams: a caller retelling the same burst main keeps the words (0.63 alike in the
tests) while the character 3-grams change (0.25).
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from datetime import timedelta

import numpy as np
from django.db.models import Q
from django.utils import timezone

from hearline.cases.models import Case
from hearline.cases.queries import of_phone
from hearline.cases.workflow import State

from .models import CaseBand
from .text import normalise, words

PERMUTATIONS, BANDS = 48, 16
ROWS = PERMUTATIONS // BANDS
STOP_WORDS = frozenset(
    "的 了 在 都 还 我们 我 你 他 也 是 有 和 就 没有 一直 已经 这个 那个 一个 请 吗 呢 啊 吧".split()
)
THRESHOLD = 0.45  # score at which a candidate is shown
REPEAT_WINDOW = timedelta(days=30)
NEIGHBOURHOOD_WINDOW = timedelta(days=7)
CANDIDATES = 30  # per source (bands, district): each is scored, so this bounds the latency


def shingles(text: str) -> set[str]:
    """The distinct words of the text, function words dropped."""
    return {w for w in words(normalise(text)) if w not in STOP_WORDS}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def band_keys(parts: set[str]) -> list[int]:
    """The 16 band keys of a shingle set (signed 64-bit, as the database stores them)."""
    if not parts:
        return []
    signature = _empty_signature().copy()
    signature.update_batch([p.encode() for p in parts])
    values = signature.hashvalues.astype(np.uint32)
    keys = []
    for band in range(BANDS):
        chunk = band.to_bytes(1, "little") + values[band * ROWS : (band + 1) * ROWS].tobytes()
        digest = hashlib.blake2b(chunk, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys


@functools.cache
def _empty_signature():
    """An empty MinHash whose copies share its permutations, drawn once per process from
    the fixed seed (so every process computes the same band keys)."""
    from datasketch import MinHash  # pulls in scipy: loaded at the first registration

    return MinHash(num_perm=PERMUTATIONS, seed=17)


def case_text(case: Case) -> str:
    return f"{case.title}\n{case.description}"


def bands_for(case: Case) -> list[CaseBand]:
    """Unsaved band rows of an (unsaved) case; registration inserts them with it."""
    return [CaseBand(case=case, key=key) for key in band_keys(shingles(case_text(case)))]


def forget(case: Case) -> None:
    """The case is answered or merged: no longer a duplicate target."""
    CaseBand.objects.filter(case=case).delete()


@dataclass(frozen=True)
class Match:
    tracking_number: str
    case_id: int
    title: str
    state: str
    similarity: float
    same_place: bool
    same_category: bool
    score: float

    def as_dict(self) -> dict:
        return self.__dict__.copy()


def near_duplicates(
    text: str,
    *,
    district: str = "",
    category_id: int | None = None,
    exclude_case: int | None = None,
    limit: int = 5,
    within: Q | None = None,
) -> list[Match]:
    """Open cases whose text is close to `text`, best first (only cases matching `within`,
    when given). The similarity is the exact Jaccard of the shingles; the score adds 0.1
    for the same district and 0.1 for the same category, so a reworded report of the same
    burst main in the same street ranks first."""
    parts = shingles(text)
    keys = band_keys(parts)
    if not keys:
        return []
    # Capped, not ranked by shared bands: ranking means aggregating every row of a band
    # that hundreds of cases share (a mass incident), which cost 2× the whole budget. No
    # DISTINCT in SQL either: with DISTINCT and LIMIT, PostgreSQL walks the case_id index
    # (0.5 s at 300,000 open cases); rows by key, deduplicated here, use the key index.
    hits = CaseBand.objects.filter(key__in=keys).values_list("case_id", flat=True)
    candidates = set(list(dict.fromkeys(hits[: CANDIDATES * BANDS]))[:CANDIDATES])
    if district:
        since = timezone.now() - NEIGHBOURHOOD_WINDOW
        candidates.update(
            Case.objects.filter(
                district=district, registered_at__gte=since, state__in=State.UNSETTLED
            )
            .order_by("-registered_at")
            .values_list("pk", flat=True)[:CANDIDATES]
        )
    if exclude_case is not None:
        candidates.discard(exclude_case)
    matches = []
    # By primary key only: with a state condition too, SQLite's planner prefers the state
    # index and reads every open case (0.12 s at 1,000,000); the state is checked here.
    found = Case.objects.filter(pk__in=candidates)
    if within is not None:
        found = found.filter(within)
    rows = found.values_list(
        "pk", "tracking_number", "title", "description", "state", "district", "category_id"
    )
    for pk, number, title, description, state, place, category in rows:
        if state not in State.UNSETTLED:
            continue
        similarity = jaccard(parts, shingles(f"{title}\n{description}"))
        same_place = bool(district) and district == place
        same_category = category_id is not None and category_id == category
        score = similarity + 0.1 * same_place + 0.1 * same_category
        if score >= THRESHOLD:
            matches.append(
                Match(
                    number,
                    pk,
                    title,
                    state,
                    round(similarity, 3),
                    same_place,
                    same_category,
                    round(score, 3),
                )
            )
    matches.sort(key=lambda m: m.score, reverse=True)
    return matches[:limit]


def earlier_from_same_complainant(
    phone: str,
    text: str,
    *,
    category_id: int | None = None,
    before_case: int | None = None,
    people: list[int] | None = None,
    within: Q | None = None,
) -> list[Match]:
    """The complainant's cases of the last 30 days about the same matter (重复投诉): the
    same category, or texts at least 0.3 alike; only cases matching `within`, when given.
    `people`: the ids of the complainants with this phone number, when already known (else
    they are looked up)."""
    if not phone or people == []:
        return []
    parts = shingles(text)
    since = timezone.now() - REPEAT_WINDOW
    recent = Case.objects.filter(registered_at__gte=since)
    if within is not None:
        recent = recent.filter(within)
    cases = of_phone(recent, phone) if people is None else recent.filter(complainant_id__in=people)
    if before_case is not None:
        cases = cases.exclude(pk=before_case)
    rows = cases.values_list(
        "pk", "tracking_number", "title", "description", "state", "category_id"
    ).order_by("-registered_at")[:20]
    found = []
    for pk, number, title, description, state, category in rows:
        similarity = jaccard(parts, shingles(f"{title}\n{description}"))
        same_category = category_id is not None and category == category_id
        if similarity >= 0.3 or same_category:
            found.append(
                Match(
                    number,
                    pk,
                    title,
                    state,
                    round(similarity, 3),
                    False,
                    same_category,
                    round(similarity, 3),
                )
            )
    return found
