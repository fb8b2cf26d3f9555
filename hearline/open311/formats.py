"""GeoReport v2 bodies in its two formats: JSON, and XML with the specification's element
names (a list is a root element wrapping one element per item)."""

from __future__ import annotations

import json
from datetime import datetime
from xml.etree import ElementTree as ET

from django.http import HttpResponse
from django.utils import timezone

from hearline.core.characters import strip_invalid_characters

FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}


class Open311Error(Exception):
    """A request the specification says to refuse: `status` is the HTTP status and the
    error code of the body."""

    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status, self.description = status, description


# Root and item element names of the lists the specification defines.
LISTS = {
    "services": ("services", "service"),
    "service_requests": ("service_requests", "request"),
    "errors": ("errors", "error"),
}
# Element names for items of nested lists.
NESTED_ITEMS = {
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "keywords": None,
}


def w3c_datetime(moment: datetime | None) -> str | None:
    """W3C (ISO 8601) timestamps with their offset, as the specification requires."""
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def _text(value) -> str:
    """An element's text; characters XML cannot carry (a control character stored before
    intake refused them) are left out, so one request cannot break the list for everyone."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else strip_invalid_characters(str(value))


def _fill(element: ET.Element, value) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            child = ET.SubElement(element, key)
            if isinstance(item, list):
                item_name = NESTED_ITEMS.get(key)
                if item_name is None:
                    child.text = ",".join(_text(v) for v in item)
                    continue
                for entry in item:
                    _fill(ET.SubElement(child, item_name), entry)
            else:
                _fill(child, item)
    else:
        element.text = _text(value)


def to_xml(kind: str, body) -> bytes:
    """`body` is a list for the LISTS kinds, else one object under a root named `kind`."""
    if kind in LISTS:
        root_name, item_name = LISTS[kind]
        root = ET.Element(root_name)
        for item in body:
            _fill(ET.SubElement(root, item_name), item)
    else:
        root = ET.Element(kind)
        _fill(root, body)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def render(fmt: str, kind: str, body, status: int = 200) -> HttpResponse:
    """The response in the requested format."""
    if fmt == "xml":
        content = to_xml(kind, body)
    else:
        content = json.dumps(body, ensure_ascii=False).encode()
    return HttpResponse(content, status=status, content_type=FORMATS[fmt])


def error(fmt: str, status: int, description: str) -> HttpResponse:
    """The specification's error body: a list of {code, description}."""
    return render(fmt, "errors", [{"code": status, "description": description}], status)
