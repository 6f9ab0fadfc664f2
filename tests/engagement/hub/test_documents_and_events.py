"""Officers add documents and events to a consultation's page; documents are checked by what they
contain (not their name) and their size, and residents read them from the page."""

import datetime as dt
import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from audit.models import AuditAction, AuditEntry
from engagement.hub.content_types import content_kind_of_bytes
from engagement.models import Document, Event
from tests.factories import SurveyFactory, TeamFactory, staff_member

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 40


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = _zip(
    {
        "[Content_Types].xml": b'<Types><Override PartName="/word/document.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        "word/document.xml": b"<w:document/>",
    }
)
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office:document/>"})
ODS = _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"})


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (PDF, "pdf"),
        (PNG, "png"),
        (JPEG, "jpeg"),
        (DOCX, "docx"),
        (ODT, "odt"),
        (ODS, None),  # a spreadsheet, not a text document
        (_zip({"readme.txt": b"hello"}), None),
        (b"MZ\x90\x00 a Windows program", None),
        (b"<html><script>alert(1)</script></html>", None),
        (b"<svg onload='alert(1)'/>", None),
        (b"PK\x03\x04 not really a zip", None),
        (b"", None),
    ],
)
def test_the_kind_of_a_file_is_read_from_its_content(data, kind):
    assert content_kind_of_bytes(data) == kind


@pytest.fixture
def survey():
    return SurveyFactory(team=TeamFactory(name="Parks"), summary="Play areas for everyone.")


@pytest.fixture
def officer(client):
    user = staff_member("officer")
    client.force_login(user)
    return user


def _upload(client, survey, name: str, data: bytes, title: str = "Draft plan"):
    return client.post(
        f"/officers/surveys/{survey.pk}/documents/",
        {"title": title, "description": "The plan we are consulting on.", "file": SimpleUploadedFile(name, data)},
    )


def test_an_officer_uploads_a_pdf_and_a_resident_reads_it(client, survey, officer):
    response = _upload(client, survey, "plan.pdf", PDF)
    assert response.status_code == 302
    document = Document.objects.get(survey=survey)
    assert document.kind == "pdf" and document.size == len(PDF)
    assert AuditEntry.objects.filter(action=AuditAction.DOCUMENT_UPLOADED, object_id=str(document.pk)).exists()
    client.logout()
    page = client.get(f"/consultations/{survey.slug}/").content.decode()
    assert "Draft plan" in page and "(PDF, " in page
    served = client.get(f"/consultations/{survey.slug}/documents/{document.pk}/")
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    assert b"".join(served.streaming_content) == PDF
    served.close()


def test_a_word_document_named_as_a_pdf_is_stored_and_served_as_what_it_is(client, survey, officer):
    _upload(client, survey, "plan.pdf", DOCX)
    document = Document.objects.get(survey=survey)
    assert document.kind == "docx" and document.file.name.endswith(".docx")
    served = client.get(f"/consultations/{survey.slug}/documents/{document.pk}/")
    assert served["Content-Type"].startswith("application/vnd.openxmlformats-officedocument")
    assert "attachment" in served["Content-Disposition"]
    served.close()


@pytest.mark.parametrize(
    ("name", "data"),
    [("plan.pdf", b"MZ\x90\x00 a program renamed"), ("plan.docx", _zip({"a.txt": b"x"})), ("x.png", b"<svg/>")],
)
def test_files_that_are_not_documents_are_refused_whatever_their_name(client, survey, officer, name, data):
    response = _upload(client, survey, name, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "The selected file must be a PDF, Word (DOCX), OpenDocument text (ODT), PNG or JPEG" in page
    assert "Error:" in page.split("</title>")[0]
    assert not Document.objects.exists()


def test_files_over_the_size_limit_are_refused(client, survey, officer, settings):
    settings.DOCUMENT_MAX_BYTES = 1024 * 1024
    response = _upload(client, survey, "big.pdf", PDF + b"0" * (1024 * 1024))
    assert "The selected file must be smaller than 1 MB" in response.content.decode()
    assert not Document.objects.exists()
    assert "The selected file is empty" in _upload(client, survey, "empty.pdf", b"").content.decode()


def test_an_officer_deletes_a_document(client, survey, officer):
    _upload(client, survey, "plan.pdf", PDF)
    document = Document.objects.get()
    client.post(f"/officers/surveys/{survey.pk}/documents/{document.pk}/delete/")
    assert not Document.objects.exists()
    assert client.get(f"/consultations/{survey.slug}/documents/{document.pk}/").status_code == 404


def test_another_teams_officer_cannot_upload(client, survey):
    client.force_login(staff_member("planner", team="Planning"))
    assert _upload(client, survey, "plan.pdf", PDF).status_code == 403
    assert not Document.objects.exists()


def test_events_show_date_time_place_and_accessibility(client, survey, officer):
    response = client.post(
        f"/officers/surveys/{survey.pk}/events/",
        {
            "title": "Drop-in at the library",
            "day_0": "3",
            "day_1": "2",
            "day_2": "2027",
            "starts": "10am",
            "ends": "12:30",
            "place": "Sale Library, Tatton Road, Sale M33 7YH",
            "accessibility": "Step-free access and a hearing loop.",
        },
    )
    assert response.status_code == 302
    event = Event.objects.get()
    assert (event.starts_at.hour, event.ends_at.hour, event.ends_at.minute) == (10, 12, 30)
    page = client.get(f"/consultations/{survey.slug}/").content.decode()
    assert "Drop-in at the library" in page and "3 February 2027, 10am to 12:30pm" in page
    assert "Step-free access and a hearing loop." in page and "Sale Library" in page


def test_an_event_that_ends_before_it_starts_is_refused(client, survey, officer):
    response = client.post(
        f"/officers/surveys/{survey.pk}/events/",
        {
            "title": "Drop-in",
            "day_0": "3",
            "day_1": "2",
            "day_2": "2027",
            "starts": "2pm",
            "ends": "1pm",
            "place": "Hall",
        },
    )
    assert "End time must be after the start time" in response.content.decode()
    response = client.post(
        f"/officers/surveys/{survey.pk}/events/",
        {"title": "Drop-in", "day_0": "3", "day_1": "2", "day_2": "2027", "starts": "25:00", "ends": "", "place": ""},
    )
    page = response.content.decode()
    assert (
        "Start time must be a real time" in page and "Enter the end time" in page and "Enter where the event is" in page
    )
    assert not Event.objects.exists()


def _titles_on_the_consultation_page(client, survey) -> list[str]:
    page = client.get(f"/consultations/{survey.slug}/").content.decode()
    documents = page.split('id="documents"')[1].split("</ul>")[0]
    return re.findall(r'<a class="govuk-link" href="/consultations/[^"]+/documents/[^"]+/">([^<]+)</a>', documents)


def test_an_officer_reorders_documents_and_residents_see_the_new_order(client, survey, officer):
    for title in ("Draft plan", "Map", "Equality impact assessment"):
        _upload(client, survey, "plan.pdf", PDF, title=title)
    assert _titles_on_the_consultation_page(client, survey) == ["Draft plan", "Map", "Equality impact assessment"]
    assessment = Document.objects.get(title="Equality impact assessment")
    move = f"/officers/surveys/{survey.pk}/documents/{assessment.pk}/move/"

    response = client.post(move, {"direction": "up"})
    assert response.status_code == 302
    client.post(move, {"direction": "up"})
    assert _titles_on_the_consultation_page(client, survey) == ["Equality impact assessment", "Draft plan", "Map"]
    # Already first: nothing changes, and the officer is told why.
    page = client.post(move, {"direction": "up"}, follow=True).content.decode()
    assert "“Equality impact assessment” is already first" in page
    client.post(f"/officers/surveys/{survey.pk}/documents/{Document.objects.get(title='Draft plan').pk}/move/", {})
    assert _titles_on_the_consultation_page(client, survey) == ["Equality impact assessment", "Map", "Draft plan"]

    officers_page = client.get(f"/officers/surveys/{survey.pk}/documents/").content.decode()
    assert officers_page.index("Equality impact assessment") < officers_page.index("Map")
    assert 'Move up<span class="govuk-visually-hidden"> Map</span>' in officers_page
    moves = AuditEntry.objects.filter(action=AuditAction.DOCUMENT_CHANGED, object_id=str(assessment.pk))
    assert [entry.detail for entry in moves] == [{"moved": "up"}, {"moved": "up"}]


def test_an_officer_changes_a_documents_title_and_replaces_its_file(
    client, survey, officer, django_capture_on_commit_callbacks
):
    _upload(client, survey, "plan.pdf", PDF)
    document = Document.objects.get()
    old_file = document.file.name
    url = f"/officers/surveys/{survey.pk}/documents/{document.pk}/"
    form = client.get(url).content.decode()
    assert 'value="Draft plan"' in form and "The plan we are consulting on." in form

    # The replacement is checked by content, as an upload is.
    refused = client.post(url, {"title": "Final plan", "description": "", "file": SimpleUploadedFile("p.pdf", b"MZ")})
    assert "The selected file must be a PDF" in refused.content.decode()
    document.refresh_from_db()
    assert document.title == "Draft plan"

    # Title alone: the file stays.
    assert client.post(url, {"title": "Final plan", "description": "As agreed."}).status_code == 302
    document.refresh_from_db()
    assert (document.title, document.description, document.file.name) == ("Final plan", "As agreed.", old_file)

    with django_capture_on_commit_callbacks(execute=True):
        replacement = SimpleUploadedFile("p.odt", ODT)
        client.post(url, {"title": "Final plan", "description": "As agreed.", "file": replacement})
    document.refresh_from_db()
    assert document.kind == "odt" and document.size == len(ODT) and document.file.name.endswith(".odt")
    assert not document.file.storage.exists(old_file), "the replaced file is deleted"
    changes = AuditEntry.objects.filter(action=AuditAction.DOCUMENT_CHANGED, object_id=str(document.pk))
    assert [entry.detail for entry in changes.order_by("at", "id")] == [
        {"changed": ["title", "description"]},
        {"changed": ["file"], "kind": "odt", "size": len(ODT)},
    ]
    client.logout()
    assert "Final plan" in client.get(f"/consultations/{survey.slug}/").content.decode()
    served = client.get(f"/consultations/{survey.slug}/documents/{document.pk}/")
    assert b"".join(served.streaming_content) == ODT
    served.close()


def test_an_officer_changes_an_event_and_events_stay_in_date_order(client, survey, officer):
    url = f"/officers/surveys/{survey.pk}/events/"
    drop_in = {"day_0": "3", "day_1": "2", "day_2": "2027", "starts": "10am", "ends": "12:30", "place": "Library"}
    client.post(url, {**drop_in, "title": "Drop-in at the library"})
    client.post(url, {**drop_in, "day_0": "10", "title": "Stall at the market", "place": "Market square"})
    library = Event.objects.get(title="Drop-in at the library")
    edit = f"/officers/surveys/{survey.pk}/events/{library.pk}/"
    form = client.get(edit).content.decode()
    assert 'value="Drop-in at the library"' in form and 'value="10am"' in form and 'value="12:30pm"' in form

    bad = client.post(edit, {**drop_in, "title": "Drop-in", "starts": "2pm", "ends": "1pm"}).content.decode()
    assert "End time must be after the start time" in bad

    moved = {**drop_in, "day_0": "17", "starts": "2pm", "ends": "4pm", "title": "Drop-in at the library"}
    response = client.post(edit, {**moved, "accessibility": "Hearing loop in the main hall."})
    assert response.status_code == 302
    library.refresh_from_db()
    assert (library.starts_at.day, library.starts_at.hour, library.ends_at.hour) == (17, 14, 16)
    page = client.get(f"/consultations/{survey.slug}/").content.decode()
    assert "17 February 2027, 2pm to 4pm" in page and "Hearing loop in the main hall." in page
    # Events are listed by date, on the officers' page as on the residents'.
    assert page.index("Stall at the market") < page.index("Drop-in at the library")
    listed = client.get(url).content.decode().split("by date</caption>")[1]
    assert listed.index("Stall at the market") < listed.index("Drop-in at the library")
    (entry,) = AuditEntry.objects.filter(action=AuditAction.EVENT_CHANGED, object_id=str(library.pk))
    assert entry.detail == {"changed": ["starts_at", "ends_at", "accessibility"]}


def test_another_teams_officer_cannot_change_or_move_a_document_or_event(client, survey, officer):
    _upload(client, survey, "plan.pdf", PDF)
    document = Document.objects.get()
    event = Event.objects.create(
        survey=survey, title="Drop-in", starts_at=timezone.now(), ends_at=timezone.now() + dt.timedelta(hours=1)
    )
    client.force_login(staff_member("planner", team="Planning"))
    base = f"/officers/surveys/{survey.pk}"
    assert client.post(f"{base}/documents/{document.pk}/", {"title": "Mine", "description": ""}).status_code == 403
    assert client.post(f"{base}/documents/{document.pk}/move/", {"direction": "up"}).status_code == 403
    assert client.post(f"{base}/events/{event.pk}/", {"title": "Mine"}).status_code == 403
    document.refresh_from_db()
    event.refresh_from_db()
    assert document.title == "Draft plan" and event.title == "Drop-in"
