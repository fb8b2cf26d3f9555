"""No template needs what the Content-Security-Policy forbids: inline scripts, event-handler
attributes, inline styles."""

import re
from pathlib import Path

HEARLINE = Path(__file__).resolve().parents[2]
INLINE = {
    "inline script": re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>"),
    "event handler": re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE),
    "style attribute": re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE),
    "style element": re.compile(r"<style\b", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


def test_no_template_needs_inline_script_or_style():
    found = []
    for template in sorted(HEARLINE.glob("*/templates/**/*.html")):
        text = template.read_text()
        for what, pattern in INLINE.items():
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{template.relative_to(HEARLINE)}:{line}: {what}")
    assert found == []
