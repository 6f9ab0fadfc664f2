"""Response exports read back as an analyst would: CSV in a spreadsheet, XLSX in openpyxl, SPSS in pyreadstat."""

import csv
import io
import math

import pytest

from surveys.exports import ExportFormat, responses_export
from surveys.models import Response
from surveys.services import response_submit
from tests.surveys.conftest import WEEKLY_VISITOR

pytestmark = pytest.mark.django_db

FORMULAS = ['=HYPERLINK("http://x")', "+1+1", "-2", "@SUM(A1)", "\tTab", "\rReturn"]


def answered(survey, answers, *, key, equality=None, channel="online"):
    about_you = {
        "about_you_sex": "female",
        "about_you_date_of_birth": {"date_of_birth": None, "age": 40, "prefer_not_to_say": False},
    }
    return response_submit(
        survey=survey,
        submission_key=key,
        reference=f"REF-{key}",
        answers={**answers, **(equality if equality is not None else about_you)},
        channel=channel,
    ).response


@pytest.fixture
def exported(demo_survey):
    answered(demo_survey, WEEKLY_VISITOR, key="1")
    answered(
        demo_survey,
        {
            "visit_frequency": "never",
            "barriers": ["too_far", "other"],
            "barriers__other": "Dogs",
            "plant_trees": "agree",
            "meadows": "dont_know",
            "updates": "no",
        },
        key="2",
        channel="paper",
    )
    for i, text in enumerate(FORMULAS):
        answered(demo_survey, {**WEEKLY_VISITOR, "comments": text}, key=f"f{i}")
    return demo_survey


def export(survey, file_format, *, with_equality=False) -> bytes:
    out = io.BytesIO()
    result = responses_export(survey=survey, file_format=file_format, output=out, with_equality=with_equality)
    assert result.rows == Response.objects.filter(survey=survey).count()
    return out.getvalue()


def csv_rows(data: bytes) -> list[dict]:
    assert data.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_csv_has_one_row_per_response_and_one_column_per_answer(exported):
    rows = csv_rows(export(exported, ExportFormat.CSV))
    weekly, never = rows[0], rows[1]
    assert (weekly["reference"], weekly["channel"], never["channel"]) == ("REF-1", "online", "paper")
    assert weekly["visit_frequency"] == "weekly" and weekly["main_park"] == "longford_park"
    # Multiple choice: a column per option, 1 or 0, blank where the question was not asked.
    assert (weekly["activities__walking"], weekly["activities__other"]) == ("1", "1")
    assert never["activities__walking"] == "" and never["barriers__too_far"] == "1"
    assert never["barriers__feel_unsafe"] == "0"
    # "Other" has its own text column; a grid one column per row; numbers and dates as written.
    assert (weekly["activities__other_text"], never["barriers__other_text"]) == ("Parkrun", "Dogs")
    assert weekly["facilities__paths"] == "good" and weekly["facilities__toilets"] == "poor"
    assert (weekly["walk_minutes"], weekly["last_visit"]) == ("10", "2026-05-01")
    assert weekly["submitted_at"].endswith("+00:00")


def test_every_column_name_is_unique(exported):
    data = export(exported, ExportFormat.CSV).decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(data)))
    assert len(header) == len(set(header))


def test_about_you_columns_only_when_asked_for(exported):
    plain = csv_rows(export(exported, ExportFormat.CSV))[0]
    assert not {"sex", "age", "about_you_skipped"} & set(plain)
    full = csv_rows(export(exported, ExportFormat.CSV, with_equality=True))[0]
    assert (full["sex"], full["age"], full["age_status"]) == ("female", "40", "answered")


def test_answers_that_look_like_formulas_come_out_as_text_in_csv(exported):
    rows = csv_rows(export(exported, ExportFormat.CSV))
    comments = [r["comments"] for r in rows[2:]]
    assert comments == ["'" + text for text in FORMULAS]


def test_xlsx_is_typed_with_a_frozen_header_a_dictionary_and_formulas_kept_as_text(exported):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(export(exported, ExportFormat.XLSX)))
    sheet = book["Responses"]
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    header = [c.value for c in sheet[1]]
    weekly = dict(zip(header, [c for c in sheet[2]], strict=True))
    assert weekly["walk_minutes"].value == 10 and weekly["walk_minutes"].data_type == "n"
    assert weekly["last_visit"].is_date and weekly["submitted_at"].is_date
    comments = [row[header.index("comments")] for row in sheet.iter_rows(min_row=4)]
    # Text, never formulas (without lxml, openpyxl's XML reads a carriage return back as a line feed).
    assert [c.value.replace("\r", "\n") for c in comments] == [text.replace("\r", "\n") for text in FORMULAS]
    assert {c.data_type for c in comments} == {"s"}
    dictionary = book["Data dictionary"]
    entries = {row[0]: row for row in dictionary.iter_rows(min_row=2, values_only=True)}
    assert entries["visit_frequency"][3] == "How often do you visit a park or green space in Trafford?"
    assert "weekly (2 in SPSS) = At least once a week" in entries["visit_frequency"][6]
    assert entries["activities__walking"][5] == "flag"


def test_spss_file_has_variable_and_value_labels(exported, tmp_path):
    import pyreadstat

    target = tmp_path / "responses.sav"
    target.write_bytes(export(exported, ExportFormat.SAV, with_equality=True))
    frame, meta = pyreadstat.read_sav(str(target))
    assert len(frame) == Response.objects.count()
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    assert labels["visit_frequency"].startswith("How often")
    codes = meta.variable_value_labels["visit_frequency"]
    first = frame.iloc[0]
    assert codes[first["visit_frequency"]] == "At least once a week"
    assert meta.variable_value_labels["sex"][first["sex"]] == "Female"
    assert first["age"] == 40
    assert math.isnan(frame.iloc[1]["walk_minutes"])
    assert frame.iloc[2]["comments"] == FORMULAS[0]


def test_the_command_writes_the_same_export_and_records_it(exported, tmp_path):
    from django.core.management import call_command

    from audit.models import AuditAction, AuditEntry

    target = tmp_path / "parks.csv"
    out = io.StringIO()
    call_command("export_responses", exported.slug, "--format", "csv", "--output", str(target), stdout=out)
    assert out.getvalue().startswith(f"Wrote {Response.objects.count()} responses in ")
    assert csv_rows(target.read_bytes()) == csv_rows(export(exported, ExportFormat.CSV))
    entry = AuditEntry.objects.get(action=AuditAction.DOWNLOADED)
    assert (entry.via, entry.detail["format"], entry.detail["about_you"]) == ("command", "csv", False)


def test_the_command_refuses_an_unknown_survey_or_folder(exported, tmp_path):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="No survey with the slug 'nope'"):
        call_command("export_responses", "nope", "--output", str(tmp_path / "x.csv"))
    with pytest.raises(CommandError, match="There is no folder"):
        call_command("export_responses", exported.slug, "--output", str(tmp_path / "missing" / "x.csv"))
