"""A service's counts per age band ("16 to 24", "16-24", "65+", "under 16"), as services hold them: read,
stored, and compared with the census in the report's bands, or in the report's bands merged where the
file's cut across them (the census's residents added up over each merged band, checked here against the
census file's own numbers)."""

import csv
import datetime as dt
import re

import pytest
from django.conf import settings

from representativeness.census import CensusUpload
from representativeness.disclosure import Audience, protection_for
from representativeness.populations.datasets import (
    DatasetError,
    age_band_of,
    counts_as_json,
    counts_from_json,
    dataset_counts,
    table_rows,
)
from representativeness.populations.population import dataset_population
from representativeness.reports.builder.build import population_report
from representativeness.reports.serialize import report_as_dict
from representativeness.services import census_files_import

TRAFFORD = "E08000009"
SEX_BY_AGE = settings.BASE_DIR / "data" / "census" / "greater-manchester" / "2021_population_by_sex_and_age_la_gm.csv"
SEX = settings.BASE_DIR / "data" / "census" / "greater-manchester" / "2021_population_by_sex_la_gm.csv"


def _residents(low: int, high: int | None) -> int:
    """Trafford's residents aged low to high (None: and over), added up from the census file itself."""
    total = 0
    with SEX_BY_AGE.open(encoding="utf-8-sig") as file:
        for row in csv.DictReader(file):
            if row["area_code"] != TRAFFORD or row["sex"] != "All persons":
                continue
            found = re.fullmatch(r"Aged (\d+) years?(?: and over)?", row["age"])
            age = 0 if row["age"] == "Aged under 1 year" else int(found[1])  # type: ignore[index]
            if age >= low and (high is None or age <= high):
                total += int(row["value"])
    return total


def _counts(text: str):
    header, rows = table_rows(file_name="counts.csv", data=text.encode())
    return dataset_counts(header, rows, on=dt.date(2027, 1, 1))


def _report(counts, minimum_age=None):
    population = dataset_population(counts, title="Service users", slug="users", minimum_age=minimum_age)
    return population_report(
        population=population, area_code=TRAFFORD, protection=protection_for(audience=Audience.EXACT, scope="bands")
    )


@pytest.fixture
def trafford(db):
    census_files_import(
        uploads=[CensusUpload(file_name=p.name, data=p.read_bytes()) for p in (SEX_BY_AGE, SEX)],
        area_codes=[TRAFFORD],
    )


@pytest.mark.parametrize(
    ("label", "band"),
    [
        ("16 to 24", (16, 24)),
        ("16-24", (16, 24)),
        ("16 – 24", (16, 24)),
        ("Aged 16 to 24 years", (16, 24)),
        ("65 and over", (65, None)),
        ("65+", (65, None)),
        ("65 or over", (65, None)),
        ("under 16", (0, 15)),
        ("Under 16s", (0, 15)),
        ("0 to 15", (0, 15)),
        ("40", (40, 40)),
    ],
)
def test_age_labels_services_use_are_read_as_bands(label, band):
    found = age_band_of(label)
    assert (found if band is not None else isinstance(found, str)) == (band if band is not None else True)


BANDS = [("16 to 24", 30), ("25 to 34", 45), ("35 to 44", 50), ("45 to 54", 40), ("55 to 64", 35)]
BANDS += [("65 to 74", 25), ("75 and over", 20)]
# The same people as single years, spread inside each band.
YEARS = [(16, 10), (20, 12), (24, 8), (25, 45), (40, 50), (45, 20), (54, 20), (60, 35), (70, 25), (75, 12), (96, 8)]


def test_counts_in_the_reports_bands_give_the_same_comparison_as_single_years(trafford):
    banded = _counts("Characteristic,Category,Count\n" + "".join(f"age,{b},{n}\n" for b, n in BANDS) + "sex,F,245\n")
    years = _counts("Characteristic,Category,Count\n" + "".join(f"age,{a},{n}\n" for a, n in YEARS) + "sex,F,245\n")
    assert banded.people == years.people == 245

    from_bands, from_years = report_as_dict(_report(banded)), report_as_dict(_report(years))
    for data in (from_bands, from_years):
        data.pop("generated_at")
    assert from_bands == from_years
    age = next(c for c in from_bands["characteristics"] if c["key"] == "age")
    assert [row["category"] for row in age["categories"]] == [b for b, _ in BANDS]
    assert [row["respondents"] for row in age["categories"]] == [n for _, n in BANDS]


def test_typed_bands_in_other_forms_are_the_reports_bands(trafford):
    forms = ["16-24", "25-34", "35 - 44", "45 to 54", "Aged 55 to 64", "65-74", "75+"]
    typed = _counts(
        "Characteristic,Category,Count\n" + "".join(f"age,{f},{n}\n" for f, (_, n) in zip(forms, BANDS, strict=True))
    )
    age = next(c for c in _report(typed).characteristics if c.key == "age")
    assert [row["category"] for row in age.categories] == [b for b, _ in BANDS]
    assert all(not note.startswith("Age is compared in the bands") for note in age.notes)


def test_bands_that_cut_across_the_census_bands_are_compared_in_merged_bands(trafford):
    counts = _counts("Characteristic,Category,Count\nage,16-29,50\nage,30-44,60\nage,45-59,40\nage,60+,30\n")
    age = next(c for c in _report(counts).characteristics if c.key == "age")

    # 16 to 24 | 25 to 34 | 35 to 44 ... : the file's 30 and 60 cut 25 to 34 and 55 to 64, so the bands
    # merge to 16 to 44 (holding 16-29 and 30-44) and 45 and over (45-59 and 60+).
    assert [row["category"] for row in age.categories] == ["16 to 44", "45 and over"]
    assert [row["respondents"] for row in age.categories] == [110, 70]
    everyone = _residents(16, None)
    assert age.categories[0]["census_share"] == pytest.approx(_residents(16, 44) / everyone)
    assert age.categories[1]["census_share"] == pytest.approx(_residents(45, None) / everyone)
    assert any("16 to 29, 30 to 44, 45 to 59, 60 and over cut across" in note for note in age.notes)


def test_an_open_top_band_merges_only_the_census_bands_it_covers(trafford):
    rows = "".join(f"age,{b},{n}\n" for b, n in BANDS[:5]) + "age,65 and over,45\n"
    age = next(c for c in _report(_counts("Characteristic,Category,Count\n" + rows)).characteristics if c.key == "age")
    assert [row["category"] for row in age.categories] == [b for b, _ in BANDS[:5]] + ["65 and over"]
    assert age.categories[-1]["census_share"] == pytest.approx(_residents(65, None) / _residents(16, None))


def test_a_young_peoples_group_in_bands_is_compared_with_residents_of_its_own_ages(trafford):
    counts = _counts("Characteristic,Category,Count\nage,under 16,12\nage,16-17,8\n")
    age = next(c for c in _report(counts).characteristics if c.key == "age")
    assert [row["category"] for row in age.categories] == ["0 to 15", "16 to 17"]
    assert age.census_base == "usual residents aged 0 to 17"
    assert age.categories[0]["census_share"] == pytest.approx(_residents(0, 15) / _residents(0, 17))


def test_a_band_across_the_youngest_age_compared_is_said_not_to_be_compared(trafford):
    counts = _counts("Characteristic,Category,Count\nage,16-24,30\nage,25-34,40\nsex,F,70\n")
    report = _report(counts, minimum_age=18)
    assert [c.key for c in report.characteristics] == ["sex"]
    assert any(
        note.startswith("Age is not compared: the group's band 16 to 24 holds people both younger and older than 18")
        for note in report.notes
    )


def test_bands_are_stored_and_read_back():
    counts = _counts("Characteristic,Category,Count\nage,16-24,30\nage,65+,4\nage,40,2\n")
    assert counts.age_bands == {(16, 24): 30, (65, None): 4} and counts.ages == {40: 2}
    stored = counts_as_json(counts)
    assert stored["age_bands"] == {"16 to 24": 30, "65 and over": 4} and stored["ages"] == {"40": 2}
    assert counts_from_json(stored) == counts


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("age,24 to 16,3", "Row 2, column “Category”: “24 to 16” is not an age band: it ends before it starts"),
        ("age,16 to,3", "Row 2, column “Category”: “16 to” is not an age or an age band: give an age in whole years"),
        ("age,16-200,3", "Row 2, column “Category”: “16-200” is not an age band: ages go from 0 to 120"),
        ("age,16-24,3\nage,20-29,4", "Row 3, column “Category”: The ages 20 to 29 overlap the ages 16 to 24"),
        ("age,65+,3\nage,70,4", "Row 3, column “Category”: The ages 70 overlap the ages 65 and over"),
    ],
)
def test_bad_bands_are_refused_naming_the_row(rows, message):
    with pytest.raises(DatasetError) as caught:
        _counts(f"Characteristic,Category,Count\n{rows}\n")
    assert str(caught.value.issues[0]).startswith(message)


@pytest.mark.parametrize("name", ["Gender identity", "sexual orientation", "Unpaid care", "Ward"])
def test_characteristics_counts_are_not_compared_on_are_named_with_those_that_are(name):
    with pytest.raises(DatasetError) as caught:
        _counts(f"Characteristic,Category,Count\n{name},Something,3\n")
    message = str(caught.value.issues[0])
    assert message.startswith(f"Row 2, column “Characteristic”: “{name}”: a group's counts cannot be compared")
    assert "can be compared on are age (an age in whole years (16) or a band such as 16 to 24" in message
    assert message.endswith("sex, ethnic group, disability and religion. Leave these lines out")


def test_typed_bands_are_stored_and_shown_and_a_bad_one_names_its_line(client, trafford):
    from representativeness.models import GroupDataset
    from tests.factories import staff_member

    officer = staff_member("officer")
    client.force_login(officer)
    team = officer.membership.team
    refused = client.post(
        "/officers/datasets/new/", {"title": "Day centre", "team": team.pk, "counts": "age, 16-24, 30\nage, 16 to, 3"}
    )
    assert "Line 2, column “Category”: “16 to” is not an age or an age band" in refused.content.decode()
    assert not GroupDataset.objects.exists()

    typed = "age, 16 to 24, 30\nage, 25-64, 160\nage, 65+, 50\nsex, Female, 240"
    reply = client.post("/officers/datasets/new/", {"title": "Day centre", "team": team.pk, "counts": typed})
    assert reply.status_code == 302, reply.content.decode()
    dataset = GroupDataset.objects.get()
    assert dataset.minimum_age == 16 and dataset.counts["age_bands"] == {
        "16 to 24": 30,
        "25 to 64": 160,
        "65 and over": 50,
    }
    page = client.get(f"/officers/datasets/{dataset.pk}/?area={TRAFFORD}").content.decode()
    assert "25 to 64" in page and "65 and over" in page


def test_a_small_band_is_hidden_from_everyone_without_the_equality_data_permission(trafford):
    counts = _counts("Characteristic,Category,Count\nage,16-24,40\nage,25-64,100\nage,65+,2\n")
    population = dataset_population(counts, title="Service users", slug="users")
    protected = population_report(
        population=population, area_code=TRAFFORD, protection=protection_for(audience=Audience.PROTECTED, scope="t")
    )
    age = next(c for c in report_as_dict(protected)["characteristics"] if c["key"] == "age")
    by_band = {row["category"]: row["respondents"] for row in age["categories"]}
    assert list(by_band) == ["16 to 24", "25 to 64", "65 and over"]
    assert by_band["65 and over"] is None and 2 not in by_band.values()
    assert None in (by_band["16 to 24"], by_band["25 to 64"])  # else 142 less the others gives the 2 back
