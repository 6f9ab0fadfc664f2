import datetime as dt
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone

from access.models import Team
from access.policy import teams
from common.forms import DatePartsField
from engagement.builder.services.surveys import SurveyDetails
from representativeness.census.choices import AreaLevel
from representativeness.models import Area
from surveys.models import Survey


class SurveyDetailsForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Enter the survey's title"})
    slug = forms.CharField(
        label="Web address",
        max_length=100,
        help_text="The end of the survey's address: lower-case letters, numbers and hyphens, like "
        "future-of-our-parks. It cannot change once the survey is published.",
        validators=[
            RegexValidator(
                r"^[a-z0-9]+(-[a-z0-9]+)*$",
                "The web address can only have lower-case letters, numbers and single hyphens between them",
            )
        ],
        error_messages={"required": "Enter the web address"},
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )
    summary = forms.CharField(
        label="Summary",
        required=False,
        help_text="One or two sentences on what the consultation is about, shown where it is listed.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    introduction = forms.CharField(
        label="Introduction",
        required=False,
        help_text="Shown on the start page: what the council wants to know and why. Leave a blank line between "
        "paragraphs.",
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    opens_on = DatePartsField(label="Opening date", required=False, help_text="Opens at the start of this day.")
    closes_on = DatePartsField(label="Closing date", required=False, help_text="Closes at 11:59pm on this day.")
    team = forms.ModelChoiceField(
        label="Team",
        queryset=Team.objects.none(),
        empty_label=None,
        help_text="The team that runs it: only its staff (and administrators) can see and change it.",
    )
    privacy_notice = forms.CharField(
        label="Privacy notice",
        required=False,
        help_text="Who runs the consultation, what is collected, the lawful basis, who sees it and how long it "
        "is kept. Residents read it before they start.",
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    report_area_code = forms.ChoiceField(
        label="Compare respondents with",
        required=False,
        help_text="The area whose Census 2021 population the representativeness report compares with.",
    )
    minimum_age = forms.IntegerField(
        label="Youngest age that can respond",
        min_value=0,
        max_value=120,
        initial=16,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter the youngest age that can respond",
            "invalid": "The youngest age must be a whole number, like 16",
            "min_value": "The youngest age must be 0 or more",
            "max_value": "The youngest age must be 120 or less",
        },
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams(user)  # type: ignore[attr-defined]
        areas = Area.objects.filter(baselines__isnull=False).exclude(level=AreaLevel.WARD).distinct().order_by("name")
        self.fields["report_area_code"].choices = [  # type: ignore[attr-defined]
            ("", "The council's own area"),
            *((a.code, f"{a.name} ({a.code})") for a in areas),
        ]

    def details(self) -> SurveyDetails:
        data = self.cleaned_data
        return SurveyDetails(
            title=data["title"],
            slug=data["slug"],
            summary=data["summary"],
            introduction=data["introduction"],
            privacy_notice=data["privacy_notice"],
            opens_on=data["opens_on"],
            closes_on=data["closes_on"],
            team=data["team"],
            report_area_code=data["report_area_code"],
            minimum_age=data["minimum_age"],
        )


def survey_details_initial(survey: Survey) -> dict[str, Any]:
    """A survey's details as the form's values (the page's starting values; what an API change starts from)."""

    def day(moment: dt.datetime | None) -> dt.date | None:
        return timezone.localtime(moment).date() if moment else None

    return {
        "title": survey.title,
        "slug": survey.slug,
        "summary": survey.summary,
        "introduction": survey.introduction,
        "privacy_notice": survey.privacy_notice,
        "opens_on": day(survey.opens_at),
        "closes_on": day(survey.closes_at),
        "team": survey.team_id,
        "report_area_code": survey.report_area_code,
        "minimum_age": survey.minimum_age,
    }
