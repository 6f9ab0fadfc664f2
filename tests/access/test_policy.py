"""The access policy's decisions: role, team, the separate equality-data grant."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import PermissionDenied

from access.policy import Action, allowed, require, visible
from access.roles import EQUALITY_PERMISSION, ROLE_PERMISSIONS, Role
from surveys.models import Response, Survey
from tests.factories import ResponseFactory, SurveyFactory, TeamFactory, staff_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def parks_survey():
    return SurveyFactory(team=TeamFactory(name="Parks"))


def test_the_roles_migration_made_four_groups_none_with_the_equality_permission():
    groups = {g.name: g for g in Group.objects.prefetch_related("permissions__content_type")}
    assert set(groups) >= set(Role.values)
    for role in Role.values:
        held = {f"{p.content_type.app_label}.{p.codename}" for p in groups[role].permissions.all()}
        assert held == set(ROLE_PERMISSIONS[role])
        assert EQUALITY_PERMISSION not in held


@pytest.mark.parametrize(
    ("role", "may"),
    [
        (Role.ENGAGEMENT_OFFICER, {"view", "edit", "responses", "download", "delete_response"}),
        (Role.ANALYST, {"view", "responses", "download"}),
        (Role.VIEWER, {"view"}),
    ],
)
def test_each_role_on_its_own_teams_survey_and_none_on_another_teams(role, may, parks_survey):
    actions = {
        "view": Action.SURVEY_VIEW,
        "edit": Action.SURVEY_EDIT,
        "responses": Action.RESPONSE_VIEW,
        "download": Action.DOWNLOAD,
        "delete_response": Action.RESPONSE_DELETE,
    }
    ours = staff_member("ours", role=role)
    theirs = staff_member("theirs", role=role, team="Planning")
    for name, action in actions.items():
        assert allowed(ours, action, parks_survey) is (name in may), name
        assert allowed(ours, action) is (name in may), name
        assert not allowed(theirs, action, parks_survey), name
    assert not allowed(ours, Action.EQUALITY_DATA_VIEW, parks_survey)
    assert not allowed(ours, Action.STAFF_MANAGE) and not allowed(ours, Action.AUDIT_VIEW)


def test_equality_data_is_a_grant_on_top_of_a_role_and_still_limited_to_the_team(parks_survey):
    viewer = staff_member("viewer", role=Role.VIEWER, equality_data=True)
    assert allowed(viewer, Action.EQUALITY_DATA_VIEW, parks_survey)
    assert not allowed(
        staff_member("other", role=Role.ANALYST, team="Planning", equality_data=True),
        Action.EQUALITY_DATA_VIEW,
        parks_survey,
    )
    administrator = staff_member("admin", role=Role.ADMINISTRATOR, team=None)
    assert allowed(administrator, Action.SURVEY_EDIT, parks_survey)
    assert not allowed(administrator, Action.EQUALITY_DATA_VIEW, parks_survey)  # not with the role


def test_a_survey_without_a_team_is_for_administrators_only():
    survey = SurveyFactory(team=None)
    assert not allowed(staff_member("officer"), Action.SURVEY_VIEW, survey)
    assert allowed(staff_member("admin", role=Role.ADMINISTRATOR, team=None), Action.SURVEY_VIEW, survey)


def test_nobody_signed_out_inactive_or_without_a_role_passes(parks_survey):
    assert not allowed(AnonymousUser(), Action.SURVEY_VIEW)
    inactive = staff_member("gone")
    inactive.is_active = False
    inactive.save()
    assert not allowed(inactive, Action.SURVEY_VIEW, parks_survey)
    assert not allowed(staff_member("nobody", role=None), Action.SURVEY_VIEW, parks_survey)


def test_a_response_belongs_to_its_surveys_team(parks_survey):
    response = ResponseFactory(survey=parks_survey)
    assert allowed(staff_member("analyst", role=Role.ANALYST), Action.RESPONSE_VIEW, response)
    assert not allowed(staff_member("planning", team="Planning"), Action.RESPONSE_VIEW, response)


def test_require_says_why(parks_survey):
    with pytest.raises(PermissionDenied, match="another team"):
        require(staff_member("planning", team="Planning"), Action.SURVEY_EDIT, parks_survey)
    with pytest.raises(PermissionDenied, match="permission to view equality data"):
        require(staff_member("officer"), Action.EQUALITY_DATA_VIEW, parks_survey)


def test_visible_keeps_each_team_to_its_own_rows(parks_survey):
    planning = SurveyFactory(team=TeamFactory(name="Planning"))
    ResponseFactory(survey=parks_survey)
    ResponseFactory(survey=planning)
    assert list(visible(staff_member("officer"), Survey.objects.all())) == [parks_survey]
    responses = visible(staff_member("planning", team="Planning"), Response.objects.all(), team_field="survey__team")
    assert [r.survey for r in responses] == [planning]
    assert visible(staff_member("admin", role=Role.ADMINISTRATOR, team=None), Survey.objects.all()).count() == 2
    assert not visible(staff_member("loner", team=None), Survey.objects.all()).exists()
