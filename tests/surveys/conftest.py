import pytest

from surveys.demo import demo_consultation_create
from surveys.equality.services import equality_section_add
from surveys.models import Survey
from tests.surveys.journey import Resident


@pytest.fixture
def demo_survey(db) -> Survey:
    """The demo consultation with the standard "About you" section, as load_demo makes it."""
    survey = demo_consultation_create()
    equality_section_add(survey=survey)
    return survey


@pytest.fixture
def resident(client, demo_survey) -> Resident:
    """A resident answering the demo consultation through the test client."""
    return Resident(client, demo_survey)


# Normalised answers a resident who visits weekly might give to the demo's consultation pages.
WEEKLY_VISITOR = {
    "visit_frequency": "weekly",
    "main_park": "longford_park",
    "activities": ["walking", "other"],
    "activities__other": "Parkrun",
    "facilities": {"paths": "good", "toilets": "poor", "play_areas": "dont_know", "lighting": "adequate", "cafe": ""},
    "walk_minutes": "10",
    "last_visit": "2026-05-01",
    "plant_trees": "strongly_agree",
    "meadows": "agree",
    "comments": "More bins, please.",
    "updates": "yes",
    "email": "resident@example.com",
    "postcode": "M32 0TH",
}
