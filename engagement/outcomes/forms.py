"""Officers write the outcome; residents leave an email address to hear it."""

from typing import Any

from django import forms
from django.conf import settings

from common.forms import DatePartsField
from engagement.outcomes.services import OutcomeText


class OutcomeForm(forms.Form):
    we_asked = forms.CharField(
        label="We asked",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text="What the consultation asked, in a sentence or two.",
        error_messages={"required": "Enter what we asked"},
    )
    you_said = forms.CharField(
        label="You said",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20000,
        help_text="A summary of what people said. Charts of the answers to the questions answered from a list "
        "(and to each row of a grid) are added for you. Leave a blank line between paragraphs.",
        error_messages={"required": "Enter a summary of what people said"},
    )
    we_did = forms.CharField(
        label="We did",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20000,
        help_text="What the council decided, and why.",
        error_messages={"required": "Enter what the council decided"},
    )
    decided_on = DatePartsField(label="Date of the decision", in_past=True)

    def text(self) -> OutcomeText:
        data = self.cleaned_data
        return OutcomeText(
            we_asked=data["we_asked"].strip(),
            you_said=data["you_said"].strip(),
            we_did=data["we_did"].strip(),
            decided_on=data["decided_on"],
        )


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = (
            "We will email you once, when we publish what we decided, and then delete your address. It is kept "
            "apart from your answers. If we have not published an outcome "
            f"{settings.OUTCOME_EMAIL_RETENTION_DAYS} days after the consultation closes, we delete it then."
        )
