"""Upload limits: a request body too large, or with too many fields, is refused with the council's 400
page (never a 500), and nothing is stored."""

import pytest

from surveys.demo import demo_consultation_create
from surveys.models import Response

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey_page(client):
    survey = demo_consultation_create()
    assert client.get(f"/s/{survey.slug}/questions/", follow=True).status_code == 200
    return f"/s/{survey.slug}/questions/1/"


def test_a_body_over_the_limit_gets_the_400_page(client, survey_page, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    page = client.post(survey_page, {"1-comments": "x" * 5000, "action": "continue"})
    assert page.status_code == 400
    assert "Sorry, there is a problem with your request" in page.content.decode()
    assert not Response.objects.exists()


def test_too_many_fields_get_the_400_page(client, survey_page, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 50
    page = client.post(survey_page, {f"field{i}": "x" for i in range(200)})
    assert page.status_code == 400
    assert "Sorry, there is a problem with your request" in page.content.decode()
    assert not Response.objects.exists()


def test_the_limits_are_set():
    from django.conf import settings

    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 10 * 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS == 2000 and settings.DATA_UPLOAD_MAX_NUMBER_FILES == 10
