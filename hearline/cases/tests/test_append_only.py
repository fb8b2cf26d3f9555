"""The timeline and the personal-data access log are append-only in the database itself."""

import pytest
from django.db import DatabaseError, connection, transaction

from hearline.cases.actions import do_reveal_complainant
from hearline.cases.models import CaseEvent, ComplainantAccess
from hearline.testing.org import register


def _refused(sql_or_callable):
    with pytest.raises(DatabaseError) as exc:
        with transaction.atomic():
            if callable(sql_or_callable):
                sql_or_callable()
            else:
                with connection.cursor() as cursor:
                    cursor.execute(sql_or_callable)
    assert "append-only" in str(exc.value)


def test_events_cannot_be_updated_or_deleted(org):
    case = register(org).case
    event = case.events.get()
    _refused(lambda: CaseEvent.objects.filter(pk=event.pk).update(action="forged"))
    _refused(lambda: CaseEvent.objects.filter(pk=event.pk).delete())
    _refused(f"UPDATE cases_caseevent SET to_state = 'archived' WHERE id = {event.pk}")
    _refused(f"DELETE FROM cases_caseevent WHERE id = {event.pk}")
    event.refresh_from_db()
    assert (event.action, event.to_state) == ("register", "registered")


def test_events_can_still_be_appended(org):
    case = register(org).case
    CaseEvent.objects.create(
        case=case,
        seq=2,
        actor=org.agent,
        action="note",
        from_state="registered",
        to_state="registered",
    )
    assert case.events.count() == 2


def test_personal_data_access_log_cannot_be_rewritten(org):
    case = register(org).case
    do_reveal_complainant(case.pk, acting_user=org.agent, reason="回电")
    access = ComplainantAccess.objects.get()
    _refused(lambda: ComplainantAccess.objects.filter(pk=access.pk).update(reason="nothing"))
    _refused(lambda: ComplainantAccess.objects.filter(pk=access.pk).delete())
    assert ComplainantAccess.objects.get().reason == "回电"
