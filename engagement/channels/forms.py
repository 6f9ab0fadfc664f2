"""How a keyed-in response came in: the channel, and the event, partner or paper form reference."""

import datetime as dt
from typing import Any

from django import forms

from common.forms import DatePartsField
from engagement.channels.services import KEYED_CHANNELS, paper_reference_normalise, received_on_problem
from engagement.models import Event
from plans.models import Activity, Partner
from surveys.models import Channel, Survey


class SourceForm(forms.Form):
    channel = forms.ChoiceField(
        label="How did this response come in?",
        choices=[(c.value, c.label) for c in KEYED_CHANNELS],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the response came in"},
    )
    received_on = DatePartsField(
        label="Date received",
        help_text="The day the form arrived, or the call was taken. It counts as the response's date in "
        "reports and exports.",
        in_past=True,
    )
    paper_reference = forms.CharField(
        label="Paper form number",
        required=False,
        max_length=40,
        help_text="For a paper form: the number on it (write one on it when it arrives). "
        "The same number cannot be entered twice.",
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    event = forms.ModelChoiceField(
        label="Which event?", queryset=Event.objects.none(), required=False, empty_label="Select the event"
    )
    partner_listed = forms.ModelChoiceField(
        label="Which partner organisation?",
        queryset=Partner.objects.none(),
        required=False,
        empty_label="Select the organisation",
        help_text="From the partner directory.",
    )
    partner = forms.CharField(
        label="Or, if it is not in the directory, the organisation's name", required=False, max_length=200
    )
    activity = forms.ModelChoiceField(
        label="Came through activity",
        queryset=Activity.objects.none(),
        required=False,
        empty_label="None",
        help_text="The engagement plan's outreach activity this response came from, if any: it counts towards it.",
    )
    about_you_skipped = forms.BooleanField(
        label="The resident did not fill in the About you section (or asked not to answer it)", required=False
    )

    def __init__(self, *args: Any, survey: Survey, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.survey, self.today = survey, today
        self.fields["event"].queryset = Event.objects.filter(survey=survey).order_by("starts_at")
        self.fields["partner_listed"].queryset = Partner.objects.all()
        self.fields["activity"].queryset = Activity.objects.filter(survey=survey)
        self.fields["activity"].label_from_instance = lambda a: (
            f"{a.title} ({a.get_kind_display().lower()}{f', {a.date.day} {a.date:%b %Y}' if a.date else ''})"
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        channel = cleaned.get("channel")
        cleaned["paper_reference"] = paper_reference_normalise(cleaned.get("paper_reference") or "")
        received_on = cleaned.get("received_on")
        if received_on and (
            problem := received_on_problem(survey=self.survey, received_on=received_on, today=self.today)
        ):
            self.add_error("received_on", problem)
        if channel == Channel.PAPER and not cleaned["paper_reference"]:
            self.add_error("paper_reference", "Enter the paper form number")
        if channel == Channel.EVENT and not cleaned.get("event"):
            self.add_error("event", "Select the event the response was given at")
        listed, typed = cleaned.get("partner_listed"), (cleaned.get("partner") or "").strip()
        if listed is not None and typed:
            self.add_error("partner", "Select the organisation from the directory or type its name, not both")
        cleaned["partner"] = listed.name if listed is not None else typed
        if channel == Channel.PARTNER and not cleaned["partner"] and "partner" not in self.errors:
            self.add_error("partner_listed", "Select the partner organisation that collected the response")
        return cleaned
