"""Form fields that GOV.UK patterns need and Django lacks: the three-box date input, UK postcodes."""

import datetime as dt
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from surveys.forms.naming import capitalised

DATE_PARTS = ("day", "month", "year")
# Most digits each box can hold: anything longer is not a date (and must never reach int() unbounded).
PART_DIGITS = {"day": 2, "month": 2, "year": 4}
PAST, FUTURE = "past", "future"


class DateInputWidget(forms.MultiWidget):
    """Day, month and year boxes, named `<name>_day`, `<name>_month`, `<name>_year`."""

    def __init__(self) -> None:
        super().__init__({part: forms.TextInput(attrs={"inputmode": "numeric"}) for part in DATE_PARTS})

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


def _date_error(message: str, code: str, parts: list[str] | tuple[str, ...]) -> ValidationError:
    # The parts at fault: only those boxes are highlighted, and the error summary links to the first.
    return ValidationError(message, code=code, params={"parts": list(parts)})


class DateField(forms.Field):
    """A real date from three boxes, with GOV.UK's date-input error messages.

    `name` is what the date is ("the date of your last visit"); `allowed` refuses dates in the future
    ("past": today or earlier) or in the past ("future"). Required-ness is left to the page form
    (questions may be hidden by routing), so this field only says whether what was typed is a date.
    """

    widget = DateInputWidget

    def __init__(self, *, name: str = "the date", allowed: str = "any", **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.name = name
        self.allowed = allowed

    def clean(self, value: Any) -> dt.date | None:
        parts = dict(zip(DATE_PARTS, (str(v or "").strip() for v in (value or ["", "", ""])), strict=False))
        if not any(parts.values()):
            return None
        name = capitalised(self.name)
        missing = [part for part in DATE_PARTS if not parts.get(part)]
        if missing:
            # "Enter the month of your last visit": of the thing the date is of, where the name says.
            of = self.name.removeprefix("the date of ")
            raise _date_error(f"Enter the {' and '.join(missing)} of {of}", "incomplete", missing)
        wrong = [
            p for p in DATE_PARTS if not parts[p].isascii() or not parts[p].isdigit() or len(parts[p]) > PART_DIGITS[p]
        ]
        if wrong and wrong != ["year"]:
            raise _date_error(f"{name} must be a real date", "invalid", wrong)
        if wrong or len(parts["year"]) != PART_DIGITS["year"]:
            raise _date_error(f"{name} must include a year with 4 numbers, like 2025", "year", ["year"])
        day, month, year = (int(parts[p]) for p in DATE_PARTS)
        if not 1 <= month <= 12:
            raise _date_error(f"{name} must be a real date", "invalid", ["month"])
        if year < dt.MINYEAR:
            raise _date_error(f"{name} must be a real date", "invalid", ["year"])
        try:
            date = dt.date(year, month, day)
        except ValueError:
            raise _date_error(f"{name} must be a real date", "invalid", ["day"]) from None
        today = timezone.localdate()
        if self.allowed == PAST and date > today:
            raise _date_error(f"{name} must be today or in the past", "future", DATE_PARTS)
        if self.allowed == FUTURE and date < today:
            raise _date_error(f"{name} must be today or in the future", "past", DATE_PARTS)
        return date


# The shapes of a UK postcode (outward code, then inward code), after spaces are taken out.
POSTCODE = re.compile(r"^(?P<outward>[A-Z]{1,2}[0-9][A-Z0-9]?|GIR)(?P<inward>[0-9][A-Z]{2})$")


def postcode_normalise(text: str) -> str | None:
    """ "m320th" -> "M32 0TH"; None if it is not the shape of a full UK postcode."""
    compact = re.sub(r"\s+", "", text).upper()
    match = POSTCODE.match(compact)
    return f"{match['outward']} {match['inward']}" if match else None


class PostcodeField(forms.CharField):
    """A full UK postcode, stored in capitals with one space: "M32 0TH"."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("error_messages", {"max_length": "Enter a full UK postcode, like M32 0TH"})
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        if not text:
            return ""
        normalised = postcode_normalise(text)
        if normalised is None:
            raise ValidationError("Enter a full UK postcode, like M32 0TH", code="invalid")
        return normalised
