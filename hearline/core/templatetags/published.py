"""Text shown to the public: `{{ text|published }}` masks personal data in it."""

from django import template

from hearline.core.privacy import redact_text

register = template.Library()


@register.filter
def published(text) -> str:
    """`text` with phone, ID and house numbers and e-mail addresses masked (see
    `hearline.core.privacy.redact_text`); "" for None."""
    return redact_text(str(text or ""))
