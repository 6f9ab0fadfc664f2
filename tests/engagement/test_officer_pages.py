"""Officers' pages: the About you section editor, responses, and who may see individual equality answers."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from audit.models import AuditAction, AuditEntry
from surveys.equality.services import equality_profile_create, equality_section_add
from surveys.models import EqualityProfile, Page, Question, Response, Survey
from tests.factories import TeamFactory, staff_member

pytestmark = pytest.mark.django_db


def officer(username="officer", *perms: str) -> User:
    """An engagement officer in Parks, the survey's team."""
    return staff_member(username, equality_data="view_equality_data" in perms)


@pytest.fixture
def survey():
    survey = Survey.objects.create(
        title="Parks", slug="parks", status=Survey.Status.OPEN, team=TeamFactory(name="Parks")
    )
    page = Page.objects.create(survey=survey, position=1, title="Views")
    Question.objects.create(page=page, position=1, key="views", text="Your views", type="long_text")
    equality_section_add(survey=survey, keys=["sex", "ethnic_group"])
    return survey


@pytest.fixture
def response(survey):
    response = Response.objects.create(survey=survey, reference="ABC123", submission_key="k")
    equality_profile_create(
        response=response,
        answers={
            "about_you_sex": "female",
            "about_you_ethnic_group": "other_asian",
            "about_you_ethnic_group__other": "Nepali",
        },
        section_skipped=False,
    )
    return response


def test_dashboard_and_overview_list_the_surveys_with_their_responses(client, response):
    client.force_login(officer())
    dashboard = client.get(reverse("engagement:dashboard"))
    assert dashboard.status_code == 200
    assert "Parks" in dashboard.text
    overview = client.get(reverse("engagement:survey", args=[response.survey_id]))
    assert "1 online" in overview.text
    assert "What is your ethnic group?" in overview.text  # the About you questions it asks
    assert client.get(reverse("engagement:responses", args=[response.survey_id])).status_code == 200


def test_officer_pages_need_a_login(client, survey):
    page = client.get(reverse("engagement:survey", args=[survey.pk]))
    assert page.status_code == 302 and "/accounts/login/" in page["Location"]


def test_officer_without_permission_cannot_see_individual_equality_answers(client, response):
    client.force_login(officer())
    detail = client.get(reverse("engagement:response", args=[response.pk]))
    assert detail.status_code == 200
    assert "Only staff with permission to view equality data" in detail.text
    assert "Other Asian" not in detail.text and "Any other Asian background" not in detail.text
    assert client.get(reverse("engagement:response_equality", args=[response.pk])).status_code == 403


def test_officer_with_permission_sees_the_answers_as_the_resident_gave_them(client, response):
    client.force_login(officer("analyst", "view_equality_data"))
    page = client.get(reverse("engagement:response_equality", args=[response.pk]))
    assert page.status_code == 200
    assert "Any other Asian background: Nepali" in page.text
    assert "Female" in page.text
    entry = AuditEntry.objects.get(action=AuditAction.EQUALITY_ANSWERS_VIEWED)
    assert (entry.actor_name, entry.object_label, entry.ip_address) == ("analyst", "ABC123", "127.0.0.1")
    assert "Nepali" not in str(entry.detail) and "female" not in str(entry.detail)


def test_deleting_a_response_deletes_its_equality_answers(client, response):
    client.force_login(officer())
    result = client.post(reverse("engagement:response_delete", args=[response.pk]))
    assert result.status_code == 302
    assert not Response.objects.exists() and not EqualityProfile.objects.exists()
    entry = AuditEntry.objects.get(action=AuditAction.RESPONSE_DELETED)
    assert (entry.object_type, entry.object_label) == ("response", "ABC123")


def test_officer_chooses_the_about_you_questions_and_their_order(client, survey):
    client.force_login(officer())
    url = reverse("engagement:equality_section", args=[survey.pk])
    assert client.get(url).status_code == 200
    data = {
        "include_religion": "on",
        "position_religion": "1",
        "why_religion": "To plan faith-group meetings.",
        "include_date_of_birth": "on",
        "position_date_of_birth": "2",
    }
    assert client.post(url, data).status_code == 302
    questions = Question.objects.filter(page__survey=survey).exclude(equality_key="").order_by("page__position")
    assert [q.equality_key for q in questions] == ["religion", "date_of_birth"]
    assert questions[0].why_we_ask == "To plan faith-group meetings."


def test_a_follow_up_without_its_first_question_is_refused_with_a_message(client, survey):
    client.force_login(officer())
    url = reverse("engagement:equality_section", args=[survey.pk])
    page = client.post(url, {"include_disability": "on", "position_disability": "1"})
    assert page.status_code == 200
    assert "add that first" in page.text
    assert page.text.count("<title>Error:") == 1
    assert Question.objects.filter(page__survey=survey, equality_key="sex").exists()  # unchanged
