"""Checks on uploaded attachments: size limit, a type recognised from the file's content,
and photos kept without their metadata (hearline.cases.photos)."""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile, File

from .photos import without_metadata

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
_HEAD = 4096  # bytes read to recognise the type


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed `check_upload`: `content` is what to store (a photo written
    again without its metadata, any other file as uploaded); size and hash are its own."""

    name: str
    content_type: str
    size: int
    sha256: str
    content: File


def check_upload(name: str, upload: bytes | File) -> tuple[CheckedFile | None, str | None]:
    """(checked file, None) when acceptable, else (None, error code): empty_file, too_large
    (told from the upload's size, before any of it is read), unsupported_type,
    content_mismatch (the bytes don't match the extension), unreadable_image (named as a
    photo but not one) or image_too_large (too many pixels to decode). Files other than
    photos are read in chunks, never whole."""
    file = upload if isinstance(upload, File) else ContentFile(upload)
    if not file.size:
        return None, "empty_file"
    if file.size > settings.HEARLINE_ATTACHMENT_MAX_BYTES:
        return None, "too_large"
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in _TYPES:
        return None, "unsupported_type"
    content_type, signatures = _TYPES[ext]
    file.seek(0)
    if not _matches(ext, signatures, file.read(_HEAD)):
        return None, "content_mismatch"
    file.seek(0)
    if content_type.startswith("image/"):
        cleaned, error = without_metadata(file, content_type.split("/")[1])
        if error:
            return None, error
        file = ContentFile(cleaned)
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    safe_name = name.replace("/", "_").replace("\\", "_")[-200:]
    return CheckedFile(safe_name, content_type, file.size, digest.hexdigest(), file), None


def _matches(ext: str, signatures: tuple[bytes, ...] | None, head: bytes) -> bool:
    """Whether the file's first bytes are what files named .`ext` begin with."""
    if signatures is not None:
        return any(head.startswith(sig) for sig in signatures)
    if ext in ("m4a", "mp4"):
        return head[4:8] in _ISO_MEDIA
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return b"\x00" not in head
