"""Forms for plans: target groups, activities, naming an activity's responses, partners."""

from django import forms
from django.utils import timezone

from common.forms import DatePartsField
from plans.groups import characteristic_label
from plans.models import Activity, Partner, TargetGroup
from representativeness.age_bands import survey_age_bands
from representativeness.census.tables import CENSUS_TABLES
from representativeness.selectors import age_band_label
from surveys.equality.mapping import CENSUS_CHARACTERISTICS
from surveys.models import ResidenceArea, Survey

SEPARATOR = "|"


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
        choices.append((characteristic.label, options))
    if survey is not None:
        bands = survey_age_bands(survey.minimum_age)
        choices.append(("Age", [(f"age|detailed|{age_band_label(b)}", age_band_label(b)) for b in bands]))
    choices.append(("Ward", [(f"area|detailed|{a.name}", a.name) for a in ResidenceArea.objects.all()]))
    return choices


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

    date = DatePartsField(label="Date", required=False)
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
            "expected_reach": {"invalid": "Expected reach must be a whole number, like 30"},
            "actual_reach": {"invalid": "Actual reach must be a whole number, like 30"},
        }

    def __init__(self, *args, survey: Survey, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target_groups"].queryset = TargetGroup.objects.filter(
            survey=survey, status=TargetGroup.Status.ACCEPTED
        )
        self.fields["target_groups"].label_from_instance = lambda g: (
            f"{g} ({characteristic_label(g.characteristic).lower()})"
        )
        for name in ("expected_reach", "actual_reach"):
            self.fields[name].widget = forms.TextInput(attrs={"inputmode": "numeric"})
            self.fields[name].min_value = 0
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
        if not data.get("date") and "date" not in self.errors:
            self.add_error("date", "Enter the date")
        return data


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
