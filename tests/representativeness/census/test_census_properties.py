"""Property tests: the census importer fed damaged and random files either imports them or says what is
wrong, changes nothing when it refuses, and never fails with a server error (tests/strategies.py)."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from representativeness.census import CensusFileError, CensusUpload, census_files_parse
from tests.strategies import damaged_tables, random_files

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOOD = [(FIXTURES / name).read_bytes() for name in ("census2021-ts021-ltla.csv", "census2021-ts007a-ltla.csv")]
ANY_FILE = st.one_of(st.sampled_from(GOOD).flatmap(damaged_tables), random_files())
FIXTURE_OK = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large]


@settings(max_examples=150, deadline=None, suppress_health_check=FIXTURE_OK)
@given(data=ANY_FILE)
def test_the_parser_reads_a_file_or_says_what_is_wrong_with_it(data):
    try:
        parsed = census_files_parse(uploads=[CensusUpload(file_name="upload.csv", data=data)])
    except CensusFileError as error:
        message = str(error)
        assert message.strip() and "upload.csv" in message, message
    else:
        assert parsed and all(p.file_name == "upload.csv" for p in parsed)


@settings(max_examples=25, deadline=None, suppress_health_check=FIXTURE_OK)
@given(data=ANY_FILE)
def test_an_officer_uploading_any_file_gets_a_preview_or_a_clear_message_and_nothing_changes(
    data, client, officer, snapshot, settings_dir
):
    client.force_login(officer)
    before = snapshot()
    upload = SimpleUploadedFile("upload.csv", data, content_type="text/csv")
    page = client.post(reverse("representativeness:baseline_upload"), {"file": upload})
    assert page.status_code in (200, 302), page.status_code
    if page.status_code == 200:
        assert "There is a problem" in page.content.decode()
    assert snapshot() == before  # nothing is stored before the officer confirms the preview
    if page.status_code == 302:
        confirmed = client.post(reverse("representativeness:baseline_upload_confirm"), {"confirm": "yes"})
        assert confirmed.status_code in (200, 302), confirmed.status_code


@pytest.fixture
def settings_dir(settings, tmp_path):
    settings.CENSUS_UPLOAD_DIR = tmp_path / "uploads"
