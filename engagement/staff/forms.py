from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from access.models import Team
from access.roles import ROLE_DESCRIPTIONS, Role
from engagement.staff.services import StaffSettings


class StaffForm(forms.Form):
    username = forms.RegexField(
        label="Username",
        regex=r"^[\w.@+-]+\Z",
        max_length=150,
        help_text="What they sign in with: letters, numbers and . @ + - _ only.",
        error_messages={
            "required": "Enter a username",
            "invalid": "A username can only have letters, numbers and . @ + - _",
        },
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    email = forms.EmailField(
        label="Email address",
        help_text="We send a link to choose a password here.",
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address like name@example.gov.uk",
        },
        widget=forms.EmailInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    first_name = forms.CharField(label="First name", max_length=150, required=False)
    last_name = forms.CharField(label="Last name", max_length=150, required=False)
    role = forms.ChoiceField(
        label="Role",
        choices=[(r.value, f"{r.label}: {ROLE_DESCRIPTIONS[r]}") for r in Role],
        widget=forms.RadioSelect,
        error_messages={"required": "Select a role"},
    )
    team = forms.ModelChoiceField(
        label="Team",
        queryset=Team.objects.all(),
        required=False,
        empty_label="No team (administrators only)",
    )
    equality_data = forms.BooleanField(
        label="Can view equality data: individual “About you” answers and counts below the suppression threshold",
        required=False,
    )
    is_active = forms.BooleanField(label="Can sign in (untick to deactivate)", required=False, initial=True)

    def __init__(self, *args: Any, new: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if new:
            del self.fields["is_active"]
        else:
            for name in ("username", "email", "first_name", "last_name"):
                del self.fields[name]

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("There is already a member of staff with this username")
        return username

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role") and data["role"] != Role.ADMINISTRATOR and not data.get("team"):
            self.add_error("team", "Select their team: everyone but administrators works in one")
        return data

    def settings(self) -> StaffSettings:
        data = self.cleaned_data
        return StaffSettings(
            team=data.get("team"),
            role=data["role"],
            equality_data=data.get("equality_data", False),
            is_active=data.get("is_active", True),
        )


class TeamForm(forms.Form):
    name = forms.CharField(
        label="Team name",
        max_length=100,
        help_text="The council service, like Parks or Adult Social Care.",
        error_messages={"required": "Enter the team's name"},
    )
