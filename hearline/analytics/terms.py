"""Rising terms: the words whose frequency in complaints jumps against the last period.

Each case's words (title and description segmented with jieba, stop words, numbers and
single characters dropped) are counted once per registration day in `TermDay`, after
commit by the triage task, exactly once per case (a compare-and-set on its facts row).
"""

from __future__ import annotations

import math
import re
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from hearline.cases.models import Case
from hearline.triage.text import normalise, words

from .models import CaseFacts, TermDay
from .upsert import upsert_many

MAX_TERMS = 40
_NOT_A_TERM = re.compile(r"^[\da-z.%]+$")
STOP_WORDS = frozenset(
    """
    我们 你们 他们 她们 这个 那个 这些 那些 没有 什么 已经 可以 问题 反映 希望 请求 要求 情况
    进行 相关 有关 一直 现在 因为 所以 但是 而且 如果 还是 就是 不是 这样 怎么 为什么 这里 那里
    我家 您好 你好 谢谢 部门 领导 能否 是否 尽快 解决 处理 今天 昨天 目前 一下 一个 以及 时候
    自己 多次 导致 造成 关于 需要 存在 还有 或者 并且 非常 特别 严重 经常 每天 最近 之前 之后
    以后 给予 帮助 麻烦 请问 咨询 投诉 举报 建议 市民 居民 本人 我们家 有没有 不能 不会 可能
    号楼 单元 号院 栋楼
    """.split()
)


def case_terms(title: str, description: str) -> set[str]:
    """The distinct words of a complaint worth counting (at most `MAX_TERMS`)."""
    found = []
    for word in words(normalise(f"{title} {description}")):
        if len(word) < 2 or len(word) > 20 or word in STOP_WORDS or _NOT_A_TERM.match(word):
            continue
        if word not in found:
            found.append(word)
    return set(found[:MAX_TERMS])


def _add(day: date, terms: set[str]) -> None:
    upsert_many(TermDay, ("day", "term"), ("cases",), [((day, t), (1,)) for t in sorted(terms)])


def count_terms(case_id: int) -> bool:
    """Count the case's words on its registration day, once (False if already counted or
    the case has no facts yet)."""
    with transaction.atomic():
        claimed = CaseFacts.objects.filter(pk=case_id, terms_counted=False).update(
            terms_counted=True
        )
        if not claimed:
            return False
        case = Case.objects.only("title", "description", "registered_at").get(pk=case_id)
        _add(timezone.localdate(case.registered_at), case_terms(case.title, case.description))
    return True


def _counts(start: date, end: date) -> dict[str, int]:
    rows = TermDay.objects.filter(day__gte=start, day__lte=end).values("term")
    return {r["term"]: r["n"] for r in rows.annotate(n=Sum("cases")).order_by()}


def rising(start: date, end: date, limit: int = 15, min_cases: int = 3) -> list[dict]:
    """The terms that rose most from the as-long period before to this one: scored by the
    excess over the earlier count (scaled to this period's length) in units of its square
    root, so a jump from 0 to 30 outranks one from 300 to 330. Terms in fewer than
    `min_cases` cases now are left out."""
    length = end - start + timedelta(days=1)
    now, before = _counts(start, end), _counts(start - length, end - length)
    scored = []
    for term, count in now.items():
        earlier = before.get(term, 0)
        if count < min_cases or count <= earlier:
            continue
        score = (count - earlier) / math.sqrt(earlier + 1)
        scored.append((score, term, count, earlier))
    scored.sort(key=lambda s: (-s[0], s[1]))
    return [{"term": term, "now": count, "before": earlier} for _s, term, count, earlier in scored][
        :limit
    ]
