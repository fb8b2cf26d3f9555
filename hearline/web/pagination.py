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

    def page(self, number):
        """The page, found in two steps: the keys of its rows in list order (the database
        reads only what the filter and the ordering need, often one index, however many
        rows it must order), then those rows with their related objects."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = self.object_list.order_by().in_bulk(keys)
        return self._get_page([rows[k] for k in keys if k in rows], number, self)
