"""What the incident tests share: a moment, an outage complaint, an open incident."""

from datetime import datetime
from zoneinfo import ZoneInfo

from hearline.cases.submission import ComplainantData
from hearline.incidents import actions
from hearline.testing.org import register

TZ = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 7, 15, 8, 0, tzinfo=TZ)  # a Wednesday


def outage(org, n: int, *, district="海曙区", phone=None, name=None, **extra):
    return register(
        org,
        description=f"家里停水了，第{n}户，一直没有来水。",
        district=district,
        address=f"{district}中山西路{n}号",
        complainant=ComplainantData(
            name=name or f"住户{n}",
            phone=phone or f"138{n:08d}",
            address=f"{district}中山西路{n}号",
        ),
        **extra,
    )


def open_incident(org):
    return actions.do_open_incident(
        kind="water-supply", title="海曙区停水", districts=["海曙区"], acting_user=org.coordinator
    )


def restore(org, incident):
    """The restoration notice that closes `incident` (its replies run when committed)."""
    return actions.do_close_incident(
        incident.pk,
        notice="已恢复供水",
        finding="爆管",
        resolution="换管",
        acting_user=org.coordinator,
    )
