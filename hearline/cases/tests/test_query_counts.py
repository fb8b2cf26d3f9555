"""Registration and transitions stay a handful of queries, whatever the size of the database."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from hearline.cases.actions import do_register_case, do_transition
from hearline.cases.submission import ComplainantData
from hearline.testing.org import case_in_state, submission


def test_registration_queries(org):
    routine = submission(description="上月水费账单金额有误，请核实。")
    do_register_case(routine, acting_user=org.agent)  # warms the policy, calendar, lexicon memo
    with CaptureQueriesContext(connection) as queries:
        do_register_case(routine, acting_user=org.agent)
    # before the lock: the complainants with this phone (the caller on file among them) and
    # their recent cases (repeats); then savepoint, 10 inserts (case, clock, event, triage
    # record, duplicate-index bands, the analytics rollup and its two projections, the case's
    # facts, acknowledgement message), release
    assert len(queries) <= 14, "\n".join(q["sql"][:90] for q in queries)


def test_urgent_registration_queries(org):
    def urgent(name, phone):
        caller = ComplainantData(name=name, phone=phone)
        return submission(description="小区停水，整栋楼没水。", complainant=caller)

    do_register_case(urgent("甲", "13900000001"), acting_user=org.agent)
    with CaptureQueriesContext(connection) as queries:
        do_register_case(urgent("乙", "13900000002"), acting_user=org.agent)
    # the routine ones, incident matching (a running or recently dismissed incident for the
    # area, the burst's candidates, the topic row), and whom to tell in one query
    # (supervisors, handlers and dispatchers at once; the organisations of the tree are
    # memoised from the first registration) with one insert of their notices; an urgent
    # complaint is a public-safety one, so its plan (预案) starts: the plan, its run and steps
    # (read, two inserts), its leaders (named, else the organisation's supervisors) and
    # their notices
    assert len(queries) <= 27, "\n".join(q["sql"][:90] for q in queries)


def test_transition_queries_do_not_grow_with_history(org):
    case = case_in_state(org, "in_progress")
    counts = []
    for i in range(3):
        with CaptureQueriesContext(connection) as queries:
            do_transition(
                case.pk,
                "record_investigation",
                acting_user=org.repair_handler,
                payload={"note": f"第{i}次现场核查"},
            )
        counts.append(len(queries))
    # the access check; in a savepoint: the case locked, its department, the write and its
    # read-back, the clock locked and written, the event, the owner (with the channels they
    # chose for notices) and their notice, and for the analytics rollups the triage mark and
    # the facts (locked): 14
    assert counts[0] == counts[-1] and counts[0] <= 14, counts
