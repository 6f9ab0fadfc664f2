"""Shared set-up for the API tests: staff in two teams with tokens, the demo consultation in Parks."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from access.roles import Role
from surveys.demo import demo_consultation_create
from surveys.equality.services import equality_section_add
from surveys.models import Survey
from tests.factories import TeamFactory, staff_member
from tests.representativeness.reports.conftest import area, survey  # noqa: F401  the report tests' known survey
from tests.surveys.conftest import WEEKLY_VISITOR as NORMALISED

# A weekly visitor's answers to the demo consultation (tests/surveys/conftest.py), as JSON: every grid row answered.
WEEKLY_VISITOR = {**NORMALISED, "facilities": {**NORMALISED["facilities"], "cafe": "good"}}


class Staff:
    """Everyone the API tests act as, each with a token."""

    def __init__(self) -> None:
        self.admin = staff_member("admin", role=Role.ADMINISTRATOR, team=None)
        self.officer = staff_member("officer", role=Role.ENGAGEMENT_OFFICER, team="Parks")
        self.planning = staff_member("planning", role=Role.ENGAGEMENT_OFFICER, team="Planning")
        self.analyst = staff_member("analyst", role=Role.ANALYST, team="Parks", equality_data=True)
        self.analyst_without = staff_member("analyst2", role=Role.ANALYST, team="Parks")
        self.viewer = staff_member("viewer", role=Role.VIEWER, team="Parks")

    def client(self, name: str | None) -> APIClient:
        """A client sending the named person's token, or nobody's (None)."""
        client = APIClient()
        if name is not None:
            token, _ = Token.objects.get_or_create(user=getattr(self, name))
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client


@pytest.fixture
def staff(db) -> Staff:
    return Staff()


@pytest.fixture
def demo(db) -> Survey:
    """The demo consultation (open), in the Parks team, with the standard About you section."""
    consultation = demo_consultation_create()
    equality_section_add(survey=consultation)
    consultation.team = TeamFactory(name="Parks")
    consultation.save(update_fields=["team"])
    return consultation


def errors_by_field(body: dict) -> dict:
    """{field: [messages]} from an error body ({"message", "errors": [{"field", "message"}]})."""
    out: dict = {}
    for error in body["errors"]:
        out.setdefault(error["field"], []).append(error["message"])
    return out
