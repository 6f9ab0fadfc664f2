"""The resident journey through a survey: the wizard (view.py), what it keeps in the session (state.py)
and "Check your answers" (check.py)."""

from surveys.wizard.state import (
    REFERENCE,
    SUBMISSION_KEY,
    TOKEN,
    journey_clear,
    journey_exists,
    journey_in_progress,
    journey_restore,
    journey_storage,
    resident_session_touch,
    submitted_get,
)
from surveys.wizard.view import CHECK_STEP, SurveyJourney, start_again_response, unavailable_response

__all__ = [
    "CHECK_STEP",
    "REFERENCE",
    "SUBMISSION_KEY",
    "TOKEN",
    "SurveyJourney",
    "journey_clear",
    "journey_exists",
    "journey_in_progress",
    "journey_restore",
    "journey_storage",
    "resident_session_touch",
    "start_again_response",
    "submitted_get",
    "unavailable_response",
]
