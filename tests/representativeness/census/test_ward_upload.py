"""An officer's upload of ward baselines names the council the wards lie in (wards are areas inside their
council), checked against the councils whose census is loaded, and stored with the baselines or not at all."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from representativeness.census import CensusUpload
from representativeness.models import Area, Baseline
from representativeness.services import census_files_import
from tests.representativeness.census.test_census_views import CONFIRM, LIST, UPLOAD

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.representativeness.census.census_test_urls")]

TRAFFORD, STOCKPORT = "E08000009", "E08000007"
WARDS = "ons-custom-ts030-wards.csv"  # Trafford's 21 wards


@pytest.fixture(autouse=True)
def _uploads_kept_in_tmp(settings, tmp_path):
    settings.CENSUS_UPLOAD_DIR = tmp_path / "uploads"


@pytest.fixture
def councils(fixture_path):
    path = fixture_path("census2021-ts021-ltla.csv")
    census_files_import(
        uploads=[CensusUpload(file_name=path.name, data=path.read_bytes())], area_codes=[TRAFFORD, STOCKPORT]
    )


def _wards(fixture_path) -> SimpleUploadedFile:
    return SimpleUploadedFile(WARDS, fixture_path(WARDS).read_bytes(), content_type="text/csv")


def test_a_ward_upload_is_placed_in_the_council_the_officer_chooses(client, officer, fixture_path, councils):
    client.force_login(officer)
    form = client.get(reverse(UPLOAD)).text
    assert "Council the wards lie in" in form and f'value="{TRAFFORD}"' in form

    response = client.post(reverse(UPLOAD), {"file": _wards(fixture_path), "council": TRAFFORD})
    assert response.status_code == 302
    preview = client.get(reverse(CONFIRM)).text
    assert "The 21 wards will be placed in Trafford (E08000009)" in preview
    response = client.post(reverse(CONFIRM), {"confirm": "yes"})
    assert response["Location"] == reverse(LIST)
    wards = Area.objects.filter(level="ward")
    assert wards.count() == 21 and set(wards.values_list("parent__code", flat=True)) == {TRAFFORD}
    listed = client.get(reverse(LIST)).text
    assert "Placed 21 wards in Trafford: its surveys now ask residents to pick one of them." in listed


def test_a_ward_upload_without_a_council_is_refused_and_stores_nothing(client, officer, fixture_path, councils):
    client.force_login(officer)
    page = client.post(reverse(UPLOAD), {"file": _wards(fixture_path)})
    assert page.status_code == 200 and "Error: " in page.text
    assert "Choose the council these 21 wards lie in" in page.text
    assert not Baseline.objects.filter(area__level="ward").exists()


def test_a_council_that_is_not_loaded_is_refused(client, officer, fixture_path, councils):
    client.force_login(officer)
    page = client.post(reverse(UPLOAD), {"file": _wards(fixture_path), "council": "E06000021"})
    assert "Choose a council whose census is loaded" in page.text
    assert not Baseline.objects.filter(area__level="ward").exists()


def test_wards_already_placed_in_another_council_are_refused_and_nothing_is_stored(
    client, officer, fixture_path, councils
):
    client.force_login(officer)
    client.post(reverse(UPLOAD), {"file": _wards(fixture_path), "council": TRAFFORD})
    client.post(reverse(CONFIRM), {"confirm": "yes"})
    before = list(Baseline.objects.order_by("pk").values_list("pk", "imported_at"))

    page = client.post(reverse(UPLOAD), {"file": _wards(fixture_path), "council": STOCKPORT})
    assert page.status_code == 200
    assert "E05000819 (Altrincham) is a ward of Trafford, not of Stockport" in page.text
    assert list(Baseline.objects.order_by("pk").values_list("pk", "imported_at")) == before
    assert set(Area.objects.filter(level="ward").values_list("parent__code", flat=True)) == {TRAFFORD}
