"""The survey builder's pages, as an officer uses them: create, build, route, preview, publish, close,
duplicate, delete; refusals shown as GOV.UK errors; every audited action recorded."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from audit.models import AuditAction, AuditEntry
from surveys.models import Answer, Question, Response, SavedJourney, Survey
from tests.factories import ResponseFactory, TeamFactory, staff_member

pytestmark = pytest.mark.django_db

DETAILS = {
    "title": "Future of Longford Park",
    "slug": "longford-park",
    "summary": "What should change in Longford Park?",
    "introduction": "Tell us what you think.",
    "opens_on_0": "1",
    "opens_on_1": "6",
    "opens_on_2": "2026",
    "closes_on_0": "31",
    "closes_on_1": "12",
    "closes_on_2": "2030",
    "privacy_notice": "Trafford Council runs this consultation.",
    "report_area_code": "",
    "minimum_age": "16",
}


@pytest.fixture
def officer_client(client):
    officer = staff_member("officer")
    TeamFactory(name="Planning")
    client.force_login(officer)
    return client


def create(client, **changes) -> Survey:
    team = TeamFactory(name="Parks")
    response = client.post(reverse("engagement:survey_new"), {**DETAILS, "team": team.pk, **changes})
    assert response.status_code == 302, response.text
    return Survey.objects.get(slug=changes.get("slug", DETAILS["slug"]))


def test_creating_a_survey_checks_the_form_and_offers_only_the_officers_team(officer_client):
    page = officer_client.get(reverse("engagement:survey_new"))
    assert ">Parks<" in page.text and "Planning" not in page.text
    bad = officer_client.post(
        reverse("engagement:survey_new"),
        {
            **DETAILS,
            "title": "",
            "slug": "Longford Park!",
            "closes_on_0": "31",
            "closes_on_1": "2",
            "team": TeamFactory(name="Parks").pk,
        },
    )
    assert bad.status_code == 200 and "<title>Error:" in bad.text
    assert 'href="#id_title">Enter the survey&#x27;s title' in bad.text
    assert "The web address can only have lower-case letters" in bad.text
    assert 'href="#id_closes_on_0">Closing date must be a real date' in bad.text
    assert not Survey.objects.exists()
    survey = create(officer_client)
    assert (survey.status, survey.team.name, survey.pages.count()) == ("draft", "Parks", 1)
    assert survey.closes_at.isoformat().startswith("2030-12-31T23:59:59")
    assert AuditEntry.objects.filter(action=AuditAction.SURVEY_CREATED, object_id=str(survey.pk)).exists()
    duplicate = officer_client.post(reverse("engagement:survey_new"), {**DETAILS, "team": survey.team_id})
    assert "Another survey already uses this web address" in duplicate.text


def test_an_officer_builds_routes_previews_and_publishes(officer_client):
    survey = create(officer_client, privacy_notice="")
    first = survey.pages.get()
    ids = {"survey_id": survey.pk}
    # A question: choose its kind, then its details.
    kind = officer_client.post(
        reverse("engagement:question_new", kwargs=ids | {"page_id": first.pk}), {"type": "single_choice"}
    )
    assert kind["Location"].endswith("/questions/new/single_choice/")
    officer_client.post(
        kind["Location"], {"text": "How often do you visit?", "required": "on", "choices": "Weekly\nNever\n"}
    )
    often = Question.objects.get(key="how_often_do_you_visit")
    assert list(often.choices.values_list("label", flat=True)) == ["Weekly", "Never"]
    # A second page, shown only to people who never visit, chosen in two steps.
    officer_client.post(reverse("engagement:page_new", kwargs=ids), {"title": "Why not"})
    why = survey.pages.get(title="Why not")
    condition_url = reverse("engagement:page_condition", kwargs=ids | {"page_id": why.pk})
    step = officer_client.get(condition_url)
    assert "How often do you visit?" in step.text
    chosen = officer_client.post(condition_url, {"step": "question", "question": often.pk})
    answers_page = officer_client.get(chosen["Location"])
    assert "Which answers to “How often do you visit?” show it?" in answers_page.text
    officer_client.post(condition_url, {"step": "answers", "question": often.pk, "values": ["never"]})
    why.refresh_from_db()
    assert (why.condition_question, why.condition_values) == (often, ["never"])
    overview = officer_client.get(reverse("engagement:survey", kwargs=ids))
    assert "Only if the answer to “How often do you visit?” is Never" in overview.text
    assert 'Move down<span class="govuk-visually-hidden"> page Future of Longford Park' in overview.text

    # Preview stores nothing, and shows the messages residents would get.
    preview = reverse("engagement:preview", kwargs=ids | {"page_id": first.pk})
    assert "How often do you visit?" in officer_client.get(preview).text
    checked = officer_client.post(preview, {})
    assert checked.status_code == 400 and "<title>Error:" in checked.text and "Select" in checked.text
    fine = officer_client.post(preview, {f"{first.position}-{often.key}": "weekly"})
    assert "These answers would be accepted. Nothing has been saved." in fine.text
    assert not Response.objects.exists() and not SavedJourney.objects.exists()

    # The checklist lists every problem, each linked to where to fix it; the Why not page has no questions yet.
    checklist = officer_client.get(reverse("engagement:survey_publish", kwargs=ids))
    links = dict((text, href) for href, text in re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', checklist.text))
    assert any(
        "no privacy notice" in text and href.endswith("/details/#id_privacy_notice") for text, href in links.items()
    )
    assert officer_client.post(reverse("engagement:survey_publish", kwargs=ids)).status_code == 400
    assert Survey.objects.get(pk=survey.pk).status == "draft"
    officer_client.post(reverse("engagement:survey_details", kwargs=ids), {**DETAILS, "team": survey.team_id})
    published = officer_client.post(reverse("engagement:survey_publish", kwargs=ids))
    assert published.status_code == 302
    assert Survey.objects.get(pk=survey.pk).status == "open"
    assert AuditEntry.objects.filter(action=AuditAction.SURVEY_PUBLISHED, object_id=str(survey.pk)).count() == 1

    officer_client.post(reverse("engagement:survey_close", kwargs=ids))
    assert Survey.objects.get(pk=survey.pk).status == "closed"
    assert AuditEntry.objects.filter(action=AuditAction.SURVEY_CLOSED, object_id=str(survey.pk)).count() == 1


def test_the_checklist_links_question_problems_to_the_question(officer_client):
    survey = create(officer_client)
    page = survey.pages.get()
    Question.objects.create(page=page, position=1, key="pick", text="Pick one", type="single_choice", required=True)
    checklist = officer_client.get(reverse("engagement:survey_publish", args=[survey.pk]))
    question = Question.objects.get(key="pick")
    assert f'href="/officers/surveys/{survey.pk}/questions/{question.pk}/#choices"' in checklist.text
    assert "has no choices to pick from" in checklist.text


def test_refused_changes_after_answers_are_explained_and_change_nothing(officer_client):
    survey = create(officer_client)
    page = survey.pages.get()
    question = Question.objects.create(page=page, position=1, key="often", text="How often?", type="single_choice")
    weekly = question.choices.create(position=1, value="weekly", label="Weekly")
    Answer.objects.create(response=ResponseFactory(survey=survey), question=question, choice=weekly)
    url = reverse("engagement:question", args=[survey.pk, question.pk])
    retype = officer_client.post(url, {"text": "How often?", "type": "short_text", "key": "often"})
    assert retype.status_code == 400 and "The type cannot change: 1 person has answered this question" in retype.text
    reword = officer_client.post(url, {"text": "How often do you go?", "type": "single_choice", "key": "often"})
    assert "Confirm that the new wording asks the same thing" in reword.text
    assert 'name="confirm_reword"' in reword.text
    delete = officer_client.post(reverse("engagement:question_delete", args=[survey.pk, question.pk]))
    assert delete.status_code == 400 and "deleting it would lose their answers" in delete.text
    choice_delete = officer_client.post(
        reverse("engagement:option_delete", args=[survey.pk, question.pk, "choices", weekly.pk])
    )
    assert choice_delete.status_code == 400 and "1 person chose it" in choice_delete.text
    question.refresh_from_db()
    assert (question.text, question.type, question.choices.count()) == ("How often?", "single_choice", 1)
    confirmed = officer_client.post(
        url, {"text": "How often do you go?", "type": "single_choice", "key": "often", "confirm_reword": "on"}
    )
    assert confirmed.status_code == 302
    assert AuditEntry.objects.get(action=AuditAction.QUESTION_REWORDED).detail["after"] == "How often do you go?"


def test_duplicate_and_delete_a_draft(officer_client):
    survey = create(officer_client)
    copied = officer_client.post(reverse("engagement:survey_duplicate", args=[survey.pk]))
    copy = Survey.objects.get(slug="longford-park-copy")
    assert copied["Location"] == reverse("engagement:survey", args=[copy.pk])
    assert officer_client.post(reverse("engagement:survey_delete", args=[copy.pk])).status_code == 302
    assert not Survey.objects.filter(pk=copy.pk).exists()
    entry = AuditEntry.objects.get(action=AuditAction.SURVEY_DELETED)
    assert (entry.object_label, entry.object_id) == ("Copy of Future of Longford Park", str(copy.pk))
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.OPEN)
    refused = officer_client.post(reverse("engagement:survey_delete", args=[survey.pk]))
    assert "Only a draft that nobody has answered can be deleted" in refused.text
    assert Survey.objects.filter(pk=survey.pk).exists()


def test_moving_pages_works_with_plain_form_posts(officer_client):
    survey = create(officer_client)
    officer_client.post(reverse("engagement:page_new", args=[survey.pk]), {"title": "Second"})
    second = survey.pages.get(title="Second")
    moved = officer_client.post(reverse("engagement:page_move", args=[survey.pk, second.pk]), {"direction": "up"})
    assert moved["Location"].endswith(f"#page-{second.pk}")
    assert list(survey.pages.order_by("position").values_list("title", flat=True)) == [
        "Second",
        "Future of Longford Park",
    ]
    stuck = officer_client.post(
        reverse("engagement:page_move", args=[survey.pk, second.pk]), {"direction": "up"}, follow=True
    )
    assert "“Second” is already the first page." in stuck.text


def test_administrators_add_staff_who_choose_their_own_password(client):
    admin = staff_member("admin", role="Administrator", team=None)
    parks = TeamFactory(name="Parks")
    client.force_login(admin)
    missing_team = client.post(
        reverse("engagement:staff_new"), {"username": "sam", "email": "sam@example.gov.uk", "role": "Analyst"}
    )
    assert "Select their team" in missing_team.text
    added = client.post(
        reverse("engagement:staff_new"),
        {"username": "sam", "email": "sam@example.gov.uk", "role": "Analyst", "team": parks.pk, "equality_data": "on"},
    )
    assert added.status_code == 302
    (welcome,) = mail.outbox
    assert "/accounts/reset/" in welcome.body and welcome.to == ["sam@example.gov.uk"]
    # A welcome, not the reset email a new starter might ignore ("If you did not ask for this...").
    assert welcome.subject.startswith("Your staff account for") and "choose your password" in welcome.subject
    assert "An administrator has given you a staff account, sam," in welcome.body
    assert "reset the password" not in welcome.body
    sam = Survey._meta.apps.get_model("auth", "User").objects.get(username="sam")
    assert sam.has_perm("surveys.view_equality_data") and sam.membership.team == parks
    client.post(
        reverse("engagement:staff_edit", args=[sam.pk]), {"role": "Viewer", "team": parks.pk, "is_active": "on"}
    )
    entry = AuditEntry.objects.filter(action=AuditAction.STAFF_CHANGED).get()
    assert entry.detail == {"role": "Analyst -> Viewer", "equality_data": "True -> False"}
    client.post(reverse("engagement:staff_edit", args=[sam.pk]), {"role": "Viewer", "team": parks.pk})  # unticked
    sam.refresh_from_db()
    assert not sam.is_active
    own = client.post(reverse("engagement:staff_edit", args=[admin.pk]), {"role": "Administrator"})
    assert "You cannot deactivate yourself" in own.text
