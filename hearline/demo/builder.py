"""Builds the demo: organisation, users, categories and cases in every state.

Cases are driven through the real actions (`do_register_case`, `do_transition`), so every
demo case has a true timeline; the clock is set back per step so the timeline spreads over
the last two months as it would in real use.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from hearline.accounts.models import Department, User, UserRole
from hearline.cases.actions import do_register_case, do_transition
from hearline.cases.models import Case, Category
from hearline.cases.submission import ComplainantData, IntakeSubmission
from hearline.core.timetravel import at_time
from hearline.improvement.actions import (
    do_create_corrective_action,
    do_update_corrective_action,
)
from hearline.improvement.models import RootCause
from hearline.incidents.actions import do_expire_proposals
from hearline.notify.actions import do_deliver_message
from hearline.notify.models import OutboundMessage
from hearline.sla.actions import do_save_policy
from hearline.sla.models import SlaPolicy
from hearline.sla.sweep import do_sweep

from . import complaints as text
from .incidents import build_incidents, configure_kinds
from .knowledge import build_knowledge
from .organisation import CATEGORIES, CATEGORY_FIELDS, DEMO_PASSWORD, DEPARTMENTS, USERS

# The root causes handlers tag answered cases of these categories with.
ROOT_CAUSES = {
    "water-quality": ["aging-network", "equipment-failure"],
    "water-pressure": ["aging-network", "construction"],
    "water-outage": ["aging-network", "construction", "not-informed"],
    "water-billing": ["metering-billing", "not-informed"],
    "water-connection": ["process", "not-informed"],
    "water-repair": ["response-slow", "aging-network"],
    "transit-operations": ["equipment-failure", "response-slow"],
    "gov-efficiency": ["process", "staff-conduct"],
    "staff-attitude": ["staff-conduct"],
}

# Target state → steps after registration: (action, who) with who in
# agent / dispatcher / handler / supervisor.
_LOOP = [
    ("dispatch", "dispatcher"),
    ("accept", "handler"),
    ("record_investigation", "handler"),
    ("resolve", "handler"),
    ("reply", "handler"),
]
PLANS: dict[str, list[tuple[str, str]]] = {
    "registered": [],
    "dispatched": [("dispatch", "dispatcher")],
    "returned": [("dispatch", "dispatcher"), ("return", "handler")],
    "in_progress": _LOOP[:3],
    "extension_pending": _LOOP[:3] + [("request_extension", "handler")],
    "suspended": _LOOP[:3]
    + [("request_suspension", "handler"), ("approve_suspension", "supervisor")],
    "resolved": _LOOP[:4],
    "replied": _LOOP,
    "confirmed": _LOOP + [("record_rating", "agent")],
    "followed_up": _LOOP + [("record_rating", "agent"), ("follow_up", "agent")],
    "appealed": _LOOP + [("record_rating", "agent"), ("appeal", "agent")],
    "archived": _LOOP + [("record_rating", "agent"), ("follow_up", "agent"), ("archive", "agent")],
    "reopened_archived": _LOOP
    + [
        ("reopen", "agent"),
        ("accept", "handler"),
        ("resolve", "handler"),
        ("reply", "handler"),
        ("record_rating", "agent"),
        ("follow_up", "agent"),
        ("archive", "agent"),
    ],
    "on_spot": [
        ("close_on_spot", "agent"),
        ("record_rating", "agent"),
        ("follow_up", "agent"),
        ("archive", "agent"),
    ],
    "merged": [("merge", "dispatcher")],
}
# How many cases of each plan per 100.
WEIGHTS = {
    "registered": 6,
    "dispatched": 8,
    "returned": 3,
    "in_progress": 10,
    "extension_pending": 2,
    "suspended": 3,
    "resolved": 6,
    "replied": 8,
    "confirmed": 7,
    "followed_up": 6,
    "appealed": 3,
    "archived": 28,
    "reopened_archived": 3,
    "on_spot": 5,
    "merged": 2,
}


def build_organisation() -> dict[str, User]:
    """Departments, users (password DEMO_PASSWORD) and the category tree."""
    departments: dict[str, Department] = {}
    for code, name, kind, parent in DEPARTMENTS:
        departments[code] = Department.objects.create(
            code=code, name=name, kind=kind, parent=departments[parent] if parent else None
        )
    users: dict[str, User] = {}
    for username, full_name, dept, roles, _ in USERS:
        is_admin = "admin" in roles
        user = User.objects.create_user(
            username,
            password=DEMO_PASSWORD,
            full_name=full_name,
            department=departments[dept],
            is_staff=is_admin,
            is_superuser=is_admin,
        )
        UserRole.objects.bulk_create([UserRole(user=user, role=r) for r in roles])
        users[username] = user
    for code in ("water-network", "water-billing", "metro-service", "gov-windows"):
        head = next(u for u in users.values() if u.department_id == departments[code].pk)
        Department.objects.filter(pk=departments[code].pk).update(head=head)
    categories: dict[str, Category] = {}
    for code, name, parent in CATEGORIES:
        categories[code] = Category.objects.create(
            code=code,
            name=name,
            parent=categories[parent] if parent else None,
            extra_fields=CATEGORY_FIELDS.get(code, []),
        )
    return users


def _person(rng: random.Random, place: str) -> ComplainantData:
    return ComplainantData(
        name=rng.choice(text.SURNAMES) + rng.choice(text.GIVEN),
        phone=f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
        address=place,
        preferred_channel=rng.choice(["phone", "phone", "sms", "email"]),
        is_elderly=rng.random() < 0.12,
        is_disabled=rng.random() < 0.04,
    )


def _payload(action: str, template: tuple, rng: random.Random, merge_target: Case | None) -> dict:
    (_, dept, _, _, _, _, _, _, finding, resolution_type, resolution) = template
    rating = rng.choice(text.RATINGS)
    return {
        "dispatch": {"department": dept},
        "return": {"reason": "经核实不属于本部门职责范围，请重新派单。"},
        "record_investigation": {"note": "已联系投诉人并到现场核实情况，调取相关记录。"},
        "resolve": {
            "finding": finding,
            "responsibility": "已明确责任部门和责任人。",
            "resolution_type": resolution_type,
            "resolution": resolution,
            "compensation_amount": "86.50" if resolution_type == "compensation" else None,
        },
        "reply": {
            "reply": f"您好，关于您反映的问题，经调查：{finding}处理结果：{resolution}感谢您的监督。"
        },
        "request_suspension": {"reason": "等待投诉人补充提供相关票据。"},
        "request_extension": {
            "reason": "需协调道路开挖许可，工期较长。",
            "until": (timezone.now() + timedelta(days=7)).isoformat(),
        },
        "record_rating": {"confirmation": rating[0], "satisfaction": rating[1]},
        "follow_up": {"followup_result": rating[2]},
        "reopen": {"reason": "用户反映问题再次出现，要求重新办理。"},
        "appeal": {"reason": "用户对处理结果不满意，申请复核。"},
        "close_on_spot": {"reply": "已当场解答并一次性告知所需材料，用户表示清楚。"},
        "merge": {"merged_into": merge_target.pk if merge_target else None},
    }.get(action, {})


def build_cases(users: dict[str, User], count: int, seed: int = 12345) -> int:
    """Register `count` cases and drive each to a planned state; returns how many were made."""
    rng = random.Random(seed)
    tagging = random.Random(seed + 1)  # apart, so the plans stay as they were
    categories = {c.code: c.pk for c in Category.objects.all()}
    handlers = {
        u.department.code: u
        for u in users.values()
        if "handler" in u.roles and u.department is not None
    }
    agents = [users["agent"], users["agent2"]]
    plans = [plan for plan, weight in WEIGHTS.items() for _ in range(weight)]
    now = timezone.now()
    made = 0
    last_open: dict[int, Case] = {}
    for i in range(count):
        plan = plans[i % len(plans)] if i >= len(WEIGHTS) else list(WEIGHTS)[i]
        steps = PLANS[plan]
        index = rng.randrange(len(text.TEMPLATES))
        if plan == "merged" and index not in last_open:
            plan, steps = "registered", []
        template = text.TEMPLATES[index]
        category, dept, urgency, safety, risk, title, description, request = template[:8]
        district = rng.choice(text.DISTRICTS)
        place = rng.choice(text.PLACES).format(district=district, num=rng.randrange(1, 300))
        agent = rng.choice(agents)
        finished = plan in ("archived", "reopened_archived", "on_spot", "merged")
        delays = [
            timedelta(hours=rng.uniform(0.3, 3 if action == "accept" else 30))
            for action, _ in steps
        ]
        idle = timedelta(days=rng.uniform(1, 40) if finished else rng.uniform(0.05, 3))
        moment = now - sum(delays, timedelta()) - idle
        submission = IntakeSubmission(
            channel=rng.choice(["hotline"] * 5 + ["web", "app", "upstream", "email"]),
            description=description.format(
                place=place, station=rng.choice(text.STATIONS), n=rng.randrange(200, 1200)
            ),
            complainant=_person(rng, place),
            title=title,
            request=request,
            address=place,
            district=district,
            occurred_at=moment - timedelta(hours=rng.uniform(1, 20)),
            category_id=categories[category],
            urgency=urgency,
            public_safety=safety,
            opinion_risk=risk,
        )
        with at_time(moment):
            case = do_register_case(submission, acting_user=agent).case
            _deliver_messages(case)
        who = {
            "agent": agent,
            "dispatcher": users["dispatcher"],
            "handler": handlers[dept],
            "supervisor": users["supervisor"],
        }
        for (action, role), delay in zip(steps, delays, strict=True):
            moment += delay
            with at_time(moment):
                case = do_transition(
                    case.pk,
                    action,
                    acting_user=who[role],
                    payload=_payload(action, template, rng, last_open.get(index)),
                )
                _deliver_messages(case)
        if case.is_open:
            last_open[index] = case
        elif case.replied_at and category in ROOT_CAUSES and tagging.random() < 0.7:
            with at_time(moment + timedelta(minutes=30)):
                do_transition(
                    case.pk,
                    "tag_root_cause",
                    acting_user=handlers.get(case.department.code, users["supervisor"]),
                    payload={"root_cause": tagging.choice(ROOT_CAUSES[category])},
                )
        made += 1
    return made


def _deliver_messages(case: Case) -> None:
    """Send the case's queued messages now, at the demo's moment, so the history reads as
    it happened (the outbox files under var/outbox/ show what went out)."""
    for pk in OutboundMessage.objects.filter(case=case, status="pending").values_list(
        "pk", flat=True
    ):
        do_deliver_message(pk)


def build_policies(users: dict[str, User]) -> None:
    """A water-quality policy on top of the default ones: people won't wait days to learn
    whether they can drink the water."""
    do_save_policy(
        SlaPolicy(
            name="水质问题",
            category=Category.objects.get(code="water-quality"),
            response_amount=1,
            response_unit="working_hours",
            resolution_amount=2,
            resolution_unit="working_days",
        ),
        acting_user=users["admin"],
    )


def build_corrective_actions(users: dict[str, User]) -> None:
    """Two corrective actions from the analysis of the demo's complaints: one under way on
    the water network, one completed on bills and notices."""
    today = timezone.localdate()
    categories = {c.code: c for c in Category.objects.all()}
    causes = {c.code: c for c in RootCause.objects.all()}
    do_create_corrective_action(
        what="老旧管网分段改造，抢修班组前置到片区",
        owner=users["supervisor"],
        department=Department.objects.get(code="water-network"),
        start_date=today - timedelta(days=20),
        due_date=today + timedelta(days=40),
        status="in_progress",
        categories=[categories["water-outage"], categories["water-pressure"]],
        root_causes=[causes["aging-network"]],
        acting_user=users["manager"],
    )
    done = do_create_corrective_action(
        what="水费账单增加用量明细，停水计划短信一次性告知到户",
        owner=users["manager"],
        department=Department.objects.get(code="water-billing"),
        start_date=today - timedelta(days=30),
        due_date=today - timedelta(days=10),
        status="in_progress",
        categories=[categories["water-billing"]],
        root_causes=[causes["metering-billing"], causes["not-informed"]],
        acting_user=users["manager"],
    )
    do_update_corrective_action(
        done.pk, status="done", done_on=today - timedelta(days=15), acting_user=users["manager"]
    )


def build_demo(cases: int = 300, seed: int = 12345) -> int:
    """The whole demo in one transaction (all or nothing), then one supervision sweep so the
    board shows what is late; returns the number of cases."""
    with transaction.atomic():
        users = build_organisation()
        build_policies(users)
        configure_kinds()
        build_incidents(users)  # first: later cases must not rewrite its history
        made = build_cases(users, cases, seed)
        build_corrective_actions(users)
        build_knowledge(users)
    do_sweep()
    do_expire_proposals()
    return made
