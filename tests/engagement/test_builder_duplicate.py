"""Duplicating a survey: a draft copy with the same pages, questions, choices, grid rows, routing and About
you section, which routes and stores the same answers the same way as the original."""

import datetime as dt
from typing import Any

import pytest

from audit.models import AuditAction, AuditEntry
from audit.services import Actor
from engagement.builder.services.routing import condition_set
from engagement.builder.services.structure import QuestionDetails, page_add, question_add
from engagement.builder.services.surveys import survey_duplicate
from surveys import routing
from surveys.equality.services import equality_section_add
from surveys.models import Answer, EqualityProfile, Page, Question, Survey
from surveys.selectors import survey_structure_get
from surveys.services import response_submit
from tests.factories import TeamFactory, staff_member

pytestmark = pytest.mark.django_db
T = Question.Type


def details(text: str, type: str, **kwargs: Any) -> QuestionDetails:
    return QuestionDetails(text=text, hint="", type=type, required=kwargs.pop("required", False), **kwargs)


@pytest.fixture
def original() -> Survey:
    survey = Survey.objects.create(
        title="Parks",
        slug="parks",
        team=TeamFactory(name="Parks"),
        privacy_notice="Trafford Council runs this consultation.",
        status=Survey.Status.OPEN,
        opens_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        closes_at=dt.datetime(2027, 1, 1, tzinfo=dt.UTC),
    )
    visits = Page.objects.create(survey=survey, position=1, title="Visits")
    often = question_add(
        page=visits, details=details("How often?", T.SINGLE_CHOICE, required=True), choices=["Weekly", "Never"]
    )
    question_add(
        page=visits,
        details=details("What do you do?", T.MULTIPLE_CHOICE, allow_other=True),
        choices=["Walking", "Sport"],
    )
    why = page_add(survey=survey, title="Why not")
    question_add(page=why, details=details("Why?", T.SINGLE_CHOICE, allow_other=True), choices=["Too far", "Unsafe"])
    condition_set(item=why, question_id=often.pk, values=["never"])
    rating = page_add(survey=survey, title="Facilities")
    question_add(page=rating, details=details("Rate them", T.GRID), choices=["Good", "Poor"], rows=["Paths", "Toilets"])
    comments = question_add(page=rating, details=details("Anything else?", T.LONG_TEXT, max_length=500))
    condition_set(item=rating, question_id=often.pk, values=["weekly"])
    condition_set(item=comments, question_id=often.pk, values=["weekly"])
    equality_section_add(survey=survey, keys=["date_of_birth", "sex", "ethnic_group"])
    return survey


def _route_and_store(survey: Survey, answers: dict[str, Any], key: str) -> tuple[list[str], list[tuple], dict]:
    structure = survey_structure_get(survey=survey)

    def answers_for(page: Any, prior: Any) -> dict[str, Any]:
        keys = {q.key for q in page.questions}
        return {k: v for k, v in answers.items() if k.split("__")[0] in keys}

    route = routing.route(structure.pages, answers_for, equality_skipped=False, today=dt.date(2026, 6, 1))
    titles = [structure.steps[step].page.title for step in route.steps]
    result = response_submit(
        survey=survey, submission_key=key, reference=key[:12], answers=route.answers, structure=structure
    )
    stored = sorted(
        (a.question.key, a.grid_row.value if a.grid_row else "", a.choice.value if a.choice else "", a.text)
        for a in Answer.objects.filter(response=result.response).select_related("question", "grid_row", "choice")
    )
    profile = EqualityProfile.objects.get(response=result.response)
    return titles, stored, {f: getattr(profile, f) for f in ("age", "sex", "ethnic_group", "section_skipped")}


ANSWER_SETS = [
    {
        "how_often": "never",
        "what_do_you_do": ["other"],
        "what_do_you_do__other": "Birdwatching",
        "why": "other",
        "why__other": "No bus on Sundays",
        "rate_them": {"paths": "good", "toilets": "poor"},  # on a page this resident is routed past
        "about_you_date_of_birth": {"date_of_birth": "1970-03-27", "age": None, "prefer_not_to_say": False},
        "about_you_sex": "female",
        "about_you_ethnic_group": "white_irish",
    },
    {
        "how_often": "weekly",
        "what_do_you_do": ["walking", "sport"],
        "rate_them": {"paths": "good", "toilets": "poor"},
        "anything_else": "More benches, please.",
        "about_you_date_of_birth": {"date_of_birth": None, "age": 15, "prefer_not_to_say": False},
        "about_you_sex": "male",
        "about_you_ethnic_group": "roma",
    },
]


def test_a_copy_is_a_draft_with_everything_but_responses_and_dates(original):
    actor = Actor(user=staff_member("officer"))
    copy = survey_duplicate(survey=original, actor=actor)
    assert (copy.status, copy.title, copy.slug, copy.team) == ("draft", "Copy of Parks", "parks-copy", original.team)
    assert (copy.opens_at, copy.closes_at, copy.responses.count()) == (None, None, 0)

    def shape(survey: Survey) -> list[tuple]:
        structure = survey_structure_get(survey=survey)
        return [
            (
                p.page.title,
                p.page.section,
                p.rule,
                [
                    (
                        q.key,
                        q.type,
                        q.question.required,
                        q.rule,
                        [(o.value, o.label) for o in q.options],
                        [r.value for r in q.rows],
                    )
                    for q in p.questions
                ],
            )
            for p in structure.pages
        ]

    assert shape(copy) == shape(original)
    # The copy's conditions point at the copy's own questions, never the original's.
    copied_ids = set(Question.objects.filter(page__survey=copy).values_list("pk", flat=True))
    conditioned = [p.condition_question_id for p in copy.pages.all()] + [
        q.condition_question_id for q in Question.objects.filter(page__survey=copy)
    ]
    assert {c for c in conditioned if c} <= copied_ids
    entry = AuditEntry.objects.get(action=AuditAction.SURVEY_DUPLICATED)
    assert entry.object_id == str(copy.pk) and entry.detail == {"copied_from": str(original.pk)}
    # A second copy gets its own address.
    assert survey_duplicate(survey=original, actor=actor).slug == "parks-copy-2"


@pytest.mark.parametrize("answers", ANSWER_SETS, ids=["never-visits", "weekly-visitor"])
def test_a_copy_routes_and_stores_answers_exactly_like_the_original(original, answers):
    copy = survey_duplicate(survey=original, actor=Actor(user=None))
    Survey.objects.filter(pk=copy.pk).update(
        status=Survey.Status.OPEN, opens_at=original.opens_at, closes_at=original.closes_at
    )
    copy.refresh_from_db()
    first = _route_and_store(original, answers, "original-key")
    second = _route_and_store(copy, answers, "copy-key")
    assert first == second
    titles, stored, profile = first
    if answers["how_often"] == "never":
        assert "Why not" in titles and "Facilities" not in titles
        assert ("why", "", "", "No bus on Sundays") in stored and not any(s[0] == "rate_them" for s in stored)
    else:
        assert "Facilities" in titles and ("rate_them", "toilets", "poor", "") in stored
        assert profile["sex"] == "male" and profile["age"] == 15
