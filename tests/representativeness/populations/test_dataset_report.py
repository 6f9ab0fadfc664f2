"""A dataset is reported on like a survey: the same report for the same counts, through the same builder,
protection and JSON layout, from `representativeness_report --dataset FILE --area CODE --format json`."""

import json

import pytest
from django.core.management import CommandError, call_command

from representativeness.disclosure import Audience, protection_for
from representativeness.populations.datasets import dataset_counts, table_rows
from representativeness.populations.population import dataset_population
from representativeness.reports.builder import report_build
from representativeness.reports.builder.build import population_report
from representativeness.reports.serialize import report_as_dict

from .conftest import AREA, add, make_survey

pytestmark = pytest.mark.django_db

# label in the file -> (sex, religion) as the survey stores it, and how many people.
PEOPLE = [
    ("Female", "No religion", "female", "no_religion", 60),
    ("Female", "Christian", "female", "christian", 90),
    ("Male", "Christian", "male", "christian", 40),
    ("Male", "Muslim", "male", "muslim", 4),
    ("Male", "Hindu", "male", "hindu", 6),
    ("Prefer not to say", "Prefer not to say", "prefer_not_to_say", "prefer_not_to_say", 7),
    ("", "", "skipped", "skipped", 3),
]
CSV = "Client ID,Sex,Religion\n" + "".join(
    f"{i},{sex},{religion}\n"
    for i, (sex, religion) in enumerate((sex, religion) for sex, religion, _, _, n in PEOPLE for _ in range(n))
)


def _comparable(report) -> dict:
    data = report_as_dict(report)
    for key in ("survey", "generated_at", "filters"):
        data.pop(key)
    return data


def test_a_dataset_gives_the_same_report_as_a_survey_with_the_same_counts(area):
    survey = make_survey()
    for _, _, sex, religion, n in PEOPLE:
        add(survey, n, sex=sex, religion=religion)
    from_survey = report_build(survey=survey, area_code=AREA, audience=Audience.EXACT)
    header, rows = table_rows(file_name="users.csv", data=CSV.encode())
    population = dataset_population(
        dataset_counts(header, rows, on=survey.created_at.date()), title="Users", slug="users"
    )
    from_dataset = population_report(
        population=population, area_code=AREA, protection=protection_for(audience=Audience.EXACT, scope="test")
    )
    assert from_survey.respondents == from_dataset.respondents == 210
    assert _comparable(from_dataset) == _comparable(from_survey)


def test_the_command_reports_on_a_file_protected_by_default(area, tmp_path, capsys):
    path = tmp_path / "users.csv"
    path.write_text(CSV)
    call_command("representativeness_report", "--dataset", str(path), "--area", AREA, "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert data["survey"] == {"slug": "users", "title": "users.csv"}
    assert data["respondents"] == 210 and data["method"]["audience"] == "protected"
    religion = next(c for c in data["characteristics"] if c["key"] == "religion")
    muslim = next(row for row in religion["categories"] if row["category"] == "Muslim")
    assert muslim["respondents"] is None  # 4 people: hidden, as in any report


def test_the_nhs_classification_is_compared_with_the_census_merged_to_match(area, tmp_path, capsys):
    path = tmp_path / "clinic.csv"
    path.write_text("Gender,Religion\n" + "F,Sikh\n" * 3 + "M,Other\n" * 2 + "Female,None\n" * 20)
    call_command("representativeness_report", "--dataset", str(path), "--area", AREA, "--exact")
    data = json.loads(capsys.readouterr().out)
    sex = next(c for c in data["characteristics"] if c["key"] == "sex")
    assert {row["category"]: row["respondents"] for row in sex["categories"]} == {"Female": 23, "Male": 2}


def test_a_bad_file_is_refused_by_the_command_naming_row_and_column(area, tmp_path):
    path = tmp_path / "users.csv"
    path.write_text("Sex,Religion\nFemale,Jedi\n")
    with pytest.raises(CommandError, match="Row 2, column “Religion”: “Jedi” is not a category of religion"):
        call_command("representativeness_report", "--dataset", str(path), "--area", AREA)
    call_command(
        "representativeness_report", "--dataset", str(path), "--area", AREA, "--map", "Religion=Jedi=Other religion"
    )


def test_the_command_needs_a_survey_or_a_dataset(area):
    with pytest.raises(CommandError, match="Name a survey or give --dataset FILE"):
        call_command("representativeness_report", "--area", AREA)
