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


_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# Resident ID numbers (18 characters, the last may be X; or 15 digits of the old ones),
# also written in groups 6 + 8 + 4.
_ID_NUMBER = re.compile(r"(?<!\d)(?:\d{6} ?\d{8} ?\d{3}[\dXx]|\d{15})(?![\dXx])")
# Mainland mobiles, bare or after +86 / 0086 / 86, in groups 3-4-4 or not.
_MOBILE = re.compile(r"(?<![\d+])(?:(?:\+|00)?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)")
# Landlines with their area code: 0574-87654321, (0574) 8765 4321, +86 574 8765 4321.
_LANDLINE = re.compile(
    r"(?<![\d+])(?:(?:\+|00)86[- ]?\(?0?|\(?0)([1-9]\d{1,2})\)?[- ]?(\d{3,4})[- ]?(\d{4})(?!\d)"
)
# House numbers: the number on a road (中山西路12号, 世纪大道100-2号; not 2号线) and the
# building, entrance and flat after it or alone (3栋2单元501室, 5幢302, 1号楼).
_UNIT = r"\d{1,5}(?:号楼|栋|幢|单元|室)"
_HOUSE_NUMBER = re.compile(
    rf"(?:(?<=[路街道巷弄村])\d{{1,5}}(?:-\d{{1,5}})?号(?![线楼])|{_UNIT})"
    rf"(?:-?{_UNIT})*(?:-?\d{{3,4}}(?!\d))?"
)


def _masked_email(match: re.Match) -> str:
    name, _at, domain = match.group(0).partition("@")
    return f"{name[:1]}***@{domain}"


def redact_text(text: str) -> str:
    """`text` as it may be published (Open311 lists, the public incident page) or logged:
    e-mail addresses, ID numbers, mobile and landline numbers in their common spellings and
    house numbers are masked (z***@example.com, 33****34, 138****5678, 0574-****4321,
    中山西路****); everything else stays as written."""
    text = _EMAIL.sub(_masked_email, text or "")
    text = _MOBILE.sub(lambda m: m.group(1) + MASK + m.group(3), text)
    text = _ID_NUMBER.sub(lambda m: mask_id_number(m.group(0).replace(" ", "")), text)
    text = _LANDLINE.sub(lambda m: f"0{m.group(1)}-{MASK}{m.group(3)}", text)
    return _HOUSE_NUMBER.sub(MASK, text)


def mask_social_account(account: str) -> str:
    """weibo:宁波小王 → weibo:宁***: the platform stays readable, the handle is masked."""
    platform, sep, handle = account.partition(":")
    return platform + sep + mask_name(handle) if sep else mask_name(account)
