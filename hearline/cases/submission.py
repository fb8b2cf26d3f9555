"""One object for a new complaint, whatever channel it came through."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import CharField, Model
from django.utils import timezone

from hearline.core.characters import has_invalid_characters
from hearline.core.dates import within_range

from .models import Case, Category, Channel, Complainant, Urgency
from .models.complainants import ReplyChannel

_PHONE = re.compile(r"^\+?[\d\- ]{5,20}$")
_URL = re.compile(r"^https?://\S{3,490}$")

# Channels where a report may come without any way to contact the reporter (an Open311
# app reporting a pothole); the case is handled, the reply is published on its public page.
ANONYMOUS_CHANNELS = frozenset({Channel.OPEN311})
# Channels whose clients fill the category's extra fields themselves, so required ones must
# be there; elsewhere an agent registers what the caller knows.
SELF_SERVICE_FORM_CHANNELS = frozenset({Channel.OPEN311})
# Channels staff register for a person who called, came to the window or wrote a letter;
# besides the staff forms, an intake agent's desk application may register them through
# the REST API.
STAFF_INTAKE_CHANNELS = frozenset({Channel.HOTLINE, Channel.ONSITE, Channel.LETTER})
# Text kept in a column of limited length, checked against the column's max_length.
_CASE_COLUMNS = ("title", "address", "district", "upstream_reference")
_COMPLAINANT_COLUMNS = ("name", "email", "social_account", "id_number", "address")


def _max_length(model: type[Model], name: str) -> int:
    """The max_length of the text column `name` of `model`."""
    column = model._meta.get_field(name)
    assert isinstance(column, CharField) and column.max_length is not None, name
    return column.max_length


@dataclass
class ComplainantData:
    name: str = ""
    phone: str = ""
    email: str = ""
    social_account: str = ""
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
    attributes: dict = field(default_factory=dict)
    media_url: str = ""
    upstream_reference: str = ""
    idempotency_key: str | None = None

    def errors(self) -> dict[str, str]:
        """Per-field error codes; empty when the submission can be registered."""
        errors: dict[str, str] = {}
        if not (self.description or "").strip():
            errors["description"] = "required"
        elif len(self.description) > 10_000:
            errors["description"] = "too_long"
        errors.update(self._length_errors())
        if self.channel not in Channel.values:
            errors["channel"] = "invalid_choice"
        if self.urgency not in Urgency.values:
            errors["urgency"] = "invalid_choice"
        person = self.complainant
        reachable = person.phone or person.email or person.social_account
        if not reachable and self.channel not in ANONYMOUS_CHANNELS:
            errors["complainant.phone"] = "required"
        elif person.phone and not _PHONE.match(person.phone.strip()):
            errors["complainant.phone"] = "invalid_phone"
        if person.email and "complainant.email" not in errors:
            try:
                validate_email(person.email)
            except ValidationError:
                errors["complainant.email"] = "invalid_email"
        if person.preferred_channel not in ReplyChannel.values:
            errors["complainant.preferred_channel"] = "invalid_choice"
        if self.occurred_at and not within_range(self.occurred_at):
            errors["occurred_at"] = "out_of_range"
        elif self.occurred_at and self.occurred_at > timezone.now() + timedelta(minutes=10):
            errors["occurred_at"] = "in_future"
        for name, bound in (("latitude", 90), ("longitude", 180)):
            value = getattr(self, name)
            if value is not None and not (Decimal(value).is_finite() and -bound <= value <= bound):
                errors[name] = "out_of_range"
        errors.update(self._category_errors())
        if self.media_url and not _URL.match(self.media_url):
            errors["media_url"] = "invalid_url"
        if self.idempotency_key is not None and not 1 <= len(self.idempotency_key) <= 120:
            errors["idempotency_key"] = "invalid_length"
        for name, text in self._texts():
            if has_invalid_characters(text):
                errors.setdefault(name, "invalid_character")
        return errors

    def _length_errors(self) -> dict[str, str]:
        errors = {}
        for name in _CASE_COLUMNS:
            if len(getattr(self, name) or "") > _max_length(Case, name):
                errors[name] = "too_long"
        for name in _COMPLAINANT_COLUMNS:
            if len(getattr(self.complainant, name) or "") > _max_length(Complainant, name):
                errors[f"complainant.{name}"] = "too_long"
        return errors

    def _texts(self):
        """Every text of the submission as (error key, text)."""
        for name in (
            "description",
            "title",
            "request",
            "address",
            "district",
            "media_url",
            "upstream_reference",
            "idempotency_key",
        ):
            yield name, getattr(self, name) or ""
        for name in ("name", "phone", "email", "social_account", "id_number", "address"):
            yield f"complainant.{name}", getattr(self.complainant, name) or ""
        if isinstance(self.attributes, dict):
            for code, answer in self.attributes.items():
                for text in answer if isinstance(answer, list) else [answer]:
                    yield f"attributes.{code}", str(text)

    def _category_errors(self) -> dict[str, str]:
        if self.category_id is None:
            return {"attributes": "category_required"} if self.attributes else {}
        category = Category.objects.filter(pk=self.category_id, is_active=True).first()
        if category is None:
            return {"category": "unknown_category"}
        if not isinstance(self.attributes, dict):
            return {"attributes": "invalid"}
        return {
            f"attributes.{code}": error
            for code, error in category.attribute_errors(
                self.attributes, enforce_required=self.channel in SELF_SERVICE_FORM_CHANNELS
            ).items()
        }

    def to_record(self) -> dict:
        """The submission as JSON data (for an intake receipt); `from_record` reads it back."""
        record = asdict(self)
        if self.occurred_at:
            record["occurred_at"] = self.occurred_at.isoformat()
        for name in ("latitude", "longitude"):
            if record[name] is not None:
                record[name] = str(record[name])
        return record

    @classmethod
    def from_record(cls, record: dict) -> IntakeSubmission:
        """The submission `to_record` wrote, equal to the one it was written from."""
        values = dict(record)
        values["complainant"] = ComplainantData(**values["complainant"])
        if values.get("occurred_at"):
            values["occurred_at"] = datetime.fromisoformat(values["occurred_at"])
        for name in ("latitude", "longitude"):
            if values.get(name) is not None:
                values[name] = Decimal(values[name])
        return cls(**values)

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
