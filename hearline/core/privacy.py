"""Masking of complainant personal data for roles that may not see it in full.

Pure functions, no Django: `mask_phone("13812345678") == "138****5678"`.
"""

import re

MASK = "****"


def mask_phone(phone: str) -> str:
    """Keep the first three and last four digits of a phone number, hide the rest."""
    phone = (phone or "").strip()
    if not phone:
        return ""
    if len(phone) <= 7:
        return phone[:1] + MASK if len(phone) > 1 else MASK
    return phone[:3] + MASK + phone[-4:]


def mask_id_number(id_number: str) -> str:
    """Keep the first and last two characters of an identity document number."""
    id_number = (id_number or "").strip()
    if not id_number:
        return ""
    if len(id_number) <= 4:
        return MASK
    return id_number[:2] + MASK + id_number[-2:]


def mask_name(name: str) -> str:
    """Keep a Chinese surname (first character) or a Latin initial: 张** / J***."""
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "*" * max(1, min(len(name) - 1, 3))


_DISTRICT_END = re.compile(r"^(.*?(?:区|县|市|镇|乡|街道))")


def mask_address(address: str) -> str:
    """Keep the address up to its district (区/县/市/镇/街道), hide the street and number."""
    address = (address or "").strip()
    if not address:
        return ""
    match = _DISTRICT_END.match(address)
    if match and len(match.group(1)) < len(address):
        return match.group(1) + MASK
    return address[: min(3, len(address) // 2)] + MASK


# Mainland mobile numbers, landlines with area code, 18-character resident ID numbers.
_PII_PATTERNS = [
    re.compile(r"(?<!\d)(\d{6})(\d{8})(\d{3}[\dXx])(?![\dXx])"),
    re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)"),
    re.compile(r"(?<!\d)(0\d{2,3}-?)(\d{3,4})(\d{4})(?!\d)"),
]


def redact_text(text: str) -> str:
    """Replace phone and ID numbers inside free text with masked forms (for logs)."""
    for pattern in _PII_PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + MASK + m.group(m.lastindex or 1)[-4:], text)
    return text


def mask_social_account(account: str) -> str:
    """weibo:宁波小王 → weibo:宁***: the platform stays readable, the handle is masked."""
    platform, sep, handle = account.partition(":")
    return platform + sep + mask_name(handle) if sep else mask_name(account)
