"""A small organisation for tests: a city hotline with a water company and a metro beneath it.

hotline (organisation)                 city 12345 hotline
  callcentre (department)              agent, agent2, dispatcher
  water (organisation)                 water_supervisor, water_dispatcher
    repair (department)                repair_handler, repair_handler2, repair_supervisor
      station (unit)                   station_handler
    customer (department)              customer_handler
  metro (organisation)                 metro_supervisor, metro_handler
plus manager and coordinator at the hotline, and an administrator.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import timezone

from hearline.accounts.models import Department, DepartmentKind, User, UserRole
from hearline.accounts.roles import Role
from hearline.cases.actions import Registration, do_register_case, do_transition
from hearline.cases.models import Case, Category
from hearline.cases.submission import ComplainantData, IntakeSubmission

from .knowledge import article


@dataclass
class Org:
    departments: dict[str, Department]
    users: dict[str, User]
    category: Category

    def __getattr__(self, name: str) -> User:
        try:
            return self.__dict__["users"][name]
        except KeyError:
            raise AttributeError(name) from None


_TREE = [
    ("hotline", "市12345热线", DepartmentKind.ORGANISATION, None),
    ("callcentre", "话务中心", DepartmentKind.DEPARTMENT, "hotline"),
    ("water", "市自来水公司", DepartmentKind.ORGANISATION, "hotline"),
    ("repair", "管网维修部", DepartmentKind.DEPARTMENT, "water"),
    ("station", "东区维修班", DepartmentKind.UNIT, "repair"),
    ("customer", "客户服务部", DepartmentKind.DEPARTMENT, "water"),
    ("metro", "市地铁运营公司", DepartmentKind.ORGANISATION, "hotline"),
]

_USERS = [
    ("agent", "callcentre", [Role.AGENT]),
    ("agent2", "callcentre", [Role.AGENT]),
    ("web", "callcentre", [Role.AGENT]),
    ("email", "callcentre", [Role.AGENT]),
    ("sms", "callcentre", [Role.AGENT]),
    ("social", "callcentre", [Role.AGENT]),
    ("upstream", "callcentre", [Role.AGENT]),
    ("dispatcher", "callcentre", [Role.DISPATCHER]),
    ("water_dispatcher", "water", [Role.DISPATCHER]),
    ("repair_handler", "repair", [Role.HANDLER]),
    ("repair_handler2", "repair", [Role.HANDLER]),
    ("station_handler", "station", [Role.HANDLER]),
    ("customer_handler", "customer", [Role.HANDLER]),
    ("repair_supervisor", "repair", [Role.SUPERVISOR]),
    ("water_supervisor", "water", [Role.SUPERVISOR]),
    ("hotline_supervisor", "hotline", [Role.SUPERVISOR]),
    ("metro_supervisor", "metro", [Role.SUPERVISOR]),
    ("metro_handler", "metro", [Role.HANDLER]),
    ("metro_dispatcher", "metro", [Role.DISPATCHER]),
    ("manager", "hotline", [Role.MANAGER]),
    ("coordinator", "water", [Role.COORDINATOR]),
    ("administrator", "hotline", [Role.ADMIN]),
]


def build_org() -> Org:
    """Create the departments, users and one category above; returns handles to them."""
    departments: dict[str, Department] = {}
    for code, name, kind, parent in _TREE:
        departments[code] = Department.objects.create(
            code=code, name=name, kind=kind, parent=departments[parent] if parent else None
        )
    users: dict[str, User] = {}
    for username, dept, roles in _USERS:
        user = User.objects.create_user(username, password="x", department=departments[dept])
        UserRole.objects.bulk_create([UserRole(user=user, role=r) for r in roles])
        users[username] = user
    category = Category.objects.create(code="water-outage", name="停水")
    return Org(departments, users, category)


def submission(**overrides) -> IntakeSubmission:
    """A valid hotline complaint; keyword arguments replace fields."""
    values: dict[str, Any] = dict(
        channel="hotline",
        description="小区水压偏低，高峰时段六楼出水很小，没有任何通知。",
        complainant=ComplainantData(name="王丽", phone="13812345678", address="海曙区中山西路12号"),
        address="海曙区中山西路12号",
        district="海曙区",
        request="尽快恢复供水并说明原因",
    )
    values.update(overrides)
    return IntakeSubmission(**values)


def register(org: Org, **overrides) -> Registration:
    return do_register_case(submission(**overrides), acting_user=org.agent)


# A valid payload for every action, for cases of the test organisation.
def valid_payload(action: str, org: Org, case: Case | None = None) -> dict:
    payloads: dict[str, dict[str, Any]] = {
        "close_on_spot": {"reply": "已当场解答：停水系管网抢修，预计今晚恢复。"},
        "dispatch": {"department": "repair"},
        "return": {"reason": "不属于本部门职责"},
        "transfer": {"department": "customer", "reason": "属于水费问题"},
        "add_cohandler": {"department": "customer"},
        "record_investigation": {"note": "现场查看，主管破裂。"},
        "record_contact": {"note": "已电话联系投诉人，约定上门时间。"},
        "comment": {"note": "投诉人来信补充：周边几栋楼也停水。"},
        "reclassify": {"urgency": "urgent"},
        "tag_root_cause": {"root_cause": "aging-network"},
        "urge": {"note": "请今日内处理完毕"},
        "attach": {"file": b"%PDF-1.4 evidence", "name": "report.pdf", "kind": "evidence"},
        "propose_resolution": {"resolution_type": "repair", "resolution": "更换破损管段"},
        "resolve": {
            "finding": "DN300主管老化破裂",
            "responsibility": "管网老化，非人为",
            "resolution_type": "repair",
            "resolution": "已更换破损管段并恢复供水",
        },
        "request_suspension": {"reason": "等待投诉人提供材料"},
        "request_extension": {
            "reason": "需要协调道路开挖许可",
            "until": (timezone.now() + timedelta(days=10)).isoformat(),
        },
        "reject_request": {"reason": "理由不充分"},
        "reply": {"reply": "您好，停水系主管破裂，已抢修完毕。"},
        "record_rating": {"confirmation": "solved", "satisfaction": "satisfied"},
        "follow_up": {"followup_result": "回访：供水正常，用户满意。"},
        "reopen": {"reason": "用户反映仍然水压不足"},
        "appeal": {"reason": "对答复不满意"},
        "dismiss_appeal": {"reason": "答复符合规定"},
        "mark_sensitive": {"public_safety": True, "reason": "涉及燃气泄漏"},
        "answer_cohandling": {"note": "已核实用户水费账户，无欠费。"},
        "complete_plan_step": {"step": {"id": 1, "text": "立即电话报告值班领导"}},
    }
    if action == "send_article":
        return {"article": article(org).pk}
    if action == "merge":
        other = register(org).case
        return {"merged_into": other.pk}
    return dict(payloads.get(action, {}))


# The shortest sequence of (action, username) from registration to each state.
PATHS: dict[str, list[tuple[str, str]]] = {
    "registered": [],
    "dispatched": [("dispatch", "dispatcher")],
    "returned": [("dispatch", "dispatcher"), ("return", "repair_handler")],
    "in_progress": [("dispatch", "dispatcher"), ("accept", "repair_handler")],
}
PATHS["suspended"] = PATHS["in_progress"] + [
    ("request_suspension", "repair_handler"),
    ("approve_suspension", "repair_supervisor"),
]
PATHS["resolved"] = PATHS["in_progress"] + [("resolve", "repair_handler")]
PATHS["replied"] = PATHS["resolved"] + [("reply", "repair_handler")]
PATHS["confirmed"] = PATHS["replied"] + [("record_rating", "agent")]
PATHS["followed_up"] = PATHS["confirmed"] + [("follow_up", "agent")]
PATHS["appealed"] = PATHS["replied"] + [("appeal", "agent")]
PATHS["archived"] = PATHS["followed_up"] + [("archive", "agent")]
PATHS["merged"] = [("merge", "dispatcher")]


def case_in_state(org: Org, state: str, *, pending: str = "", cohandled: bool = False) -> Case:
    """A fresh case driven through the real actions into `state`, optionally with a pending
    suspension or extension request, and with the customer department co-handling it from
    acceptance on."""
    case = register(org).case
    steps = list(PATHS[state])
    if cohandled and ("accept", "repair_handler") in steps:
        steps.insert(steps.index(("accept", "repair_handler")) + 1, ("add_cohandler", "dispatcher"))
    for action, username in steps:
        case = do_transition(
            case.pk, action, acting_user=org.users[username], payload=valid_payload(action, org)
        )
    if pending:
        case = do_transition(
            case.pk,
            f"request_{pending}",
            acting_user=org.repair_handler,
            payload=valid_payload(f"request_{pending}", org),
        )
    return case
