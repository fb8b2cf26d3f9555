"""Large uploads against a real server with one gunicorn worker. A file past the attachment
limit is refused as too large without the worker ever holding it: the worker's peak
resident memory grows by far less than the file (the upload is streamed to a temporary
file and dropped at the limit). A request that declares a body past the request cap is
refused with 413 before the client has sent any of it."""

import http.client
import json
import uuid
from pathlib import Path

import pytest

from hearline.testing.served import serve

pytestmark = pytest.mark.sqlite_only

LIMIT = 40 * 1024 * 1024


def _peak_memory(pid: int) -> int:
    """The process's peak resident memory so far, in bytes (VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM")


def _upload(served, number: str, content: bytes) -> tuple[int, dict]:
    return served.attach(number, "report.pdf", "application/pdf", content, timeout=60)


def test_a_file_past_the_limit_is_refused_without_being_held_in_memory(tmp_path):
    with serve(tmp_path, workers=1, HEARLINE_ATTACHMENT_MAX_BYTES=str(LIMIT)) as served:
        number = served.post_case(str(uuid.uuid4()))[1]["tracking_number"]
        assert _upload(served, number, b"%PDF-1.4 small")[0] == 201
        (worker,) = served.workers()
        before = _peak_memory(worker)
        status, body = _upload(served, number, b"%PDF-" + b"x" * (LIMIT + 65536))
        assert (status, body["fields"]) == (422, {"file": "too_large"})
        grown = _peak_memory(worker) - before
        assert grown < LIMIT / 4, f"the worker grew by {grown / 2**20:.0f} MiB"


def test_a_request_declaring_a_body_past_the_cap_is_refused_before_it_is_sent(served):
    number = served.post_case(str(uuid.uuid4()))[1]["tracking_number"]
    conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
    try:
        conn.putrequest("POST", f"/api/v1/cases/{number}/attachments")
        conn.putheader("Authorization", f"Bearer {served.token}")
        conn.putheader("Content-Type", "multipart/form-data; boundary=x")
        conn.putheader("Content-Length", str(10 * 2**30))
        conn.endheaders()  # and not a byte of the 10 GiB
        response = conn.getresponse()
        status, kind, body = response.status, response.getheader("Content-Type"), response.read()
    finally:
        conn.close()
    assert (status, kind) == (413, "application/problem+json")
    assert json.loads(body)["code"] == "request_too_large"
