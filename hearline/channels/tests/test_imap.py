"""The IMAP poller against a real dovecot: new mail becomes cases, is flagged seen only
once taken in, and a message seen twice is recognised."""

import json

from django.conf import settings
from django.core.management import call_command
from imap_tools import AND, H, MailBoxUnencrypted, MailMessageFlags

from hearline.cases.models import Case
from hearline.channels.tests.test_email import gb_message


def _mailbox():
    config = settings.HEARLINE_IMAP
    return MailBoxUnencrypted(config["HOST"], port=config["PORT"]).login(
        config["USER"], config["PASSWORD"]
    )


def test_polling_takes_in_new_mail_once(org, imap, capsys):
    with _mailbox() as box:
        box.append(gb_message(message_id="<p1@mail.example.cn>"), "INBOX")
        box.append(gb_message(subject="水压低", message_id="<p2@mail.example.cn>"), "INBOX")
        box.append(b"From: x@y.z\r\nMessage-ID: <empty@y.z>\r\n\r\n", "INBOX")
    call_command("poll-email")
    assert json.loads(capsys.readouterr().out) == {"taken_in": 2, "duplicates": 0, "unusable": 1}
    assert sorted(Case.objects.values_list("title", flat=True)) == [
        "小区停水三天无人处理",
        "水压低",
    ]
    with _mailbox() as box:
        unseen = [m.headers["message-id"][0] for m in box.fetch(AND(seen=False))]
        assert unseen == ["<empty@y.z>"]  # left for a person to look at

        # The same message delivered again (a forward loop, a restored mailbox).
        box.append(gb_message(message_id="<p1@mail.example.cn>"), "INBOX")
        box.flag(box.uids(AND(header=H("Message-ID", "empty@y.z"))), MailMessageFlags.SEEN, True)
    call_command("poll-email")
    assert json.loads(capsys.readouterr().out) == {"taken_in": 0, "duplicates": 1, "unusable": 0}
    assert Case.objects.count() == 2
