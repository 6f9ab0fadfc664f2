import datetime as dt
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils import timezone

from access.policy import Action, allowed
from representativeness.census.choices import AreaLevel
from representativeness.models import Area
from representativeness.selectors import report_area_default_code, report_area_list
from representativeness.weighting import WEIGHTABLE, sentence_case
from surveys.models import Channel, Survey

FILTERS_NEED_PERMISSION = (
    "Only staff with permission to view equality data can filter by channel or date: comparing two "
    "filtered reports could reveal the small numbers each one hides."
)


# Responses are filtered by dates within these: beyond them a filter is no filter, and the last and first
# dates a computer can hold cannot be turned into the times the filter needs.
EARLIEST_FILTER_DATE = dt.date(2000, 1, 1)
LATEST_FILTER_DATE = dt.date(2999, 12, 31)


def with_default_area(query: QueryDict) -> QueryDict:
    """A mutable copy of a report's query, comparing with the default area when none is chosen."""
    data = query.copy()
    if "area" not in data and (code := report_area_default_code()):
        data["area"] = code
    return data


class ReportFilterForm(forms.Form):
    """Which area to compare with, and optionally one channel and a date range of responses."""

    area = forms.ModelChoiceField(
        queryset=report_area_list(),
        to_field_name="code",
        label="Compare with",
        empty_label=None,
    )
    channel = forms.ChoiceField(choices=[("", "All channels"), *Channel.choices], required=False, label="Channel")
    submitted_from = forms.DateField(required=False, label="Responses from (YYYY-MM-DD)")
    submitted_to = forms.DateField(required=False, label="Responses up to and including (YYYY-MM-DD)")

    def clean(self) -> dict:
        data = super().clean() or {}
        code = self.data.get("area")
        if "area" in self.errors and code and Area.objects.filter(code=code, level=AreaLevel.WARD).exists():
            # Not Django's "Select a valid choice": why a ward is not offered here, and what compares one.
            self.errors["area"] = self.error_class(
                [
                    "A ward is compared only with the respondents who live in it, so a ward's report is not "
                    "offered here: how many live there may be a number the council's report hides. Compare with "
                    "the council; someone who may see equality data can compare a ward with "
                    "manage.py representativeness_report --area CODE --exact."
                ]
            )
        for name in ("submitted_from", "submitted_to"):
            day = data.get(name)
            if day and not EARLIEST_FILTER_DATE <= day <= LATEST_FILTER_DATE:
                # A date like 9999-12-31 is no bound at all, and the day after it (or midnight of 0001-01-01
                # in UTC) is beyond what a date can hold: say so rather than fail.
                self.add_error(
                    name,
                    f"Enter a date between {EARLIEST_FILTER_DATE:%-d %B %Y} and {LATEST_FILTER_DATE:%-d %B %Y}, "
                    "or leave it blank for no limit.",
                )  # which also takes it out of cleaned_data
        start, end = data.get("submitted_from"), data.get("submitted_to")
        if start and end and end < start:
            self.add_error("submitted_to", "The end date must be the same as or after the start date.")
        return data

    def is_filtered(self) -> bool:
        data = self.cleaned_data
        return bool(data.get("channel") or data.get("submitted_from") or data.get("submitted_to"))

    def refuse_filters_without_permission(self, user: Any, survey: Survey) -> bool:
        """Channel and date filters are for staff who may see small numbers anyway: two overlapping
        filtered reports, compared, would give away counts each hides. Adds the error; True if refused."""
        if self.is_filtered() and not allowed(user, Action.EQUALITY_DATA_VIEW, survey):
            self.add_error(None, FILTERS_NEED_PERMISSION)
            return True
        return False

    def filters(self) -> dict:
        data = self.cleaned_data
        zone = timezone.get_current_timezone()

        def at_midnight(day: dt.date | None) -> dt.datetime | None:
            return dt.datetime.combine(day, dt.time.min, tzinfo=zone) if day else None

        end = data.get("submitted_to")
        return {
            "area_code": data["area"].code,
            "channel": data.get("channel") or None,
            "submitted_from": at_midnight(data.get("submitted_from")),
            "submitted_to": at_midnight(end + dt.timedelta(days=1)) if end else None,
        }


class WeightingForm(ReportFilterForm):
    """The report's filters, plus which characteristics to weight on and how."""

    characteristics = forms.MultipleChoiceField(
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        label="Weight on",
        required=True,
        error_messages={"required": "Choose at least one characteristic to weight on"},
    )
    cap = forms.FloatField(
        required=False,
        min_value=1,
        max_value=1000,
        label="Largest weight, times the average (optional)",
        help_text=(
            "Leave empty at first: the page then says the smallest largest weight any weighting to the census "
            "can have, and a cap at or above it can be met."
        ),
        error_messages={
            "invalid": "Largest weight must be a number of times the average weight",
            "min_value": "Largest weight must be at least 1 (the average)",
            "max_value": "Largest weight must be 1000 or less",
        },
    )
    floor = forms.FloatField(
        required=False,
        min_value=0.01,
        max_value=1,
        label="Smallest weight, times the average (optional)",
        help_text="For example 0.3.",
        error_messages={
            "invalid": "Smallest weight must be a number, like 0.3",
            "min_value": "Smallest weight must be at least 0.01",
            "max_value": "Smallest weight must be at most 1 (the average)",
        },
    )
    bounds = forms.ChoiceField(
        choices=[
            ("calibrate", "While weighting: the figures still match the census (R's calibrate with bounds)"),
            (
                "trim",
                "By trimming afterwards: always possible, the figures then only near the census (R's trimWeights)",
            ),
        ],
        required=False,
        label="Keep weights within these",
    )
    poststratify = forms.BooleanField(required=False, label="Match age and sex together (age by sex census table)")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        characteristics = self.fields["characteristics"]
        assert isinstance(characteristics, forms.MultipleChoiceField)
        characteristics.choices = [(key, sentence_case(key)) for key in WEIGHTABLE]

    def options(self) -> dict:
        data = self.cleaned_data
        return {
            **self.filters(),
            "characteristics": data["characteristics"],
            "cap": data.get("cap"),
            "floor": data.get("floor"),
            "trim": data.get("bounds") == "trim",
            "poststratify_age_sex": bool(data.get("poststratify")),
        }
