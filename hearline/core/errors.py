"""The domain's errors: each with a machine-readable `code`, the HTTP `status` an API
answers with, and `details` (for InvalidInput, `fields`: an error code per field). Pure
Python; raised anywhere, turned into problem+json by the API and into form errors by the
pages."""

from __future__ import annotations

from typing import Any


class WorkflowError(Exception):
    """Base of the domain errors; `code` is machine-readable, `status` the HTTP status."""

    code = "workflow_error"
    status = 400

    def __init__(self, message: str, **details: Any):
        super().__init__(message)
        self.message = message
        self.details = details


class UnknownAction(WorkflowError):
    code = "unknown_action"
    status = 400


class NotAllowed(WorkflowError):
    code = "forbidden"
    status = 403


class NotFound(WorkflowError):
    code = "not_found"
    status = 404


class IllegalTransition(WorkflowError):
    code = "illegal_transition"
    status = 409


class Conflict(WorkflowError):
    code = "conflict"
    status = 409


class InvalidInput(WorkflowError):
    """`details["fields"]` maps each bad field to an error code: required, invalid_choice …"""

    code = "validation_failed"
    status = 422


class StorageUnavailable(WorkflowError):
    """The attachment store refused the file (disk full, unmounted); nothing was saved."""

    code = "storage_unavailable"
    status = 507
