"""Random sequences of actions by random users, with the lifecycle invariants checked after
every step (Hypothesis stateful testing against the real database)."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    rule,
    run_state_machine_as_test,
)

from hearline.cases.actions import do_register_case, do_transition
from hearline.cases.models import Case
from hearline.cases.queries import allowed_actions, cases_visible_to
from hearline.cases.workflow import ACTIONS, TRANSITIONS, InvalidInput, State, WorkflowError
from hearline.testing.org import build_org, submission, valid_payload

USERNAMES = [
    "agent",
    "agent2",
    "dispatcher",
    "water_dispatcher",
    "repair_handler",
    "repair_handler2",
    "customer_handler",
    "repair_supervisor",
    "water_supervisor",
    "metro_supervisor",
    "manager",
]


def _snapshot(case_id):
    case = Case.objects.get(pk=case_id)
    events = list(case.events.order_by("seq").values_list("seq", "action", "to_state"))
    return case.state, case.version, case.department_id, case.owner_id, case.reply, events


REACHED: set[str] = set()


class Lifecycle(RuleBasedStateMachine):
    org = None
    cases = Bundle("cases")

    def __init__(self):
        super().__init__()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.event_counts: dict[int, int] = {}

    def teardown(self):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    @rule(target=cases, username=st.sampled_from(["agent", "agent2", "dispatcher"]))
    def register(self, username):
        case = do_register_case(submission(), acting_user=self.org.users[username]).case
        self.event_counts[case.pk] = 1
        return case.pk

    @rule(
        case_id=cases,
        action=st.sampled_from(ACTIONS),
        username=st.sampled_from(USERNAMES),
        complete=st.booleans(),
        department=st.sampled_from(["repair", "customer", "metro", "station"]),
    )
    def act(self, case_id, action, username, complete, department):
        payload = valid_payload(action, self.org) if complete else {}
        if "department" in payload:
            payload["department"] = department
        before = _snapshot(case_id)
        try:
            with transaction.atomic():
                do_transition(
                    case_id, action, acting_user=self.org.users[username], payload=payload
                )
        except WorkflowError:
            assert _snapshot(case_id) == before, f"refused {action} changed the case"
            return
        after = _snapshot(case_id)
        assert after[1] == before[1] + 1, "a successful action is exactly one new version"
        assert after[5][:-1] == before[5], "earlier events are untouched"

    @rule(case_id=cases, steps=st.integers(1, 25), data=st.data())
    def advance(self, case_id, steps, data):
        """Take a run of state-changing actions that the UI would offer to someone, to reach
        deep states (recorded steps that keep the state are covered by `act`)."""
        for _ in range(steps):
            offers = []
            for username in USERNAMES:
                user = self.org.users[username]
                case = cases_visible_to(user).filter(pk=case_id).first()
                offered = allowed_actions(user, case) if case else []
                offers += [(username, a) for a in offered if TRANSITIONS[a].target is not None]
            if not offers:
                return
            username, action = data.draw(st.sampled_from(offers))
            before = _snapshot(case_id)
            try:
                with transaction.atomic():
                    do_transition(
                        case_id,
                        action,
                        acting_user=self.org.users[username],
                        payload=valid_payload(action, self.org),
                    )
            except InvalidInput:
                # e.g. the water company's dispatcher naming a department outside the company
                assert _snapshot(case_id) == before
                continue
            REACHED.add(Case.objects.get(pk=case_id).state)

    @invariant()
    def cases_are_consistent(self):
        for case in Case.objects.filter(pk__in=self.event_counts):
            events = list(case.events.order_by("seq"))
            assert case.state in State.ALL
            assert case.owner_id is not None and case.department_id is not None
            assert len(events) >= self.event_counts[case.pk], "the timeline only grows"
            self.event_counts[case.pk] = len(events)
            assert [e.seq for e in events] == list(range(1, len(events) + 1))
            assert events[-1].to_state == case.state and case.version == len(events)
            assert (case.state == State.MERGED) == (case.merged_into_id is not None)


@pytest.mark.django_db
def test_random_action_sequences_keep_the_invariants():
    Lifecycle.org = build_org()
    run_state_machine_as_test(
        Lifecycle,
        settings=settings(
            max_examples=25,
            stateful_step_count=25,
            deadline=None,
            derandomize=True,  # the same sequences on every run, so the reach check below is stable
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
    # The offered actions really drive cases through the lifecycle, not just around its start.
    assert {State.IN_PROGRESS, State.REPLIED, State.ARCHIVED} <= REACHED, REACHED
