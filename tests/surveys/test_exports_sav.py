"""The SPSS export read back as an analyst's software would (pyreadstat), and written a row at a time."""

import datetime as dt
import io
import math
import tracemalloc

import pyreadstat
import pytest

from surveys.exports import ExportFormat, responses_export
from surveys.exports.columns import CODE, DATE, DATETIME, NUMBER, TEXT, Column
from surveys.exports.rows import StoredValues
from surveys.exports.spss import SavValueError, SavWriter, Variable
from surveys.exports.writers import write_sav
from surveys.models import Answer, Question, Response, Survey
from tests.surveys.conftest import WEEKLY_VISITOR
from tests.surveys.test_exports import answered

pytestmark = pytest.mark.django_db

LONG = "Trees 🌳 and benches; " * 40  # 4-byte characters, 880 characters, over 255 bytes many times
TREES = "🌳" * 64  # exactly 256 bytes: its first 255 would end inside a character


def read_back(data: bytes, tmp_path, **options):
    target = tmp_path / "responses.sav"
    target.write_bytes(data)
    return pyreadstat.read_sav(str(target), **options)


def sav(survey, *, with_equality=False) -> bytes:
    out = io.BytesIO()
    result = responses_export(survey=survey, file_format=ExportFormat.SAV, output=out, with_equality=with_equality)
    assert result.rows == Response.objects.filter(survey=survey).count()
    return out.getvalue()


def test_values_codes_dates_and_blanks_read_back_as_stored(demo_survey, tmp_path):
    weekly = answered(demo_survey, WEEKLY_VISITOR, key="1")
    answered(demo_survey, {"visit_frequency": "never", "comments": "Ça va, 東京, 🌳"}, key="2", channel="paper")
    frame, meta = read_back(sav(demo_survey, with_equality=True), tmp_path)
    first, second = frame.iloc[0], frame.iloc[1]
    codes = meta.variable_value_labels
    assert codes["visit_frequency"][first["visit_frequency"]] == "At least once a week"
    assert codes["channel"][second["channel"]] == "Paper form"
    assert codes["facilities__toilets"][first["facilities__toilets"]] == "Poor"
    assert codes["activities__walking"] == {1.0: "Yes", 0.0: "No"} and first["activities__walking"] == 1
    assert (first["walk_minutes"], first["age"]) == (10, 40)
    assert first["last_visit"] == dt.date(2026, 5, 1)
    submitted = first["submitted_at"].to_pydatetime()
    assert abs(submitted - weekly.submitted_at.astimezone(dt.UTC).replace(tzinfo=None)) < dt.timedelta(milliseconds=1)
    # Not answered: blank numbers are system-missing, blank text is empty.
    assert math.isnan(second["walk_minutes"]) and math.isnan(second["main_park"]) and second["email"] == ""
    assert second["comments"] == "Ça va, 東京, 🌳"
    assert meta.variable_measure["visit_frequency"] == "nominal" and meta.variable_measure["age"] == "scale"
    assert meta.variable_measure["comments"] == "nominal" and meta.variable_measure["submitted_at"] == "scale"
    assert meta.original_variable_types["last_visit"].startswith("DATE")
    assert meta.original_variable_types["submitted_at"].startswith("DATETIME")
    assert meta.file_encoding == "UTF-8" and meta.number_rows == 2
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    assert labels["activities__walking"] == "What do you do there?: Walking or running"


def test_text_as_wide_as_the_longest_answer_whatever_its_length(demo_survey, tmp_path):
    answered(demo_survey, {**WEEKLY_VISITOR, "comments": "Short"}, key="1")
    answered(demo_survey, {**WEEKLY_VISITOR, "comments": LONG}, key="2")
    boundary = answered(demo_survey, {**WEEKLY_VISITOR, "comments": TREES}, key="3")
    # Longer than the question's limit allows now (an answer given before the limit was lowered): never cut.
    huge = "x" * 4000 + "🌳"
    improvement = Question.objects.get(page__survey=demo_survey, key="improvement")
    Answer.objects.create(response=boundary, question=improvement, text=huge)
    frame, meta = read_back(sav(demo_survey), tmp_path)
    assert list(frame["comments"]) == ["Short", LONG.rstrip(), TREES]
    assert frame.iloc[2]["improvement"] == huge
    assert meta.variable_storage_width["comments"] == len(LONG.encode())


def test_values_no_longer_offered_are_coded_and_labelled_by_themselves(demo_survey, tmp_path):
    other = answered(demo_survey, {**WEEKLY_VISITOR, "main_park": "other", "main_park__other": "The canal"}, key="1")
    answered(demo_survey, WEEKLY_VISITOR, key="2")
    Question.objects.filter(key="main_park").update(allow_other=False)  # "Other" turned off after answers
    Response.objects.filter(pk=other.pk).update(channel="kiosk")  # a channel Chorus no longer has
    frame, meta = read_back(sav(demo_survey), tmp_path)
    parks, channels = meta.variable_value_labels["main_park"], meta.variable_value_labels["channel"]
    assert parks[frame.iloc[0]["main_park"]] == "other" and parks[frame.iloc[1]["main_park"]] == "Longford Park"
    assert max(parks) == len(parks) == 19  # after the 18 parks offered
    assert channels[frame.iloc[0]["channel"]] == "kiosk" and channels[7.0] == "kiosk"


def test_a_survey_without_responses_or_questions_gives_a_file_of_no_rows(demo_survey, tmp_path):
    frame, meta = read_back(sav(demo_survey), tmp_path)
    assert len(frame) == 0 and meta.number_rows == 0
    assert "visit_frequency" in meta.column_names and meta.variable_value_labels["visit_frequency"]
    empty = Survey.objects.create(title="Nothing yet", slug="nothing-yet", team=demo_survey.team)
    frame, meta = read_back(sav(empty), tmp_path)
    assert meta.column_names == ["reference", "channel", "submitted_at"] and len(frame) == 0


COLUMNS = [
    Column("reference", "Reference", TEXT, ""),
    Column("channel", "Channel", CODE, "", codes=(("online", "Online"), ("paper", "Paper"))),
    Column("submitted_at", "Submitted", DATETIME, ""),
    Column("a_very_long_question_name", "Number", NUMBER, ""),
    Column("visited", "Visited", DATE, ""),
    Column("comments", "Comments", TEXT, ""),
]


def _rows(count: int):
    moment = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for i in range(count):
        yield [f"R{i}", "paper" if i % 3 else "online", moment, i / 4, moment.date(), "A comment " * (i % 30)]


def test_rows_are_written_as_they_come_never_held(tmp_path):
    """50,000 rows are written in a few megabytes (the pandas frame this writer replaced held every row: 60 MB)."""
    stored = StoredValues(widths={0: 8, 5: 300}, codes={})
    target = tmp_path / "big.sav"
    tracemalloc.start()
    with target.open("wb") as out:
        write_sav(COLUMNS, _rows(50_000), out, stored)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 5_000_000
    _, meta = pyreadstat.read_sav(str(target), metadataonly=True)
    frame, _ = pyreadstat.read_sav(str(target), row_offset=49_998)
    assert meta.number_rows == 50_000 and list(frame["reference"]) == ["R49998", "R49999"]
    assert meta.column_names[3] == "a_very_long_question_name"
    assert list(frame["a_very_long_question_name"]) == [49998 / 4, 49999 / 4]


class Pipe(io.RawIOBase):
    """An output that cannot seek (standard output piped on)."""

    def __init__(self) -> None:
        self.received = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.received += data
        return len(data)


def test_an_output_that_cannot_seek_gets_the_same_file(tmp_path):
    stored = StoredValues(widths={0: 8, 5: 300}, codes={})
    seekable, pipe = io.BytesIO(), Pipe()
    write_sav(COLUMNS, _rows(50), seekable, stored)
    write_sav(COLUMNS, _rows(50), pipe, stored)
    assert bytes(pipe.received)[:92] == seekable.getvalue()[:92]  # the header's creation time aside
    assert bytes(pipe.received)[109:] == seekable.getvalue()[109:]
    frame, meta = read_back(bytes(pipe.received), tmp_path)
    assert meta.number_rows == 50 and frame.iloc[49]["comments"] == ("A comment " * 19).rstrip()


def test_text_wider_than_measured_is_refused_never_cut():
    with SavWriter(io.BytesIO(), [Variable("comments", width=4)]) as writer:
        writer.write(["four"])
        with pytest.raises(SavValueError, match="comments has 5 bytes of text, over its 4"):
            writer.write(["fives"])
    with pytest.raises(SavValueError, match="SPSS holds at most 32,767"):
        SavWriter(io.BytesIO(), [Variable("essay", width=40_000)])
    # A code the dictionary lacks (given after it was written, where one snapshot could not be had): refused.
    late = [["R1", "phone", None, None, None, None]]
    with pytest.raises(SavValueError, match="channel has a new value: answers changed while exporting"):
        write_sav(COLUMNS, late, io.BytesIO(), StoredValues(widths={0: 8, 5: 8}, codes={}))


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_dictionary_and_rows_are_read_in_one_snapshot(demo_survey, tmp_path):
    """As the command and the background task run it (on PostgreSQL: one REPEATABLE READ transaction)."""
    answered(demo_survey, {**WEEKLY_VISITOR, "comments": LONG}, key="1")
    frame, meta = read_back(sav(demo_survey), tmp_path)
    assert list(frame["comments"]) == [LONG.rstrip()] and meta.number_rows == 1


def test_the_command_says_why_text_too_long_for_spss_cannot_be_written(demo_survey, tmp_path):
    from django.core.management import CommandError, call_command

    response = answered(demo_survey, WEEKLY_VISITOR, key="1")
    essay = Question.objects.get(page__survey=demo_survey, key="improvement")
    Answer.objects.create(response=response, question=essay, text="🌳" * 9000)  # 36,000 bytes
    target = tmp_path / "parks.sav"
    with pytest.raises(CommandError, match="SPSS holds at most 32,767 bytes of text.*CSV or XLSX"):
        call_command("export_responses", demo_survey.slug, "--format", "sav", "--output", str(target))
    assert not target.exists() and not list(tmp_path.iterdir())


def test_columns_spss_would_name_alike_get_names_of_their_own(demo_survey, tmp_path):
    """Question keys "how-often" and "how_often" both become SPSS's how_often (SPSS ignores case too): the
    second is how_often_2 in the file and in the data dictionary, so neither column is lost or refused."""
    from surveys.exports.dictionary import dictionary_rows

    columns = [
        Column("how-often", "How often (1)", NUMBER, ""),
        Column("how_often", "How often (2)", NUMBER, ""),
        Column("HOW_OFTEN", "How often (3)", NUMBER, ""),
    ]
    out = io.BytesIO()
    write_sav(columns, iter([[1, 2, 3]]), out, StoredValues(widths={}, codes={}))
    frame, meta = read_back(out.getvalue(), tmp_path)
    assert meta.column_names == ["how_often", "how_often_2", "HOW_OFTEN_3"]
    assert frame.iloc[0].tolist() == [1, 2, 3]
    assert [row[1] for row in dictionary_rows(columns)] == meta.column_names
