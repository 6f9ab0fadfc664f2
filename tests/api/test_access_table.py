"""The API's access table, generated from its URL configuration: every staff endpoint and method is requested
signed out, as each role, as a member of another team, and with the IDs in the URL pointing at our team's
objects and then, one at a time, at another team's: the same answers as the pages (tests/access/).

EXPECTED is written by hand, apart from the code it checks: an endpoint or method missing from it fails.
"""

import datetime as dt
import uuid
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.urls import URLPattern, reverse
from rest_framework.test import APIClient

from common.api.permissions import PUBLIC
from config.api_urls import v1
from plans.models import Activity
from representativeness.models import GroupDataset
from representativeness.populations.datasets import counts_as_json, dataset_counts, table_rows
from surveys.equality.services import equality_profile_create, equality_section_add
from surveys.models import Choice, Page, Question, Response, Survey
from tests.factories import TeamFactory, staff_member

pytestmark = pytest.mark.django_db

ADMIN, OFFICER, ANALYST, VIEWER = "admin", "officer", "analyst", "viewer"
EVERYONE = {ADMIN, OFFICER, ANALYST, VIEWER}
BUILDERS = {ADMIN, OFFICER}
READERS = {ADMIN, OFFICER, ANALYST}
EDIT = {"post": BUILDERS}

EXPECTED: dict[str, dict[str, set[str]]] = {
    "surveys": {"get": EVERYONE, "post": BUILDERS},
    "survey": {"get": EVERYONE, "patch": BUILDERS, "delete": BUILDERS},
    "survey_publish": EDIT,
    "survey_close": EDIT,
    "survey_duplicate": EDIT,
    "about_you": {"put": BUILDERS},
    "pages": EDIT,
    "page": {"patch": BUILDERS, "delete": BUILDERS},
    "page_move": EDIT,
    "page_condition": {"put": BUILDERS, "delete": BUILDERS},
    "questions": EDIT,
    "question": {"patch": BUILDERS, "delete": BUILDERS},
    "question_move": EDIT,
    "question_condition": {"put": BUILDERS, "delete": BUILDERS},
    "options": EDIT,
    "option": {"patch": BUILDERS, "delete": BUILDERS},
    "option_move": EDIT,
    "responses": {"get": READERS},
    "response": {"get": READERS, "delete": BUILDERS},
    "export": {"get": READERS},
    "export_dictionary": {"get": READERS},
    "report": {"get": EVERYONE},
    "weighted_results": {"get": EVERYONE},
    "attendees_report": {"get": EVERYONE},
    "dataset_report": {"get": EVERYONE},
    "baselines": {"get": EVERYONE},
    "baseline_import": {"post": BUILDERS},
    "audit_entries": {"get": {ADMIN}},
}
PUBLIC_ROUTES = {"public_surveys", "public_survey", "submit"}


def _counts() -> dict:
    header, rows = table_rows(file_name="users.csv", data=b"Sex\nFemale\n")
    return counts_as_json(dataset_counts(header, rows, on=dt.date.today(), mappings={}))


def _survey(team_name: str, slug: str) -> dict[str, Any]:
    survey = Survey.objects.create(title=f"{team_name} survey", slug=slug, team=TeamFactory(name=team_name))
    page = Page.objects.create(survey=survey, position=1, title="Views")
    question = Question.objects.create(page=page, position=1, key="often", text="How often?", type="single_choice")
    choice = Choice.objects.create(question=question, position=1, value="weekly", label="Weekly")
    equality_section_add(survey=survey, keys=["sex"])
    response = Response.objects.create(survey=survey, reference=f"{slug[:4].upper()}-0001", submission_key=slug)
    equality_profile_create(response=response, answers={"about_you_sex": "female"}, section_skipped=False)
    activity = Activity.objects.create(survey=survey, kind="panel", title="Panel", date="2027-02-01")
    dataset = GroupDataset.objects.create(
        team=survey.team, title="Users", file_name="users.csv", minimum_age=16, people=1, counts=_counts()
    )
    return {
        "survey_id": survey.pk,
        "page_id": page.pk,
        "question_id": question.pk,
        "option_id": choice.pk,
        "kind": "choices",
        "response_id": response.pk,
        "activity_id": activity.pk,
        "dataset_id": dataset.pk,
    }


@pytest.fixture
def world() -> dict[str, Any]:
    return {
        "users": {
            ADMIN: staff_member("admin", role="Administrator", team=None),
            OFFICER: staff_member("officer"),
            ANALYST: staff_member("analyst", role="Analyst", equality_data=True),
            VIEWER: staff_member("viewer", role="Viewer"),
            "no_role": staff_member("nobody", role=None),
        },
        "outsiders": {
            OFFICER: staff_member("planning", team="Planning"),
            ANALYST: staff_member("planning-analyst", role="Analyst", team="Planning", equality_data=True),
            VIEWER: staff_member("planning-viewer", role="Viewer", team="Planning"),
        },
        "ours": _survey("Parks", "parks"),
        "theirs": _survey("Planning", "plan"),
    }


ROUTES = [p for p in v1 if isinstance(p, URLPattern)]


def _arguments(route: URLPattern) -> list[str]:
    return list(route.pattern.regex.groupindex)


def _request(user: User | None, method: str, url: str) -> int:
    """One request, its changes rolled back, so that each role finds the same world."""
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    with transaction.atomic():
        status = getattr(client, method)(url, {}, format="json").status_code
        transaction.set_rollback(True)
    return status


def test_every_endpoint_and_method_has_a_row_and_public_ones_are_declared_public():
    for route in ROUTES:
        policy = route.callback.view_class.policy
        if route.name in PUBLIC_ROUTES:
            assert set(policy.values()) == {PUBLIC}, route.name
        else:
            assert set(policy) == set(EXPECTED[route.name]), route.name
    assert {r.name for r in ROUTES} == set(EXPECTED) | PUBLIC_ROUTES


CASES = [(r, m) for r in ROUTES if r.name in EXPECTED for m in EXPECTED[r.name]]


@pytest.mark.parametrize("route, method", CASES, ids=lambda v: v if isinstance(v, str) else v.name)
def test_each_role_gets_what_the_table_says(route: URLPattern, method: str, world: dict[str, Any]):
    expected = EXPECTED[route.name][method]
    users, ours, theirs = world["users"], world["ours"], world["theirs"]
    arguments = _arguments(route)

    def url(values: dict[str, Any]) -> str:
        return reverse(f"api:v1:{route.name}", kwargs={a: values[a] for a in arguments})

    assert _request(None, method, url(ours)) == 401
    for role in sorted(EVERYONE):
        status = _request(users[role], method, url(ours))
        if role in expected:
            assert status not in (401, 403, 404, 405, 500), (method, url(ours), role, status)
        else:
            assert status == 403, (method, url(ours), role, status)
    assert _request(users["no_role"], method, url(ours)) == 403
    ids = [a for a in arguments if a.endswith("_id")]
    if not ids:
        return
    for role in sorted(expected - {ADMIN}):
        assert _request(world["outsiders"][role], method, url(ours)) == 403, (method, role, "of another team")
        for argument in ids:
            swapped = url({**ours, argument: theirs[argument]})
            assert _request(users[role], method, swapped) in (403, 404), (method, swapped, role, argument)
        missing = url({**ours, ids[0]: uuid.uuid4() if ids[0] in ("survey_id", "response_id", "dataset_id") else 10**9})
        assert _request(users[role], method, missing) == 404, (method, missing, role)
    if ADMIN in expected:
        # Administrators work on every team's objects, but the IDs in one URL must still belong together.
        assert _request(users[ADMIN], method, url(theirs)) not in (403, 404, 405, 500)
        for argument in ids[1:]:
            assert _request(users[ADMIN], method, url({**ours, argument: theirs[argument]})) == 404
