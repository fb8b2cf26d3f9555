"""E-mail in through `hearline ingest-email`: real messages in the encodings Chinese mail
uses, multipart with attachments, replies to a case, and the same message twice."""

import base64
import io
import json
import sys
from email.header import Header
from email.message import EmailMessage
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

import pytest
from django.core.management import call_command

from hearline.cases.actions import do_transition
from hearline.cases.models import Attachment, Case, CaseEvent
from hearline.channels.email_in import parse
from hearline.notify.models import OutboundMessage
from hearline.testing.images import photo as real_photo

PNG = real_photo("PNG")


def ingest(raw: bytes, monkeypatch, capsys) -> dict:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    call_command("ingest-email")
    return json.loads(capsys.readouterr().out)


def encoded_word(text: str, label: str = "GB2312") -> str:
    """An RFC 2047 encoded word as Chinese mailers write it (GBK bytes, labelled GB2312)."""
    return f"=?{label}?B?{base64.b64encode(text.encode('gbk')).decode()}?="


def gb_message(subject="小区停水三天无人处理", body="", message_id="<a1@mail.example.cn>"):
    """A plain message as Chinese webmail sends it: GB2312 body and encoded-word subject,
    with characters outside GB2312 proper (GBK's 镕, 喆)."""
    body = body or "您好：\n我家住海曙区中山西路12号，停水三天了。联系人朱镕喆。\n"
    message = MIMEText(body.encode("gbk"), "plain", "gb2312")
    message["Subject"] = encoded_word(subject)
    message["From"] = f"{encoded_word('朱先生', 'gbk')} <zhu@example.cn>"
    message["To"] = "complaints@hearline.localhost"
    message["Message-ID"] = message_id
    return message.as_bytes()


def test_gbk_text_labelled_gb2312_decodes(org):
    parsed = parse(gb_message(subject="朱镕喆反映：小区停水"))
    assert parsed.subject == "朱镕喆反映：小区停水"
    assert parsed.sender_name == "朱先生" and parsed.sender_address == "zhu@example.cn"
    assert "朱镕喆" in parsed.text


def test_a_new_message_registers_a_case_and_is_answered(org, monkeypatch, capsys):
    result = ingest(gb_message(), monkeypatch, capsys)
    assert result["created"] and not result["duplicate"]
    case = Case.objects.get(tracking_number=result["tracking_number"])
    assert case.channel == "email" and case.owner.username == "email"
    assert case.title == "小区停水三天无人处理" and "朱镕喆" in case.description
    assert case.complainant.email == "zhu@example.cn"
    acknowledgement = OutboundMessage.objects.get(case=case)
    assert acknowledgement.channel == "email" and case.tracking_number in acknowledgement.subject


def test_the_same_message_twice_changes_nothing(org, monkeypatch, capsys):
    first = ingest(gb_message(), monkeypatch, capsys)
    events = CaseEvent.objects.count()
    second = ingest(gb_message(), monkeypatch, capsys)
    assert second == {**first, "created": False, "duplicate": True}
    assert Case.objects.count() == 1 and CaseEvent.objects.count() == events


def test_multipart_utf8_with_html_and_attachments(org, monkeypatch, capsys):
    message = MIMEMultipart("mixed")
    alternative = MIMEMultipart("alternative")
    alternative.attach(MIMEText("地铁站电梯停运一周。", "plain", "utf-8"))
    alternative.attach(MIMEText("<p>地铁站<b>电梯</b>停运一周。</p>", "html", "utf-8"))
    message.attach(alternative)
    photo = MIMEApplication(PNG, "png")
    photo.add_header("Content-Disposition", "attachment", filename=("utf-8", "", "电梯照片.png"))
    message.attach(photo)
    program = MIMEApplication(b"MZ\x90\x00", "octet-stream")
    program.add_header("Content-Disposition", "attachment", filename="setup.exe")
    message.attach(program)
    message["Subject"] = Header("鼓楼站电梯停运", "utf-8")
    message["From"] = "li@example.org"
    message["Message-ID"] = "<m2@example.org>"
    result = ingest(message.as_bytes(), monkeypatch, capsys)
    case = Case.objects.get(tracking_number=result["tracking_number"])
    assert case.description == "地铁站电梯停运一周。"
    [photo_saved] = Attachment.objects.filter(case=case)
    assert photo_saved.original_name == "电梯照片.png" and photo_saved.uploaded_by is None
    assert result["refused_attachments"] == ["setup.exe（unsupported_type）"]
    notes = CaseEvent.objects.filter(case=case, action="comment").values_list("details", flat=True)
    assert any("setup.exe" in n["note"] for n in notes)


def reply(
    number: str,
    in_reply_to: str | None,
    sender: str = "Zhu <ZHU@example.cn>",
    message_id: str = "<r1@mail.example.cn>",
    authentication: tuple[str, ...] = (),
) -> EmailMessage:
    """A reply as a mail client writes it: the case number in the subject, our Message-ID
    in In-Reply-To and References, the MTA's Authentication-Results on top."""
    message = EmailMessage()
    for result in authentication:
        message["Authentication-Results"] = result
    message["Subject"] = f"回复：[{number}] 投诉已受理"
    message["From"] = sender
    message["Message-ID"] = message_id
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = f"<earlier@mail.example.cn> {in_reply_to}"
    message.set_content("补充：隔壁两栋楼也停水了。\n\n在 2026-11-22 写道：\n> 您的投诉已受理")
    return message


def acknowledged(monkeypatch, capsys, committed, smtp) -> tuple[str, str]:
    """A complaint taken in and its acknowledgement sent: (tracking number, its Message-ID)."""
    with committed():
        number = ingest(gb_message(), monkeypatch, capsys)["tracking_number"]
    [acknowledgement] = smtp.handler.received
    return number, acknowledgement["Message-ID"]


def test_a_reply_in_the_thread_of_our_mail_joins_the_case(
    org, monkeypatch, capsys, committed, smtp
):
    number, ours = acknowledged(monkeypatch, capsys, committed, smtp)
    message = reply(number, ours)
    message.add_attachment(PNG, maintype="image", subtype="png", filename="现场.png")
    result = ingest(message.as_bytes(), monkeypatch, capsys)
    assert result["tracking_number"] == number and not result["created"]
    comment = CaseEvent.objects.get(case__tracking_number=number, action="comment")
    assert comment.details == {
        "note": "补充：隔壁两栋楼也停水了。",
        "channel": "email",
        "reference": "<r1@mail.example.cn>",
        "verified": False,
        "by": "complainant",
    }
    assert Attachment.objects.filter(case__tracking_number=number).count() == 1


def _forged_ids(number: str) -> list[str | None]:
    """No thread; the Message-ID our e-mails once carried (guessable: the message's row
    number and the case's); the same with a made-up tag."""
    pk = OutboundMessage.objects.get().pk
    return [
        None,
        f"<hearline.{pk}.{number}@hearline.localhost>",
        f"<hearline.{pk}.{number}.0123456789abcdef0123@hearline.localhost>",
    ]


@pytest.mark.parametrize("variant", [0, 1, 2])
def test_the_complainants_address_outside_our_thread_does_not_join_the_case(
    org, monkeypatch, capsys, variant
):
    """From: is easily forged: the address of a case's complainant and its number in the
    subject are not enough to speak as the complainant on it."""
    number = ingest(gb_message(), monkeypatch, capsys)["tracking_number"]
    forged = reply(number, _forged_ids(number)[variant])
    result = ingest(forged.as_bytes(), monkeypatch, capsys)
    assert result["created"] and result["tracking_number"] != number
    assert not CaseEvent.objects.filter(case__tracking_number=number, action="comment").exists()


def test_our_thread_from_another_address_registers_a_case_of_its_own(
    org, monkeypatch, capsys, committed, smtp
):
    number, ours = acknowledged(monkeypatch, capsys, committed, smtp)
    other = reply(number, ours, sender="someone@elsewhere.org", message_id="<x@elsewhere.org>")
    result = ingest(other.as_bytes(), monkeypatch, capsys)
    assert result["created"] and result["tracking_number"] != number
    assert not CaseEvent.objects.filter(case__tracking_number=number, action="comment").exists()


def test_a_stranger_naming_a_case_number_gets_a_case_of_their_own(org, monkeypatch, capsys):
    first = ingest(gb_message(), monkeypatch, capsys)
    other = EmailMessage()
    other["Subject"] = f"关于 {first['tracking_number']}"
    other["From"] = "someone@elsewhere.org"
    other["Message-ID"] = "<x@elsewhere.org>"
    other.set_content("我也有同样的问题。")
    result = ingest(other.as_bytes(), monkeypatch, capsys)
    assert result["created"] and result["tracking_number"] != first["tracking_number"]


def test_another_sender_reusing_a_message_id_is_taken_in_not_dropped(org, monkeypatch, capsys):
    first = ingest(gb_message(), monkeypatch, capsys)
    other = gb_message(subject="路灯不亮").replace(b"<zhu@example.cn>", b"<qian@example.org>")
    second = ingest(other, monkeypatch, capsys)
    assert second["created"] and not second["duplicate"]
    assert second["tracking_number"] != first["tracking_number"]
    case = Case.objects.get(tracking_number=second["tracking_number"])
    assert case.title == "路灯不亮" and case.complainant.email == "qian@example.org"


OURS = "mx.hearline.localhost"


@pytest.mark.parametrize(
    ("authentication", "verified"),
    [
        ((f"{OURS}; dmarc=pass (p=reject) header.from=example.cn",), True),
        ((f"{OURS}; spf=pass smtp.mailfrom=zhu@example.cn",), True),
        ((f"{OURS} 1; dkim=pass header.d=EXAMPLE.CN header.s=mail; spf=fail",), True),
        ((f"{OURS}; none",), False),
        ((f"{OURS}; dmarc=fail header.from=example.cn; spf=softfail",), False),
        ((f"{OURS}; dmarc=pass header.from=elsewhere.org",), False),
        (("mx.elsewhere.org; dmarc=pass header.from=example.cn",), False),
        # The sender's own header below ours: only the topmost counts.
        ((f"{OURS}; dmarc=fail", f"{OURS}; dmarc=pass header.from=example.cn"), False),
    ],
)
def test_a_reply_is_verified_only_by_our_own_mtas_authentication_results(
    org, monkeypatch, capsys, committed, smtp, settings, authentication, verified
):
    settings.HEARLINE_MAIL_AUTHSERV_ID = OURS
    number, ours = acknowledged(monkeypatch, capsys, committed, smtp)
    ingest(reply(number, ours, authentication=authentication).as_bytes(), monkeypatch, capsys)
    comment = CaseEvent.objects.get(case__tracking_number=number, action="comment")
    assert comment.details["verified"] is verified


def test_without_a_trusted_authserv_id_no_reply_is_verified(
    org, monkeypatch, capsys, committed, smtp, settings
):
    settings.HEARLINE_MAIL_AUTHSERV_ID = ""
    number, ours = acknowledged(monkeypatch, capsys, committed, smtp)
    claimed = ("; dmarc=pass header.from=example.cn",)
    ingest(reply(number, ours, authentication=claimed).as_bytes(), monkeypatch, capsys)
    comment = CaseEvent.objects.get(case__tracking_number=number, action="comment")
    assert comment.details["verified"] is False


def test_the_staff_timeline_marks_an_unverified_sender(
    org, monkeypatch, capsys, committed, smtp, client
):
    number, ours = acknowledged(monkeypatch, capsys, committed, smtp)
    ingest(reply(number, ours).as_bytes(), monkeypatch, capsys)
    client.force_login(org.dispatcher)
    page = client.get(f"/staff/cases/{Case.objects.get(tracking_number=number).pk}/")
    assert page.status_code == 200
    assert page.content.decode().count("未经验证的发件人") == 1


def test_only_a_channel_says_whether_a_sender_is_verified(org, monkeypatch, capsys):
    number = ingest(gb_message(), monkeypatch, capsys)["tracking_number"]
    case = Case.objects.get(tracking_number=number)
    do_transition(
        case.pk, "comment", acting_user=case.owner, payload={"note": "已致电", "verified": False}
    )
    comment = CaseEvent.objects.get(case=case, action="comment")
    assert "verified" not in comment.details


def test_an_empty_message_is_refused_with_ex_dataerr(org, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"From: a@b.c\n\n")))
    with pytest.raises(SystemExit) as exit_:
        call_command("ingest-email")
    assert exit_.value.code == 65 and not Case.objects.exists()


def test_control_characters_in_a_message_are_dropped(org, monkeypatch, capsys):
    raw = gb_message(body="您好：\n停水\x0b三天\x1b了。\n")
    case = Case.objects.get(tracking_number=ingest(raw, monkeypatch, capsys)["tracking_number"])
    assert case.description == "您好：\n停水三天了。"


def test_a_message_from_an_unusable_address_is_refused_with_ex_dataerr(org, monkeypatch, capsys):
    raw = gb_message().replace(b"<zhu@example.cn>", b"<zhu@example>")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    with pytest.raises(SystemExit) as exit_:
        call_command("ingest-email")
    assert exit_.value.code == 65 and not Case.objects.exists()
