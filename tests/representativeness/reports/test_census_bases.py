"""Census bases that match the people asked: sex from the sex-by-age table at the survey's ages, and where
no table gives the matching base, a note beside the characteristic and a caveat under the headline. A
council with only the England and Wales summaries (Stoke-on-Trent) still gets a full report."""

import pytest
from django.conf import settings
from django.urls import reverse

from representativeness.census import CensusUpload
from representativeness.disclosure import Audience
from representativeness.reports.builder import report_build
from representativeness.reports.serialize import report_as_dict
from representativeness.services import census_files_import
from surveys.equality.services import equality_section_add
from surveys.models import Page, Survey
from tests.factories import TeamFactory, staff_member
from tests.representativeness.reports.conftest import add

pytestmark = pytest.mark.django_db

TRAFFORD = "E08000009"
STOKE = "E06000021"
GM = settings.BASE_DIR / "data" / "census" / "greater-manchester"
EW = settings.BASE_DIR / "data" / "census" / "england-wales"


def _load(area: str, *paths) -> None:
    census_files_import(
        uploads=[CensusUpload(file_name=f"{p.parent.name}/{p.name}", data=p.read_bytes()) for p in paths],
        area_codes=[area],
    )


def _survey(keys: list[str], *, minimum_age: int = 16, slug: str = "bases") -> Survey:
    survey = Survey.objects.create(
        title="Bases", slug=slug, status=Survey.Status.OPEN, team=TeamFactory(name="Parks"), minimum_age=minimum_age
    )
    Page.objects.create(survey=survey, position=1, title="Your views")
    equality_section_add(survey=survey, keys=keys)
    return survey


def _female_share(report) -> float:
    (sex,) = [c for c in report.characteristics if c.key == "sex"]
    return next(row["census_share"] for row in sex.categories if row["category"] == "Female"), sex


def test_sex_is_compared_with_residents_of_the_surveys_ages_from_the_sex_by_age_table():
    _load(TRAFFORD, GM / "2021_population_by_sex_la_gm.csv", GM / "2021_population_by_sex_and_age_la_gm.csv")
    survey = _survey(["sex"])
    add(survey, 20, sex="female")
    share, sex = _female_share(report_build(survey=survey, area_code=TRAFFORD, audience=Audience.EXACT))
    assert round(share, 3) == 0.520  # 52.0% of Trafford's residents aged 16 and over
    assert (sex.census_table, sex.census_base, sex.census_base_matches_survey) == (
        "TS009",
        "usual residents aged 16 and over",
        True,
    )
    # A survey open to every age compares with every age: 51.3%.
    everyone = _survey(["sex"], minimum_age=0, slug="everyone")
    add(everyone, 20, sex="female")
    share, sex = _female_share(report_build(survey=everyone, area_code=TRAFFORD, audience=Audience.EXACT))
    assert round(share, 3) == 0.513


def test_without_a_matching_base_the_characteristic_and_the_headline_say_so():
    _load(TRAFFORD, GM / "2021_population_by_sex_la_gm.csv", GM / "2021_population_ethnic_group_la_gm.csv")
    survey = _survey(["sex", "ethnic_group"])
    add(survey, 20, sex="female", ethnic_group="indian")
    report = report_build(survey=survey, area_code=TRAFFORD, audience=Audience.EXACT)
    share, sex = _female_share(report)
    assert round(share, 3) == 0.513  # only the all-ages table is loaded
    assert not sex.census_base_matches_survey
    assert any("no census table gives it for people aged 16 and over" in note for note in sex.notes)
    assert report.caveats == [
        "No census table gives sex or ethnic group for people aged 16 and over: their census shares include "
        "younger people, whom the survey does not ask."
    ]
    data = report_as_dict(report)
    assert data["layout_version"] == 1 and data["caveats"] == report.caveats
    assert [c["census_base_matches_survey"] for c in data["characteristics"]] == [False, False, False]


def test_stoke_on_trent_gets_a_full_report_from_the_shipped_summaries_alone(client, settings):
    from representativeness.services import census_shipped_load

    settings.COUNCIL = {**settings.COUNCIL, "area_code": STOKE}
    census_shipped_load()  # what make run loads: nothing downloaded for Stoke-on-Trent
    survey = _survey(["date_of_birth", "sex", "ethnic_group", "long_term_condition", "disability", "religion"])
    add(
        survey,
        30,
        sex="female",
        ethnic_group="white_british",
        religion="christian",
        long_term_condition="yes",
        disability="a_lot",
        age=40,
        age_status="answered",
    )
    add(
        survey,
        30,
        sex="male",
        ethnic_group="pakistani",
        religion="muslim",
        long_term_condition="no",
        age=70,
        age_status="answered",
    )
    client.force_login(staff_member("analyst", equality_data=True))
    page = client.get(reverse("representativeness:report", args=[survey.pk]))
    assert page.status_code == 200
    text = page.text
    assert "Census 2021 for Stoke-on-Trent (E06000021)" in text
    report = page.context["report"]
    compared = {(c.key, c.level) for c in report.characteristics}
    assert compared == {
        ("age", "detailed"),
        ("sex", "detailed"),
        ("ethnic_group", "detailed"),
        ("ethnic_group", "broad"),
        ("disability", "broad"),
        ("religion", "detailed"),
    }
    (disability,) = [c for c in report.characteristics if c.key == "disability"]
    assert disability.census_top_level_only
    assert {row["category"] for row in disability.categories} == {
        "Disabled under the Equality Act",
        "Not disabled under the Equality Act",
    }
    assert (
        "The census for Stoke-on-Trent gives disability only at the top level, so only the broad groups are compared."
        in report.caveats
    )
    assert "only at the top level" in text
    # Stoke-on-Trent has ages only in 5-year bands, which 16 to 24 cuts: the headline's caveats say so.
    assert (
        "The census for Stoke-on-Trent gives age only in bands the survey's do not follow, so those census counts "
        "are estimated (each band shared out evenly over its years)." in report.caveats
    )
    (age,) = [c for c in report.characteristics if c.key == "age"]
    assert any("estimated" in caveat for caveat in report.characteristic_caveats(age))


def test_stoke_on_trent_weighting_rakes_disability_on_the_top_level_it_has():
    from representativeness.weighting import weighting_run

    _load(STOKE, *sorted(EW.glob("*.csv")))
    survey = _survey(["sex", "long_term_condition", "disability"], slug="stoke-weights")
    add(survey, 30, sex="female", long_term_condition="yes", disability="a_lot")
    add(survey, 10, sex="female", long_term_condition="yes", disability="not_at_all")
    add(survey, 40, sex="male", long_term_condition="no")
    result = weighting_run(survey=survey, area_code=STOKE, characteristics=["sex", "disability"])
    assert result.rake.converged
    margins = result.rake.margins.set_index(["characteristic", "category"])
    disabled = margins.loc[("disability", "Disabled under the Equality Act")]
    # 40 of 80 respondents have a condition; 30 of them are limited: disabled under the Equality Act.
    assert disabled["respondents"] == 30
    assert disabled["target_share"] == pytest.approx(54_607 / 258_368)
    assert disabled["weighted_share"] == pytest.approx(54_607 / 258_368, rel=1e-8)
    assert any("broad groups only" in note for note in result.notes)


def test_every_output_carries_the_caveats_and_the_per_characteristic_census_fields(client):
    import csv
    import io
    import json
    from io import StringIO

    from django.core.management import call_command
    from openpyxl import load_workbook

    _load(TRAFFORD, GM / "2021_population_by_sex_la_gm.csv", GM / "2021_population_ethnic_group_la_gm.csv")
    survey = _survey(["sex", "ethnic_group"], slug="caveats")
    add(survey, 20, sex="female", ethnic_group="indian")
    add(survey, 20, sex="female", ethnic_group="pakistani")
    add(survey, 20, sex="male", ethnic_group="white_british")
    ethnic_caveat = (
        "No census table gives ethnic group for people aged 16 and over: its census shares include younger "
        "people, whom the survey does not ask."
    )
    fields = ("census_base_matches_survey", "census_top_level_only", "joint_outreach_needed", "caveats")

    data = report_as_dict(report_build(survey=survey, area_code=TRAFFORD, audience=Audience.PROTECTED))
    ethnic = next(c for c in data["characteristics"] if c["key"] == "ethnic_group" and c["level"] == "detailed")
    assert ethnic["caveats"] == [ethnic_caveat]
    assert data["layout_version"] == 1 and data["caveats"]

    client.force_login(staff_member("analyst", equality_data=True))
    url = reverse("representativeness:report_download", args=[survey.pk, "csv"]) + f"?area={TRAFFORD}"
    rows = list(csv.DictReader(io.StringIO(b"".join(client.get(url).streaming_content).decode("utf-8-sig"))))
    indian = next(r for r in rows if r["category"] == "Indian")
    assert [indian[f] for f in fields[:2]] == ["no", "no"]
    assert indian["caveats"] == ethnic_caveat
    white = next(r for r in rows if r["category"] == "White" and r["level"] == "broad")
    assert white["joint_outreach_needed"] == str(ethnic["joint_outreach_needed"] or "")

    xlsx = client.get(reverse("representativeness:report_download", args=[survey.pk, "xlsx"]) + f"?area={TRAFFORD}")
    book = load_workbook(io.BytesIO(xlsx.content))
    summary = [[c.value for c in r] for r in book["Characteristics"].iter_rows()]
    assert set(fields) <= set(summary[0])
    about = [[c.value for c in r] for r in book["About"].iter_rows()]
    assert ["caveat", data["caveats"][0]] in about

    out = StringIO()
    call_command("representativeness_report", survey.slug, "--area", TRAFFORD, "--format", "csv", stdout=out)
    command_rows = list(csv.DictReader(io.StringIO(out.getvalue().lstrip("\ufeff"))))
    assert set(fields) <= set(command_rows[0]) and command_rows[0]["caveats"]
    out = StringIO()
    call_command("representativeness_report", survey.slug, "--area", TRAFFORD, stdout=out)
    assert json.loads(out.getvalue())["caveats"] == data["caveats"]


def test_weighting_uses_the_same_census_base_as_the_report_and_says_where_none_matches():
    from representativeness.weighting import weighting_run

    _load(TRAFFORD, GM / "2021_population_by_sex_la_gm.csv", GM / "2021_population_by_sex_and_age_la_gm.csv")
    _load(TRAFFORD, GM / "2021_population_ethnic_group_la_gm.csv")
    survey = _survey(["sex", "ethnic_group"], slug="weighted-bases")
    add(survey, 30, sex="female", ethnic_group="white_british")
    add(survey, 30, sex="male", ethnic_group="white_british")
    add(survey, 30, sex="male", ethnic_group="pakistani")
    report_share, _ = _female_share(report_build(survey=survey, area_code=TRAFFORD, audience=Audience.EXACT))
    result = weighting_run(
        survey=survey, area_code=TRAFFORD, characteristics=["sex", "ethnic_group"], audience=Audience.EXACT
    )
    margins = result.rake.margins.set_index(["characteristic", "category"])
    # Weighted to Trafford's 52.0% women aged 16 and over, as the report compares with, not 51.3% of all ages.
    assert margins.loc[("sex", "Female"), "target_share"] == pytest.approx(report_share)
    assert round(report_share, 3) == 0.520
    lines = result.diagnostics()
    assert (
        "Ethnic group is weighted to the census shares of all usual residents: no census table gives it for "
        "people aged 16 and over, so they include younger people, whom the survey does not ask." in lines
    )
    assert not any(line.startswith("Sex is weighted to the census shares") for line in lines)


def test_a_survey_of_all_ages_says_the_census_asked_some_questions_only_of_older_people():
    _load(
        TRAFFORD,
        GM / "2021_population_by_sex_la_gm.csv",
        GM / "2021_sexual_orientation_la_gm.csv",
        GM / "2021_gender_identity_la_gm.csv",
    )
    survey = _survey(["sex", "sexual_orientation", "gender_identity"], minimum_age=0, slug="all-ages")
    add(survey, 20, sex="female")
    report = report_build(survey=survey, area_code=TRAFFORD, audience=Audience.EXACT)
    matches = {c.key: c.census_base_matches_survey for c in report.characteristics}
    assert matches == {"sex": True, "sexual_orientation": False, "gender_identity": False}
    (orientation,) = [c for c in report.characteristics if c.key == "sexual_orientation"]
    assert any("TS077 only of all usual residents aged 16 years and over" in note for note in orientation.notes)
    assert report.caveats == [
        "The census asked gender identity and sexual orientation only of people older than the survey's youngest "
        "respondents (aged 0 and over): their census shares leave out younger people the survey asks."
    ]
    assert report_as_dict(report)["caveats"] == report.caveats
