"""Photos are stored without their metadata, whichever way they come in: no GPS position,
camera make or model, comment or other EXIF survives, the picture is turned upright as its
EXIF orientation said, and the original is not kept. A file named as a photo that cannot
be read as one is refused and nothing is saved."""

import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from hearline.cases.actions import do_transition
from hearline.cases.models import Attachment, Case
from hearline.cases.workflow import InvalidInput
from hearline.testing.images import COMMENT, MAKE, MODEL, camera_exif, photo
from hearline.testing.org import register
from hearline.testing.portal import portal_complaint

FORMATS = [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp"), ("GIF", "gif")]


def _stored(attachment: Attachment) -> bytes:
    with attachment.file.open("rb") as stored:
        return stored.read()


def _assert_clean(attachment: Attachment, fmt: str) -> Image.Image:
    """The stored photo: readable in `fmt`, without metadata, true to its recorded size and
    hash."""
    content = _stored(attachment)
    for secret in (MAKE.encode(), MODEL.encode(), COMMENT):
        assert secret not in content
    image = Image.open(io.BytesIO(content))
    assert image.format == fmt
    assert not image.getexif() and "comment" not in image.info and "xmp" not in image.info
    assert attachment.size == len(content)
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    return image


@pytest.mark.parametrize(("fmt", "extension"), FORMATS)
def test_photo_metadata_is_stripped(org, fmt, extension):
    case = register(org).case
    exif = camera_exif() if fmt != "GIF" else None  # GIF carries no EXIF, only comments
    content = photo(fmt, exif=exif, comment=True)
    do_transition(
        case.pk,
        "attach",
        acting_user=org.agent,
        payload={"file": content, "name": f"现场.{extension}", "kind": "photo"},
    )
    _assert_clean(Attachment.objects.get(case=case), fmt)


def test_the_orientation_is_applied_to_the_pixels(org):
    """EXIF orientation 6 (turn 90° clockwise to view): the stored picture is upright
    without it — taller than wide, the red corner now at the top right."""
    case = register(org).case
    content = photo("JPEG", size=(40, 20), exif=camera_exif(orientation=6))
    do_transition(
        case.pk,
        "attach",
        acting_user=org.agent,
        payload={"file": content, "name": "p.jpg", "kind": "photo"},
    )
    image = _assert_clean(Attachment.objects.get(case=case), "JPEG").convert("RGB")
    assert image.size == (20, 40)
    red, green, _blue = image.getpixel((18, 1))
    assert red > 200 and green < 60


def test_portal_photos_are_stored_without_metadata(client, org):
    content = photo("JPEG", exif=camera_exif(), comment=True)
    upload = SimpleUploadedFile("路灯.jpg", content, content_type="image/jpeg")
    complaint = portal_complaint(token="w-exif")
    assert client.post("/submit/", complaint | {"photos": [upload]}).status_code == 302
    _assert_clean(Attachment.objects.get(case=Case.objects.get()), "JPEG")


@pytest.mark.parametrize(("fmt", "extension"), FORMATS)
def test_a_photo_that_cannot_be_read_is_refused(org, fmt, extension):
    case = register(org).case
    broken = photo(fmt)[:24]  # the right signature, the picture cut off
    with pytest.raises(InvalidInput) as refused:
        do_transition(
            case.pk,
            "attach",
            acting_user=org.agent,
            payload={"file": broken, "name": f"p.{extension}", "kind": "photo"},
        )
    assert refused.value.details["fields"] == {"file": "unreadable_image"}
    assert not Attachment.objects.exists() and case.events.count() == 1


def test_a_photo_with_too_many_pixels_is_refused_before_it_is_decoded(org):
    """A small file that would decode to more than MAX_PIXELS (here 90 megapixels of one
    bit each, a few kB as PNG) is refused as too large a picture."""
    case = register(org).case
    out = io.BytesIO()
    Image.new("1", (9500, 9500)).save(out, "PNG")
    with pytest.raises(InvalidInput) as refused:
        do_transition(
            case.pk,
            "attach",
            acting_user=org.agent,
            payload={"file": out.getvalue(), "name": "huge.png", "kind": "photo"},
        )
    assert refused.value.details["fields"] == {"file": "image_too_large"}
    assert not Attachment.objects.exists()
