"""Human names of the lifecycle actions and the timeline's events, for timelines, buttons
and notices."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "register": _("Registered"),
    "close_on_spot": _("Closed on the spot"),
    "send_article": _("Send an article"),
    "dispatch": _("Dispatch"),
    "accept": _("Accept"),
    "return": _("Return to dispatcher"),
    "transfer": _("Transfer"),
    "add_cohandler": _("Add co-handling department"),
    "reclassify": _("Change category or urgency"),
    "tag_root_cause": _("Tag the root cause"),
    "record_contact": _("Record contact with the complainant"),
    "urge": _("Urge"),
    "acknowledge_urge": _("Acknowledge urging"),
    "record_investigation": _("Record investigation"),
    "attach": _("Upload evidence"),
    "propose_resolution": _("Propose resolution"),
    "resolve": _("Record resolution"),
    "request_suspension": _("Request suspension"),
    "request_extension": _("Request extension"),
    "approve_suspension": _("Approve suspension"),
    "approve_extension": _("Approve extension"),
    "reject_request": _("Reject request"),
    "resume": _("Resume"),
    "reply": _("Reply"),
    "record_rating": _("Record rating"),
    "follow_up": _("Follow up"),
    "reopen": _("Reopen"),
    "uphold_appeal": _("Uphold the appeal"),
    "appeal": _("Appeal"),
    "dismiss_appeal": _("Dismiss appeal"),
    "merge": _("Merge into another case"),
    "archive": _("Archive"),
    "archive_by_policy": _("Archived by policy (the time to follow up, rate or appeal passed)"),
    "comment": _("Comment"),
    "accept_cohandling": _("Accept our part (协办)"),
    "answer_cohandling": _("Answer our part (协办意见)"),
    "mark_sensitive": _("Mark or clear public safety / public-opinion risk"),
    "complete_plan_step": _("Plan step done (预案)"),
    "link_incident": _("Linked to an incident"),
    "unlink_incident": _("Unlinked from an incident"),
    "incident_restored": _("Incident restored; the case continues on its own"),
    "link_aftermath": _("Linked to a restored incident (after restoration)"),
    "incident_reply": _("Reply with the restoration notice"),
}

# Everything a timeline shows: the steps, and the delivery reports beside them.
EVENT_LABELS = {
    **ACTION_LABELS,
    "message_sent": _("Message sent"),
    "message_failed": _("Message not delivered"),
}

# Field error codes of `InvalidInput` as sentences shown next to the field.
ERROR_TEXTS = {
    "required": _("This field is required."),
    "invalid_choice": _("Choose one of the options."),
    "unknown_department": _("Unknown department, or outside your organisation."),
    "already_responsible": _("That department is already responsible."),
    "unknown_category": _("Unknown category."),
    "unknown_root_cause": _("Unknown root cause."),
    "before_start": _("The end is before the start."),
    "in_past": _("The date must be in the future."),
    "in_future": _("The time cannot be in the future."),
    "before_incident_start": _("The time cannot be before the incident started."),
    "too_far": _("An extension is at most one year."),
    "invalid_datetime": _("Enter a date and time."),
    "unsupported_type": _("This file type is not accepted (photos, PDF, audio, Word, Excel)."),
    "content_mismatch": _("The file's content does not match its name."),
    "too_large": _("The file is too large."),
    "unreadable_image": _("The photo cannot be read (damaged, or not a picture)."),
    "image_too_large": _("The photo has too many pixels; please send a smaller one."),
    "storage_unavailable": _("The file could not be stored just now; please try again later."),
    "empty_file": _("The file is empty."),
    "must_be_positive": _("Enter an amount above zero."),
    "invalid_number": _("Enter a number."),
    "invalid_target": _("That case cannot be merged into (unknown, closed or the same case)."),
    "invalid_phone": _("Enter a valid phone number."),
    "mobile_required": _("Give a mobile number to receive notices by SMS."),
    "too_long": _("This is too long."),
    "invalid_type": _("This must be text (or a number where one is asked for)."),
    "invalid_character": _("This contains control characters; please remove them."),
    "invalid_email": _("Enter a valid e-mail address."),
    "out_of_range": _("Out of range."),
    "invalid_length": _("Invalid length."),
    "invalid_polygon": _("An outline needs at least three points of latitude and longitude."),
    "centre_needs_radius": _("A centre needs both coordinates and a radius."),
    "area_required": _("Give the districts, a centre with a radius, or an outline."),
    "already_linked": _("already linked to an incident"),
    "already_answered": _("already answered"),
    "not_found": _("not found"),
    "not_linked": _("This case is not linked to the incident."),
    "unknown_kind": _("Unknown incident kind."),
    "what_required": _("Each corrective action needs a description."),
    "invalid_date": _("Enter a date as YYYY-MM-DD."),
    "unknown": _("Unknown."),
    "unknown_article": _("No published article with this number."),
    "not_public": _("Only articles published to the public can be sent to a complainant."),
    "unknown_template": _("No active reply template with this number."),
    "unknown_placeholder": _("Unknown placeholder: %(names)s."),
    "not_well_rated": _("Only a reply the complainant rated satisfied can become an article."),
    "invalid_list": _("Enter one item per line."),
}


def error_text(code: str) -> str:
    """The Chinese (or English) sentence for a workflow field error code."""
    return str(ERROR_TEXTS.get(code, _("Invalid value.")))


def workflow_error_message(exc) -> str:
    """One sentence for a refused action (a `WorkflowError`), for the page that asked."""
    if exc.code == "validation_failed":
        fields = exc.details.get("fields", {})
        if "reason" in fields:
            return str(_("Please give a reason."))
        return error_text(next(iter(fields.values()), ""))
    return str(
        {
            "forbidden": _("You are not allowed to do this on this case."),
            "not_found": _("No such case."),
            "illegal_transition": _("The case has moved on in the meantime; nothing was changed."),
            "conflict": _("Someone else changed the case in the meantime; nothing was changed."),
        }.get(exc.code, _("The request could not be carried out."))
    )
