"""The demo's incidents: the kinds tied to the organisation, a burst main running now (seed
000, case 1) and a restored, reviewed one from last month. Driven through the real actions
at backdated moments, like the demo's cases."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from hearline.accounts.models import Department, User
from hearline.cases.actions import do_register_case
from hearline.cases.models import Category
from hearline.cases.submission import ComplainantData, IntakeSubmission
from hearline.core.timetravel import at_time
from hearline.incidents import actions
from hearline.incidents.models import Incident, IncidentKind
from hearline.incidents.tasks import mark_linked_cases
from hearline.notify.actions import do_deliver_message
from hearline.notify.models import MessageStatus, OutboundMessage

# incident kind → (coordinating department, categories whose cases have it)
KIND_SETUP = {
    "water-supply": ("water", ["water-outage"]),
    "water-quality": ("water", ["water-quality"]),
    "transit": ("metro", ["transit-operations"]),
}
OUTAGE_WORDS = [
    "家里突然停水了，什么时候恢复？",
    "整栋楼都没水了，也没看到停水通知。",
    "水龙头不出水，饭都做不了，请尽快处理。",
    "听说中山西路爆管了，我们小区一直没来水。",
    "从早上开始就断水，家里有八十多岁的老人。",
    "停水五六个小时了，再不来水我们就找媒体了！",
]


def configure_kinds() -> None:
    """Tie the incident kinds to the demo's coordinating departments and categories."""
    for code, (department, categories) in KIND_SETUP.items():
        kind = IncidentKind.objects.get(code=code)
        kind.department = Department.objects.get(code=department)
        kind.save()
        kind.categories.set(Category.objects.filter(code__in=categories))


def _deliver_pending() -> None:
    pending = OutboundMessage.objects.filter(status=MessageStatus.PENDING)
    for pk in pending.values_list("pk", flat=True):
        do_deliver_message(pk)


def _complaint(agent: User, n: int, district: str, street: str, rng) -> IntakeSubmission:
    return IntakeSubmission(
        channel=rng.choice(["hotline", "hotline", "app", "upstream"]),
        description=rng.choice(OUTAGE_WORDS),
        complainant=ComplainantData(
            name=rng.choice("王李张刘陈杨黄赵周吴") + rng.choice(["先生", "女士", "阿姨"]),
            phone=f"139{rng.randrange(10**7, 10**8)}",
            address=f"{district}{street}{n + 1}号",
            preferred_channel="sms",
            is_elderly=n % 9 == 0,
        ),
        address=f"{district}{street}{n + 1}号",
        district=district,
        request="尽快恢复供水，并说明原因",
    )


def _replay(agent: User, start, count: int, place: tuple[str, str], steps: list, rng) -> Incident:
    """Register `count` outage complaints spread over 90 minutes from `start` and take the
    coordinator's `steps` ((moment, callable(incident))) in time order, each at its moment
    with the messages it queued delivered then. Returns the incident."""
    district, street = place
    moments = sorted(start + timedelta(minutes=rng.uniform(0, 90)) for _ in range(count))
    timeline = [(m, None) for m in moments] + list(steps)
    timeline.sort(key=lambda item: item[0])
    incident, n = None, 0
    for moment, step in timeline:
        with at_time(moment):
            if step is None:
                submission = _complaint(agent, n, district, street, rng)
                case = do_register_case(submission, acting_user=agent).case
                incident = incident or Incident.objects.filter(links__case=case).first()
                n += 1
            else:
                step(incident)
            _deliver_pending()
    if incident is None:
        raise RuntimeError(f"the complaints in {district} proposed no incident")
    return incident


def _confirm(coordinator: User, **values):
    def step(incident):
        actions.do_confirm_incident(incident.pk, **values, acting_user=coordinator)
        _mark(incident, coordinator)

    return step


def _bulletin(coordinator: User, text: str):
    def step(incident):
        bulletin = actions.do_publish_bulletin(incident.pk, text=text, acting_user=coordinator)
        actions.do_deliver_bulletin(bulletin.pk)

    return step


def _running(users: dict[str, User], rng) -> None:
    """海曙区 burst main: detected 9 hours ago, bulletins every six hours, water points."""
    start = timezone.now() - timedelta(hours=9)
    coordinator = users["coordinator"]
    confirm = _confirm(
        coordinator,
        title="海曙区中山西路供水主管爆管停水",
        summary="中山西路DN300供水主管爆裂，周边约1000户停水，正在全力抢修。",
        measures="临时供水点：中山公园东门、望京路与中山西路路口（送水车24小时值守）",
        expected_restoration_at=start + timedelta(hours=30),
    )
    steps = [
        (start + timedelta(minutes=40), confirm),
        (
            start + timedelta(minutes=45),
            _bulletin(coordinator, "抢修队已到场关阀止水，正在开挖破损管段。"),
        ),
        (
            start + timedelta(hours=6, minutes=40),
            _bulletin(coordinator, "破损管段已开挖完成，新管材已运抵现场，正在更换。"),
        ),
    ]
    _replay(users["agent"], start, 24, ("海曙区", "中山西路"), steps, rng)


def _restored(users: dict[str, User], rng) -> None:
    """江北区 outage last month: restored after 14 hours, reviewed, a corrective action."""
    start = timezone.now() - timedelta(days=26, hours=5)
    coordinator = users["coordinator"]
    steps = [
        (
            start + timedelta(minutes=50),
            _confirm(
                coordinator, title="江北区人民路停水", measures="临时供水点：人民路社区服务中心"
            ),
        ),
        (start + timedelta(hours=1), _bulletin(coordinator, "阀门井漏水抢修中。")),
        (start + timedelta(hours=6, minutes=36), _bulletin(coordinator, "管道已修复，正在冲洗。")),
    ]
    incident = _replay(users["agent2"], start, 9, ("江北区", "人民路"), steps, rng)
    reply = {
        "notice": "人民路供水已恢复，请先放水几分钟再使用。给您带来不便，深表歉意。",
        "finding": "人民路阀门井内DN200阀门老化漏水",
        "resolution": "更换阀门，冲洗消毒后恢复供水",
    }
    with at_time(start + timedelta(hours=14)):
        actions.do_close_incident(
            incident.pk,
            notice=reply["notice"],
            finding=reply["finding"],
            resolution=reply["resolution"],
            acting_user=coordinator,
        )
        actions.do_reply_linked_cases(
            incident.pk, coordinator.pk, actions.restoration_reply(incident, **reply)
        )
        _deliver_pending()
    with at_time(start + timedelta(days=3)):
        actions.do_review_incident(
            incident.pk,
            summary="阀门老化引起；通报两次均按时发布。",
            corrective_actions=[
                {
                    "what": "明年将人民路沿线老旧阀门纳入管网改造计划",
                    "due_date": (start + timedelta(days=300)).date(),
                }
            ],
            acting_user=coordinator,
        )


def _mark(incident: Incident, coordinator: User) -> None:
    """The linked cases' timeline entries at the demo's moment (the task queued after
    commit then finds nothing left to do)."""
    ids = list(incident.links.values_list("case_id", flat=True))
    mark_linked_cases.call_local(incident.pk, ids, coordinator.pk, "link_incident")


def build_incidents(users: dict[str, User], seed: int = 7) -> None:
    """A restored and reviewed incident from last month, and one running now (inside the
    demo's transaction)."""
    rng = random.Random(seed)
    _restored(users, rng)
    _running(users, rng)
