"""Uploaded files are received up to the attachment limit and no further.

`StopAtLimit` comes first among the upload handlers (FILE_UPLOAD_HANDLERS): it passes each
file's parts on to Django's own handlers (memory for small requests, else a temporary file)
until the file is larger than HEARLINE_ATTACHMENT_MAX_BYTES; the rest of that file is read
off the connection and dropped. Such a file reaches the view as an `OversizedUpload`: its
name and its whole size, none of its content, so every check refuses it as too large."""

from __future__ import annotations

import io

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class OversizedUpload(UploadedFile):
    """A file that was larger than the attachment limit: `size` is what was sent, the
    content is empty (it was not kept)."""

    def __init__(self, name: str | None, content_type: str | None, size: int, charset: str | None):
        super().__init__(io.BytesIO(), name, content_type, size, charset)


class StopAtLimit(FileUploadHandler):
    """Counts each file's bytes and stops handing them on past the attachment limit."""

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.limit = settings.HEARLINE_ATTACHMENT_MAX_BYTES

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        """The chunk for the next handler while the file is within the limit, else None."""
        return raw_data if start + len(raw_data) <= self.limit else None

    def file_complete(self, file_size: int) -> OversizedUpload | None:
        """An OversizedUpload for a file past the limit; None lets the next handler return
        the file it received."""
        if file_size <= self.limit:
            return None
        return OversizedUpload(self.file_name, self.content_type, file_size, self.charset)
