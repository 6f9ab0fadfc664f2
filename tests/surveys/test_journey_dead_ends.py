"""No dead ends and no lost answers: every option can be answered, no false "Response sent", the
Back button after sending, a survey closing mid-answer, changing answers, starting again, sessions."""

import datetime as dt
import re

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from common.templatetags.govuk_dates import govuk_time
from surveys.forms import PageForm
from surveys.models import Answer, EqualityProfile, Question, Response, Survey
from surveys.wizard.state import journey_prefix
from tests.factories import GridRowFactory, PageFactory, QuestionFactory, SurveyFactory, question_with_choices
from tests.surveys.journey import WEEKLY_VISITOR_PAGES, Resident

pytestmark = pytest.mark.django_db
T = Question.Type


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def resident(client, demo_survey):
    return Resident(client, demo_survey)


def finish(resident: Resident, pages=None) -> None:
    resident.answer_all(pages or WEEKLY_VISITOR_PAGES)
    resident.skip_about_you()


# Every question type renders every option and field it accepts --------------------------------


@pytest.fixture
def every_type_survey():
    survey = SurveyFactory()
    position = 0

    def page():
        nonlocal position
        position += 1
        return PageFactory(survey=survey, position=position)

    for type_ in (T.SINGLE_CHOICE, T.MULTIPLE_CHOICE, T.DROPDOWN):
        question_with_choices(page(), f"{type_}_q", type_, ["red", "blue"], allow_other=True)
    question_with_choices(page(), "agree_q", T.AGREEMENT, [], allow_other=True)
    grid = question_with_choices(page(), "grid_q", T.GRID, ["good", "poor"], allow_other=True)
    GridRowFactory(question=grid, position=1, value="paths", label="Paths")
    GridRowFactory(question=grid, position=2, value="toilets", label="Toilets")
    for type_ in (T.SHORT_TEXT, T.LONG_TEXT, T.EMAIL, T.NUMBER, T.DATE, T.DATE_OF_BIRTH):
        QuestionFactory(page=page(), position=1, key=f"{type_}_q", type=type_, allow_prefer_not_to_say=True)
    return survey


def test_every_question_type_renders_every_field_and_option_it_accepts(client, every_type_survey):
    from surveys.selectors import survey_structure_get

    resident = Resident(client, every_type_survey)
    for spec in survey_structure_get(survey=every_type_survey).pages:
        page = text(resident.client.get(resident.url(spec.step)))
        form = PageForm(prefix=spec.step, page=spec)
        for name, field in form.fields.items():
            html_name = f"{spec.step}-{name}"
            names = (
                [f"{html_name}_{part}" for part in ("day", "month", "year")]
                if name == spec.questions[0].key and (spec.questions[0].type in (T.DATE, T.DATE_OF_BIRTH))
                else [html_name]
            )
            for expected in names:
                assert f'name="{expected}"' in page, (spec.questions[0].type, expected)
            for value, _label in getattr(field, "choices", []):
                if value:
                    assert f'value="{value}"' in page, (spec.questions[0].type, value)
        assert resident.answer(spec.step, {}).status_code == 302


def test_a_dropdown_with_other_shows_its_text_box_and_its_error_links_to_it(client, every_type_survey):
    resident = Resident(client, every_type_survey)
    for step in ("1", "2"):
        resident.answer(step, {})
    page = text(resident.answer("3", {"dropdown_q": "other"}))
    assert '<a href="#id_3-dropdown_q__other">Describe your other answer for your answer to “dropdown_q”</a>' in page
    assert 'id="id_3-dropdown_q__other" name="3-dropdown_q__other"' in page
    assert resident.answer("3", {"dropdown_q": "other", "dropdown_q__other": "Green"}).status_code == 302


def test_a_grid_offers_no_other_it_could_not_keep(client, every_type_survey):
    resident = Resident(client, every_type_survey)
    for step in ("1", "2", "3", "4"):
        resident.answer(step, {})
    page = text(resident.client.get(resident.url("5")))
    assert 'value="other"' not in page and "Please specify" not in page
    refused = text(resident.answer("5", {"grid_q__row_paths": "other"}))
    assert "There is a problem" in refused


# Sent from another device ---------------------------------------------------------------------


def test_a_journey_sent_on_another_device_is_never_reported_as_sent_here(resident):
    resident.answer("1", {"visit_frequency": "weekly"})
    resident.answer("3", WEEKLY_VISITOR_PAGES["3"], action="save")
    link = re.search(r'id="resume-link" href="([^"]+)"', text(resident.client.get(f"/s/{resident.survey.slug}/saved/")))

    phone = Resident(Client(), resident.survey)
    phone.resume(link.group(1))
    phone.started = True
    finish(phone, {k: v for k, v in WEEKLY_VISITOR_PAGES.items() if k != "1"})
    assert phone.send()["Location"] == f"/s/{resident.survey.slug}/confirmation/"
    sent = Response.objects.get()

    # The first device carries on with different answers.
    finish(resident, {**WEEKLY_VISITOR_PAGES, "5": {"plant_trees": "disagree", "meadows": "agree"}})
    check = resident.check_page()
    page = text(check)
    assert "This response has already been sent" in page and "Response sent" not in page
    local = timezone.localtime(sent.submitted_at)
    assert f"on {local:%-d %B %Y}" in page and sent.reference in page
    assert "The answers on this device have not been sent" in page
    # Nothing is sent, the answers here are cleared, and sending the old page again says the same.
    again = text(resident.send(key=sent.submission_key))
    assert "This response has already been sent" in again and "Response sent" not in again
    assert Response.objects.count() == 1
    assert Answer.objects.get(question__key="plant_trees").choice.value == "strongly_agree"
    assert resident.client.get(resident.url("5"))["Location"] == resident.url("1")


# After sending -------------------------------------------------------------------------------


def test_after_sending_back_shows_the_confirmation_and_the_start_page_says_so(resident):
    finish(resident)
    resident.send()
    reference = Response.objects.get().reference
    confirmation = f"/s/{resident.survey.slug}/confirmation/"
    # The Back button: the check page and any question page lead to the confirmation, not a blank page.
    assert resident.check_page()["Location"] == confirmation
    assert resident.client.get(resident.url("1"))["Location"] == confirmation
    assert reference in text(resident.client.get(confirmation))
    start = text(resident.client.get(f"/s/{resident.survey.slug}/"))
    assert "A response to this consultation was sent from this device" in start
    assert "Start now" not in start and reference not in start
    # Someone else on the same device starts a response of their own, with nothing filled in.
    assert resident.client.post(f"/s/{resident.survey.slug}/start-again/")["Location"] == resident.url()
    first = text(resident.client.get(resident.url(), follow=True))
    assert "How often do you visit" in first and "checked" not in first
    assert "Start now" in text(resident.client.get(f"/s/{resident.survey.slug}/"))


def test_the_session_keeps_no_answers_after_sending(resident):
    finish(resident)
    resident.send()
    journey = resident.client.session[f"wizard_{journey_prefix(resident.survey)}"]
    assert journey["step_data"] == {} and journey["extra_data"] == {}


# Closing mid-answer ---------------------------------------------------------------------------


def close(survey: Survey, *, minutes_ago: int) -> None:
    Survey.objects.filter(pk=survey.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=minutes_ago))


def test_a_journey_under_way_may_finish_within_the_grace_period(resident, settings):
    settings.JOURNEY_CLOSING_GRACE_MINUTES = 30
    resident.answer_all({k: v for k, v in WEEKLY_VISITOR_PAGES.items() if k in "13"})
    resident.started_earlier(minutes=60)
    close(resident.survey, minutes_ago=10)
    resident.answer_all({k: v for k, v in WEEKLY_VISITOR_PAGES.items() if k not in "13"})
    resident.skip_about_you()
    page = text(resident.check_page())
    assert "This consultation closed at" in page and "you can still send your answers until" in page
    assert resident.send()["Location"] == f"/s/{resident.survey.slug}/confirmation/"
    assert Response.objects.count() == 1
    # Someone arriving now cannot start.
    assert "This consultation has closed" in text(Client().get(f"/s/{resident.survey.slug}/questions/1/"))


def test_after_the_grace_period_nothing_is_kept(resident, settings):
    settings.JOURNEY_CLOSING_GRACE_MINUTES = 30
    finish(resident)
    resident.started_earlier(minutes=60)
    close(resident.survey, minutes_ago=31)
    page = text(
        resident.send(
            key=resident.client.session[f"wizard_{journey_prefix(resident.survey)}"]["extra_data"]["submission_key"]
        )
    )
    assert "This consultation has closed" in page and "Your answers have not been sent" in page
    assert Response.objects.count() == 0


def test_a_journey_begun_after_closing_gets_no_grace(resident, settings):
    settings.JOURNEY_CLOSING_GRACE_MINUTES = 30
    finish(resident)
    close(resident.survey, minutes_ago=10)  # the journey's start is later than that
    assert "This consultation has closed" in text(resident.check_page())


# Changing answers keeps the routing right -----------------------------------------------------


def test_changing_an_early_answer_reroutes_later_pages_already_answered(resident):
    finish(resident)
    assert "When did you last visit" in text(resident.check_page())
    response = resident.answer("1", {"visit_frequency": "never"}, change=True)
    assert response["Location"] == resident.url("2") + "?change=1"
    assert resident.answer("2", {"barriers": ["too_far"]}, change=True)["Location"] == resident.url(
        "check-your-answers"
    )
    page = text(resident.check_page())
    assert "When did you last visit" not in page and "Which park do you visit most" not in page
    resident.send()
    assert not Answer.objects.filter(question__key__in=["last_visit", "main_park"]).exists()


def test_a_page_posted_is_the_only_page_validated(resident, monkeypatch):
    resident.answer_all({k: v for k, v in WEEKLY_VISITOR_PAGES.items() if k != "8"})
    validated = []
    original = PageForm.clean

    def counting(form):
        validated.append(form.page.step)
        return original(form)

    monkeypatch.setattr(PageForm, "clean", counting)
    assert resident.answer("8", WEEKLY_VISITOR_PAGES["8"]).status_code == 302
    assert validated == ["8"]
    validated.clear()
    resident.client.get(resident.url("9"))
    assert validated == []


# Start again ----------------------------------------------------------------------------------


def test_start_again_asks_first_and_only_a_post_clears_the_answers(resident):
    resident.answer("1", {"visit_frequency": "weekly"})
    start_again = f"/s/{resident.survey.slug}/start-again/"
    assert f'href="{start_again}"' in text(resident.client.get(f"/s/{resident.survey.slug}/"))
    # Links (a prefetching browser, a crawler, a stray click) never wipe anything.
    resident.client.get(resident.url() + "?reset=1")
    confirm = text(resident.client.get(start_again))
    assert "Are you sure you want to start again?" in confirm and 'method="post"' in confirm
    assert resident.client.get(resident.url("3")).status_code == 200  # page 3 still open: page 1 is answered
    assert resident.client.post(start_again)["Location"] == resident.url()
    assert resident.client.get(resident.url("3"))["Location"] == resident.url("1")


# Sessions -------------------------------------------------------------------------------------


def test_a_resident_session_expires_after_an_hour_without_activity(resident, settings):
    settings.RESIDENT_SESSION_IDLE_MINUTES = 60
    response = resident.start()
    assert resident.client.session.get_expiry_age() == 3600
    assert response.client.cookies["sessionid"]["max-age"] == 3600


def test_a_page_sent_after_the_session_expired_says_start_again(resident):
    resident.answer("1", {"visit_frequency": "weekly"})
    Session.objects.all().delete()  # what expiry does
    response = resident.answer("3", {"main_park": "stamford_park"})
    page = text(response)
    assert response.status_code == 200
    assert "You’ll have to start again" in page and "so we deleted your answers" in page
    assert "CSRF" not in page and Response.objects.count() == 0


# About you: skip the rest ---------------------------------------------------------------------


def test_skipping_the_rest_of_about_you_keeps_what_was_answered(resident):
    resident.answer_all(WEEKLY_VISITOR_PAGES)
    resident.answer("9")
    resident.answer("10", {"about_you_date_of_birth__age": "40"})
    assert resident.answer("11", {"about_you_sex": "female"}, action="skip_rest")["Location"] == resident.url(
        "check-your-answers"
    )
    page = text(resident.check_page())
    assert "Age 40" in page and "You chose to skip the rest of the About you questions" in page
    assert "What is your sex" not in page
    assert resident.client.get(resident.url("12"))["Location"] == resident.url("check-your-answers")
    resident.send()
    profile = EqualityProfile.objects.get()
    assert (profile.age, profile.sex, profile.section_skipped) == (40, None, False)


def test_every_journey_page_says_when_the_answers_will_be_deleted(resident, settings):
    settings.RESIDENT_SESSION_IDLE_MINUTES = 60
    page = text(resident.start())
    notice = re.search(r'id="timeout-notice">([^<]*)<', page).group(1)
    expected = timezone.now() + dt.timedelta(minutes=60)
    assert "we will delete your answers if you do nothing for 60 minutes" in notice
    # The time as GOV.UK writes it ("11am" on the hour, "4:53pm" otherwise); the page was made up to a minute ago.
    assert any(f"(at {govuk_time(expected - dt.timedelta(minutes=m))})" in notice for m in (0, 1)), notice
    assert "save your answers and come back later" in notice
    # With JavaScript, a warning 5 minutes before, counted from now on the resident's own clock.
    assert 'data-warn-seconds="300"' in page and re.search(r'data-expires-in="(359\d|3600)"', page)


def test_continue_answering_keeps_the_answers_for_another_idle_period(resident):
    resident.answer("1", {"visit_frequency": "weekly"})
    keep_alive = f"/s/{resident.survey.slug}/keep-alive/"
    response = resident.client.post(keep_alive)
    assert response.status_code == 200 and 3590 <= response.json()["expires_in"] <= 3600
    assert resident.client.get(keep_alive).status_code == 405
    assert Client().post(keep_alive).status_code == 410  # nothing here to keep


def test_when_the_time_is_up_the_answers_are_deleted(resident):
    resident.answer("1", {"visit_frequency": "weekly"})
    page = text(resident.client.get(f"/s/{resident.survey.slug}/timed-out/"))
    assert "You’ll have to start again" in page
    assert resident.client.get(resident.url("3"))["Location"] == resident.url("1")
