"""One object for a new complaint, whatever channel it came through."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from .models import Category, Channel, Urgency
from .models.complainants import ReplyChannel

_PHONE = re.compile(r"^\+?[\d\- ]{5,20}$")


@dataclass
class ComplainantData:
    name: str = ""
    phone: str = ""
    email: str = ""
    id_number: str = ""
    address: str = ""
    preferred_channel: str = ReplyChannel.PHONE
    is_elderly: bool = False
    is_disabled: bool = False
    is_ill: bool = False


@dataclass
class IntakeSubmission:
    """What a channel hands to `do_register_case`: who complains, what, where, when, and what
    they ask for. `idempotency_key` makes a retried submission return the first case."""

    channel: str
    description: str
    complainant: ComplainantData = field(default_factory=ComplainantData)
    title: str = ""
    request: str = ""
    address: str = ""
    district: str = ""
    occurred_at: datetime | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    category_id: int | None = None
    urgency: str = Urgency.NORMAL
    public_safety: bool = False
    opinion_risk: bool = False
    idempotency_key: str | None = None

    def errors(self) -> dict[str, str]:
        """Per-field error codes; empty when the submission can be registered."""
        errors: dict[str, str] = {}
        if not (self.description or "").strip():
            errors["description"] = "required"
        elif len(self.description) > 10_000:
            errors["description"] = "too_long"
        if len(self.title or "") > 120:
            errors["title"] = "too_long"
        if self.channel not in Channel.values:
            errors["channel"] = "invalid_choice"
        if self.urgency not in Urgency.values:
            errors["urgency"] = "invalid_choice"
        person = self.complainant
        if not (person.phone or person.email):
            errors["complainant.phone"] = "required"
        elif person.phone and not _PHONE.match(person.phone.strip()):
            errors["complainant.phone"] = "invalid_phone"
        if len(person.name or "") > 60:
            errors["complainant.name"] = "too_long"
        if person.preferred_channel not in ReplyChannel.values:
            errors["complainant.preferred_channel"] = "invalid_choice"
        if self.occurred_at and self.occurred_at > timezone.now() + timedelta(minutes=10):
            errors["occurred_at"] = "in_future"
        for name, bound in (("latitude", 90), ("longitude", 180)):
            value = getattr(self, name)
            if value is not None and not (Decimal(value).is_finite() and -bound <= value <= bound):
                errors[name] = "out_of_range"
        if (
            self.category_id is not None
            and not Category.objects.filter(pk=self.category_id, is_active=True).exists()
        ):
            errors["category"] = "unknown_category"
        if self.idempotency_key is not None and not 1 <= len(self.idempotency_key) <= 120:
            errors["idempotency_key"] = "invalid_length"
        return errors

    def search_text(self) -> str:
        """What staff search finds the case by (one column, one scan)."""
        parts = (self.derived_title(), self.description, self.address, self.district, self.request)
        return "\n".join(p.strip() for p in parts if p).lower()

    def derived_title(self) -> str:
        """The subject line: the given title, else the start of the description."""
        title = (self.title or "").strip()
        if title:
            return title
        first_line = self.description.strip().splitlines()[0]
        return first_line[:40] + ("…" if len(first_line) > 40 else "")
