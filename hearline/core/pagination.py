"""Paging for staff lists that may be long: counting stops at a cap."""

from functools import cached_property
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet


class CappedPaginator(Paginator):
    """A paginator whose count stops at `cap` (shown as "1000+"): counting every match of a
    word search over a whole archive would cost more than showing the first pages. It pages
    query sets only."""

    object_list: QuerySet[Any]
    cap = 1000

    @cached_property
    def count(self) -> int:
        # Without ORDER BY the database can stop at the cap instead of sorting everything.
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap

    def _get_page(self, object_list, number, paginator):
        """The page's rows found in two steps: the keys of its slice in list order (the
        database reads only what the filter and the ordering need, often one index, however
        many rows it must order), then those rows with their related objects."""
        if isinstance(object_list, QuerySet):
            keys = list(object_list.values_list("pk", flat=True))
            rows = self.object_list.order_by().in_bulk(keys)
            object_list = [rows[k] for k in keys if k in rows]
        return super()._get_page(object_list, number, paginator)
