"""Forms for plans: target groups, activities, naming an activity's responses, partners."""

import datetime as dt

from django import forms
from django.utils import timezone

from common.forms import DatePartsField
from plans.groups import characteristic_label, group_problem, in_sentence, is_non_answer
from plans.models import Activity, Partner, TargetGroup
from representativeness.age_bands import survey_age_bands
from representativeness.census.tables import CENSUS_TABLES
from representativeness.selectors import age_band_label
from surveys.equality.mapping import CENSUS_CHARACTERISTICS
from surveys.models import ResidenceArea, Survey

SEPARATOR = "|"
# The most people an activity can be said to reach: more than any council's residents (Birmingham's are
# about 1.1 million), far below the database's limit, whose number Django would otherwise show.
MAX_REACH = 2_000_000


def group_choices(survey: Survey | None = None) -> list[tuple[str, list[tuple[str, str]]]]:
    """Every group a target or a partner's community can be, grouped by characteristic:
    values "characteristic|level|category", in the census categories the report compares."""
    choices = []
    for characteristic in CENSUS_CHARACTERISTICS:
        table = CENSUS_TABLES[characteristic.table]
        options = []
        if table.has_groups:
            options += [(f"{characteristic.key}|broad|{c}", f"{c} (all)") for c in table.broad_categories]
        options += [(f"{characteristic.key}|detailed|{c}", c) for c in table.categories]
        # The census's "Not answered" is no group anyone can be reached as (plans.groups.group_problem).
        options = [(v, label) for v, label in options if not is_non_answer(characteristic.key, group_parts(v)[2])]
        choices.append((characteristic.label, options))
    # A survey's own age bands (from its youngest eligible age); a partner's, every band from birth (a
    # partner's "16 to 24" is matched with a plan's "18 to 24" by the ages they share, plans.selectors).
    bands = survey_age_bands(survey.minimum_age if survey is not None else 0)
    choices.append(("Age", [(f"age|detailed|{age_band_label(b)}", age_band_label(b)) for b in bands]))
    choices.append(("Ward", [(f"area|detailed|{a.name}", a.name) for a in ResidenceArea.objects.all()]))
    return choices


def _reach_field(label: str, help_text: str) -> forms.IntegerField:
    """An activity's expected or actual reach: a whole number of people, from 0 to MAX_REACH."""
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=MAX_REACH,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": f"{label} must be a whole number, like 30",
            "min_value": f"{label} must be 0 or more",
            "max_value": f"{label} must be {MAX_REACH:,} or fewer",
        },
    )


def group_parts(value: str) -> tuple[str, str, str]:
    characteristic, level, category = value.split(SEPARATOR, 2)
    return characteristic, level, category


class TargetGroupForm(forms.Form):
    group = forms.ChoiceField(
        label="Group", error_messages={"required": "Select the group", "invalid_choice": "Select the group"}
    )
    ward = forms.ModelChoiceField(
        queryset=ResidenceArea.objects.all(),
        required=False,
        label="Ward",
        help_text="Only people in this ward, for outreach in one place.",
        empty_label="Anywhere",
    )
    target = forms.IntegerField(
        label="Target",
        min_value=1,
        max_value=1_000_000,
        help_text="Responses wanted from the group in all.",
        error_messages={
            "required": "Enter the target",
            "invalid": "Target must be a whole number, like 40",
            "min_value": "Target must be at least 1",
            "max_value": "Target must be 1,000,000 or fewer",
        },
    )

    def __init__(self, *args, survey: Survey, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", "Choose a group")] + [
            (value, f"{heading}: {label}") for heading, options in group_choices(survey) for value, label in options
        ]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("group"):
            characteristic, level, category = group_parts(data["group"])
            problem = group_problem(characteristic, level, category, ward=data.get("ward"))
            if problem:
                self.add_error("ward" if characteristic == "area" else "group", problem)
        return data


class TargetDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="What do you want to do with this group?",
        choices=[
            (TargetGroup.Status.ACCEPTED, "Keep it in the plan with this target"),
            (TargetGroup.Status.DISMISSED, "Dismiss it"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether to keep or dismiss the group"},
    )
    target = forms.IntegerField(
        label="Target",
        required=False,
        min_value=1,
        max_value=1_000_000,
        help_text="Responses wanted from the group in all.",
        error_messages={
            "invalid": "Target must be a whole number, like 40",
            "min_value": "Target must be at least 1",
            "max_value": "Target must be 1,000,000 or fewer",
        },
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("decision") == TargetGroup.Status.ACCEPTED and not data.get("target"):
            self.add_error("target", "Enter the target")
        return data


class ActivityForm(forms.ModelForm):
    """An activity; an event or drop-in on the consultation's page (the hub's event) takes its name, date and
    place from there unless the officer types them."""

    date = DatePartsField(
        label="Date",
        required=False,
        help_text="Needed for an event, drop-in, focus group, panel or jury, or door knocking (an event on the "
        "consultation's page gives its own). A mailing, social media or paper distribution may run over weeks: "
        "leave it empty, or give the day it started.",
    )
    # Whether it is needed depends on the kind of activity (clean): the label does not say "(optional)".
    date.label_optional = False  # type: ignore[attr-defined]
    expected_reach = _reach_field("Expected reach", "People you expect to reach.")
    actual_reach = _reach_field("Actual reach", "People reached (attendance).")
    target_groups = forms.ModelMultipleChoiceField(
        queryset=TargetGroup.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Target groups it aims at",
    )

    class Meta:
        model = Activity
        fields = [
            "kind",
            "hub_event",
            "title",
            "date",
            "place",
            "ward",
            "partner",
            "target_groups",
            "expected_reach",
            "actual_reach",
        ]
        labels = {
            "kind": "Kind of activity",
            "hub_event": "Event on the consultation's page",
            "place": "Place",
            "ward": "Ward",
            "partner": "Partner organisation",
            "expected_reach": "Expected reach",
            "actual_reach": "Actual reach",
        }
        error_messages = {
            "kind": {"required": "Select the kind of activity"},
            "hub_event": {"invalid_choice": "Select one of this consultation's events"},
            "title": {"required": "Enter the activity's name"},
        }

    def __init__(self, *args, survey: Survey, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target_groups"].queryset = TargetGroup.objects.filter(
            survey=survey, status=TargetGroup.Status.ACCEPTED
        )
        self.fields["target_groups"].label_from_instance = lambda g: (
            f"{g} ({in_sentence(characteristic_label(g.characteristic))})"
        )
        self.survey = survey
        self.fields["title"].required = False
        hub_event = self.fields["hub_event"]
        hub_event.queryset = survey.events.all()
        hub_event.empty_label = "None"
        hub_event.help_text = (
            "For an event or drop-in listed on the consultation's page: its name, date and place are taken from there."
        )

    def clean(self) -> dict:
        data = super().clean()
        event = data.get("hub_event")
        if event is not None and data.get("kind") not in Activity.IN_PERSON:
            self.add_error("hub_event", "Only an event or a drop-in can be the hub's event")
            event = None
        if event is not None:
            data["title"] = data.get("title") or event.title
            data["date"] = data.get("date") or timezone.localdate(event.starts_at)
            data["place"] = data.get("place") or event.place
        if not data.get("title") and "title" not in self.errors:
            self.add_error("title", "Enter the activity's name")
        if "date" not in self.errors:
            if not data.get("date") and data.get("kind") in Activity.DATED:
                kind = dict(Activity.Kind.choices)[data["kind"]].lower()
                self.add_error("date", f"Enter the date of the {kind}")
            elif data.get("date") and (problem := activity_date_problem(self.survey, data["date"])):
                self.add_error("date", problem)
        return data


def activity_date_problem(survey: Survey, date: dt.date) -> str | None:
    """Why an activity cannot be on this day: before the consultation opened (or, with no opening date, was
    created), or after it closed (nobody can respond through it then); None if it can."""
    opened = timezone.localdate(survey.opens_at or survey.created_at)
    if date < opened:
        when = "opened" if survey.opens_at else "was created"
        return f"Date must be on or after {opened.day} {opened:%B %Y}, when the consultation {when}"
    if survey.closes_at is not None and date > (closed := timezone.localdate(survey.closes_at)):
        return f"Date must be on or before {closed.day} {closed:%B %Y}, when the consultation closes"
    return None


class AttributionForm(forms.Form):
    references = forms.CharField(
        label="References of the responses that came through this activity",
        help_text="The references of keyed-in paper, phone or event responses, one a line.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter at least one response reference"},
    )

    def cleaned_references(self) -> list[str]:
        return [line for line in self.cleaned_data["references"].replace(",", "\n").splitlines() if line.strip()]


class PartnerForm(forms.ModelForm):
    areas = forms.ModelMultipleChoiceField(
        queryset=ResidenceArea.objects.all(), required=False, widget=forms.CheckboxSelectMultiple, label="Wards"
    )
    communities = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Communities it works with",
        help_text="In the census categories the report uses.",
    )

    class Meta:
        model = Partner
        fields = ["name", "description", "contact_name", "email", "phone", "website", "areas", "communities"]
        labels = {
            "name": "Name",
            "description": "What it does",
            "contact_name": "Contact",
            "email": "Email",
            "phone": "Phone",
            "website": "Website",
        }
        error_messages = {
            "name": {"required": "Enter the organisation's name", "unique": "An organisation with this name is listed"},
            "email": {"invalid": "Enter an email address in the correct format, like name@example.org"},
            "website": {"invalid": "Enter a web address in the correct format, like https://example.org"},
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        flat = []
        for _, options in group_choices():
            for value, label in options:
                characteristic, _level, category = group_parts(value)
                if characteristic != "area":
                    flat.append((f"{characteristic}:{category}", f"{label} ({characteristic_label(characteristic)})"))
        self.fields["communities"].choices = list(dict(flat).items())
