"""Lived experience: one group's free-text answers, for staff who may see equality data, audited."""

import pytest
from django.urls import reverse

from audit.models import AuditAction, AuditEntry
from surveys.models import Answer, EqualityProfile, Question
from tests.factories import staff_member

DISABLED = "Disabled under the Equality Act"


@pytest.fixture
def written(analysed_survey):
    page = analysed_survey.pages.get(position=1)
    question = Question.objects.create(
        page=page, position=9, key="why", text="Tell us why", type=Question.Type.LONG_TEXT
    )
    profiles = EqualityProfile.objects.filter(survey=analysed_survey).order_by("response__reference")
    disabled = [p.response_id for p in profiles.filter(long_term_condition="yes")[:3]]
    others = [p.response_id for p in profiles.filter(long_term_condition="no")[:2]]
    for response_id in disabled:
        Answer.objects.create(response_id=response_id, question=question, text="The path has no dropped kerb")
    for response_id in others:
        Answer.objects.create(response_id=response_id, question=question, text="More bins please")
    return analysed_survey


def url(survey, group: str = "") -> str:
    return reverse("representativeness:lived_experience", args=[survey.pk]) + (f"?group={group}" if group else "")


def test_staff_with_the_permission_read_one_groups_words_and_it_is_audited(client, written):
    user = staff_member("analyst", role="Analyst", equality_data=True, team="Parks")
    client.force_login(user)
    page = client.get(url(written, f"disability:{DISABLED}")).content.decode()
    assert "Disabled respondents: 100 responded" in page
    assert page.count("The path has no dropped kerb") == 3
    assert "More bins please" not in page
    entry = AuditEntry.objects.filter(actor=user).latest("pk")
    assert entry.action == AuditAction.EQUALITY_ANSWERS_VIEWED
    assert entry.detail == {"view": "lived experience", "characteristic": "disability", "group": DISABLED, "answers": 3}


def test_a_detailed_group_such_as_people_limited_a_lot_can_be_read(client, written):
    user = staff_member("analyst", role="Analyst", equality_data=True, team="Parks")
    client.force_login(user)
    page = client.get(url(written)).content.decode()
    assert "Day-to-day activities limited a lot (100 responded)" in page
    page = client.get(url(written, "disability.detailed:Day-to-day activities limited a lot")).content.decode()
    assert "Respondents whose day-to-day activities are limited a lot: 100 responded" in page
    assert page.count("The path has no dropped kerb") == 3 and "More bins please" not in page
    entry = AuditEntry.objects.filter(actor=user).latest("pk")
    assert entry.detail["characteristic"] == "disability.detailed" and entry.detail["answers"] == 3


def test_a_group_below_the_threshold_is_not_shown_or_audited(client, written):
    user = staff_member("analyst", role="Analyst", equality_data=True, team="Parks")
    client.force_login(user)
    response = client.get(url(written, "sex:Male"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Fewer than 10 people in this group responded, so their words are not shown" in page
    assert "Male (7 responded: too few to show)" in page
    assert not AuditEntry.objects.filter(actor=user, action=AuditAction.EQUALITY_ANSWERS_VIEWED).exists()


def test_an_unknown_group_is_a_clear_message(client, written):
    client.force_login(staff_member("analyst", role="Analyst", equality_data=True, team="Parks"))
    response = client.get(url(written, "religion:Jedi"))
    assert response.status_code == 400
    assert "Choose a group of a characteristic the survey asks about." in response.content.decode()


def test_staff_without_the_permission_are_refused(client, written):
    client.force_login(staff_member("officer"))
    response = client.get(url(written, f"disability:{DISABLED}"))
    assert response.status_code == 403
    assert "The path has no dropped kerb" not in response.content.decode()
