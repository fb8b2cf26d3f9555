"""Long staff lists are paged by key first: each page holds the rows of the list's order."""

from hearline.cases.models import Case
from hearline.core.pagination import CappedPaginator
from hearline.testing.org import register
from hearline.web.queues import QUEUE_BY_KEY, search


def test_pages_follow_the_queue_order_and_cover_every_case_once(org):
    for i, urgency in enumerate(["normal", "urgent", "important"] * 9):
        register(org, description=f"第{i}号：水表读数异常，请核查。", urgency=urgency)
    expected = list(search(org.dispatcher, QUEUE_BY_KEY["dispatch"], sort="urgency"))
    assert [c.urgency for c in expected[:9]] == ["urgent"] * 9
    assert [c.urgency for c in expected[9:18]] == ["important"] * 9
    paginator = CappedPaginator(
        search(org.dispatcher, QUEUE_BY_KEY["dispatch"], sort="urgency"), 10
    )
    pages = [list(paginator.page(n).object_list) for n in (1, 2, 3)]
    assert [len(p) for p in pages] == [10, 10, 7]
    assert [c.pk for page in pages for c in page] == [c.pk for c in expected]
    assert all(isinstance(c, Case) and c.department.name for page in pages for c in page)
