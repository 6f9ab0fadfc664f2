"""A ward is compared only with the respondents who live in it (from the ward question), or refused."""

import json
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from representativeness.census import CensusUpload
from representativeness.disclosure import Audience
from representativeness.errors import ReportError
from representativeness.reports.builder import report_build
from representativeness.services import census_files_import, wards_place
from representativeness.weighting import weighting_run
from surveys.equality.services import equality_section_add
from surveys.models import Page, Survey
from tests.factories import TeamFactory
from tests.representativeness.reports.conftest import add

pytestmark = pytest.mark.django_db

ALTRINCHAM, ASHTON, TRAFFORD = "E05000819", "E05000820", "E08000009"
WARDS = settings.BASE_DIR / "data" / "census" / "trafford-wards"
GM = settings.BASE_DIR / "data" / "census" / "greater-manchester"


@pytest.fixture
def wards():
    census_files_import(
        uploads=[
            CensusUpload(file_name=f"trafford-wards/{p.name}", data=p.read_bytes())
            for p in (
                WARDS / "2021_population_by_sex_ward_trafford.csv",
                WARDS / "2021_population_by_sex_and_age_ward_trafford.csv",
            )
        ],
        area_codes=[ALTRINCHAM, ASHTON],
    )
    census_files_import(
        uploads=[CensusUpload(file_name="sex.csv", data=(GM / "2021_population_by_sex_la_gm.csv").read_bytes())],
        area_codes=[TRAFFORD],
    )
    wards_place(council_code=TRAFFORD, ward_codes=[ALTRINCHAM, ASHTON])


def _survey(keys: list[str]) -> Survey:
    survey = Survey.objects.create(
        title="Wards", slug="wards", status=Survey.Status.OPEN, team=TeamFactory(name="Parks")
    )
    Page.objects.create(survey=survey, position=1, title="Your views")
    equality_section_add(survey=survey, keys=keys)
    return survey


def test_a_ward_is_compared_only_with_its_own_residents(wards):
    survey = _survey(["sex", "area"])
    add(survey, 30, sex="female", area=ALTRINCHAM)
    add(survey, 20, sex="male", area=ALTRINCHAM)
    add(survey, 200, sex="male", area=ASHTON)  # the rest of the borough: not Altrincham's residents
    report = report_build(survey=survey, area_code=ALTRINCHAM, audience=Audience.EXACT)
    assert report.respondents == 50
    (sex,) = [c for c in report.characteristics if c.key == "sex"]
    assert {row["category"]: row["respondents"] for row in sex.categories} == {"Female": 30, "Male": 20}
    assert [c.key for c in report.characteristics] == ["sex"]  # no ward-by-ward comparison inside one ward
    assert report.notes[0] == "Only the respondents who said they live in Altrincham are compared with its census."
    weighted = weighting_run(
        survey=survey, area_code=ALTRINCHAM, characteristics=["sex", "area"], audience=Audience.EXACT
    )
    assert weighted.respondents == 50 and weighted.characteristics == ["sex"]


def test_a_ward_is_refused_when_the_survey_does_not_ask_where_people_live(wards):
    survey = _survey(["sex"])
    add(survey, 30, sex="female")
    message = (
        "Altrincham is a ward: it can be compared only with the respondents who live in it, and this survey "
        "does not ask which ward residents live in. Compare with the council instead."
    )
    with pytest.raises(ReportError) as error:
        report_build(survey=survey, area_code=ALTRINCHAM)
    assert str(error.value) == message
    with pytest.raises(ReportError):
        weighting_run(survey=survey, area_code=ALTRINCHAM)
    with pytest.raises(CommandError) as command_error:
        call_command("representativeness_report", "wards", "--area", ALTRINCHAM, stdout=StringIO())
    assert message in str(command_error.value)


def test_the_command_reports_a_ward_on_its_residents(wards):
    survey = _survey(["sex", "area"])
    add(survey, 30, sex="female", area=ALTRINCHAM)
    add(survey, 200, sex="male", area=ASHTON)
    out = StringIO()
    call_command("representativeness_report", survey.slug, "--area", ALTRINCHAM, "--exact", stdout=out)
    data = json.loads(out.getvalue())
    assert data["respondents"] == 30 and data["area"]["name"] == "Altrincham"


def test_a_ward_s_own_figures_are_for_the_exact_audience_only(wards):
    """A ward's report counts only the respondents who live in it, and shows that number: 3 here, a count
    the council's report hides (with Ashton's 200 as its complement). Without the permission, and in
    every download, a ward is refused; the council's report is what they read."""
    survey = _survey(["sex", "area"])
    add(survey, 3, sex="female", area=ALTRINCHAM)
    add(survey, 200, sex="male", area=ASHTON)
    council = report_build(survey=survey, area_code=TRAFFORD)
    (area,) = [c for c in council.characteristics if c.key == "area"]
    assert {row["category"]: row["respondents"] for row in area.categories} == {
        "Altrincham": None,
        "Ashton upon Mersey": None,
    }
    for build in (report_build, weighting_run):
        with pytest.raises(ReportError) as error:
            build(survey=survey, area_code=ALTRINCHAM)
        assert "3" not in str(error.value) and "permission to view equality data" in str(error.value)
    assert report_build(survey=survey, area_code=ALTRINCHAM, audience=Audience.EXACT).respondents == 3
    # The command without --exact says that --exact compares the ward, not only "compare with the council".
    with pytest.raises(CommandError) as command_error:
        call_command("representativeness_report", survey.slug, "--area", ALTRINCHAM, stdout=StringIO())
    assert "run the command with --exact" in str(command_error.value)


def test_the_page_explains_why_a_ward_is_not_offered(client, wards):
    from django.urls import reverse

    from tests.factories import staff_member

    survey = _survey(["sex", "area"])
    add(survey, 30, sex="female", area=ALTRINCHAM)
    client.force_login(staff_member("officer"))
    page = client.get(reverse("representativeness:report", args=[survey.pk]) + f"?area={ALTRINCHAM}")
    assert page.status_code == 400
    assert "Select a valid choice" not in page.text
    assert "A ward is compared only with the respondents who live in it" in page.text
