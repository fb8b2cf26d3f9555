"""Real photos for tests, made with Pillow: small pictures in any of the accepted image
formats, optionally with the metadata a phone camera writes (GPS position, make and model,
orientation) and a comment."""

from __future__ import annotations

import io
import random

from PIL import Image

MAKE, MODEL = "HearlineCam", "Model-X9"
LATITUDE, LONGITUDE = ((29.0, 52.0, 10.0), (121.0, 33.0, 5.0))
COMMENT = b"taken at home by Chen"
ORIENTATION = 0x0112  # EXIF tag
_MAKE, _MODEL, _GPS = 0x010F, 0x0110, 0x8825


def camera_exif(orientation: int = 1) -> Image.Exif:
    """EXIF as a phone writes it: position, make, model and `orientation` (6 means "turn
    90° clockwise to view")."""
    exif = Image.Exif()
    exif[_MAKE], exif[_MODEL], exif[ORIENTATION] = MAKE, MODEL, orientation
    gps = exif.get_ifd(_GPS)
    gps[1], gps[2], gps[3], gps[4] = "N", LATITUDE, "E", LONGITUDE
    return exif


def photo(
    fmt: str = "PNG",
    size: tuple[int, int] = (32, 24),
    *,
    noise: bool = False,
    exif: Image.Exif | None = None,
    comment: bool = False,
) -> bytes:
    """A real picture in `fmt` (JPEG, PNG, WEBP or GIF): grey with a red top-left corner, or
    random pixels when `noise` (so it does not compress); with `exif` and a comment when
    asked."""
    if noise:
        rng = random.Random(f"{size}")
        image = Image.frombytes("RGB", size, rng.randbytes(size[0] * size[1] * 3))
    else:
        image = Image.new("RGB", size, (128, 128, 128))
        image.paste((255, 0, 0), (0, 0, size[0] // 4, size[1] // 4))
    options: dict[str, Image.Exif | bytes] = {}
    if exif is not None:
        options["exif"] = exif
    if comment and fmt in ("JPEG", "GIF"):
        options["comment"] = COMMENT
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()
