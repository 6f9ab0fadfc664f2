"""Form fields for officer pages that follow GOV.UK patterns Django has no widget for."""

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone


class DatePartsWidget(forms.MultiWidget):
    """Day, month and year in three boxes (the GOV.UK date input)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__([forms.TextInput(), forms.TextInput(), forms.TextInput()], attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class DatePartsField(forms.MultiValueField):
    """A date typed as day, month and year. Messages name the date and the part that is wrong, as
    GOV.UK asks: "Closing date must include a month", "Closing date must be a real date"."""

    widget = DatePartsWidget

    def __init__(self, *, label: str, required: bool = True, in_past: bool = False, **kwargs: Any) -> None:
        """`in_past`: a date that has happened (a decision, a form received): a future one is refused, and
        the hint's example is a recent past day rather than one to come."""
        parts = (forms.CharField(required=False), forms.CharField(required=False), forms.CharField(required=False))
        self.name_in_messages = label
        self.in_past = in_past
        super().__init__(parts, label=label, required=required, require_all_fields=False, **kwargs)

    def clean(self, value: Any) -> dt.date | None:
        parts = [str(p or "").strip() for p in (value or ["", "", ""])]
        name = self.name_in_messages
        if not any(parts):
            if self.required:
                raise forms.ValidationError(f"Enter the {name.lower()}", code="required")
            return None
        missing = [label for label, part in zip(("day", "month", "year"), parts, strict=True) if not part]
        if missing:
            raise forms.ValidationError(f"{name} must include a {' and a '.join(missing)}", code="incomplete")
        if not all(p.isdigit() and len(p) <= 4 for p in parts):
            raise forms.ValidationError(f"{name} must be a real date", code="invalid")
        day, month, year = (int(p) for p in parts)
        if len(parts[2]) != 4:
            raise forms.ValidationError(f"{name} year must include 4 numbers", code="invalid")
        try:
            date = dt.date(year, month, day)
        except ValueError:
            raise forms.ValidationError(f"{name} must be a real date", code="invalid") from None
        if self.in_past and date > timezone.localdate():
            raise forms.ValidationError(f"{name} must be today or in the past", code="future")
        return date

    def example(self) -> str:
        """The hint's example, as GOV.UK writes it: "27 3 2027"; for a date in the past, a week ago."""
        day = timezone.localdate() - dt.timedelta(days=7) if self.in_past else dt.date(2027, 3, 27)
        return f"For example, {day.day} {day.month} {day.year}"

    def compress(self, data_list: list[Any]) -> Any:  # clean() does the work
        return data_list
