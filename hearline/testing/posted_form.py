"""What a browser sends when a form on a page is submitted untouched: the fields of the form
as rendered, with the browser's own rules applied (a date or date-time input whose value is
not in the one format it takes is emptied, a textarea loses its first newline, a select
without a selected option sends its first one). For tests that check a form round-trips
what it shows."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# The values a browser keeps in these inputs (HTML's value sanitization algorithm).
_VALID = {
    "date": re.compile(r"^\d{4}-\d{2}-\d{2}$"),
    "datetime-local": re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$"),
    "number": re.compile(r"^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$"),
}
_NOT_SENT = {"submit", "button", "reset", "file", "image"}


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[dict, list[tuple[str, str]]]] = []
        self._select: dict | None = None
        self._option: dict | None = None
        self._textarea: dict | None = None
        self._open = False

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append((attrs, []))
            self._open = True
        elif not self._open or "name" not in attrs and tag != "option":
            return
        elif tag == "input":
            self._input(attrs)
        elif tag == "select":
            self._select = {"name": attrs["name"], "multiple": "multiple" in attrs, "options": []}
        elif tag == "option" and self._select is not None:
            self._option = {
                "value": attrs.get("value"),
                "selected": "selected" in attrs,
                "text": "",
            }
            self._select["options"].append(self._option)
        elif tag == "textarea":
            self._textarea = {"name": attrs["name"], "text": ""}

    def _input(self, attrs):
        kind = attrs.get("type", "text").lower()
        if kind in _NOT_SENT or "disabled" in attrs:
            return
        if kind in ("checkbox", "radio"):
            if "checked" in attrs:
                self._send(attrs["name"], attrs.get("value", "on"))
            return
        value = attrs.get("value", "")
        if kind in _VALID and not _VALID[kind].match(value):
            value = ""
        self._send(attrs["name"], value)

    def handle_data(self, data):
        if self._option is not None:
            self._option["text"] += data
        if self._textarea is not None:
            self._textarea["text"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = False
        elif tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None:
            self._end_select(self._select)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = self._textarea["text"]
            self._send(self._textarea["name"], text[1:] if text.startswith("\n") else text)
            self._textarea = None

    def _end_select(self, select):
        options = select["options"]
        chosen = [o for o in options if o["selected"]]
        if not chosen and options and not select["multiple"]:
            chosen = options[:1]
        for option in chosen:
            value = option["value"] if option["value"] is not None else option["text"].strip()
            self._send(select["name"], value)

    def _send(self, name, value):
        self.forms[-1][1].append((name, value))


def posted_form(html: str, *, action_endswith: str = "", with_field: str = "") -> dict:
    """The fields the first POST form of `html` (whose action ends with `action_endswith`
    and which has a field named `with_field`, when given) sends when submitted untouched,
    as {name: [values]}."""
    reader = _Forms()
    reader.feed(html)
    for attrs, fields in reader.forms:
        if attrs.get("method", "get").lower() != "post":
            continue
        if not attrs.get("action", "").endswith(action_endswith):
            continue
        sent: dict[str, list[str]] = {}
        for name, value in fields:
            sent.setdefault(name, []).append(value)
        if not with_field or with_field in sent:
            return sent
    raise LookupError(f"no form of {action_endswith!r} with {with_field!r} on the page")
