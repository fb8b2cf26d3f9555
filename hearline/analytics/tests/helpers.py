"""Building small fixed sets of cases through the real actions at fixed moments (Mondays to
Fridays 08:30–12:00, 13:30–17:30; normal cases: response within 2 working hours, resolution
within 5 working days)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from hearline.cases.actions import do_complainant_transition, do_transition
from hearline.cases.submission import ComplainantData
from hearline.core.timetravel import at_time
from hearline.sla.sweep import do_sweep
from hearline.testing.org import register, valid_payload

TZ = ZoneInfo("Asia/Shanghai")


def at(*parts):
    return datetime(*parts, tzinfo=TZ)


def make_case(org, when, phone):
    with at_time(when):
        return register(org, complainant=ComplainantData(name="住户", phone=phone)).case


def step(org, case, when, action, username, **payload):
    with at_time(when):
        return do_transition(
            case.pk,
            action,
            acting_user=org.users[username],
            payload=payload or valid_payload(action, org),
        )


def rate(case, when, confirmation, satisfaction):
    with at_time(when):
        case.refresh_from_db()
        do_complainant_transition(
            case,
            "record_rating",
            payload={"confirmation": confirmation, "satisfaction": satisfaction},
        )


def handled(org, case, accept_at, reply_at):
    step(org, case, accept_at, "dispatch", "dispatcher")
    step(org, case, accept_at, "accept", "repair_handler")
    step(org, case, reply_at, "resolve", "repair_handler")
    return step(org, case, reply_at, "reply", "repair_handler")


def build_june(org):
    """A: answered in 2 working hours, rated solved + satisfied. B: accepted two days late,
    replied after 9 working days, rated unsolved + dissatisfied. C: answered on time, then
    reopened by the complainant (its rating cleared, still open past the new deadline).
    D and G: closed on the spot; G is A's complainant again on the same matter (a repeat);
    D rated solved + basically satisfied. E: never touched. F: registered in July."""
    a = make_case(org, at(2026, 6, 1, 9, 0), "13800000001")
    handled(org, a, at(2026, 6, 1, 9, 10), at(2026, 6, 1, 11, 0))
    rate(a, at(2026, 6, 2, 9, 0), "solved", "satisfied")
    b = make_case(org, at(2026, 6, 1, 9, 0), "13800000002")
    handled(org, b, at(2026, 6, 3, 9, 0), at(2026, 6, 12, 9, 0))
    rate(b, at(2026, 6, 12, 10, 0), "unsolved", "dissatisfied")
    c = make_case(org, at(2026, 6, 2, 9, 0), "13800000003")
    handled(org, c, at(2026, 6, 2, 9, 10), at(2026, 6, 2, 11, 0))
    rate(c, at(2026, 6, 3, 9, 0), "solved", "basically_satisfied")
    with at_time(at(2026, 6, 4, 9, 0)):
        c.refresh_from_db()
        do_complainant_transition(c, "reopen", payload={"reason": "水压又低了"})
    d = make_case(org, at(2026, 6, 2, 10, 0), "13800000004")
    step(org, d, at(2026, 6, 2, 10, 0), "close_on_spot", "agent")
    rate(d, at(2026, 6, 2, 11, 0), "solved", "basically_satisfied")
    make_case(org, at(2026, 6, 3, 11, 0), "13800000005")  # E
    g = make_case(org, at(2026, 6, 3, 10, 0), "13800000001")
    step(org, g, at(2026, 6, 3, 10, 0), "close_on_spot", "agent")
    make_case(org, at(2026, 7, 1, 9, 0), "13800000006")  # F
    do_sweep()  # the supervision sweep marks the deadlines that have passed since
    return org
