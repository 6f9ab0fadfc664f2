from typing import Any

from django import forms

from audit.models import AuditAction, AuditEntry
from common.forms import DatePartsField


class AuditFilterForm(forms.Form):
    person = forms.ChoiceField(label="Person", required=False)
    action = forms.ChoiceField(label="Action", required=False, choices=[("", "Any action"), *AuditAction.choices])
    date_from = DatePartsField(label="From", required=False)
    date_to = DatePartsField(label="To", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # order_by() first: the model's own ordering would otherwise join the DISTINCT and repeat each name.
        names = (
            AuditEntry.objects.exclude(actor_name="")
            .order_by("actor_name")
            .values_list("actor_name", flat=True)
            .distinct()
        )
        self.fields["person"].choices = [("", "Anyone"), *((n, n) for n in names)]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", "The 'To' date must be the same as or after the 'From' date")
        return data

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "actor_name": data.get("person") or "",
            "action": data.get("action") or "",
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }
