"""Backup and restore: a backup of the running database restored into an empty one holds
every case and every timeline event, each case whole."""

import json
import os
import sqlite3
import subprocess
import sys
import time
import uuid
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from hearline.cases.actions import do_transition
from hearline.cases.models import Case, CaseEvent
from hearline.testing.org import build_org, register, valid_payload


def _history():
    """Every case's tracking number with its events as (seq, report_seq or 0, action), from
    the ORM."""
    cases = dict(Case.objects.values_list("pk", "tracking_number"))
    events = {}
    for case_id, seq, report_seq, action in CaseEvent.objects.values_list(
        "case_id", "seq", "report_seq", "action"
    ):
        events.setdefault(cases[case_id], []).append((seq, report_seq or 0, action))
    return {number: sorted(found) for number, found in events.items()}


def _restored_history(rows):
    events = {}
    for number, seq, report_seq, action in rows:
        events.setdefault(number, []).append((seq, report_seq, action))
    return {number: sorted(found) for number, found in events.items()}


HISTORY_SQL = (
    "SELECT c.tracking_number, e.seq, COALESCE(e.report_seq, 0), e.action "
    "FROM cases_caseevent e JOIN cases_case c ON c.id = e.case_id"
)


@pytest.fixture
def cases():
    org = build_org()
    for _ in range(5):
        case = register(org).case
        do_transition(
            case.pk, "dispatch", acting_user=org.dispatcher, payload={"department": "repair"}
        )
        do_transition(case.pk, "accept", acting_user=org.repair_handler)
        do_transition(
            case.pk,
            "record_investigation",
            acting_user=org.repair_handler,
            payload=valid_payload("record_investigation", org),
        )
    register(org)
    return _history()


def _backup(path):
    out = StringIO()
    call_command("backup", str(path), stdout=out)
    return json.loads(out.getvalue())


def _check(restored_rows, history):
    assert _restored_history(restored_rows) == history
    for events in history.values():  # each case whole: its steps and its reports 1, 2, 3 …
        steps = [seq for seq, report_seq, _action in events if not report_seq]
        reports = [report_seq for _seq, report_seq, _action in events if report_seq]
        assert steps == list(range(1, len(steps) + 1))
        assert sorted(reports) == list(range(1, len(reports) + 1))


def _expected(history):
    return {"cases": len(history), "events": sum(len(e) for e in history.values())}


WRITER = """
import itertools, os, pathlib
from hearline.cases.actions import do_transition
from hearline.testing.org import build_org, register
org = build_org()
started = pathlib.Path(os.environ["WRITER_STARTED"])
for n in itertools.count():
    case = register(org).case
    do_transition(case.pk, "dispatch", acting_user=org.dispatcher, payload={"department": "repair"})
    if n == 20:
        started.write_text("writing")
    if (started.parent / "stop").exists() or n > 2000:
        break
"""


@pytest.mark.sqlite_only
def test_sqlite_backup_of_a_running_system_restores_every_case_whole(tmp_path):
    """A writer keeps registering and dispatching cases in another process while
    `hearline backup` copies the database file; the copy restored into a new file holds
    exactly the cases and events the backup reported, each case's timeline complete."""
    live = tmp_path / "live.sqlite3"
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="config.settings.base",
        HEARLINE_VAR_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{live}",
    )
    hearline = str(Path(sys.executable).parent / "hearline")

    def run(*args):
        done = subprocess.run([hearline, *args], env=env, capture_output=True, text=True)
        return done.returncode, done.stdout, done.stderr

    assert run("migrate", "-v0")[0] == 0
    started = tmp_path / "started"
    writer = subprocess.Popen(
        [hearline, "shell", "-c", WRITER], env=env | {"WRITER_STARTED": str(started)}
    )
    try:
        for _ in range(600):
            if started.exists() or writer.poll() is not None:
                break
            time.sleep(0.1)
        assert started.exists(), "the writer is running"
        archive = tmp_path / "hearline.backup"
        code, out, err = run("backup", str(archive))
        assert code == 0, err
        held = json.loads(out)
        assert run("backup", str(archive))[2].count("exists") == 1
    finally:
        (tmp_path / "stop").write_text("")
        writer.wait(timeout=60)
    target = tmp_path / "restored.sqlite3"
    code, out, err = run("restore", str(archive), "--to", f"sqlite:///{target}")
    assert code == 0, err
    assert json.loads(out) == {"cases": held["cases"], "events": held["events"]}
    with sqlite3.connect(target) as restored:
        history = _restored_history(restored.execute(HISTORY_SQL).fetchall())
    with sqlite3.connect(live) as after:
        kept_on = _restored_history(after.execute(HISTORY_SQL).fetchall())
    assert held["cases"] >= 21 and len(kept_on) >= len(history) == held["cases"]
    assert sum(len(e) for e in history.values()) == held["events"]
    for number, events in history.items():  # whole: registered, perhaps dispatched since
        assert events in ([(1, 0, "register")], [(1, 0, "register"), (2, 0, "dispatch")]), number
        assert events == kept_on[number][: len(events)]
    code, _out, err = run("restore", str(archive), "--to", f"sqlite:///{target}")
    assert code != 0 and "not empty" in err


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_pg_dump_restored_into_a_new_database_has_every_case_and_event(cases, tmp_path):
    archive = tmp_path / "hearline.backup"
    assert _backup(archive) == _expected(cases) | {"vendor": "postgresql"}
    _check(_restore_postgresql(archive, _expected(cases)), cases)


def _restore_postgresql(archive, expected):
    import psycopg

    settings = connection.settings_dict
    name = f"hearline_restore_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {name}")
    try:
        url = f"postgres://{settings['USER']}@{settings['HOST'].replace('/', '%2F')}/{name}"
        out = StringIO()
        call_command("restore", str(archive), "--to", url, stdout=out)
        assert json.loads(out.getvalue()) == expected
        with psycopg.connect(dbname=name, host=settings["HOST"], user=settings["USER"]) as db:
            rows = db.execute(HISTORY_SQL).fetchall()
            refused = db.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgname = 'cases_caseevent_append_only'"
            ).fetchone()[0]
        assert refused == 1  # the timeline is still append-only after the restore
        with pytest.raises(CommandError, match="pg_restore failed"):
            call_command("restore", str(archive), "--to", url)  # not empty: nothing changes
        return rows
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE {name} WITH (FORCE)")
