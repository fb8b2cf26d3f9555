"""The rollups kept step by step equal a full recomputation from the cases after any
sequence of lifecycle actions, ratings, reopenings and sweeps (Hypothesis stateful testing
against the real database)."""

from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    rule,
    run_state_machine_as_test,
)

from hearline.analytics.models import DIMENSIONS, CaseFacts, Rollup, TermDay
from hearline.analytics.recompute import kept, projections_differing, recomputed
from hearline.analytics.rollup import rebuild
from hearline.analytics.terms import count_terms
from hearline.cases.actions import do_complainant_transition, do_register_case, do_transition
from hearline.cases.models import Case
from hearline.cases.queries import allowed_actions
from hearline.cases.submission import ComplainantData
from hearline.cases.workflow import WorkflowError
from hearline.core.timetravel import at_time
from hearline.sla.sweep import do_sweep
from hearline.testing.org import PATHS, build_org, submission, valid_payload

STAFF = ["agent", "dispatcher", "repair_handler", "customer_handler", "repair_supervisor"]
START = datetime(2026, 3, 2, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


class Figures(RuleBasedStateMachine):
    org = None
    cases = Bundle("cases")

    def __init__(self):
        super().__init__()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.now = START

    def teardown(self):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    @rule(
        target=cases,
        channel=st.sampled_from(["hotline", "web", "app"]),
        district=st.sampled_from(["海曙区", "江北区", ""]),
        urgency=st.sampled_from(["normal", "urgent"]),
        phone=st.sampled_from(["13800000001", "13800000002", "13800000003"]),
    )
    def register(self, channel, district, urgency, phone):
        details = submission(
            channel=channel,
            district=district,
            urgency=urgency,
            complainant=ComplainantData(name="住户", phone=phone),
        )
        with at_time(self.now):
            return do_register_case(details, acting_user=self.org.agent).case.pk

    @rule(case_id=cases, data=st.data())
    def act(self, case_id, data):
        """One of the actions the UI offers someone on the case now."""
        case = Case.objects.get(pk=case_id)
        offers = [
            (name, action)
            for name in STAFF
            for action in allowed_actions(self.org.users[name], case)
            if action not in ("merge", "attach")
        ]
        if not offers:
            return
        name, action = data.draw(st.sampled_from(offers))
        payload = valid_payload(action, self.org)
        if action == "reclassify":
            payload["urgency"] = data.draw(st.sampled_from(["normal", "urgent"]))
        try:
            with transaction.atomic(), at_time(self.now):
                do_transition(case_id, action, acting_user=self.org.users[name], payload=payload)
        except WorkflowError:
            pass

    @rule(case_id=cases)
    def answer(self, case_id):
        """Dispatch, accept, resolve and reply in a row (what `act` reaches only by luck)."""
        for action, name in PATHS["replied"]:
            try:
                with transaction.atomic(), at_time(self.now):
                    do_transition(
                        case_id,
                        action,
                        acting_user=self.org.users[name],
                        payload=valid_payload(action, self.org),
                    )
            except WorkflowError:
                pass

    @rule(
        case_id=cases,
        confirmation=st.sampled_from(["solved", "unsolved"]),
        satisfaction=st.sampled_from(["satisfied", "basically_satisfied", "dissatisfied"]),
        reopen=st.booleans(),
    )
    def complainant_answers(self, case_id, confirmation, satisfaction, reopen):
        case = Case.objects.get(pk=case_id)
        action, payload = (
            ("reopen", {"reason": "问题仍未解决"})
            if reopen
            else ("record_rating", {"confirmation": confirmation, "satisfaction": satisfaction})
        )
        try:
            with transaction.atomic(), at_time(self.now):
                do_complainant_transition(case, action, payload=payload)
        except WorkflowError:
            pass

    @rule(hours=st.integers(1, 60))
    def time_passes(self, hours):
        self.now += timedelta(hours=hours)
        with at_time(self.now):
            do_sweep(self.now)

    @invariant()
    def rollups_equal_a_recomputation(self):
        assert kept() == recomputed()
        assert projections_differing() == 0


@pytest.mark.django_db
def test_rollups_equal_a_recomputation_after_random_lifecycles():
    Figures.org = build_org()
    run_state_machine_as_test(
        Figures,
        settings=settings(
            max_examples=20,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )


@pytest.mark.django_db
def test_a_rebuild_gives_the_same_rows(org):
    cases = [
        do_register_case(submission(district=d), acting_user=org.agent).case
        for d in ("海曙区", "江北区", "海曙区")
    ]
    do_transition(
        cases[0].pk,
        "close_on_spot",
        acting_user=org.agent,
        payload=valid_payload("close_on_spot", org),
    )
    for case in cases:
        count_terms(case.pk)
    before = kept()
    facts_before = set(CaseFacts.objects.values_list(*DIMENSIONS, "case_id", "flags"))
    terms_before = set(TermDay.objects.values_list("day", "term", "cases"))
    assert sum(c.volume for c in before.values()) == 3 and len(terms_before) > 5
    assert rebuild() == 3
    assert kept() == before == recomputed() and projections_differing() == 0
    assert set(CaseFacts.objects.values_list(*DIMENSIONS, "case_id", "flags")) == facts_before
    assert set(TermDay.objects.values_list("day", "term", "cases")) == terms_before
    assert not CaseFacts.objects.filter(terms_counted=False).exists()
    # From a day on: the earlier days' rows stay as they were, the later ones are redone.
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert rebuild(since=tomorrow) == 0
    assert kept() == before and TermDay.objects.count() == len(terms_before)
    assert rebuild(since=timezone.localdate()) == 3 and kept() == before


@pytest.mark.django_db
def test_the_check_command_finds_a_damaged_rollup_and_rebuild_repairs_it(org):
    do_register_case(submission(), acting_user=org.agent)
    call_command("analytics", "check", stdout=StringIO())
    Rollup.objects.update(volume=F("volume") + 1)
    with pytest.raises(CommandError, match="3 slice"):  # the row and its two projections
        call_command("analytics", "check", stdout=StringIO())
    call_command("analytics", "rebuild", stdout=StringIO())
    call_command("analytics", "check", stdout=StringIO())
