"""Exports in the web interface: asked for on a page, written by the database-backed worker, watched, downloaded."""

import csv
import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from access.roles import Role
from audit.models import AuditAction, AuditEntry
from exports.models import ResponseExport
from surveys.demo import demo_consultation_create
from surveys.equality.services import equality_section_add
from surveys.services import response_submit
from tests.factories import TeamFactory, staff_member
from tests.surveys.conftest import WEEKLY_VISITOR


@pytest.fixture
def exports_dir(tmp_path):
    with override_settings(EXPORTS_DIR=str(tmp_path / "exports")):
        yield tmp_path / "exports"


@pytest.fixture
def parks(db):
    demo_survey = demo_consultation_create()
    equality_section_add(survey=demo_survey)
    demo_survey.team = TeamFactory(name="Parks")
    demo_survey.save(update_fields=["team"])
    about_you = {"about_you_sex": "male"}
    for i in range(3):
        response_submit(
            survey=demo_survey, submission_key=f"k{i}", reference=f"R-{i}", answers={**WEEKLY_VISITOR, **about_you}
        )
    return demo_survey


def start(client, survey, **data):
    return client.post(f"/officers/surveys/{survey.pk}/exports/", {"file_format": "csv", **data})


@pytest.mark.django_db(transaction=True)
def test_an_officer_exports_in_the_background_watches_and_downloads(client, parks, exports_dir):
    client.force_login(staff_member("officer", role=Role.ENGAGEMENT_OFFICER, team="Parks"))
    page = start(client, parks)
    export = ResponseExport.objects.get()
    assert page.status_code == 302 and page["Location"] == f"/officers/exports/{export.pk}/"
    waiting = client.get(page["Location"]).content.decode()
    assert "Waiting to start" in waiting and "Check if it is ready" in waiting
    assert 'http-equiv="refresh"' not in waiting  # no timed refresh (WCAG 2.2.1): the officer checks when ready
    # The database-backed worker picks the task up and writes the file.
    call_command("db_worker", "--batch", "--interval", "0", "--no-startup-delay", verbosity=0)
    export.refresh_from_db()
    assert (export.status, export.responses) == ("ready", 3)
    ready = client.get(page["Location"]).content.decode()
    assert "Ready to download" in ready and "Check if it is ready" not in ready
    download = client.get(f"/officers/exports/{export.pk}/download/")
    rows = list(csv.DictReader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 3 and "sex" not in rows[0]
    actions = list(AuditEntry.objects.filter(action=AuditAction.DOWNLOADED).values_list("detail", flat=True))
    assert len(actions) == 2  # asked for, and downloaded
    assert not list(exports_dir.glob("*.part"))


@pytest.mark.django_db
def test_about_you_columns_are_offered_only_with_the_permission(client, parks, exports_dir):
    client.force_login(staff_member("officer", role=Role.ENGAGEMENT_OFFICER, team="Parks"))
    assert "About you answers" not in client.get(f"/officers/surveys/{parks.pk}/exports/").content.decode()
    start(client, parks, with_equality="on")
    assert ResponseExport.objects.get().with_equality is False  # not a field they have: ignored
    client.force_login(staff_member("analyst", role=Role.ANALYST, team="Parks", equality_data=True))
    assert "Include the About you answers" in client.get(f"/officers/surveys/{parks.pk}/exports/").content.decode()
    start(client, parks, with_equality="on")
    with_answers = ResponseExport.objects.get(with_equality=True)
    # Someone without the permission cannot open an export that has them, even in the same team.
    client.force_login(staff_member("officer2", role=Role.ENGAGEMENT_OFFICER, team="Parks"))
    assert client.get(f"/officers/exports/{with_answers.pk}/").status_code == 403


@pytest.mark.django_db
def test_viewers_and_other_teams_cannot_export(client, parks, exports_dir):
    client.force_login(staff_member("viewer", role=Role.VIEWER, team="Parks"))
    assert start(client, parks).status_code == 403
    client.force_login(staff_member("planning", role=Role.ENGAGEMENT_OFFICER, team="Planning"))
    assert start(client, parks).status_code == 403
    assert not ResponseExport.objects.exists()


@pytest.mark.django_db
def test_a_format_must_be_chosen(client, parks, exports_dir):
    client.force_login(staff_member("officer", role=Role.ENGAGEMENT_OFFICER, team="Parks"))
    page = client.post(f"/officers/surveys/{parks.pk}/exports/", {})
    assert page.status_code == 400 and "Select the format of the file" in page.content.decode()


@pytest.mark.django_db
def test_old_exports_and_their_files_are_deleted(parks, exports_dir, django_user_model):
    import datetime as dt

    from django.utils import timezone

    from exports.files import export_path
    from exports.services import exports_expired_delete

    officer = staff_member("officer", role=Role.ENGAGEMENT_OFFICER, team="Parks")
    old = ResponseExport.objects.create(
        survey=parks, requested_by=officer, file_format="csv", requested_at=timezone.now() - dt.timedelta(days=3)
    )
    new = ResponseExport.objects.create(survey=parks, requested_by=officer, file_format="csv")
    for export in (old, new):
        export_path(export.pk, "csv").write_text("x")
    assert exports_expired_delete() == 1
    assert list(ResponseExport.objects.all()) == [new]
    assert not export_path(old.pk, "csv").exists() and export_path(new.pk, "csv").exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "file_format, content_type, extension",
    [
        ("csv", "text/csv; charset=utf-8", "csv"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
        # Python's mimetypes knows no .sav: it was sent as application/octet-stream, as the API never did.
        ("sav", "application/x-spss-sav", "sav"),
    ],
)
def test_each_format_downloads_as_what_it_is(client, parks, exports_dir, file_format, content_type, extension):
    client.force_login(staff_member("officer", role=Role.ENGAGEMENT_OFFICER, team="Parks"))
    start(client, parks, file_format=file_format)
    call_command("db_worker", "--batch", "--interval", "0", "--no-startup-delay", verbosity=0)
    export = ResponseExport.objects.get()
    download = client.get(f"/officers/exports/{export.pk}/download/")
    body = b"".join(download.streaming_content)
    download.close()
    assert body and download["Content-Type"] == content_type
    assert (
        download["Content-Disposition"].startswith("attachment") and f".{extension}" in download["Content-Disposition"]
    )
