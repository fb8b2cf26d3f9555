"""Checks on uploaded attachments: size limit and a type recognised from the file's content."""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass

from django.conf import settings

# Extension → (content type, accepted leading bytes; None accepts plain text).
_TYPES: dict[str, tuple[str, tuple[bytes, ...] | None]] = {
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "gif": ("image/gif", (b"GIF87a", b"GIF89a")),
    "webp": ("image/webp", (b"RIFF",)),
    "pdf": ("application/pdf", (b"%PDF-",)),
    "mp3": ("audio/mpeg", (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2")),
    "wav": ("audio/wav", (b"RIFF",)),
    "amr": ("audio/amr", (b"#!AMR",)),
    "m4a": ("audio/mp4", None),
    "mp4": ("video/mp4", None),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK",)),
    "txt": ("text/plain", None),
}
_ISO_MEDIA = (b"ftyp",)  # at offset 4 in MP4/M4A files


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    size: int
    sha256: str


def check_upload(name: str, content: bytes) -> tuple[CheckedFile | None, str | None]:
    """(checked file, None) when acceptable, else (None, error code): empty_file, too_large,
    unsupported_type or content_mismatch (the bytes don't match the extension)."""
    if not content:
        return None, "empty_file"
    if len(content) > settings.HEARLINE_ATTACHMENT_MAX_BYTES:
        return None, "too_large"
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in _TYPES:
        return None, "unsupported_type"
    content_type, signatures = _TYPES[ext]
    if signatures is not None:
        ok = any(content.startswith(sig) for sig in signatures)
    elif ext in ("m4a", "mp4"):
        ok = content[4:8] in _ISO_MEDIA
    else:
        try:
            codecs.getincrementaldecoder("utf-8")().decode(content[:4096], final=False)
            ok = b"\x00" not in content[:4096]
        except UnicodeDecodeError:
            ok = False
    if not ok:
        return None, "content_mismatch"
    safe_name = name.replace("/", "_").replace("\\", "_")[-200:]
    return CheckedFile(
        safe_name, content_type, len(content), hashlib.sha256(content).hexdigest()
    ), None
