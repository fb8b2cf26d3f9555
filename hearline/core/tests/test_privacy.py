import logging
import sys

import pytest

from hearline.core.logging import RedactPIIFilter
from hearline.core.privacy import mask_address, mask_id_number, mask_name, mask_phone, redact_text


def test_phone_masking_keeps_prefix_and_last_four():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("0574-87654321") == "057****4321"
    assert mask_phone("") == ""


def test_id_name_and_address_masking():
    assert mask_id_number("330203199001011234") == "33****34"
    assert mask_name("王丽") == "王*"
    assert mask_name("欧阳修文") == "欧***"
    assert mask_address("海曙区中山西路12号") == "海曙区****"
    assert "12号" not in mask_address("宁波市海曙区中山西路12号")


def test_free_text_redaction_hides_phone_and_id_numbers():
    text = "投诉人13812345678，身份证330203199001011234，座机0574-87654321"
    redacted = redact_text(text)
    assert "13812345678" not in redacted and "138****5678" in redacted
    assert "330203199001011234" not in redacted
    assert "87654321" not in redacted


def test_log_records_are_redacted_not_dropped():
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "call from %s", ("13812345678",), None
    )
    assert RedactPIIFilter().filter(record) is True
    assert record.getMessage() == "call from 138****5678"


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("电话138-1234-5678。", "电话138****5678。"),
        ("电话138 1234 5678。", "电话138****5678。"),
        ("电话+86 138 1234 5678。", "电话138****5678。"),
        ("电话+86-138-1234-5678。", "电话138****5678。"),
        ("电话008613812345678。", "电话138****5678。"),
        ("电话8613812345678。", "电话138****5678。"),
        ("座机(0574) 8765 4321。", "座机0574-****4321。"),
        ("座机0574 87654321。", "座机0574-****4321。"),
        ("座机010-12345678。", "座机010-****5678。"),
        ("座机+86 574 8765 4321。", "座机0574-****4321。"),
        ("邮箱zhang.san@example.com。", "邮箱z***@example.com。"),
        ("身份证33020319900101123X。", "身份证33****3X。"),
        ("身份证330203 19900101 1234。", "身份证33****34。"),
        ("老身份证330203900101123。", "老身份证33****23。"),
        ("住中山西路12号3栋2单元501室。", "住中山西路****。"),
        ("住世纪大道100-2号。", "住世纪大道****。"),
        ("住幸福小区5幢302。", "住幸福小区****。"),
        ("住1号楼。", "住****。"),
    ],
)
def test_published_text_masks_phones_emails_id_and_house_numbers_in_every_spelling(written, shown):
    assert redact_text(written) == shown


def test_published_text_keeps_dates_times_counts_lines_and_tracking_numbers():
    text = "2026-06-01 08:30起停水，3月12号恢复，2号线停运，200户受影响，案件260601-0A1B2。"
    assert redact_text(text) == text


def test_tracebacks_in_logs_are_masked_like_messages():
    try:
        raise ValueError("bad address chen@example.org, phone 138-1234-5678")
    except ValueError:
        record = logging.LogRecord(
            "x", logging.ERROR, __file__, 1, "send failed", None, sys.exc_info()
        )
    RedactPIIFilter().filter(record)
    written = logging.Formatter("%(message)s").format(record)
    assert "Traceback" in written and "c***@example.org" in written and "138****5678" in written
    assert "chen@" not in written and "1234" not in written
