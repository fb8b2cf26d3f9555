"""Articles and templates for tests, written through the knowledge base's own actions."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from hearline.knowledge.actions import do_save_article


def article(org, **values):
    """A published public article owned by the water company's customer service; keyword
    arguments replace fields (categories=[…] sets its categories)."""
    categories = values.pop("categories", None)
    fields = {
        "title": "停水期间如何申请临时供水",
        "summary": "管网抢修停水期间，可拨打热线申请送水车，或到附近临时取水点取水。",
        "body": "停水超过12小时的小区，供水公司安排送水车。",
        "documents": ["用水户号", "联系电话"],
        "owner": org.departments["customer"],
        "audience": "public",
        "status": "published",
        "review_by": timezone.localdate() + timedelta(days=180),
    }
    fields.update(values)
    return do_save_article(values=fields, categories=categories, acting_user=org.manager)
