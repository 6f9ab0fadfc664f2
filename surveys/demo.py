"""A realistic demo consultation: every question type, routing, limits. Used by `manage.py load_demo`."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from surveys.models import Choice, Condition, GridRow, Page, Question, Response, Survey
from surveys.selectors import DEFAULT_AGREEMENT_CHOICES

DEMO_SLUG = "future-of-our-parks"

PARKS = [
    "Ashton-on-Mersey Park",
    "Broadheath Park",
    "Chorlton Water Park",
    "Davyhulme Park",
    "Gorse Hill Park",
    "Halecroft Park",
    "John Leigh Park",
    "Longford Park",
    "Navigation Road Park",
    "Seymour Park",
    "Stamford Park",
    "Timperley Brook Park",
    "Turn Moss Playing Fields",
    "Urmston Meadows",
    "Victoria Park, Stretford",
    "Walton Park",
    "Woodsend Park",
    "Worthington Park",
]

AGREEMENT = list(DEFAULT_AGREEMENT_CHOICES)


@dataclass
class Q:
    key: str
    text: str
    type: str
    required: bool = False
    hint: str = ""
    choices: list[tuple[str, str]] = field(default_factory=list)
    rows: list[tuple[str, str]] = field(default_factory=list)
    condition: tuple[str, str, list[str]] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class P:
    title: str
    questions: list[Q]
    introduction: str = ""
    condition: tuple[str, str, list[str]] | None = None


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in text.lower()).strip("_").replace("__", "_")[:80]


PAGES: list[P] = [
    P(
        "Your visits",
        [
            Q(
                "visit_frequency",
                "How often do you visit a park or green space in Trafford?",
                Question.Type.SINGLE_CHOICE,
                required=True,
                choices=[
                    ("most_days", "Most days"),
                    ("weekly", "At least once a week"),
                    ("monthly", "At least once a month"),
                    ("less_often", "Less often"),
                    ("never", "Never"),
                ],
                extra={"answer_name": "how often you visit a park or green space"},
            ),
        ],
    ),
    P(
        "Why you do not visit",
        [
            Q(
                "barriers",
                "What stops you visiting parks and green spaces?",
                Question.Type.MULTIPLE_CHOICE,
                required=True,
                hint="Choose the 3 that matter most to you.",
                choices=[
                    ("too_far", "They are too far away"),
                    ("feel_unsafe", "I do not feel safe there"),
                    ("no_toilets", "There are no toilets"),
                    ("not_accessible", "Paths and entrances are not accessible to me"),
                    ("no_time", "I do not have time"),
                    ("not_interested", "I am not interested"),
                ],
                extra={"answer_name": "what stops you visiting", "max_choices": 3, "allow_other": True},
            ),
        ],
        condition=("visit_frequency", Condition.EQUALS, ["never"]),
    ),
    P(
        "Your local park",
        [
            Q(
                "main_park",
                "Which park do you visit most?",
                Question.Type.DROPDOWN,
                required=True,
                choices=[(_slug(name), name) for name in PARKS],
                extra={"answer_name": "the park you visit most", "allow_other": True},
            ),
            Q(
                "activities",
                "What do you do there?",
                Question.Type.MULTIPLE_CHOICE,
                choices=[
                    ("walking", "Walking or running"),
                    ("dog_walking", "Walking a dog"),
                    ("children_play", "Taking children to play"),
                    ("sport", "Team sport"),
                    ("wildlife", "Enjoying nature and wildlife"),
                    ("events", "Events and markets"),
                ],
                extra={"answer_name": "what you do there", "allow_other": True},
            ),
            Q(
                "facilities",
                "How would you rate these facilities at that park?",
                Question.Type.GRID,
                required=True,
                choices=[("good", "Good"), ("adequate", "Adequate"), ("poor", "Poor"), ("dont_know", "Don't know")],
                rows=[
                    ("paths", "Paths"),
                    ("toilets", "Toilets"),
                    ("play_areas", "Play areas"),
                    ("lighting", "Lighting"),
                    ("cafe", "Cafe"),
                ],
                extra={"answer_name": "a rating"},
            ),
            Q(
                "improvement",
                "What one thing would make that park better?",
                Question.Type.SHORT_TEXT,
                extra={"answer_name": "what would make that park better", "max_length": 150},
            ),
        ],
        condition=("visit_frequency", Condition.ONE_OF, ["most_days", "weekly", "monthly", "less_often"]),
    ),
    P(
        "Getting to the park",
        [
            Q(
                "walk_minutes",
                "How many minutes does it take you to walk to your nearest park?",
                Question.Type.NUMBER,
                hint="An estimate is fine. Enter 0 if you live next to one.",
                extra={
                    "answer_name": "how many minutes it takes you to walk to your nearest park",
                    "min_value": Decimal(0),
                    "max_value": Decimal(240),
                },
            ),
            Q(
                "last_visit",
                "When did you last visit a park in Trafford?",
                Question.Type.DATE,
                condition=("visit_frequency", Condition.ONE_OF, ["most_days", "weekly", "monthly", "less_often"]),
                extra={"answer_name": "the date of your last visit", "dates_allowed": Question.DatesAllowed.PAST},
            ),
        ],
        introduction="We want to know how easy it is to reach a park from where you live.",
    ),
    P(
        "Our proposals",
        [
            Q(
                "plant_trees",
                "We should plant 10,000 more trees in parks by 2030.",
                Question.Type.AGREEMENT,
                required=True,
                choices=AGREEMENT,
                extra={"answer_name": "how far you agree that we should plant 10,000 more trees"},
            ),
            Q(
                "meadows",
                "We should mow less often in some areas to create wildflower meadows.",
                Question.Type.AGREEMENT,
                required=True,
                choices=AGREEMENT,
                extra={"answer_name": "how far you agree that we should mow less often"},
            ),
            Q(
                "comments",
                "Is there anything else you would like to tell us about our parks?",
                Question.Type.LONG_TEXT,
                hint="Do not include personal information, like your name or address.",
                extra={"answer_name": "what else you would like to tell us", "max_length": 1000},
            ),
        ],
        introduction=(
            "Our draft parks strategy proposes more trees and more space for wildlife. "
            "Tell us how far you agree with each proposal."
        ),
    ),
    P(
        "Keeping in touch",
        [
            Q(
                "updates",
                "Would you like us to email you when we publish the results?",
                Question.Type.SINGLE_CHOICE,
                required=True,
                choices=[("yes", "Yes"), ("no", "No")],
                extra={"answer_name": "whether you would like us to email you the results"},
            ),
        ],
    ),
    P(
        "Your email address",
        [
            Q(
                "email",
                "What is your email address?",
                Question.Type.EMAIL,
                required=True,
                hint="We will only use this to tell you about the results of this consultation.",
            ),
        ],
        condition=("updates", Condition.EQUALS, ["yes"]),
    ),
    P(
        "Where you live",
        [
            Q(
                "postcode",
                "What is your postcode?",
                Question.Type.POSTCODE,
                hint="For example, M32 0TH. We use the first half to see which areas answered.",
            ),
        ],
    ),
]

INTRODUCTION = (
    "Trafford has over 100 parks and green spaces. We are writing a 10-year strategy for them "
    "and want to know how you use them, what stops you, and what you think of our proposals.\n\n"
    "It takes about 10 minutes. You can answer as many or as few of the optional questions as you like."
)

PRIVACY_NOTICE = (
    "Trafford Council is the data controller for this consultation. We collect your answers to understand views "
    "on the draft parks strategy, under our public task (UK GDPR Article 6(1)(e)). Answers to the optional "
    "questions about you are special category data, processed for equality monitoring (Article 9(2)(g) and the "
    "Data Protection Act 2018, Schedule 1, paragraph 8).\n\n"
    "Your email address, if you give it, is used only to tell you about the results, and deleted 6 months after "
    "the consultation closes. Your answers are kept for 2 years. You can ask to see, correct or delete your "
    "answers by quoting your reference number."
)


def _remove(survey: Survey) -> None:
    """Delete an earlier demo survey and everything that hangs off it (responses first: they protect answers)."""
    Response.objects.filter(survey=survey).delete()
    # Conditions point at questions with PROTECT; clear them so the cascade can go through.
    Page.objects.filter(survey=survey).update(condition_question=None)
    Question.objects.filter(page__survey=survey).update(condition_question=None)
    survey.delete()


def _condition(item: Page | Question, condition: tuple[str, str, list[str]] | None, keys: dict[str, Question]) -> None:
    if condition:
        key, operator, values = condition
        item.condition_question = keys[key]
        item.condition_operator = operator
        item.condition_values = values


@transaction.atomic
def demo_consultation_create(*, now: dt.datetime | None = None) -> Survey:
    """Create (or re-create, replacing the old one) the "Future of our parks" demo consultation."""
    now = now or timezone.now()
    existing = Survey.objects.filter(slug=DEMO_SLUG).first()
    if existing:
        _remove(existing)
    survey = Survey.objects.create(
        title="Future of our parks and green spaces",
        slug=DEMO_SLUG,
        introduction=INTRODUCTION,
        privacy_notice=PRIVACY_NOTICE,
        opens_at=now - dt.timedelta(days=7),
        closes_at=now + dt.timedelta(days=49),
        status=Survey.Status.OPEN,
    )
    keys: dict[str, Question] = {}
    for page_position, spec in enumerate(PAGES, start=1):
        page = Page(survey=survey, position=page_position, title=spec.title, introduction=spec.introduction)
        _condition(page, spec.condition, keys)
        page.save()
        for position, q in enumerate(spec.questions, start=1):
            question = Question(
                page=page, position=position, key=q.key, text=q.text, type=q.type, required=q.required, hint=q.hint
            )
            for name, value in q.extra.items():
                setattr(question, name, value)
            _condition(question, q.condition, keys)
            question.save()
            Choice.objects.bulk_create(
                Choice(question=question, position=i, value=value, label=label)
                for i, (value, label) in enumerate(q.choices, start=1)
            )
            GridRow.objects.bulk_create(
                GridRow(question=question, position=i, value=value, label=label)
                for i, (value, label) in enumerate(q.rows, start=1)
            )
            keys[q.key] = question
    return survey
