"""Pages and wording that follow GOV.UK patterns: times, the saved page, the accessibility statement,
postcodes, and a demo survey everyone can finish."""

import csv
import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from common.templatetags.govuk_dates import govuk_date, govuk_datetime, govuk_time
from surveys.demo import DEMO_SLUG
from surveys.models import Answer, Question, Survey
from surveys.selectors import survey_structure_get
from tests.surveys.journey import WEEKLY_VISITOR_PAGES, Resident

LONDON = ZoneInfo("Europe/London")


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.mark.parametrize(
    ("hour", "minute", "expected"),
    [
        (16, 53, "4:53pm"),
        (10, 0, "10am"),
        (12, 0, "midday"),
        (0, 0, "midnight"),
        (0, 5, "12:05am"),
        (12, 30, "12:30pm"),
    ],
)
def test_times_read_the_gov_uk_way(hour, minute, expected):
    assert govuk_time(dt.datetime(2026, 6, 5, hour, minute, tzinfo=LONDON)) == expected


def test_dates_and_times_together():
    moment = dt.datetime(2026, 6, 5, 15, 53, tzinfo=dt.UTC)  # 4:53pm in London (summer time)
    assert govuk_datetime(moment) == "Friday 5 June 2026 at 4:53pm"
    assert govuk_date(moment) == "5 June 2026"


@pytest.mark.django_db
def test_no_page_writes_p_m(client, demo_survey):
    Survey.objects.filter(pk=demo_survey.pk).update(closes_at=dt.datetime(2026, 12, 18, 16, 53, tzinfo=LONDON))
    page = text(client.get(f"/s/{demo_survey.slug}/"))
    assert "Friday 18 December 2026 at 4:53pm" in page and "p.m." not in page


@pytest.mark.django_db
def test_the_saved_page_does_not_look_like_a_sent_response(client, demo_survey):
    resident = Resident(client, demo_survey)
    resident.answer("1", {"visit_frequency": "weekly"}, action="save")
    page = text(client.get(f"/s/{demo_survey.slug}/saved/"))
    assert "govuk-panel" not in page
    assert '<h1 class="govuk-heading-l">Your answers have been saved</h1>' in page
    assert "Your response has not been sent" in page


@pytest.mark.django_db
def test_the_accessibility_statement_follows_the_government_model(client, settings):
    settings.ACCESSIBILITY_STATEMENT = {
        **settings.ACCESSIBILITY_STATEMENT,
        "prepared": dt.date(2026, 9, 1),
        "reviewed": dt.date(2026, 11, 2),
        "tested": dt.date(2026, 10, 15),
        "contact_phone": "0161 912 2000",
    }
    page = text(client.get("/accessibility/"))
    for heading in (
        "How accessible this website is",
        "Feedback and contact information",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Compliance status",
        "Non-accessible content",
        "Preparation of this accessibility statement",
    ):
        assert heading in page
    assert "This statement was prepared on 1 September 2026. It was last reviewed on 2 November 2026." in page
    assert "This website was last tested on 15 October 2026" in page and "axe-core" in page
    assert "large print, easy read, audio recording or braille" in page and "0161 912 2000" in page
    assert "Equality Advisory and Support Service (EASS)" in page and "equalityadvisoryservice.com" in page


@pytest.mark.django_db
def test_postcodes_ask_for_a_postal_code_and_are_stored_normalised(client, demo_survey):
    resident = Resident(client, demo_survey)
    resident.answer_all({k: v for k, v in WEEKLY_VISITOR_PAGES.items() if k != "8"})
    page = text(client.get(resident.url("8")))
    assert 'autocomplete="postal-code"' in page
    refused = text(resident.answer("8", {"postcode": "M32"}))
    assert "Enter a full UK postcode, like M32 0TH" in refused
    resident.answer("8", {"postcode": "m32 0th"})
    resident.skip_about_you()
    resident.send()
    assert Answer.objects.get(question__key="postcode").text == "M32 0TH"


EVERYONE = {"Never", "No", "Don't know", "I don't know", "None of these", "Prefer not to say"}


@pytest.mark.django_db
def test_every_required_choice_question_in_the_demo_has_an_answer_for_everyone(demo_survey):
    for q in survey_structure_get(survey=demo_survey).questions:
        if q.question.required and q.options:
            fits_everyone = any(o.is_other or o.label in EVERYONE for o in q.options)
            assert fits_everyone, f"{q.key} has no answer that fits everyone"


@pytest.mark.django_db
def test_the_demo_lists_the_trafford_wards_of_the_census_ward_files():
    call_command("load_demo", "--password", "x-correct-horse", "--responses", "0", verbosity=0)
    survey = Survey.objects.get(slug=DEMO_SLUG)
    area = Question.objects.get(page__survey=survey, equality_key="area")
    path = Path(__file__).resolve().parents[2] / "data/census/trafford-wards/2021_population_by_sex_ward_trafford.csv"
    with path.open(newline="") as file:
        wards = {row["area_code"]: row["area_name"] for row in csv.DictReader(file)}
    assert len(wards) == 21
    shown = {c.value: c.label for c in area.choices.exclude(value="prefer_not_to_say")}
    assert shown == wards
