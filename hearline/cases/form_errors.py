"""Putting an action's refusal on the form that asked for it: each field's error code, in
the user's language, next to the field (or above the form for a field it does not have)."""

from __future__ import annotations

from .labels import error_text
from .workflow import WorkflowError


def error_message(code, error: WorkflowError) -> str:
    """The sentence for one field's error `code` (a dict of codes per item, such as per
    tracking number, becomes one line naming each)."""
    if isinstance(code, dict):
        return "；".join(f"{item}：{error_text(each)}" for item, each in code.items())
    text = error_text(code)
    if code == "unknown_placeholder":
        text = text % {"names": "、".join(error.details.get("unknown", []))}
    return text


class ActionErrorsMixin:
    """For a Django form whose input an action checks: `add_action_errors(error)` puts the
    action's per-field codes next to the fields. `field_aliases` maps an action's field
    name to the form's where they differ."""

    field_aliases: dict[str, str] = {}

    def add_action_errors(self, error: WorkflowError) -> None:
        """Add the error of each field `error` names to this form (unbound names on top)."""
        for field, code in error.details.get("fields", {}).items():
            name = self.field_aliases.get(field, field)
            target = name if name in self.fields else None  # type: ignore[attr-defined]
            self.add_error(target, error_message(code, error))  # type: ignore[attr-defined]
