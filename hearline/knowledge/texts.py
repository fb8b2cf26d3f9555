"""An article in words for a complainant: what is read out, sent, or shown on the portal."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from .models import Article


def public_link(article: Article) -> str:
    """The article's page on the public portal."""
    return f"{settings.HEARLINE_PUBLIC_URL.rstrip('/')}/kb/{article.pk}/"


def message_text(article_id: int) -> str:
    """The message sent to a complainant: the answer, then everything to bring at once
    (一次性告知), fees, time limit, and the link to the full article."""
    article = Article.objects.get(pk=article_id)
    lines = [f"【{article.title}】{article.summary}"]
    if article.documents:
        items = "；".join(f"{n}. {item}" for n, item in enumerate(article.documents, 1))
        lines.append(_("Documents to bring: %(items)s") % {"items": items})
    if article.fees:
        lines.append(_("Fees: %(fees)s") % {"fees": article.fees})
    if article.time_limit:
        lines.append(_("Time limit: %(limit)s") % {"limit": article.time_limit})
    lines.append(_("Details: %(link)s") % {"link": public_link(article)})
    return "\n".join(lines)
