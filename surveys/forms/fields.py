"""Form fields that GOV.UK patterns need and Django lacks: the three-box date input."""

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

DATE_PARTS = ("day", "month", "year")


class DateInputWidget(forms.MultiWidget):
    """Day, month and year boxes, named `<name>_day`, `<name>_month`, `<name>_year`."""

    def __init__(self) -> None:
        super().__init__({part: forms.TextInput(attrs={"inputmode": "numeric"}) for part in DATE_PARTS})

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class DateField(forms.Field):
    """A real date from three boxes, with the GOV.UK error messages.

    Required-ness is left to the page form (questions may be hidden by routing), so this field
    only says whether what was typed is a date.
    """

    widget = DateInputWidget

    def __init__(self, *, noun: str = "Date", past_only: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.noun = noun
        self.past_only = past_only

    def clean(self, value: Any) -> dt.date | None:
        parts = [str(v or "").strip() for v in (value or ["", "", ""])]
        if not any(parts):
            return None
        missing = [name for name, part in zip(DATE_PARTS, parts, strict=True) if not part]
        if missing:
            raise ValidationError(f"{self.noun} must include a {' and a '.join(missing)}", code="incomplete")
        try:
            day, month, year = (int(p) for p in parts)
            if len(parts[2]) != 4:
                raise ValueError
            date = dt.date(year, month, day)
        except ValueError:
            raise ValidationError(f"{self.noun} must be a real date", code="invalid") from None
        if self.past_only and date > timezone.localdate():
            raise ValidationError(f"{self.noun} must be in the past", code="future")
        return date
