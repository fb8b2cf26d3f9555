"""The seed's burst main, replayed by the clock: 1,000 complaints about one outage over 30
hours, handled by the book (confirmed, bulletins every six hours, one restoration notice),
with the supervision sweep running every ten minutes of clock time throughout."""

from datetime import timedelta

from hearline.cases.actions import do_transition
from hearline.core.timetravel import at_time
from hearline.incidents import actions
from hearline.incidents.models import Incident, IncidentCase
from hearline.notify.models import Notification, NotificationKind
from hearline.sla.models import SlaAlert
from hearline.sla.sweep import do_sweep

from .helpers import T0, outage
from .test_incident_clocks import _row

COMPLAINTS = 1000
HOURS = 30
SWEEP = timedelta(minutes=10)
START = T0 - timedelta(hours=2)  # 06:00 on a Wednesday, before working hours


def _arrival(n: int) -> timedelta:
    """Complaints come fast at first and thin out: half in the first three hours."""
    share = n / COMPLAINTS
    hours = 3 * share / 0.5 if share < 0.5 else 3 + (HOURS - 4) * (share - 0.5) / 0.5
    return timedelta(hours=hours)


def test_a_thousand_complaints_about_one_outage_raise_no_overdue_alert(org, water, committed):
    moment, sweeps, n = START, 0, 0
    own = []
    incident = None
    while moment <= START + timedelta(hours=HOURS):
        with at_time(moment), committed():
            while n < COMPLAINTS and START + _arrival(n) <= moment:
                outage(org, n, phone=f"139{n:08d}")
                n += 1
            if incident is None and Incident.objects.exists():
                incident = Incident.objects.get()
                actions.do_confirm_incident(
                    incident.pk, title="中山西路爆管停水", acting_user=org.coordinator
                )
            elif incident is not None and moment - START >= timedelta(hours=6) * (
                incident.bulletins.count()
            ):
                actions.do_publish_bulletin(
                    incident.pk, text="抢修进展：正在更换破损管段。", acting_user=org.coordinator
                )
            if moment == T0 + timedelta(hours=1):  # two complaints of the department's own
                for k in range(2):
                    case = outage(org, 5000 + k, district="江北区").case
                    do_transition(
                        case.pk,
                        "record_contact",
                        acting_user=org.agent,
                        payload={"note": "已电话联系投诉人"},
                    )
                    own.append(case)
            do_sweep()
            sweeps += 1
        moment += SWEEP
    assert n == COMPLAINTS and sweeps == HOURS * 6 + 1
    assert IncidentCase.objects.filter(incident=incident).count() == COMPLAINTS
    restored = START + timedelta(hours=HOURS, minutes=5)
    with at_time(restored), committed():
        actions.do_close_incident(
            incident.pk,
            notice="中山西路供水已恢复，初期水质可能浑浊，请先放水几分钟。",
            finding="DN600主管老化爆裂",
            resolution="更换破损管段并冲洗管网",
            acting_user=org.coordinator,
        )
    with at_time(restored + timedelta(days=1)):
        do_sweep()

    linked = IncidentCase.objects.filter(incident=incident).values("case_id")
    assert not SlaAlert.objects.filter(case_id__in=linked).exists()
    late = (NotificationKind.REMINDER, NotificationKind.OVERDUE, NotificationKind.ESCALATION)
    assert not Notification.objects.filter(kind__in=late, case_id__in=linked).exists()
    measures = _row(own[0], START.date(), restored.date())["measures"]
    assert measures["incident_cases"] == COMPLAINTS
    assert measures["response_rate"] == 1.0  # the department's own two, both on time
    own_overdue = SlaAlert.objects.filter(case__in=own, deadline="resolution", level="red")
    assert measures["overdue"] == own_overdue.count()  # the department's own, if any
