"""Photos are kept without what their files say beyond the picture.

A phone's photo carries EXIF — where it was taken (GPS), the camera's make and model, the
time — and often XMP or a comment. Stored attachments are shown to staff and may be passed
on, so every photo is decoded and written again by Pillow with none of that: only the
pixels, the colour profile and, for animations, the frames and their timing. The
orientation EXIF asked for is applied to the pixels first, so the picture still shows
upright. The uploaded file itself is not kept.
"""

from __future__ import annotations

import io
from typing import IO

from PIL import Image, ImageOps, ImageSequence

# Pillow's name of each accepted photo format, by the extension's subtype.
FORMATS = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP", "gif": "GIF"}
# What is kept of each frame's info: how to show it, nothing about where it came from.
_KEPT_INFO = ("transparency", "duration", "loop", "background", "icc_profile")
# Pixels decoded at most (all frames together): Pillow's own warning threshold (its default
# MAX_IMAGE_PIXELS, which may be None), about 89 megapixels, some 256 MB in memory.
MAX_PIXELS = 1024 * 1024 * 1024 // 4 // 3


def without_metadata(content: IO[bytes], fmt: str) -> tuple[bytes | None, str | None]:
    """(the photo in `content` written again in `fmt` — a key of FORMATS — without metadata
    and turned upright, None), else (None, error code): image_too_large (more than
    MAX_PIXELS) or unreadable_image (cut off, or not a picture of that format)."""
    try:
        with Image.open(content, formats=[FORMATS[fmt]]) as image:
            if image.width * image.height * getattr(image, "n_frames", 1) > MAX_PIXELS:
                return None, "image_too_large"
            frames = [_clean(frame) for frame in ImageSequence.Iterator(image)]
            return _encode(frames, FORMATS[fmt], image.info), None
    except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError):
        return None, "unreadable_image"


def _clean(frame: Image.Image) -> Image.Image:
    """A copy of the frame turned upright, holding only the info kept."""
    upright = ImageOps.exif_transpose(frame)
    upright.info = {key: frame.info[key] for key in _KEPT_INFO if key in frame.info}
    return upright


def _encode(frames: list[Image.Image], fmt: str, info: dict) -> bytes:
    """The frames written in `fmt`: JPEG keeps the first (a phone's MPO carries a second
    picture with its own EXIF), the other formats all of them with their timing."""
    first, rest = frames[0], frames[1:]
    options: dict = {}
    if "icc_profile" in first.info:
        options["icc_profile"] = first.info["icc_profile"]
    if fmt == "JPEG":
        options["quality"] = 95
        if first.mode not in ("RGB", "L", "CMYK"):
            first = first.convert("RGB")
    elif rest:
        options.update(
            save_all=True,
            append_images=rest,
            duration=[frame.info.get("duration", 100) for frame in frames],
            loop=info.get("loop", 0),
        )
    out = io.BytesIO()
    first.save(out, fmt, **options)
    return out.getvalue()
