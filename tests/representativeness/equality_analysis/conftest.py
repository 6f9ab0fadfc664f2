"""A survey whose answers by group are fully known: disabled respondents agree less with the proposal.

Proposal (agreement scale):       agree  neither  disagree  don't know   answered
  Disabled (long-term, a lot)        41       10        45           4        100
  Not disabled                      630      100       250          20       1000
  Prefer not to say (disability)      5        0         5           0         10

Sex: everyone is a woman except seven disabled men (a group too small to publish). How often: the
disabled split 50 weekly / 50 never, everyone else 500 / 500. Facilities (multiple choice): every
disabled respondent ticks "Toilets", one in five of everyone else.
"""

import itertools

import pytest
from django.core.management import call_command

from engagement.builder.services.structure import QuestionDetails, question_add
from representativeness.models import Area
from surveys.equality.services import equality_section_add
from surveys.models import Answer, EqualityProfile, Page, Question, Response, Survey
from surveys.selectors import DEFAULT_AGREEMENT_CHOICES
from tests.factories import TeamFactory, respondent_unsaved
from tests.representativeness.reports.conftest import area, survey, voted  # noqa: F401 (the weighting tests' survey)
from tests.representativeness.reports.test_sex_by_age import joint_survey  # noqa: F401 (sex and age together)

PROPOSAL = "Do you agree with the proposal?"
AGREEMENT = {
    "disabled": {
        "strongly_agree": 20,
        "agree": 21,
        "neither": 10,
        "disagree": 30,
        "strongly_disagree": 15,
        "dont_know": 4,
    },
    "not_disabled": {
        "strongly_agree": 300,
        "agree": 330,
        "neither": 100,
        "disagree": 200,
        "strongly_disagree": 50,
        "dont_know": 20,
    },
    "unstated": {"agree": 5, "disagree": 5},
}
DISABILITY = {
    "disabled": {"long_term_condition": "yes", "disability": "a_lot"},
    "not_disabled": {"long_term_condition": "no"},
    "unstated": {"long_term_condition": "prefer_not_to_say"},
}


def _question(page: Page, text: str, kind: str, choices: list[str], rows: list[str] | None = None) -> Question:
    details = QuestionDetails(text=text, hint="", type=kind, required=False)
    return question_add(page=page, details=details, choices=choices, **({"rows": rows} if rows else {}))


@pytest.fixture(scope="module")
def shipped_census(django_db_setup, django_db_blocker):
    """The shipped census data, loaded once for the module (each test's own changes are rolled back)."""
    with django_db_blocker.unblock():
        call_command("load_census", verbosity=0)
    yield
    with django_db_blocker.unblock():
        Area.objects.all().delete()


@pytest.fixture
def analysed_survey(db) -> Survey:
    parks = Survey.objects.create(
        title="Parks", slug="parks", status=Survey.Status.DRAFT, team=TeamFactory(name="Parks"), minimum_age=16
    )
    page = parks.pages.create(position=1, title="Your views")
    proposal = _question(page, PROPOSAL, Question.Type.AGREEMENT, [label for _, label in DEFAULT_AGREEMENT_CHOICES])
    for choice, (value, _) in zip(proposal.choices.order_by("position"), DEFAULT_AGREEMENT_CHOICES, strict=True):
        choice.value = value
        choice.save(update_fields=["value"])
    often = _question(page, "How often do you visit?", Question.Type.SINGLE_CHOICE, ["Weekly", "Never"])
    facilities = _question(page, "Which facilities do you use?", Question.Type.MULTIPLE_CHOICE, ["Toilets", "Cafe"])
    equality_section_add(survey=parks, keys=["sex", "long_term_condition", "disability"])
    Survey.objects.filter(pk=parks.pk).update(status=Survey.Status.OPEN)

    agreement = {c.value: c for c in proposal.choices.all()}
    weekly, never = often.choices.order_by("position")
    toilets, cafe = facilities.choices.order_by("position")
    responses, profiles, answers = [], [], []
    counter = itertools.count()
    for group, split in AGREEMENT.items():
        people = [value for value, n in split.items() for _ in range(n)]
        for index, value in enumerate(people):
            i = next(counter)
            male = group == "disabled" and index < 7
            response, profile = respondent_unsaved(
                parks,
                f"T{i:07d}",
                sex="male" if male else "female",
                **DISABILITY[group],
            )
            responses.append(response)
            profiles.append(profile)
            answers.append(Answer(response=response, question=proposal, choice=agreement[value]))
            answers.append(Answer(response=response, question=often, choice=weekly if index % 2 == 0 else never))
            if group == "disabled" or index % 5 == 0:
                answers.append(Answer(response=response, question=facilities, choice=toilets))
            else:
                answers.append(Answer(response=response, question=facilities, choice=cafe))
    Response.objects.bulk_create(responses)
    EqualityProfile.objects.bulk_create(profiles)
    Answer.objects.bulk_create(answers)
    return parks
