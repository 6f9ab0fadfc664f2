"""Officers add documents and events to a consultation's page; documents are checked by what they
contain (not their name) and their size, and residents read them from the page."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

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
