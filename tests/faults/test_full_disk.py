"""The attachment store's disk fills up (a 256 KiB tmpfs as the media root, filled).

Uploads are refused cleanly — API 507 problem+json `storage_unavailable`, no attachment row,
no timeline event, no partial file — while complaints keep being registered, with and
without photos (the portal tells the citizen the photos were not kept). Once space is
freed, the same upload succeeds."""

import subprocess
import uuid
from pathlib import Path

import pytest

from hearline.testing.images import photo
from hearline.testing.served import serve

pytestmark = [pytest.mark.sqlite_only, pytest.mark.needs_root]

PNG = photo("PNG", (120, 110), noise=True)  # about 40 kB, as stored too


@pytest.fixture
def small_disk(tmp_path):
    mount = tmp_path / "media"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)], capture_output=True
    )
    assert done.returncode == 0, f"mounting a small tmpfs: {done.stderr.decode().strip()}"
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(mount: Path) -> Path:
    ballast = mount / "ballast"
    with ballast.open("wb", buffering=0) as out:
        try:
            while True:
                out.write(b"\x00" * 4096)
        except OSError:
            pass
    return ballast


def _upload(served, number: str) -> tuple[int, dict]:
    return served.attach(number, "leak.png", "image/png", PNG)


def test_a_full_attachment_disk_refuses_uploads_but_not_complaints(tmp_path, small_disk):
    with serve(tmp_path, HEARLINE_MEDIA_ROOT=str(small_disk)) as served:
        number = served.post_case(str(uuid.uuid4()))[1]["tracking_number"]
        ballast = _fill(small_disk)
        status, body = _upload(served, number)
        assert (status, body["code"]) == (507, "storage_unavailable")
        assert body["fields"] == {"file": "storage_unavailable"}
        status, registered, _headers = served.post_case(str(uuid.uuid4()))
        assert status == 201, "complaints are still registered"
        with served.db() as db:
            attachments = db.execute("SELECT count(*) FROM cases_attachment").fetchone()[0]
            attach_events = db.execute(
                "SELECT count(*) FROM cases_caseevent WHERE action = 'attach'"
            ).fetchone()[0]
        assert (attachments, attach_events) == (0, 0)
        assert [p.name for p in small_disk.rglob("*") if p.is_file()] == ["ballast"]
        ballast.unlink()
        status, body = _upload(served, number)
        assert status == 201
        with served.db() as db:
            assert db.execute("SELECT count(*) FROM cases_attachment").fetchone()[0] == 1
