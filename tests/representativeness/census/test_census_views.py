"""Officers' pages: the list of baselines, and upload -> preview -> confirm, with the importer's checks."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditAction, AuditEntry
from representativeness.models import Area, Baseline
from representativeness.services import pending_upload_read
from representativeness.views.baselines import SESSION_KEY

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.representativeness.census.census_test_urls")]

LIST = "representativeness:baseline_list"
UPLOAD = "representativeness:baseline_upload"
CONFIRM = "representativeness:baseline_upload_confirm"


def _file(fixture_path, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, fixture_path(name).read_bytes(), content_type="text/csv")


@pytest.fixture(autouse=True)
def _uploads_kept_in_tmp(settings, tmp_path):
    settings.CENSUS_UPLOAD_DIR = tmp_path / "uploads"


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.mark.parametrize("name", [LIST, UPLOAD, CONFIRM])
def test_pages_need_a_signed_in_officer(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("name", [LIST, UPLOAD, CONFIRM])
def test_pages_need_permission(client, nobody, name):
    client.force_login(nobody)
    assert client.get(reverse(name)).status_code == 403


def test_viewers_see_the_list_but_cannot_upload(client, viewer, stockport_loaded):
    client.force_login(viewer)
    page = client.get(reverse(LIST))
    assert page.status_code == 200
    assert "Upload a census file" not in page.content.decode()
    assert client.get(reverse(UPLOAD)).status_code == 403
    assert client.post(reverse(UPLOAD), {"file": SimpleUploadedFile("x.csv", b"a,b\n1,2\n")}).status_code == 403


def test_list_shows_what_is_loaded_and_from_where(officer_client, stockport_loaded):
    page = officer_client.get(reverse(LIST)).content.decode()
    assert "Census baselines" in page
    assert "Stockport" in page and "E08000007" in page
    assert "TS021 Ethnic group" in page and "TS038 Disability" in page
    assert "census2021-ts021-ltla.csv" in page and "Nomis bulk download" in page
    assert "294,770" in page
    assert "from the command line" in page
    assert "Open Government Licence v3.0" in page


def test_list_when_nothing_is_loaded(officer_client):
    page = officer_client.get(reverse(LIST)).content.decode()
    assert "No census baselines are loaded yet" in page


def test_upload_preview_confirm(officer_client, officer, fixture_path, snapshot):
    form = officer_client.get(reverse(UPLOAD)).content.decode()
    assert 'class="govuk-file-upload"' in form and 'enctype="multipart/form-data"' in form

    before = snapshot()
    response = officer_client.post(reverse(UPLOAD), {"file": _file(fixture_path, "ons-custom-ts021-ltla.csv")})
    assert response.status_code == 302 and response["Location"] == reverse(CONFIRM)
    assert snapshot() == before  # nothing stored before the officer confirms

    preview = officer_client.get(reverse(CONFIRM)).content.decode()
    assert "ons-custom-ts021-ltla.csv" in preview
    assert "TS021 Ethnic group" in preview
    assert "ONS custom dataset" in preview
    assert "All usual residents" in preview
    assert "Stockport" in preview and "E08000007" in preview and "294,770" in preview  # areas and totals
    assert "Pakistani" in preview and "Asian, Asian British or Asian Welsh" in preview  # categories and groups
    assert snapshot() == before

    response = officer_client.post(reverse(CONFIRM), {"confirm": "yes"})
    assert response.status_code == 302 and response["Location"] == reverse(LIST)
    baseline = Baseline.objects.get(area__code="E08000007", table="TS021")
    assert baseline.imported_by == officer
    assert baseline.source_file_name == "ons-custom-ts021-ltla.csv"
    entry = AuditEntry.objects.get(action=AuditAction.CENSUS_IMPORTED, via="web")
    assert (entry.actor, entry.detail["file"], entry.detail["table"]) == (officer, "ons-custom-ts021-ltla.csv", "TS021")
    assert baseline.counts.get(level="detailed", category="Pakistani").count == 10_953
    assert SESSION_KEY not in officer_client.session

    listed = officer_client.get(reverse(LIST)).content.decode()
    assert "Imported TS021 Ethnic group for 10 areas from ons-custom-ts021-ltla.csv." in listed
    assert "by officer" in listed


def test_preview_says_which_areas_will_be_replaced(officer_client, fixture_path, stockport_loaded):
    officer_client.post(reverse(UPLOAD), {"file": _file(fixture_path, "nomis-api-ts021-ltla.csv")})
    preview = officer_client.get(reverse(CONFIRM)).content.decode()
    assert "1 already loaded for TS021" in preview
    assert "Yes, will be replaced" in preview


def test_upload_only_some_areas(officer_client, fixture_path):
    officer_client.post(
        reverse(UPLOAD), {"file": _file(fixture_path, "census2021-ts038-ltla.csv"), "areas": "e08000007, E08000009"}
    )
    officer_client.post(reverse(CONFIRM), {"confirm": "yes"})
    assert sorted(Baseline.objects.values_list("area__code", flat=True)) == ["E08000007", "E08000009"]


def test_cancel_stores_nothing(officer_client, fixture_path, snapshot, settings):
    before = snapshot()
    officer_client.post(reverse(UPLOAD), {"file": _file(fixture_path, "census2021-ts038-ltla.csv")})
    response = officer_client.post(reverse(CONFIRM), {"cancel": "yes"})
    assert response["Location"] == reverse(UPLOAD)
    assert snapshot() == before
    assert officer_client.get(reverse(CONFIRM))["Location"] == reverse(UPLOAD)  # nothing waiting any more
    assert not list((settings.CENSUS_UPLOAD_DIR).glob("*"))  # and the kept copy is gone


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (b"", "empty.csv", "The selected file is empty"),
        (b"PK\x03\x04" + b"\x01" * 200, "census.xlsx", "census.xlsx: not a CSV file: it looks like an Excel workbook"),
        (b"name,age\nAda,36\n", "people.csv", "people.csv, row 1: not a census file Chorus recognises"),
        (
            b"date,geography,geography code,Sex: All persons,Sex: Female,Sex: Male\n"
            b"2021,Stockport,E08000007,294773,151373,1434.5\n",
            "sex.csv",
            "sex.csv, row 2, column 6 (&#x27;Sex: Male&#x27;): count &#x27;1434.5&#x27; is not a whole number",
        ),
        (
            b"date,geography,geography code,Sex: All persons,Sex: Female,Sex: Male\n"
            b"2021,Stockport,E08000007,394773,151373,143400\n",
            "sex.csv",
            "the total in E08000007 is 394,773 but its categories add up to 294,773",
        ),
    ],
)
def test_bad_files_are_refused_with_the_same_messages(officer_client, snapshot, content, name, expected):
    before = snapshot()
    response = officer_client.post(reverse(UPLOAD), {"file": SimpleUploadedFile(name, content)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "govuk-error-summary" in page
    assert "<title>Error:" in page
    assert expected in page
    assert snapshot() == before
    assert SESSION_KEY not in officer_client.session


def test_file_over_the_size_limit(officer_client, settings, fixture_path, snapshot):
    settings.CENSUS_IMPORT_MAX_BYTES = 1024
    before = snapshot()
    page = officer_client.post(reverse(UPLOAD), {"file": _file(fixture_path, "census2021-ts021-ltla.csv")})
    assert "The selected file must be smaller than" in page.content.decode()
    assert snapshot() == before


def test_bad_area_codes(officer_client, fixture_path):
    page = officer_client.post(
        reverse(UPLOAD), {"file": _file(fixture_path, "census2021-ts038-ltla.csv"), "areas": "Stockport"}
    ).content.decode()
    assert "Enter ONS area codes like E08000007" in page


def test_an_area_not_in_the_file(officer_client, fixture_path):
    page = officer_client.post(
        reverse(UPLOAD), {"file": _file(fixture_path, "census2021-ts038-ltla.csv"), "areas": "E05000819"}
    ).content.decode()
    assert "area E05000819 is not in the file" in page


def test_confirm_checks_the_file_again(officer_client, fixture_path, snapshot, settings):
    """If the limits change (or the kept file is damaged) between preview and confirm, nothing is imported."""
    officer_client.post(reverse(UPLOAD), {"file": _file(fixture_path, "census2021-ts021-ltla.csv")})
    settings.CENSUS_IMPORT_MAX_BYTES = 100
    before = snapshot()
    page = officer_client.post(reverse(CONFIRM), {"confirm": "yes"}).content.decode()
    assert "over the limit of 100 bytes" in page
    assert snapshot() == before


def test_confirm_without_an_upload_goes_back_to_the_form(officer_client):
    response = officer_client.post(reverse(CONFIRM), {"confirm": "yes"})
    assert response["Location"] == reverse(UPLOAD)


def test_a_forged_upload_token_reads_nothing():
    assert pending_upload_read(token="../../etc/passwd") is None
    assert pending_upload_read(token="0" * 32) is None


def test_admin_lists_areas_and_baselines_and_defines_custom_areas(admin_client, stockport_loaded):
    assert admin_client.get(reverse("admin:representativeness_area_changelist")).status_code == 200
    baseline = Baseline.objects.get(area__code="E08000007", table="TS021")
    page = admin_client.get(reverse("admin:representativeness_baseline_change", args=[baseline.pk]))
    assert page.status_code == 200 and "Pakistani" in page.content.decode()
    Area.objects.create(code="E05000819", name="Altrincham", level="ward")
    components = list(Area.objects.values_list("pk", flat=True))
    response = admin_client.post(
        reverse("admin:representativeness_area_add"),
        {"code": "MY-AREA", "name": "My area", "level": "custom", "components": components},
    )
    assert response.status_code == 302
    assert Area.objects.get(code="MY-AREA").components.count() == 2
    refused = admin_client.post(
        reverse("admin:representativeness_area_add"),
        {"code": "ONE", "name": "One ward", "level": "custom", "components": components[:1]},
    )
    assert "at least two areas" in refused.content.decode()
