"""The Django admin cannot switch the protection of "About you" answers off (issue 10, the reclassification attack).

An engagement officer with the admin once cleared the religion question's equality key: from then on
residents' religion answers were stored as ordinary consultation answers, which every officer reads and
retention never deletes. These tests replay that, and its variations, as that officer.
"""

from typing import Any

import pytest
from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client

from access.roles import Role
from surveys.models import Answer, EqualityProfile, Page, Question, Survey
from tests.factories import TeamFactory, staff_member
from tests.surveys.journey import WEEKLY_VISITOR_PAGES, Resident

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def officer(demo_survey) -> Client:
    """The engagement officer who runs the consultation, in its team."""
    Survey.objects.filter(pk=demo_survey.pk).update(team=TeamFactory(name="Parks"))
    return signed_in(staff_member("officer", role=Role.ENGAGEMENT_OFFICER, team="Parks"))


@pytest.fixture
def administrator() -> Client:
    """The only role with the admin at all: even they cannot switch the protection off there."""
    return signed_in(staff_member("admin", role=Role.ADMINISTRATOR, team=None))


def religion(survey: Survey) -> Question:
    return Question.objects.get(page__survey=survey, equality_key="religion")


def posted(response: Any) -> dict[str, Any]:
    """What a browser would post back from an admin change page, unchanged."""
    data: dict[str, Any] = {"_save": "Save"}
    all_forms: list[forms.BaseForm] = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management.add_prefix(name): management[name].value() for name in management.fields})
        all_forms.extend(inline.formset.forms)
    for form in all_forms:
        for name, field in form.fields.items():
            value = form[name].value()
            key = form.add_prefix(name)
            if isinstance(field.widget, forms.MultiWidget):
                for i, part in enumerate(field.widget.decompress(value)):
                    data[f"{key}_{i}"] = "" if part is None else str(part)
            elif isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif value is not None:
                data[key] = value
    return data


def answer_religion_and_send(survey: Survey, value: str) -> None:
    resident = Resident(Client(), survey)
    resident.answer_all(WEEKLY_VISITOR_PAGES)
    resident.answer("9")  # About you: continue
    step = str(religion(survey).page.position)
    page = resident.check_page()
    while page.status_code == 302 and "check-your-answers" not in page["Location"]:
        # Answer About you in order (pages open one after another): religion, and the rest left blank.
        fields = {f"{step}-about_you_religion": value} if page["Location"] == resident.url(step) else {}
        resident.client.post(page["Location"], {**fields, "action": "continue"})
        page = resident.check_page()
    assert resident.send().status_code == 302


def test_officer_cannot_clear_the_religion_question_s_equality_key(officer, administrator, demo_survey):
    question = religion(demo_survey)
    url = f"/admin/surveys/question/{question.pk}/change/"
    attack = {
        "page": question.page_id,
        "position": 1,
        "key": "religion",
        "text": question.text,
        "type": "single_choice",
    }
    # The officer who did it has no admin any more.
    refused = officer.post(url, {**attack, "equality_key": ""})
    assert refused.status_code == 302 and refused["Location"].startswith("/admin/login/")

    # Administrators see the question there, but cannot change or delete it, or its choices.
    page = administrator.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert administrator.post(url, {**attack, "equality_key": ""}).status_code == 403
    assert administrator.post(f"/admin/surveys/question/{question.pk}/delete/", {"post": "yes"}).status_code == 403
    question.refresh_from_db()
    assert question.equality_key == "religion" and question.choices.count() == 9

    # The religion page itself, and the question through it, are read-only too.
    page_url = f"/admin/surveys/page/{question.page_id}/change/"
    assert administrator.post(page_url, {"section": "consultation", "title": "Faith"}).status_code == 403
    assert administrator.post(f"/admin/surveys/page/{question.page_id}/delete/", {"post": "yes"}).status_code == 403

    answer_religion_and_send(demo_survey, "muslim")
    profile = EqualityProfile.objects.get()
    assert profile.religion == "muslim"
    assert not Answer.objects.filter(question=question).exists()  # not an ordinary answer anyone reads


def test_the_survey_page_list_cannot_move_about_you_pages_or_delete_them(administrator, demo_survey):
    question = religion(demo_survey)
    url = f"/admin/surveys/survey/{demo_survey.pk}/change/"
    data = posted(administrator.get(url))
    row = next(k.removesuffix("-id") for k, v in data.items() if k.endswith("-id") and str(v) == str(question.page_id))
    data.update({f"{row}-section": "consultation", f"{row}-title": "Faith", f"{row}-condition_question": ""})
    response = administrator.post(url, data)
    assert response.status_code == 302  # saved: the rest of the survey can still be edited here
    page = Page.objects.get(pk=question.page_id)
    assert (page.section, page.title) == (Page.Section.EQUALITY, question.text)

    response = administrator.post(url, {**data, f"{row}-DELETE": "on"})
    assert response.status_code == 200
    assert "About you pages are removed in the About you editor." in response.content.decode()
    assert Page.objects.filter(pk=question.page_id).exists()


def test_about_you_pages_only_hold_standard_questions_and_never_route_consultation_pages(administrator, demo_survey):
    about_you = religion(demo_survey).page
    # An ordinary question slipped onto an About you page would be stored as an ordinary answer.
    response = administrator.post(
        "/admin/surveys/question/add/",
        {"page": about_you.pk, "position": 2, "key": "faith", "text": "What is your faith?", "type": "short_text"},
    )
    assert response.status_code == 200
    assert "The About you section is changed only in the About you editor." in response.content.decode()
    assert not Question.objects.filter(key="faith").exists()

    # Nor can an ordinary page be shown only to people of one religion: its answers would say who they are.
    consultation = demo_survey.pages.get(position=1)
    url = f"/admin/surveys/page/{consultation.pk}/change/"
    data = posted(administrator.get(url))
    data.update(condition_question=religion(demo_survey).pk, condition_operator="equals", condition_values='["muslim"]')
    response = administrator.post(url, data)
    assert response.status_code == 200
    assert "Consultation questions cannot depend on About you answers" in response.content.decode()
    consultation.refresh_from_db()
    assert consultation.condition_question_id is None


def test_read_only_for_everyone_superusers_included(demo_survey):
    superuser = signed_in(User.objects.create_superuser("root", password="a-long-test-password"))
    question = religion(demo_survey)
    assert superuser.post(f"/admin/surveys/question/{question.pk}/change/", {"equality_key": ""}).status_code == 403
    consultation_question = Question.objects.get(page__survey=demo_survey, key="visit_frequency")
    url = f"/admin/surveys/question/{consultation_question.pk}/change/"
    data = posted(superuser.get(url))
    assert "equality_key" not in data  # not a field of the form at all
    data["equality_key"] = "religion"  # posted anyway
    assert superuser.post(url, data).status_code == 302
    consultation_question.refresh_from_db()
    assert consultation_question.equality_key == ""


def test_the_about_you_editor_still_changes_the_section(officer, demo_survey):
    response = officer.post(
        f"/officers/surveys/{demo_survey.pk}/about-you/", {"include_sex": "on", "position_sex": "1"}, follow=True
    )
    assert response.status_code == 200
    keys = set(
        Question.objects.filter(page__survey=demo_survey)
        .exclude(equality_key="")
        .values_list("equality_key", flat=True)
    )
    assert keys == {"sex"}


def test_a_nonsense_equality_key_never_reaches_the_database(demo_survey):
    question = religion(demo_survey)
    question.equality_key = "religon"
    with pytest.raises(ValidationError) as refused:
        question.full_clean()
    assert "equality_key" in refused.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Question.objects.filter(pk=question.pk).update(equality_key="religon")
    with pytest.raises(IntegrityError), transaction.atomic():
        Page.objects.filter(pk=question.page_id).update(section="special")
    assert religion(demo_survey).equality_key == "religion"
