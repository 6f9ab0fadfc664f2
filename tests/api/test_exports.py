"""Response exports through the API: who may, About you columns only with the permission, read back, recorded."""

import csv
import io

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from audit.models import AuditAction, AuditEntry
from tests.api.conftest import WEEKLY_VISITOR

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(demo):
    for i, comment in enumerate(["Lovely", "=1+2"]):
        APIClient().post(
            f"/api/v1/public/surveys/{demo.slug}/responses/",
            {"answers": {**WEEKLY_VISITOR, "comments": comment, "about_you_sex": "female"}},
            format="json",
            HTTP_IDEMPOTENCY_KEY=f"x{i}",
        )
    return demo


def url(survey, query: str = "") -> str:
    return f"/api/v1/surveys/{survey.pk}/export/{query}"


def test_an_analyst_downloads_a_csv_and_it_is_recorded(staff, answered):
    reply = staff.client("analyst").get(url(answered))
    assert reply.status_code == 200
    assert reply["Content-Disposition"] == 'attachment; filename="future-of-our-parks-responses.csv"'
    rows = list(csv.DictReader(io.StringIO(b"".join(reply.streaming_content).decode("utf-8-sig"))))
    assert sorted(r["comments"] for r in rows) == ["'=1+2", "Lovely"]
    assert "sex" not in rows[0]
    entry = AuditEntry.objects.get(action=AuditAction.DOWNLOADED)
    assert (entry.actor_name, entry.via, entry.detail["about_you"]) == ("analyst", "api", False)


def test_about_you_columns_need_the_permission(staff, answered):
    refused = staff.client("analyst_without").get(url(answered, "?equality=true"))
    assert refused.status_code == 403
    reply = staff.client("analyst").get(url(answered, "?file_format=xlsx&equality=true"))
    book = load_workbook(io.BytesIO(b"".join(reply.streaming_content)))
    header = [c.value for c in book["Responses"][1]]
    assert "sex" in header
    assert {row[header.index("sex")] for row in book["Responses"].iter_rows(min_row=2, values_only=True)} == {"female"}


@pytest.mark.parametrize("name, status", [("viewer", 403), ("planning", 403), (None, 401)])
def test_viewers_other_teams_and_strangers_cannot_export(staff, answered, name, status):
    assert staff.client(name).get(url(answered)).status_code == status
    assert not AuditEntry.objects.filter(action=AuditAction.DOWNLOADED).exists()


def test_an_unknown_format_names_the_parameter(staff, answered):
    reply = staff.client("officer").get(url(answered, "?file_format=pdf"))
    assert reply.status_code == 400
    assert reply.json()["errors"] == [{"field": "file_format", "message": "Choose csv, xlsx or sav."}]


def test_the_data_dictionary(staff, answered):
    entries = {e["column"]: e for e in staff.client("officer").get(url(answered, "dictionary/")).json()}
    assert entries["activities__walking"]["column_type"] == "flag"
    assert entries["activities__other_text"]["column_type"] == "text"
    assert "sex" not in entries


def test_text_too_long_for_spss_is_a_clear_error_not_a_server_error(staff, answered):
    from surveys.models import Answer, Question, Response

    essay = Question.objects.get(page__survey=answered, key="improvement")
    Answer.objects.create(response=Response.objects.first(), question=essay, text="x" * 33_000)
    reply = staff.client("analyst").get(url(answered, "?file_format=sav"))
    assert reply.status_code == 400
    assert reply.json()["errors"][0]["field"] == "file_format"
    assert "SPSS holds at most 32,767 bytes of text" in reply.json()["message"]
