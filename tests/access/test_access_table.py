"""The access table, generated from the URL configuration: every URL under /officers/ and /admin/ is
requested as someone signed out, as each role, and as a member of another team, with the IDs in the
URL pointing at our team's objects and then, one at a time, at another team's.

EXPECTED below is written by hand, apart from the code it checks: a URL missing from it, a view
without a declared rule (access.views.staff_view), or an answer that differs from it fails.
"""

import datetime as dt
import uuid
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from access.table import ADMIN_PUBLIC, Route, guarded_routes
from engagement.models import Document, Event, FormatRequest
from exports.models import ResponseExport
from plans.models import Activity, Partner, TargetGroup
from representativeness.models import GroupDataset
from surveys.equality.services import equality_profile_create, equality_section_add
from surveys.models import Choice, GridRow, Page, Question, Response, Survey
from tests.factories import TeamFactory, staff_member

pytestmark = pytest.mark.django_db

ADMIN, OFFICER, ANALYST, VIEWER = "admin", "officer", "analyst", "viewer"
EVERYONE = {ADMIN, OFFICER, ANALYST, VIEWER}
BUILDERS = {ADMIN, OFFICER}
READERS = {ADMIN, OFFICER, ANALYST}
# The analyst is the only demo role with the equality-data grant; administrators do not get it with the role.
EQUALITY_GRANT = {ANALYST}

EXPECTED: dict[str, set[str]] = {
    "engagement:dashboard": EVERYONE,
    "engagement:survey_new": BUILDERS,
    "engagement:survey": EVERYONE,
    "engagement:survey_details": BUILDERS,
    "engagement:survey_duplicate": BUILDERS,
    "engagement:survey_delete": BUILDERS,
    "engagement:survey_publish": BUILDERS,
    "engagement:survey_close": BUILDERS,
    "engagement:preview_start": EVERYONE,
    "engagement:preview": EVERYONE,
    "engagement:equality_section": BUILDERS,
    "engagement:page_new": BUILDERS,
    "engagement:page": BUILDERS,
    "engagement:page_move": BUILDERS,
    "engagement:page_delete": BUILDERS,
    "engagement:page_condition": BUILDERS,
    "engagement:question_new": BUILDERS,
    "engagement:question_new_details": BUILDERS,
    "engagement:question": BUILDERS,
    "engagement:question_move": BUILDERS,
    "engagement:question_delete": BUILDERS,
    "engagement:question_condition": BUILDERS,
    "engagement:option_new": BUILDERS,
    "engagement:option": BUILDERS,
    "engagement:option_move": BUILDERS,
    "engagement:option_delete": BUILDERS,
    "engagement:staff_list": {ADMIN},
    "engagement:staff_new": {ADMIN},
    "engagement:staff_edit": {ADMIN},
    "engagement:team_new": {ADMIN},
    "engagement:team_edit": {ADMIN},
    "engagement:responses": READERS,
    "engagement:response": READERS,
    "engagement:response_equality": EQUALITY_GRANT,
    "engagement:response_delete": BUILDERS,
    "engagement:listing": BUILDERS,
    "engagement:documents": BUILDERS,
    "engagement:document": BUILDERS,
    "engagement:document_move": BUILDERS,
    "engagement:document_delete": BUILDERS,
    "engagement:events": BUILDERS,
    "engagement:event": BUILDERS,
    "engagement:event_delete": BUILDERS,
    "engagement:response_enter": BUILDERS,
    "engagement:format_requests": BUILDERS,
    "engagement:format_request_done": BUILDERS,
    "engagement:outcome": BUILDERS,
    "engagement:audit_log": {ADMIN},
    "engagement:data_request_find": {ADMIN},
    "engagement:data_request": {ADMIN},
    "engagement:data_request_erase": {ADMIN},
    "engagement:audit_download": {ADMIN},
    "representativeness:baseline_list": EVERYONE,
    "representativeness:baseline_upload": BUILDERS,
    "representativeness:baseline_upload_confirm": BUILDERS,
    "representativeness:report": EVERYONE,
    "representativeness:report_download": READERS,
    "representativeness:weighting": EVERYONE,
    "representativeness:weighting_download": READERS,
    "representativeness:equality_analysis": EVERYONE,
    "representativeness:equality_analysis_download": READERS,
    "representativeness:eqia": EVERYONE,
    "representativeness:eqia_download": READERS,
    "representativeness:lived_experience": EQUALITY_GRANT,
    "exports:new": READERS,
    "exports:export": READERS,
    "exports:download": READERS,
    "plans:plan": EVERYONE,
    "plans:suggestion_decision": BUILDERS,
    "plans:target_new": BUILDERS,
    "plans:target": BUILDERS,
    "plans:activity_new": BUILDERS,
    "plans:activity": BUILDERS,
    "plans:activity_delete": BUILDERS,
    "plans:activity_responses": BUILDERS,
    "plans:activity_response_remove": BUILDERS,
    "plans:activity_responses_from_event": BUILDERS,
    "plans:activity_attendees": BUILDERS,
    "plans:activity_profiles": BUILDERS,
    "plans:activity_profiles_report": EVERYONE,
    "plans:activity_profiles_download": READERS,
    "plans:partners": EVERYONE,
    "plans:partner_new": BUILDERS,
    "plans:partner": BUILDERS,
    "plans:partner_delete": BUILDERS,
    "representativeness:datasets": EVERYONE,
    "representativeness:dataset_new": BUILDERS,
    "representativeness:dataset": EVERYONE,
    "representativeness:dataset_download": READERS,
    "representativeness:dataset_delete": BUILDERS,
}


def _survey(team_name: str, slug: str) -> dict[str, Any]:
    survey = Survey.objects.create(title=f"{team_name} survey", slug=slug, team=TeamFactory(name=team_name))
    page = Page.objects.create(survey=survey, position=1, title="Views")
    question = Question.objects.create(page=page, position=1, key="often", text="How often?", type="single_choice")
    choice = Choice.objects.create(question=question, position=1, value="weekly", label="Weekly")
    grid = Question.objects.create(page=page, position=2, key="rate", text="Rate", type="grid")
    GridRow.objects.create(question=grid, position=1, value="paths", label="Paths")
    equality_section_add(survey=survey, keys=["sex"])
    response = Response.objects.create(survey=survey, reference=f"{slug[:4].upper()}-0001", submission_key=slug)
    export = ResponseExport.objects.create(survey=survey, requested_by=User.objects.first(), file_format="csv")
    equality_profile_create(response=response, answers={"about_you_sex": "female"}, section_skipped=False)
    document = Document.objects.create(survey=survey, title="Plan", kind="pdf", file=f"documents/{slug}.pdf", size=9)
    now = timezone.now()
    event = Event.objects.create(survey=survey, title="Drop-in", starts_at=now, ends_at=now + dt.timedelta(hours=1))
    request = FormatRequest.objects.create(survey=survey, formats=["paper"], name="Ann", address="1 High St")
    group = TargetGroup.objects.create(survey=survey, characteristic="sex", category="Female", target=10)
    activity = Activity.objects.create(survey=survey, kind="event", title="Drop-in", date="2027-01-09")
    partner, _ = Partner.objects.get_or_create(name="Age UK Trafford")
    dataset = GroupDataset.objects.create(
        team=survey.team, title="Users", file_name="users.csv", minimum_age=16, people=0, counts={}
    )
    return {
        "request_id": request.pk,
        "document_id": document.pk,
        "event_id": event.pk,
        "survey_id": survey.pk,
        "response_id": response.pk,
        "export_id": export.pk,
        "page_id": page.pk,
        "question_id": question.pk,
        "option_id": choice.pk,
        "kind": "choices",
        "question_type": "short_text",
        "file_format": "csv",
        "team_id": survey.team_id,
        "user_id": User.objects.order_by("pk").first().pk,
        "group_id": group.pk,
        "activity_id": activity.pk,
        "partner": partner.pk,
        "dataset_id": dataset.pk,
    }


OUTSIDER = "outsider"


@pytest.fixture
def world() -> dict[str, Any]:
    """Our team (Parks) and another (Planning), each with a survey, its parts and a response; staff of
    every role in Parks, and of every role but administrator in Planning ("outsiders")."""
    users = {
        ADMIN: staff_member("admin", role="Administrator", team=None),
        OFFICER: staff_member("officer"),
        ANALYST: staff_member("analyst", role="Analyst", equality_data=True),
        VIEWER: staff_member("viewer", role="Viewer"),
        "no_role": staff_member("nobody", role=None),
    }
    outsiders = {
        OFFICER: staff_member("planning", team="Planning"),
        ANALYST: staff_member("planning-analyst", role="Analyst", team="Planning", equality_data=True),
        VIEWER: staff_member("planning-viewer", role="Viewer", team="Planning"),
    }
    return {
        "users": users,
        OUTSIDER: outsiders,
        "ours": _survey("Parks", "parks"),
        "theirs": _survey("Planning", "plan"),
    }


def _admin_values(route: Route) -> dict[str, Any]:
    """Values for an admin URL's arguments: a real object of the model it names, its app."""
    values: dict[str, Any] = {"app_label": "surveys", "object_id": "1", "content_type_id": "1"}
    app_label, _, rest = route.name.removeprefix("admin:").partition("_")
    if app_label in {a.label for a in apps.get_app_configs()}:
        for model in apps.get_app_config(app_label).get_models():
            if rest.startswith(model._meta.model_name + "_"):
                obj = model._default_manager.order_by("pk").first()
                values["object_id"] = values["id"] = str(obj.pk) if obj is not None else "1"
    return values


def _url(route: Route, values: dict[str, Any]) -> str:
    missing = [a for a in route.arguments if a not in values]
    if missing:
        pytest.fail(f"No sample value for {missing} in {route.route}: add one to tests/access/test_access_table.py")
    return reverse(route.name, kwargs={a: values[a] for a in route.arguments})


def _request(client: Client, user: User | None, method: str, url: str) -> Any:
    """One request, its changes rolled back, so that each role finds the same world."""
    with transaction.atomic():
        if user is not None:
            client.force_login(user)
        response = client.post(url, {}) if method == "POST" else client.get(url)
        transaction.set_rollback(True)
    client.logout()
    return response


def _denied(response: Any) -> bool:
    return response.status_code in (403, 404)


def _sent_to_sign_in(response: Any, sign_in: str) -> bool:
    return response.status_code == 302 and response["Location"].startswith(sign_in)


OFFICER_ROUTES = [r for r in guarded_routes() if not r.is_admin]
# The admin's unnamed catch-all (any other /admin/ address) sends everyone to sign in or to a 404.
ADMIN_ROUTES = [r for r in guarded_routes() if r.is_admin and r.name and r.name not in ADMIN_PUBLIC]


def test_every_officer_url_has_a_declared_rule_and_a_row_in_the_table():
    names = {route.name for route in OFFICER_ROUTES}
    assert all(names), "every officer URL has a name"
    assert not [r.route for r in OFFICER_ROUTES if r.rule is None], "views without staff_view"
    assert not names - set(EXPECTED), "URLs missing from EXPECTED"
    assert not set(EXPECTED) - names, "EXPECTED names URLs that no longer exist"


@pytest.mark.parametrize("route", OFFICER_ROUTES, ids=lambda r: r.name)
def test_officer_url_answers_each_role_as_the_table_says(route: Route, world: dict[str, Any], client: Client):
    rule = route.rule
    assert rule is not None
    expected = EXPECTED[route.name]
    users, ours, theirs = world["users"], world["ours"], world["theirs"]
    url = _url(route, ours)
    object_arguments = [a for a in route.arguments if a.endswith("_id")]
    for method in rule.methods:
        assert _sent_to_sign_in(_request(client, None, method, url), "/accounts/login/"), (method, url, "anonymous")
        for role in sorted(EVERYONE):
            status = _request(client, users[role], method, url).status_code
            if role in expected:
                assert status not in (403, 404, 405, 500), (method, url, role, status)
            else:
                assert status == 403, (method, url, role, status)
        assert _request(client, users["no_role"], method, url).status_code == 403, (method, url, "no role")
        if not object_arguments:
            continue
        for role in sorted(expected - {ADMIN}):
            # Another team's member with the same role, on our objects.
            status = _request(client, world[OUTSIDER][role], method, url).status_code
            assert status == 403, (method, url, f"{role} of another team", status)
            # Our member, with one ID at a time changed to another team's object.
            for argument in object_arguments:
                swapped = _url(route, {**ours, argument: theirs[argument]})
                assert _denied(_request(client, users[role], method, swapped)), (method, swapped, role, argument)
            # An ID that names nothing.
            missing = _url(route, {**ours, object_arguments[0]: uuid.uuid4()})
            assert _request(client, users[role], method, missing).status_code == 404, (method, missing, role)
        if ADMIN in expected:
            # Administrators work on every team's objects, but the IDs in one URL must still belong together.
            status = _request(client, users[ADMIN], method, _url(route, theirs)).status_code
            assert status not in (403, 404, 405, 500), (method, url, "admin on another team", status)
            for argument in object_arguments[1:]:
                swapped = _url(route, {**ours, argument: theirs[argument]})
                assert _request(client, users[ADMIN], method, swapped).status_code == 404, (method, swapped)


def test_the_admin_is_for_administrators_only(world: dict[str, Any], client: Client):
    users = world["users"]
    assert len(ADMIN_ROUTES) > 40
    for route in ADMIN_ROUTES:
        url = _url(route, _admin_values(route))
        assert _sent_to_sign_in(_request(client, None, "GET", url), "/admin/login/"), url
        for role in (OFFICER, ANALYST, VIEWER):
            assert _sent_to_sign_in(_request(client, users[role], "GET", url), "/admin/login/"), (url, role)
        response = _request(client, users[ADMIN], "GET", url)
        assert not _sent_to_sign_in(response, "/admin/login/") and response.status_code < 500, url
