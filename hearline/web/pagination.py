"""Paging for staff lists that may be long: counting stops at a cap."""

from functools import cached_property

from django.core.paginator import Paginator


class CappedPaginator(Paginator):
    """A paginator whose count stops at `cap` (shown as "1000+"): counting every match of a
    word search over a whole archive would cost more than showing the first pages."""

    cap = 1000

    @cached_property
    def count(self) -> int:
        # Without ORDER BY the database can stop at the cap instead of sorting everything.
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap
