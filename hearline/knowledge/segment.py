"""Chinese text as the knowledge base searches it: segmented by jieba (its Rust port) in
search mode, so 营业执照 is found by 执照 too, with the synonym groups' words known to the
segmenter as whole words and a query expanded to every word of their group."""

from __future__ import annotations

import re
from functools import lru_cache

import rjieba

from hearline.core.cache import memo

from .models import SynonymGroup

_PUNCTUATION = re.compile(r"[\W_]+")
# Words that occur in nearly every question and say nothing about what it is about.
STOPWORDS = frozenset(
    """的 了 和 与 及 以及 或 或者 是 在 有 就 都 也 还 又 吗 呢 吧 啊 呀 哦 嗯 我 我们 你 你们
    您 他 她 它 他们 这 那 这个 那个 这些 那些 一个 一下 一些 请问 请 问 想 想问 怎么 怎样
    怎么办 如何 什么 为什么 哪里 哪些 哪个 多少 可以 能 能否 能不能 是否 需要 要 应该 现在
    已经 因为 所以 但是 而且 对 对于 把 被 让 给 从 到 向 等 个 些 该 其 之 为 并 吗 么 着
    过 很 非常 比较 一直 还是 没 不 不是 去 来 说 到底 一样 自己 谢谢 您好 你好""".split()
)
MAX_QUERY_WORDS = 40
# Longer "words" are codes, links or pasted data, never what someone searches for (and
# PostgreSQL refuses lexemes over 2 KB).
MAX_WORD = 64


@memo(60)
def synonym_groups() -> tuple[tuple[str, ...], ...]:
    """The synonym groups, each a tuple of lower-cased words (re-read within a minute of a
    change in another process; at once in this one, see `signals`)."""
    groups = []
    for group in SynonymGroup.objects.all():
        words = tuple(dict.fromkeys(w.lower() for w in group.word_list()))
        if len(words) > 1:
            groups.append(words)
    return tuple(sorted(groups))


@lru_cache(maxsize=2)
def _segmenter(groups: tuple[tuple[str, ...], ...]) -> rjieba.Jieba:
    """A segmenter of its own (the triage models keep the default one untouched) that knows
    every synonym as a word."""
    jieba = rjieba.Jieba()
    for word in {w for group in groups for w in group}:
        if not jieba.has_word(word):
            jieba.add_word(word, 100_000, None)
    return jieba


def _cut(text: str) -> list[str]:
    jieba = _segmenter(synonym_groups())
    cleaned = _PUNCTUATION.sub(" ", (text or "").lower())
    return [
        w
        for w in jieba.cut_for_search(cleaned)
        if w.strip() and len(w) <= MAX_WORD and w not in STOPWORDS
    ]


def index_words(text: str) -> list[str]:
    """The words of a text as they are indexed (search mode: 营业执照 gives 营业, 执照 and
    营业执照), in order, stop words dropped."""
    return _cut(text)


def query_groups(text: str) -> list[tuple[str, ...]]:
    """What a query looks for: one group per distinct word, each with the words of its
    synonym group; at most MAX_QUERY_WORDS groups (a long complaint says its subject first)."""
    groups = synonym_groups()
    synonyms = {word: group for group in groups for word in group}
    result: dict[tuple[str, ...], None] = {}
    for word in _cut(text):
        result.setdefault(synonyms.get(word, (word,)), None)
        if len(result) >= MAX_QUERY_WORDS:
            break
    return list(result)
