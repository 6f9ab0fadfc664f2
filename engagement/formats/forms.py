"""A resident asks for the consultation in another format, or for help by phone."""

from typing import Any

from django import forms

from engagement.models import FormatRequest

F = FormatRequest.Format
POSTED = {F.PAPER, F.LARGE_PRINT, F.EASY_READ}


class FormatRequestForm(forms.Form):
    formats = forms.MultipleChoiceField(
        label="What would you like?",
        help_text="Select all that apply.",
        choices=F.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one format, or help by phone"},
    )
    language = forms.CharField(label="Which language?", required=False, max_length=100)
    name = forms.CharField(
        label="Your name",
        max_length=200,
        error_messages={"required": "Enter your name"},
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    email = forms.EmailField(
        label="Email address",
        required=False,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label="Phone number",
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    address = forms.CharField(
        label="Postal address",
        required=False,
        max_length=500,
        help_text="For a paper, large print or Easy Read copy sent by post.",
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "street-address"}),
    )
    details = forms.CharField(
        label="Anything else we should know",
        required=False,
        max_length=1000,
        help_text="For example, the best time to call you.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        formats = set(cleaned.get("formats") or [])
        if F.LANGUAGE in formats and not (cleaned.get("language") or "").strip():
            self.add_error("language", "Enter the language you would like")
        if F.PHONE in formats and not (cleaned.get("phone") or "").strip():
            self.add_error("phone", "Enter a phone number so we can call you")
        if formats & POSTED and not (cleaned.get("address") or "").strip() and not cleaned.get("email"):
            self.add_error("address", "Enter a postal address (or an email address) to send it to")
        no_contact = not any((cleaned.get(k) or "").strip() for k in ("email", "phone", "address"))
        if formats and no_contact and not {"phone", "address", "email"} & set(self.errors):
            self.add_error("email", "Enter an email address, phone number or postal address so we can reply")
        return cleaned
