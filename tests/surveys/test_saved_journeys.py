"""Save and come back later, the service: single-use hashed links that expire, and About you behind the reference."""

import datetime as dt

import pytest
from django.utils import timezone

from surveys.models import SavedJourney
from surveys.saved_journeys import (
    MAX_REFERENCE_ATTEMPTS,
    WrongReferenceError,
    journey_resume,
    journey_save,
    saved_journey_expiry,
    saved_journey_find,
    saved_journey_has_about_you,
    token_hash,
)
from tests.factories import SurveyFactory

pytestmark = pytest.mark.django_db

# Step 3 is a consultation page of the demo survey, 17 its religion page (About you).
WITH_ABOUT_YOU = {
    "step_data": {"3": {"3-main_park": ["stamford_park"]}, "17": {"17-about_you_religion": ["muslim"]}},
    "extra_data": {"reference": "K7PX-3QMA"},
}


def test_only_a_hash_of_the_token_is_stored():
    survey = SurveyFactory()
    result = journey_save(survey=survey, data={"step_data": {}}, current_step="1", reference="ABCD-EFGH")
    saved = SavedJourney.objects.get()
    assert len(result.token) >= 40
    assert result.token not in saved.token_hash and result.token not in str(saved.data)
    assert saved.token_hash == token_hash(result.token)
    assert saved_journey_find(survey=survey, token=result.token) == saved


def test_links_last_30_days_or_until_the_survey_closes_if_sooner():
    now = timezone.now()
    closes_soon = SurveyFactory(closes_at=now + dt.timedelta(days=10))
    closes_late = SurveyFactory(closes_at=now + dt.timedelta(days=90))
    never_closes = SurveyFactory(closes_at=None)
    assert saved_journey_expiry(survey=closes_soon, now=now) == closes_soon.closes_at
    assert saved_journey_expiry(survey=closes_late, now=now) == now + dt.timedelta(days=30)
    assert saved_journey_expiry(survey=never_closes, now=now) == now + dt.timedelta(days=30)


def test_wrong_expired_or_other_survey_tokens_find_nothing():
    survey = SurveyFactory()
    other = SurveyFactory()
    token = journey_save(survey=survey, data={}, current_step="1", reference="ABCD-EFGH").token
    assert saved_journey_find(survey=survey, token=token + "x") is None
    assert saved_journey_find(survey=survey, token="") is None
    assert saved_journey_find(survey=survey, token=token * 10) is None
    assert saved_journey_find(survey=other, token=token) is None
    later = timezone.now() + dt.timedelta(days=30, seconds=1)
    assert saved_journey_find(survey=survey, token=token, now=later) is None


def test_saving_again_gives_a_new_link_and_the_old_one_stops_working():
    survey = SurveyFactory()
    first = journey_save(survey=survey, data={"v": 1}, current_step="1", reference="ABCD-EFGH")
    second = journey_save(
        survey=survey, data={"v": 2}, current_step="3", reference="ABCD-EFGH", saved_journey_id=first.saved.pk
    )
    assert second.token != first.token
    assert saved_journey_find(survey=survey, token=first.token) is None
    saved = saved_journey_find(survey=survey, token=second.token)
    assert saved is not None and saved.pk == first.saved.pk
    assert saved.data == {"v": 2} and saved.current_step == "3"


def test_resuming_uses_the_link_up(demo_survey):
    result = journey_save(
        survey=demo_survey,
        data={"step_data": {"3": {"3-main_park": ["stamford_park"]}}},
        current_step="3",
        reference="K",
    )
    assert not saved_journey_has_about_you(saved=result.saved)
    restored = journey_resume(saved=result.saved, reference=None)
    assert restored == {"step_data": {"3": {"3-main_park": ["stamford_park"]}}, "current_step": "3"}
    assert saved_journey_find(survey=demo_survey, token=result.token) is None
    assert journey_resume(saved=result.saved, reference=None) is None  # a second device, a double click


def test_about_you_answers_come_back_only_with_the_reference(demo_survey):
    result = journey_save(survey=demo_survey, data=WITH_ABOUT_YOU, current_step="17", reference="K7PX-3QMA")
    assert saved_journey_has_about_you(saved=result.saved)
    with pytest.raises(WrongReferenceError) as wrong:
        journey_resume(saved=result.saved, reference="K7PX-3QMB")
    assert wrong.value.attempts_left == MAX_REFERENCE_ATTEMPTS - 1
    # Typed in lower case, with a space instead of the hyphen, it is the same reference.
    restored = journey_resume(saved=result.saved, reference=" k7px 3qma ")
    assert restored is not None and restored["step_data"]["17"] == {"17-about_you_religion": ["muslim"]}


def test_carrying_on_without_the_reference_leaves_about_you_behind(demo_survey):
    result = journey_save(survey=demo_survey, data=WITH_ABOUT_YOU, current_step="17", reference="K7PX-3QMA")
    restored = journey_resume(saved=result.saved, reference=None)
    assert restored is not None
    assert restored["step_data"] == {"3": {"3-main_park": ["stamford_park"]}}
    assert "muslim" not in str(restored)
    assert not SavedJourney.objects.exists()


def test_too_many_wrong_references_delete_the_about_you_answers(demo_survey):
    result = journey_save(survey=demo_survey, data=WITH_ABOUT_YOU, current_step="17", reference="K7PX-3QMA")
    for left in range(MAX_REFERENCE_ATTEMPTS - 1, -1, -1):
        with pytest.raises(WrongReferenceError) as wrong:
            journey_resume(saved=result.saved, reference="AAAA-AAAA")
        assert wrong.value.attempts_left == left
    saved = SavedJourney.objects.get()
    assert "muslim" not in str(saved.data) and "17" not in saved.data["step_data"]
    assert not saved_journey_has_about_you(saved=saved)
    # Even the right reference cannot bring them back now; the rest still comes back.
    restored = journey_resume(saved=saved, reference="K7PX-3QMA")
    assert restored is not None and restored["step_data"] == {"3": {"3-main_park": ["stamford_park"]}}
