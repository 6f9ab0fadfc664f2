"""The Planning team's demo consultation, built with the survey builder's own services, so the demo shows
a survey made the way officers make them (the Parks demo is in surveys/demo.py)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from access.models import Team
from engagement.builder.services.routing import condition_set
from engagement.builder.services.structure import QuestionDetails, page_add, question_add
from surveys.demo import _remove
from surveys.equality.services import equality_section_add
from surveys.models import Page, Question, Survey

PLANNING_SLUG = "altrincham-town-centre"
T = Question.Type


def _q(page: Page, text: str, type: str, *, choices: list[str] | None = None, **kwargs: object) -> Question:
    details = QuestionDetails(
        text=text,
        hint=str(kwargs.pop("hint", "")),
        type=type,
        required=bool(kwargs.pop("required", False)),
        **kwargs,  # type: ignore[arg-type]
    )
    return question_add(page=page, details=details, choices=choices or [])


@transaction.atomic
def planning_consultation_create(*, team: Team, now: dt.datetime | None = None) -> Survey:
    """Create (or re-create, replacing the old one and its responses) the Planning team's open consultation."""
    now = now or timezone.now()
    existing = Survey.objects.filter(slug=PLANNING_SLUG).first()
    if existing:
        _remove(existing)
    survey = Survey.objects.create(
        title="Altrincham town centre plan",
        slug=PLANNING_SLUG,
        summary="Have your say on the draft plan for Altrincham town centre: homes, shops, streets and parking.",
        introduction=(
            "We are writing a plan for Altrincham town centre for the next 15 years. Tell us what you think of "
            "the main proposals.\n\nIt takes about 5 minutes."
        ),
        privacy_notice=(
            "Trafford Council's Planning team runs this consultation. We use your answers to shape the town "
            "centre plan, under our public task (UK GDPR Article 6(1)(e)). The optional questions about you are "
            "for equality monitoring only. We keep consultation answers for 2 years and the questions about "
            "you for 1 year after the consultation closes."
        ),
        opens_at=now - dt.timedelta(days=14),
        closes_at=now + dt.timedelta(days=42),
        team=team,
        report_area_code="E08000009",
        status=Survey.Status.DRAFT,
    )
    town = Page.objects.create(survey=survey, position=1, title="You and the town centre")
    visit = _q(
        town,
        "How often do you visit Altrincham town centre?",
        T.SINGLE_CHOICE,
        required=True,
        choices=["Most days", "Every week", "Every month", "Less often", "Never"],
    )
    _q(
        town,
        "How do you usually get there?",
        T.MULTIPLE_CHOICE,
        choices=["Walk", "Cycle", "Bus", "Tram", "Car"],
        allow_other=True,
    )
    proposals = page_add(survey=survey, title="The proposals")
    for text in (
        "More homes should be built above shops in the town centre",
        "Stamford New Road should be closed to through traffic",
        "Car parking charges should pay for better buses",
    ):
        _q(proposals, text, T.AGREEMENT)
    _q(proposals, "Anything else you would like to tell us about the plan?", T.LONG_TEXT, max_length=2000)
    never = page_add(survey=survey, title="Why you do not visit")
    _q(
        never,
        "What stops you visiting the town centre?",
        T.MULTIPLE_CHOICE,
        choices=["Too far", "Parking costs", "Not the shops I need", "Not accessible to me"],
        allow_other=True,
    )
    condition_set(item=never, question_id=visit.pk, values=["never"])
    equality_section_add(survey=survey)
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.OPEN)
    survey.refresh_from_db()
    return survey
