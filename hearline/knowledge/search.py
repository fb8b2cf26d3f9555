"""One search over the knowledge base, on SQLite (FTS5, bm25) and PostgreSQL (tsvector with a
GIN index, ts_rank). Both index the jieba-segmented words of each article — title, tags and
text weighted in that order — and match any word of the query or a synonym of it, so the
best answers rank first however the question is phrased."""

from __future__ import annotations

from django.db import connection, transaction

from hearline.core.cache import memo

from .models import Article, ArticleStatus, Audience
from .segment import index_words, query_groups

FTS_TABLE = "knowledge_article_fts"
PG_TABLE = "knowledge_article_search"
# Relative weights: a word in the title counts ten times a word in the text.
SQLITE_WEIGHTS = (10.0, 4.0, 1.0)
# ts_rank's weights for D, C, B, A: text D, tags B, title A.
PG_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"
MAX_POSITION = 16_000
# A word in more than this share of the articles (and at least COMMON_MIN of them) tells
# articles apart no better than chance (问题, 反映, 公司 …): a query leaves it out, as BM25
# would weigh it near zero anyway, and matching it would make every article a candidate.
COMMON_SHARE = 0.1
COMMON_MIN = 50
HIDDEN, STAFF, PUBLIC = 0, 1, 2


def _fields(article: Article) -> tuple[str, str, str]:
    """The title, the tags and everything else an answer says, as plain text."""
    text = "\n".join(
        [
            article.summary,
            article.body,
            article.applies_to,
            " ".join(article.documents or []),
            article.fees,
            article.time_limit,
        ]
    )
    return article.title, " ".join(article.tags or []), text


def _quoted_fts(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _quoted_pg(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def _tsvector(fields: tuple[str, str, str]) -> str:
    """A tsvector literal from already segmented words (no text parser involved, so Chinese
    words stay as jieba cut them whatever the server's locale)."""
    entries: dict[str, list[str]] = {}
    position = 0
    for text, weight in zip(fields, "ABD", strict=True):
        for word in index_words(text):
            position += 1
            if position > MAX_POSITION:
                break
            entries.setdefault(word, []).append(f"{position}{weight}")
    return " ".join(f"{_quoted_pg(w)}:{','.join(p[:256])}" for w, p in entries.items())


def visibility(article: Article) -> int:
    """Who finds the article (PostgreSQL keeps it beside the words): HIDDEN, STAFF, PUBLIC."""
    if article.status != ArticleStatus.PUBLISHED:
        return HIDDEN
    return PUBLIC if article.audience == Audience.PUBLIC else STAFF


def index_article(article: Article) -> None:
    """Write the article's words into the search index (in the caller's transaction)."""
    fields = _fields(article)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO {PG_TABLE} (article_id, document, visible) "
                "VALUES (%s, %s::tsvector, %s) ON CONFLICT (article_id) DO UPDATE "
                "SET document = EXCLUDED.document, visible = EXCLUDED.visible",
                [article.pk, _tsvector(fields), visibility(article)],
            )
        else:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [article.pk])
            cursor.execute(
                f"INSERT INTO {FTS_TABLE} (rowid, title, tags, body) VALUES (%s, %s, %s, %s)",
                [article.pk, *(" ".join(index_words(text)) for text in fields)],
            )


def reindex_all() -> int:
    """Rebuild the index of every article (after the synonyms changed); returns the count."""
    count = 0
    for article in Article.objects.iterator(chunk_size=500):
        index_article(article)
        count += 1
    return count


@memo(600)
def common_words() -> frozenset[str]:
    """The words too common in the indexed articles to help a query (re-read every ten
    minutes: they change slowly)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT count(*) FROM {PG_TABLE}")
            threshold = max(COMMON_SHARE * cursor.fetchone()[0], COMMON_MIN)
            cursor.execute(
                f"SELECT word FROM ts_stat('SELECT document FROM {PG_TABLE}') WHERE ndoc > %s",
                [threshold],
            )
        else:
            cursor.execute(f"SELECT count(*) FROM {FTS_TABLE}")
            threshold = max(COMMON_SHARE * cursor.fetchone()[0], COMMON_MIN)
            cursor.execute(f"SELECT term FROM {FTS_TABLE}_vocab WHERE doc > %s", [threshold])
        return frozenset(row[0] for row in cursor.fetchall())


def _telling_words(query: str) -> list[str]:
    """The query's words and their synonyms, without the groups whose every word is common
    (unless nothing else is left)."""
    groups = query_groups(query)
    common = common_words() if groups else frozenset()
    telling = [group for group in groups if not set(group) <= common] or groups
    return list(dict.fromkeys(w for group in telling for w in group))


def _ranked_ids(words: list[str], public_only: bool, limit: int) -> list[int]:
    if connection.vendor == "postgresql":
        return _ranked_ids_postgresql(words, public_only, limit)
    return _ranked_ids_sqlite(words, public_only, limit)


def _ranked_ids_sqlite(words: list[str], public_only: bool, limit: int) -> list[int]:
    """FTS5 finds and ranks with bm25 (title, tags, text weighted); the article's row says
    whether it is published and to whom."""
    audience = " AND a.audience = %s" if public_only else ""
    query = " OR ".join(_quoted_fts(w) for w in words)
    weights = ", ".join(str(w) for w in SQLITE_WEIGHTS)
    params = [query, ArticleStatus.PUBLISHED] + ([Audience.PUBLIC] if public_only else [])
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT a.id FROM {FTS_TABLE} f JOIN knowledge_article a ON a.id = f.rowid "
            f"WHERE {FTS_TABLE} MATCH %s AND a.status = %s{audience} "
            f"ORDER BY bm25({FTS_TABLE}, {weights}), a.id LIMIT %s",
            [*params, limit],
        )
        return [row[0] for row in cursor.fetchall()]


def _ranked_ids_postgresql(words: list[str], public_only: bool, limit: int) -> list[int]:
    """The GIN index finds the candidates (the planner, seeing a short table whose vectors
    live out of line, would rather scan it all and test each: ten times slower at 10,000
    articles), then ts_rank orders them. Visibility sits beside the words: no join."""
    query = " | ".join(_quoted_pg(w) for w in words)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        try:
            cursor.execute(
                f"SELECT s.article_id FROM {PG_TABLE} s, CAST(%s AS tsquery) q "
                "WHERE s.document @@ q AND s.visible >= %s "
                "ORDER BY ts_rank(%s, s.document, q, 1) DESC, s.article_id LIMIT %s",
                [query, PUBLIC if public_only else STAFF, PG_WEIGHTS, limit],
            )
            return [row[0] for row in cursor.fetchall()]
        finally:
            cursor.execute("SET LOCAL enable_seqscan TO DEFAULT")


def search(query: str, *, public_only: bool, limit: int = 5) -> list[Article]:
    """The published articles that answer `query`, best first. `public_only` keeps to the
    articles published to the public: the portal and anonymous API callers never see a
    staff-only article."""
    words = _telling_words(query)
    if not words or limit <= 0:
        return []
    ids = _ranked_ids(words, public_only, limit)
    articles = Article.objects.select_related("responsible_department").in_bulk(ids)
    return [articles[pk] for pk in ids if pk in articles]
