"""A co-handling department's own part (协办): it accepts and answers it, the handling
department hears the answer, and the case page shows each part."""

import pytest
from django.test import Client

from hearline.cases.actions import do_transition
from hearline.cases.workflow import Conflict, NotAllowed
from hearline.notify.models import Notification, NotificationKind
from hearline.testing.org import case_in_state


def _inbox(client) -> str:
    return client.get("/staff/cases/?queue=inbox").content.decode()


def test_the_co_handling_department_accepts_and_answers_its_part(org):
    case = case_in_state(org, "in_progress", cohandled=True)
    helper = Client()
    helper.force_login(org.customer_handler)
    assert case.tracking_number in _inbox(helper)
    with pytest.raises(NotAllowed):
        do_transition(case.pk, "accept_cohandling", acting_user=org.repair_handler)

    do_transition(case.pk, "accept_cohandling", acting_user=org.customer_handler)
    with pytest.raises(Conflict):
        do_transition(case.pk, "accept_cohandling", acting_user=org.customer_handler)
    page = helper.get(f"/staff/cases/{case.pk}/").content.decode()
    customer = org.departments["customer"]
    assert f'id="cohandling-{customer.pk}"' in page and "已接收" in page

    do_transition(
        case.pk,
        "answer_cohandling",
        acting_user=org.customer_handler,
        payload={"note": "已核实该户水费账户，无欠费记录。"},
    )
    told = Notification.objects.filter(kind=NotificationKind.COHANDLING, case=case)
    assert {n.recipient.username for n in told} == {"repair_handler", "repair_handler2"}
    assert "无欠费记录" in told.first().text
    main = Client()
    main.force_login(org.repair_handler)
    page = main.get(f"/staff/cases/{case.pk}/").content.decode()
    assert "已答复" in page and "无欠费记录" in page
    assert case.tracking_number not in _inbox(helper)  # its part is done
    assert case.tracking_number in _inbox(main)
