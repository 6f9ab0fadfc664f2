"""Property tests: any answers posted to any page of the demo survey are either taken or refused with a
message saying what to do; never a server error, and nothing is stored until the resident sends their
answers (tests/strategies.py)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveys.models import Response, SavedJourney
from tests.strategies import NASTY_CELLS
from tests.surveys.journey import WEEKLY_VISITOR_PAGES, Resident

pytestmark = pytest.mark.django_db

FIELDS = sorted({name for fields in WEEKLY_VISITOR_PAGES.values() for name in fields})
VALUES = st.one_of(NASTY_CELLS, st.lists(NASTY_CELLS, max_size=4), st.text(min_size=5000, max_size=12000))
ANSWERS = st.dictionaries(st.one_of(st.sampled_from(FIELDS), st.text(max_size=20)), VALUES, max_size=8)
STEPS = st.sampled_from([*WEEKLY_VISITOR_PAGES, "2", "9", "check-your-answers", "99", "0", "../1"])
ACTIONS = st.sampled_from(["continue", "skip", "save", "", "delete", "x" * 300])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(step=STEPS, answers=ANSWERS, action=ACTIONS, answered_first=st.booleans())
def test_any_answers_to_any_page_are_taken_or_refused_clearly(
    client, demo_survey, step, answers, action, answered_first
):
    client.cookies.clear()
    resident = Resident(client, demo_survey)
    if answered_first:
        resident.answer("1", WEEKLY_VISITOR_PAGES["1"])
    responses, saved = Response.objects.count(), SavedJourney.objects.count()

    page = resident.answer(step, answers, action=action)

    assert page.status_code in (200, 302, 400, 404, 429), page.status_code
    if page.status_code == 200 and "govuk-error-summary" in page.content.decode():
        assert "There is a problem" in page.content.decode()
    assert Response.objects.count() == responses  # only "Accept and send" stores a response
    assert SavedJourney.objects.count() in (saved, saved + 1)  # "save" may keep the answers for later


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=st.one_of(st.text(max_size=80), st.just("")), extra=ANSWERS)
def test_sending_with_any_submission_key_stores_at_most_one_response(client, demo_survey, key, extra):
    client.cookies.clear()
    resident = Resident(client, demo_survey)
    resident.answer_all(WEEKLY_VISITOR_PAGES)
    resident.skip_about_you()
    before = Response.objects.count()
    page = client.post(resident.url("check-your-answers"), {"submission_key": key, **extra})
    assert page.status_code in (200, 302, 400), page.status_code
    assert Response.objects.count() - before in (0, 1)
