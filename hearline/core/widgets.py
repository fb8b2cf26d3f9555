"""The browser's date and date-time pickers, filled in the one format they accept.

A `type=date` input takes only `YYYY-MM-DD` and a `type=datetime-local` input only
`YYYY-MM-DDTHH:MM`; any other value (Django writes dates in the language's own format,
`2026/11/03` in Chinese) is dropped by the browser, so the field posts back empty and what
was stored is lost on the next save. These widgets always write the format the browser
takes, in the current time zone for date-times, whatever the language.
"""

from __future__ import annotations

from django import forms

DATE_FORMAT = "%Y-%m-%d"
DATETIME_LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class DatePicker(forms.DateInput):
    """A `type=date` input whose value is always `YYYY-MM-DD`."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None):
        super().__init__(attrs, format=DATE_FORMAT)


class DateTimePicker(forms.DateTimeInput):
    """A `type=datetime-local` input whose value is always `YYYY-MM-DDTHH:MM` in local
    time (a form field's `prepare_value` moves aware date-times to the current zone)."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict | None = None):
        super().__init__(attrs, format=DATETIME_LOCAL_FORMAT)
