import logging

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
