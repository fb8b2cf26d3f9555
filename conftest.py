import os

import pytest
from django.conf import settings


def pytest_collection_modifyitems(config, items):
    """Tests that belong to one pass are deselected in the other: postgres_only on SQLite;
    sqlite_only (tests that run a server on a SQLite file of their own, so one pass is
    enough) on PostgreSQL. needs_root (mounting a file system) without root."""
    on_postgresql = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    absent = {"sqlite_only"} if on_postgresql else {"postgres_only"}
    if os.geteuid() != 0:
        absent.add("needs_root")
    dropped = [item for item in items if any(item.get_closest_marker(m) for m in absent)]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if item not in dropped]


@pytest.fixture
def org(db):
    from hearline.testing.org import build_org

    return build_org()


@pytest.fixture
def admin_client(client, org):
    """The test client signed in as a superuser of the test organisation's hotline."""
    from hearline.accounts.models import User

    admin = User.objects.create_superuser(
        "root", password="x", department=org.departments["hotline"]
    )
    client.force_login(admin)
    return client


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): …` runs what the block queued for after commit (Huey tasks run
    immediately in tests), as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture(autouse=True)
def _fresh_configuration_memo():
    """Calendars, policies and the like are memoised per process; each test starts
    without them."""
    from hearline.accounts.organisations import organisations_in
    from hearline.incidents.detection import active_incidents
    from hearline.incidents.topics import kind_rules
    from hearline.knowledge.search import common_words
    from hearline.knowledge.segment import synonym_groups
    from hearline.sla.calendars import _calendar_for_path
    from hearline.sla.policies import active_policies
    from hearline.triage.service import clear_caches

    kind_rules.clear()
    active_incidents.clear()
    _calendar_for_path.clear()
    organisations_in.clear()
    active_policies.clear()
    clear_caches()
    common_words.clear()
    synonym_groups.clear()


@pytest.fixture(autouse=True)
def _empty_memory_outbox():
    """The in-memory SMS/social/upstream outbox starts empty in each test."""
    from hearline.notify.backends import MemoryBackend

    MemoryBackend.outbox.clear()


@pytest.fixture
def smtp(settings):
    """A real SMTP server on 127.0.0.1; Django's e-mail goes to it during the test."""
    from hearline.testing.mailserver import SmtpServer

    with SmtpServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        settings.EMAIL_USE_TLS = False
        yield server


@pytest.fixture
def imap(settings):
    """A real IMAP server (dovecot) on 127.0.0.1, configured as Hearline's mailbox."""
    from hearline.testing.imapserver import PASSWORD, USER, ImapServer

    with ImapServer() as server:
        settings.HEARLINE_IMAP = {
            "HOST": "127.0.0.1",
            "PORT": server.port,
            "SSL": False,
            "USER": USER,
            "PASSWORD": PASSWORD,
            "FOLDER": "INBOX",
        }
        yield server
