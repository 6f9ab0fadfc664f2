"""The OpenAPI schema: valid, documented from the project (no CDN), and true of the API: schemathesis sends
generated requests to every operation, signed out and as an officer, and every answer is no server error, has
a documented status and content type, and matches the schema."""

import zlib

import pytest
import schemathesis
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from surveys.models import Question, Survey

pytestmark = pytest.mark.django_db


def test_the_schema_is_valid_openapi_3(tmp_path):
    # drf-spectacular's --validate checks the schema against the OpenAPI 3 specification and fails on warnings.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    text = (tmp_path / "schema.yaml").read_text()
    assert text.startswith("openapi: 3.")
    for path in ("/api/v1/public/surveys/{slug}/responses/", "/api/v1/surveys/{survey_id}/report/"):
        assert f"  {path}:" in text


def test_the_documentation_page_is_served_from_the_project(client):
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "swagger-ui" in html and '<script src="/api/docs/?script=">' in html
    # No inline script (the Content Security Policy forbids it): the start-up script is a file of its own.
    assert "<script>" not in html
    assert "/api/schema/" in client.get("/api/docs/?script=").content.decode()
    # Every script and style comes from our own static files: nothing from another site.
    assert "http://" not in html and "https://" not in html and 'src="//' not in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    # ...which the project itself serves (collected from drf-spectacular-sidecar).
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")


def test_the_schema_is_public_json_or_yaml(client):
    assert (
        APIClient()
        .get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
        .json()["openapi"]
        .startswith("3.")
    )


schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
CHECKS = [status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def world(demo, staff):
    """The demo survey (so generated requests reach real objects as well as missing ones) and an officer's token.

    Requests go straight to the WSGI application, whose end-of-request signal would close the test's database
    connection: it is kept open, as Django's own test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield {
        "survey": demo,
        "question": Question.objects.filter(page__survey=demo, equality_key="").first(),
        "token": Token.objects.create(user=staff.officer).key,
    }
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _aim(case, world) -> None:
    """Point half the generated identifiers at real objects: random ones only ever find nothing."""
    survey: Survey = world["survey"]
    params = case.path_parameters or {}
    if "survey_id" in params and zlib.crc32(str(params).encode()) % 2 == 0:
        params["survey_id"] = str(survey.pk)
        if "question_id" in params:
            params["question_id"] = world["question"].pk
        if "page_id" in params:
            params["page_id"] = world["question"].page_id
    if "slug" in params and zlib.crc32(str(params).encode()) % 2 == 0:
        params["slug"] = survey.slug


@schema.parametrize()
@settings(max_examples=6, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck), database=None)
def test_no_server_errors_and_answers_match_the_schema(case, world):
    _aim(case, world)
    for headers in ({}, {"Authorization": f"Token {world['token']}"}):
        response = case.call(headers=headers)
        assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code}"
        case.validate_response(response, checks=CHECKS)
