"""A young people's group (everyone under 18) is compared with the census residents of its own ages, not
with everyone from its youngest age up: no adult age band is reported as missing, and sex is compared
with girls and boys of those ages (from the sex-by-age table), worked out here from the census file."""

import csv
import datetime as dt
import re

import pytest
from django.conf import settings

from representativeness.census import CensusUpload
from representativeness.disclosure import Audience, protection_for
from representativeness.populations.datasets import dataset_counts
from representativeness.populations.population import dataset_population
from representativeness.reports.builder.build import population_report
from representativeness.services import census_files_import

pytestmark = pytest.mark.django_db
TRAFFORD = "E08000009"
SEX_BY_AGE = settings.BASE_DIR / "data" / "census" / "greater-manchester" / "2021_population_by_sex_and_age_la_gm.csv"
SEX = settings.BASE_DIR / "data" / "census" / "greater-manchester" / "2021_population_by_sex_la_gm.csv"


def _census(low: int, high: int) -> dict[str, int]:
    """Trafford's residents aged low to high by sex, added up from the census file itself."""
    totals = {"All persons": 0, "Female": 0, "Male": 0}
    with SEX_BY_AGE.open(encoding="utf-8-sig") as file:
        for row in csv.DictReader(file):
            found = re.fullmatch(r"Aged (\d+) years?", row["age"])
            age = 0 if row["age"] == "Aged under 1 year" else int(found[1]) if found else None
            if row["area_code"] == TRAFFORD and age is not None and low <= age <= high:
                totals[row["sex"]] += int(row["value"])
    return totals


def test_a_young_peoples_group_is_compared_with_residents_of_its_own_ages():
    census_files_import(
        uploads=[CensusUpload(file_name=p.name, data=p.read_bytes()) for p in (SEX_BY_AGE, SEX)],
        area_codes=[TRAFFORD],
    )
    rows = [(n + 2, [str(age), sex]) for n, (age, sex) in enumerate([(11, "F"), (12, "M"), (14, "F"), (17, "M")] * 3)]
    counts = dataset_counts(["Age", "Sex"], rows, on=dt.date(2027, 1, 1))
    population = dataset_population(counts, title="Youth forum", slug="youth-forum")
    report = population_report(
        population=population, area_code=TRAFFORD, protection=protection_for(audience=Audience.EXACT, scope="youth")
    )
    age, sex = (next(c for c in report.characteristics if c.key == key) for key in ("age", "sex"))

    assert [row["category"] for row in age.categories] == ["11 to 15", "16 to 17"]
    assert age.census_base == "usual residents aged 11 to 17"
    in_band = _census(11, 15)["All persons"] / _census(11, 17)["All persons"]
    assert age.categories[0]["census_share"] == pytest.approx(in_band)
    assert age.under_represented == []

    young = _census(11, 17)
    assert sex.census_base == "usual residents aged 11 to 17" and sex.census_table == "TS009"
    female = next(row for row in sex.categories if row["category"] == "Female")
    assert female["census_share"] == pytest.approx(young["Female"] / (young["Female"] + young["Male"]))


def test_a_group_from_age_0_includes_the_youngest_children():
    census_files_import(
        uploads=[CensusUpload(file_name=p.name, data=p.read_bytes()) for p in (SEX_BY_AGE, SEX)],
        area_codes=[TRAFFORD],
    )
    rows = [(n + 2, [str(age), "F"]) for n, age in enumerate([0, 3, 9, 17])]
    population = dataset_population(dataset_counts(["Age", "Sex"], rows, on=dt.date(2027, 1, 1)), title="Y", slug="y")
    report = population_report(
        population=population, area_code=TRAFFORD, protection=protection_for(audience=Audience.EXACT, scope="y")
    )
    age = next(c for c in report.characteristics if c.key == "age")
    assert [row["category"] for row in age.categories] == ["0 to 15", "16 to 17"]
    assert age.census_base == "usual residents aged 0 to 17"
    assert age.categories[0]["census_share"] == pytest.approx(
        _census(0, 15)["All persons"] / _census(0, 17)["All persons"]
    )


def test_typed_counts_of_one_age_give_a_report_page_downloads_and_api_reply_for_everyone(client):
    """The trial's 500s: `age, 16, 3` and `sex, Female, 10` typed in made a group of one age band, whose
    only count the number who answered gave away; now both are hidden."""
    from representativeness.models import GroupDataset
    from tests.factories import staff_member

    census_files_import(
        uploads=[CensusUpload(file_name=p.name, data=p.read_bytes()) for p in (SEX_BY_AGE, SEX)],
        area_codes=[TRAFFORD],
    )
    officer = staff_member("officer")
    client.force_login(officer)
    team = officer.membership.team
    reply = client.post(
        "/officers/datasets/new/", {"title": "Youth forum", "team": team.pk, "counts": "age, 16, 3\nsex, Female, 10"}
    )
    assert reply.status_code == 302, reply.content.decode()
    dataset = GroupDataset.objects.get()
    page = client.get(f"/officers/datasets/{dataset.pk}/?area={TRAFFORD}")
    assert page.status_code == 200 and "16 to 16" in page.content.decode()
    for file_format in ("csv", "xlsx", "json"):
        download = client.get(f"/officers/datasets/{dataset.pk}/representativeness.{file_format}?area={TRAFFORD}")
        assert download.status_code == 200, file_format
    client.force_login(staff_member("analyst", role="Analyst", equality_data=True))
    assert client.get(f"/officers/datasets/{dataset.pk}/?area={TRAFFORD}").status_code == 200
    api = client.get(f"/api/v1/datasets/{dataset.pk}/report/?area={TRAFFORD}")
    assert api.status_code == 200
    age = next(c for c in api.json()["characteristics"] if c["key"] == "age")
    assert age["counts"]["answered"] is None and age["categories"][0]["respondents"] is None
