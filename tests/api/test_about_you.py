"""Choosing a survey's About you questions through the API, as the About you editor does."""

import pytest

from surveys.models import Question
from tests.api.conftest import errors_by_field

pytestmark = pytest.mark.django_db


def about_you_keys(survey) -> list[str]:
    questions = Question.objects.filter(page__survey=survey).exclude(equality_key="")
    return list(questions.order_by("page__position", "position").values_list("equality_key", flat=True))


def test_an_officer_chooses_the_questions_their_order_and_why_they_are_asked(staff, demo):
    body = {"questions": [{"key": "ethnic_group", "why_we_ask": "To see who we miss."}, {"key": "sex"}]}
    reply = staff.client("officer").put(f"/api/v1/surveys/{demo.pk}/about-you/", body, format="json")
    assert reply.status_code == 200, reply.json()
    assert about_you_keys(demo) == ["ethnic_group", "sex"]
    asked = {q["equality_key"]: q for p in reply.json()["pages"] for q in p["questions"] if q["equality_key"]}
    assert asked["ethnic_group"]["why_we_ask"] == "To see who we miss."
    assert asked["sex"]["why_we_ask"]  # the library's own text


def test_an_unknown_question_is_refused_naming_it_and_nothing_changes(staff, demo):
    before = about_you_keys(demo)
    reply = staff.client("officer").put(
        f"/api/v1/surveys/{demo.pk}/about-you/", {"questions": [{"key": "star_sign"}]}, format="json"
    )
    assert reply.status_code == 400
    assert list(errors_by_field(reply.json())) == ["questions.0.key"]
    assert about_you_keys(demo) == before


def test_an_empty_list_removes_the_section_and_viewers_cannot(staff, demo):
    url = f"/api/v1/surveys/{demo.pk}/about-you/"
    assert staff.client("viewer").put(url, {"questions": []}, format="json").status_code == 403
    assert staff.client("planning").put(url, {"questions": []}, format="json").status_code == 403
    assert staff.client("officer").put(url, {"questions": []}, format="json").status_code == 200
    assert about_you_keys(demo) == []
