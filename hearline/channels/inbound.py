"""What the SMS, social-media and upstream-platform webhooks do with a verified message."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import transaction

from hearline.cases.actions import (
    do_complainant_transition,
    do_register_case,
    do_system_transition,
)
from hearline.cases.models import Case, Category, Channel
from hearline.cases.queries import of_phone
from hearline.cases.submission import ComplainantData, IntakeSubmission
from hearline.cases.workflow import InvalidInput, State
from hearline.core.characters import has_invalid_characters, strip_invalid_characters
from hearline.core.phones import normalise_phone

from .desks import desk_for
from .models import InboundMessage

# Answers to the rating request sent with every reply ("1 满意 2 基本满意 3 不满意").
SMS_RATINGS = {
    "1": ("solved", "satisfied"),
    "2": ("solved", "basically_satisfied"),
    "3": ("unsolved", "dissatisfied"),
}
_NUMBER = re.compile(r"\b(\d{6}-[0-9A-Z]{5})\b")


@dataclass(frozen=True)
class Taken:
    case: Case
    outcome: str  # registered, commented, rated, duplicate


def _required(data: dict, *names: str) -> None:
    missing = {n: "required" for n in names if not str(data.get(n) or "").strip()}
    if missing:
        raise InvalidInput("missing fields", fields=missing)


def _stripped(data: dict) -> dict:
    """The message with invalid characters left out of its texts: an SMS gateway or a
    social-media bridge cannot ask the citizen to type their message again."""
    return {k: strip_invalid_characters(v) if isinstance(v, str) else v for k, v in data.items()}


def _invalid_texts(data: dict, prefix: str = ""):
    """The keys (nested ones as `complainant.name`) of the texts holding an invalid
    character."""
    for key, value in data.items():
        if isinstance(value, dict):
            yield from _invalid_texts(value, f"{prefix}{key}.")
        elif isinstance(value, str) and has_invalid_characters(value):
            yield f"{prefix}{key}"


def _once(channel: str, external_id: str, work) -> Taken:
    """Run `work()` → (case, outcome) unless this message was taken in before."""
    seen = InboundMessage.objects.filter(channel=channel, external_id=external_id).first()
    if seen:
        return Taken(seen.case, "duplicate")
    with transaction.atomic():
        case, outcome = work()
        InboundMessage.objects.create(
            channel=channel,
            external_id=external_id,
            case=case,
            created_case=outcome == "registered",
        )
    return Taken(case, outcome)


def _latest_case_of_phone(phone: str, **filters) -> Case | None:
    return (
        of_phone(Case.objects.filter(**filters), normalise_phone(phone))
        .order_by("-registered_at")
        .first()
    )


def take_sms(data: dict) -> Taken:
    """{"message_id", "from", "text"}: a rating answer (1/2/3) to the sender's case waiting
    for one, a message naming the sender's case, or a new complaint."""
    data = _stripped(data)
    _required(data, "message_id", "from", "text")
    phone, text = str(data["from"]).strip(), str(data["text"]).strip()

    def work():
        waiting = _latest_case_of_phone(phone, state=State.REPLIED)
        if text in SMS_RATINGS and waiting:
            confirmation, satisfaction = SMS_RATINGS[text]
            payload = {"confirmation": confirmation, "satisfaction": satisfaction}
            return do_complainant_transition(waiting, "record_rating", payload=payload), "rated"
        named = _NUMBER.search(text.upper())
        if named:
            own = _latest_case_of_phone(phone, tracking_number=named.group(1))
            if own:
                payload = {"note": text, "channel": "sms", "reference": data["message_id"]}
                return do_complainant_transition(own, "comment", payload=payload), "commented"
        submission = IntakeSubmission(
            channel=Channel.SMS,
            description=text,
            complainant=ComplainantData(phone=phone, preferred_channel="sms"),
            idempotency_key=f"sms:{data['message_id']}"[:120],
        )
        return do_register_case(submission, acting_user=desk_for(Channel.SMS)).case, "registered"

    return _once(Channel.SMS, str(data["message_id"]), work)


def take_social(data: dict) -> Taken:
    """{"platform", "post_id", "account", "text", "name"?, "url"?}: a complaint posted to the
    organisation's account; replies go back to the account."""
    data = _stripped(data)
    _required(data, "platform", "post_id", "account", "text")
    account = f"{data['platform']}:{data['account']}"[:100]

    def work():
        description = str(data["text"]).strip()
        if data.get("url"):
            description += f"\n（原帖：{data['url']}）"
        submission = IntakeSubmission(
            channel=Channel.SOCIAL,
            description=description,
            complainant=ComplainantData(
                name=str(data.get("name", ""))[:60],
                social_account=account,
                preferred_channel="social",
            ),
            opinion_risk=True,  # public by nature: the post is already out there
            idempotency_key=f"social:{data['platform']}:{data['post_id']}"[:120],
        )
        case = do_register_case(submission, acting_user=desk_for(Channel.SOCIAL)).case
        return case, "registered"

    return _once(Channel.SOCIAL, f"{data['platform']}:{data['post_id']}", work)


# The texts of a transfer: a number, list or object in one is refused, never stored as its
# printed form.
_TRANSFER_TEXTS = (
    "title",
    "description",
    "request",
    "address",
    "district",
    "urgency",
    "category",
)


def take_upstream(data: dict) -> Taken:
    """A transfer (转办) {"type": "transfer", "platform", "reference", "description", …} or a
    note on a transferred case {"type": "comment", "platform", "reference", "note",
    "event_id"}."""
    _required(data, "platform", "reference")
    invalid = dict.fromkeys(_invalid_texts(data), "invalid_character")
    if invalid:  # the platform can correct its message and send it again
        raise InvalidInput("invalid characters", fields=invalid)
    platform, reference = str(data["platform"])[:40], str(data["reference"])[:100]
    if data.get("type", "transfer") == "comment":
        _required(data, "note", "event_id")
        case = Case.objects.filter(upstream_reference=f"{platform}:{reference}").first()
        if case is None:
            raise InvalidInput("unknown upstream case", fields={"reference": "unknown_reference"})

        def comment():
            payload = {"note": data["note"], "source": platform, "reference": reference}
            return do_system_transition(case.pk, "comment", payload=payload), "commented"

        return _once(Channel.UPSTREAM, f"{platform}:{reference}:{data['event_id']}", comment)
    _required(data, "description")
    person = data.get("complainant") or {}
    if not isinstance(person, dict):
        raise InvalidInput(
            "the complainant must be an object", fields={"complainant": "invalid_type"}
        )
    not_text = {
        **{n: "invalid_type" for n in _TRANSFER_TEXTS if not isinstance(data.get(n, ""), str)},
        **{
            f"complainant.{n}": "invalid_type"
            for n in ("name", "phone")
            if not isinstance(person.get(n, ""), str)
        },
    }
    if not_text:
        raise InvalidInput("texts must be strings", fields=not_text)

    def transfer():
        category_id = None
        if data.get("category"):
            category = Category.objects.filter(code=data["category"], is_active=True).first()
            if category is None:
                raise InvalidInput("unknown category", fields={"category": "unknown_category"})
            category_id = category.pk
        submission = IntakeSubmission(
            channel=Channel.UPSTREAM,
            title=data.get("title", ""),
            description=data["description"],
            request=data.get("request", ""),
            address=data.get("address", ""),
            district=data.get("district", ""),
            category_id=category_id,
            urgency=data.get("urgency", "normal"),
            complainant=ComplainantData(
                name=person.get("name", ""),
                phone=person.get("phone", ""),
                preferred_channel="phone",
            ),
            upstream_reference=f"{platform}:{reference}",
            idempotency_key=f"upstream:{platform}:{reference}"[:120],
        )
        case = do_register_case(submission, acting_user=desk_for(Channel.UPSTREAM)).case
        return case, "registered"

    return _once(Channel.UPSTREAM, f"{platform}:{reference}", transfer)
