"""Views for residents: the public pages and the journey through a survey."""

from surveys.views.journey import (
    confirmation,
    journey,
    journey_keep_alive,
    journey_resume,
    journey_saved,
    journey_start_again,
    journey_timed_out,
)
from surveys.views.public import accessibility, cookies, privacy, survey_privacy, survey_start

__all__ = [
    "accessibility",
    "confirmation",
    "cookies",
    "journey",
    "journey_keep_alive",
    "journey_resume",
    "journey_saved",
    "journey_start_again",
    "journey_timed_out",
    "privacy",
    "survey_privacy",
    "survey_start",
]
