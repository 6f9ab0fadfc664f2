"""Wards are areas inside their council: a survey's ward question offers its council's wards, never another
council's, and a council without ward baselines is not asked about wards at all."""

from io import StringIO

import pytest
from django.core.management import call_command

from representativeness.models import Area
from representativeness.services import census_shipped_load
from surveys.equality.services import EqualitySectionError, equality_section_add
from surveys.models import Choice, Page, Survey
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

TRAFFORD, STOKE = "E08000009", "E06000021"


def _survey(slug: str, report_area_code: str = "") -> Survey:
    survey = Survey.objects.create(
        title=slug,
        slug=slug,
        status=Survey.Status.DRAFT,
        team=TeamFactory(name="Parks"),
        report_area_code=report_area_code,
    )
    Page.objects.create(survey=survey, position=1, title="Your views")
    return survey


def _ward_choices(survey: Survey) -> list[str]:
    return list(
        Choice.objects.filter(question__page__survey=survey, question__equality_key="area")
        .exclude(value="prefer_not_to_say")
        .values_list("value", flat=True)
    )


@pytest.fixture
def loaded():
    census_shipped_load()


def test_a_trafford_survey_offers_trafford_wards_and_a_stoke_survey_none(loaded, settings):
    trafford = _survey("trafford")
    equality_section_add(survey=trafford)
    offered = _ward_choices(trafford)
    assert len(offered) == 21
    assert set(Area.objects.filter(code__in=offered).values_list("parent__code", flat=True)) == {TRAFFORD}

    settings.COUNCIL = {**settings.COUNCIL, "area_code": STOKE}
    stoke = _survey("stoke")
    equality_section_add(survey=stoke)  # every standard question it can ask
    assert not Choice.objects.filter(question__page__survey=stoke, question__equality_key="area").exists()
    assert _ward_choices(stoke) == []
    with pytest.raises(EqualitySectionError) as error:
        equality_section_add(survey=stoke, keys=["sex", "area"])
    assert "No wards are loaded for the survey's council (E06000021)" in str(error.value)
    # A survey whose report compares with Trafford offers Trafford's wards, whatever the default council.
    elsewhere = _survey("trafford-elsewhere", report_area_code=TRAFFORD)
    equality_section_add(survey=elsewhere, keys=["area"])
    assert len(_ward_choices(elsewhere)) == 21


def test_import_census_places_a_councils_own_ward_download_in_it(tmp_path, loaded):
    ward = tmp_path / "stoke-wards.csv"
    ward.write_text(
        "area_code,area_name,table,category,count\n"
        "E05008383,Abbey Hulton and Townsend,TS009,Sex: All persons; Age: Total,10000\n"
        "E05008383,Abbey Hulton and Townsend,TS009,Sex: Female; Age: Total,5100\n"
        "E05008383,Abbey Hulton and Townsend,TS009,Sex: Male; Age: Total,4900\n",
        encoding="utf-8",
    )
    call_command("import_census", str(ward), "--council", STOKE, stdout=StringIO())
    stoke = _survey("stoke-wards", report_area_code=STOKE)
    equality_section_add(survey=stoke, keys=["area"])
    assert _ward_choices(stoke) == ["E05008383"]
