"""Who must act on a case that has not been dispatched yet: the dispatchers of the
organisation it sits in, not those of the organisations below it."""

from hearline.notify.models import Notification, NotificationKind
from hearline.sla.notices import handlers
from hearline.testing.org import register


def test_before_dispatch_the_organisations_own_dispatchers_act(org, django_assert_max_num_queries):
    case = register(org).case
    with django_assert_max_num_queries(4):  # not one query per dispatcher
        found = {u.username for u in handlers(case)}
    assert found == {"dispatcher"}, "water's and metro's dispatchers answer to their own"


def test_an_urgent_registration_tells_the_hotline_dispatchers(org):
    case = register(org, urgency="urgent").case
    told = set(
        Notification.objects.filter(case=case, kind=NotificationKind.URGENT).values_list(
            "recipient__username", flat=True
        )
    )
    assert "dispatcher" in told and not told & {"water_dispatcher", "metro_dispatcher"}
