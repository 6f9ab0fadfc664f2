"""Form fields for officer pages that follow GOV.UK patterns Django has no widget for."""

import datetime as dt
from typing import Any

from django import forms


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

    def __init__(self, *, label: str, required: bool = True, **kwargs: Any) -> None:
        parts = (forms.CharField(required=False), forms.CharField(required=False), forms.CharField(required=False))
        self.name_in_messages = label
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
            return dt.date(year, month, day)
        except ValueError:
            raise forms.ValidationError(f"{name} must be a real date", code="invalid") from None

    def compress(self, data_list: list[Any]) -> Any:  # clean() does the work
        return data_list
