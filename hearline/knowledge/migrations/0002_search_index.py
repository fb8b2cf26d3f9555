"""The search index beside the articles (FTS5 on SQLite, tsvector + GIN on PostgreSQL) and
append-only triggers on the version history and the usage records."""

from django.db import migrations

from hearline.core.append_only import AppendOnly

SQL = {
    "sqlite": (
        [
            "CREATE VIRTUAL TABLE knowledge_article_fts USING fts5("
            "title, tags, body, tokenize = 'unicode61 remove_diacritics 0')"
        ],
        ["DROP TABLE IF EXISTS knowledge_article_fts"],
    ),
    "postgresql": (
        [
            # No foreign key: articles are never deleted (their versions protect them), and
            # Django's test flush truncates the tables it knows without CASCADE.
            "CREATE TABLE knowledge_article_search ("
            "article_id bigint PRIMARY KEY, document tsvector NOT NULL)",
            "CREATE INDEX knowledge_article_search_document ON knowledge_article_search "
            "USING GIN (document)",
        ],
        ["DROP TABLE IF EXISTS knowledge_article_search"],
    ),
}


def _run(which: int):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor not in SQL:
            raise NotImplementedError(f"knowledge search index for {vendor}")
        for statement in SQL[vendor][which]:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [
        migrations.RunPython(_run(0), _run(1)),
        AppendOnly("knowledge_articleversion"),
        AppendOnly("knowledge_knowledgeuse"),
        AppendOnly("knowledge_deflection"),
    ]
