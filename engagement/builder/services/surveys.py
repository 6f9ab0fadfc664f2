"""Surveys as a whole: create, change the details, duplicate as a draft, delete a draft."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from access.models import Team
from audit.models import AuditAction
from audit.services import Actor, audit_record
from engagement.builder.services.guard import BuilderRefusal, keeps_open_survey_answerable
from surveys.models import Choice, GridRow, Page, Question, Survey


@dataclass(frozen=True)
class SurveyDetails:
    title: str
    slug: str
    summary: str
    introduction: str
    privacy_notice: str
    opens_on: dt.date | None
    closes_on: dt.date | None
    team: Team
    report_area_code: str
    minimum_age: int


def opening_time(day: dt.date | None) -> dt.datetime | None:
    """A survey opens at the start of its opening day, local time."""
    if day is None:
        return None
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def closing_time(day: dt.date | None) -> dt.datetime | None:
    """A survey closes at the end of its closing day (11:59pm), local time."""
    if day is None:
        return None
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=timezone.get_current_timezone())


def slug_available(*, slug: str, survey: Survey | None = None) -> bool:
    taken = Survey.objects.filter(slug=slug)
    if survey is not None:
        taken = taken.exclude(pk=survey.pk)
    return not taken.exists()


def _unique_slug(base: str) -> str:
    base = (slugify(base) or "survey")[:90]
    slug, n = base, 2
    while not slug_available(slug=slug):
        slug, n = f"{base}-{n}", n + 1
    return slug


def _apply(survey: Survey, details: SurveyDetails) -> None:
    survey.title = details.title.strip()
    survey.slug = details.slug
    survey.summary = details.summary.strip()
    survey.introduction = details.introduction.strip()
    survey.privacy_notice = details.privacy_notice.strip()
    survey.opens_at = opening_time(details.opens_on)
    survey.closes_at = closing_time(details.closes_on)
    survey.team = details.team
    survey.report_area_code = details.report_area_code
    survey.minimum_age = details.minimum_age


def _check(details: SurveyDetails, survey: Survey | None = None) -> None:
    if not slug_available(slug=details.slug, survey=survey):
        raise BuilderRefusal("Another survey already uses this web address. Choose another.", field="slug")
    if details.opens_on and details.closes_on and details.closes_on < details.opens_on:
        raise BuilderRefusal("The closing date must be the same as or after the opening date", field="closes_on")


@transaction.atomic
def survey_create(*, details: SurveyDetails, actor: Actor) -> Survey:
    """A new draft survey, with one empty page to put questions on."""
    _check(details)
    survey = Survey(status=Survey.Status.DRAFT)
    _apply(survey, details)
    survey.save()
    Page.objects.create(survey=survey, position=1, title=survey.title)
    audit_record(actor=actor, action=AuditAction.SURVEY_CREATED, target=survey, detail={"team": details.team.name})
    return survey


def survey_details_update(*, survey: Survey, details: SurveyDetails, actor: Actor) -> Survey:
    """Change a survey's details. An open survey's web address stays: residents have the link."""
    _check(details, survey)
    if survey.status != Survey.Status.DRAFT and details.slug != survey.slug:
        raise BuilderRefusal(
            "The web address cannot change once a survey has been published: residents already have the link.",
            field="slug",
        )
    with keeps_open_survey_answerable(survey):
        _apply(survey, details)
        survey.save()
    return survey


def _copy_condition(source: Any, target: Any, questions: dict[int, Question]) -> None:
    if source.condition_question_id is not None:
        target.condition_question = questions[source.condition_question_id]
        target.condition_operator = source.condition_operator
        target.condition_values = list(source.condition_values or [])


@transaction.atomic
def survey_duplicate(*, survey: Survey, actor: Actor) -> Survey:
    """A draft copy with the same pages, questions, choices, grid rows, routing and About you section.
    It has no responses and no dates; its title and address say it is a copy."""
    copy = Survey.objects.create(
        title=f"Copy of {survey.title}"[:200],
        slug=_unique_slug(f"{survey.slug}-copy"),
        summary=survey.summary,
        introduction=survey.introduction,
        privacy_notice=survey.privacy_notice,
        status=Survey.Status.DRAFT,
        team=survey.team,
        report_area_code=survey.report_area_code,
        minimum_age=survey.minimum_age,
    )
    questions: dict[int, Question] = {}  # original question id -> its copy
    pages = survey.pages.order_by("position").prefetch_related("questions__choices", "questions__grid_rows")
    for page in pages:
        new_page = Page(
            survey=copy, position=page.position, title=page.title, introduction=page.introduction, section=page.section
        )
        _copy_condition(page, new_page, questions)
        new_page.save()
        for question in page.questions.order_by("position"):
            original_id = question.pk
            new_question = Question.objects.get(pk=original_id)
            new_question.pk = None
            new_question.page = new_page
            new_question.condition_question = None
            _copy_condition(question, new_question, questions)
            new_question.save()
            questions[original_id] = new_question
            Choice.objects.bulk_create(
                Choice(
                    question=new_question,
                    position=c.position,
                    value=c.value,
                    label=c.label,
                    group=c.group,
                    write_in=c.write_in,
                )
                for c in question.choices.all()
            )
            GridRow.objects.bulk_create(
                GridRow(question=new_question, position=r.position, value=r.value, label=r.label)
                for r in question.grid_rows.all()
            )
    audit_record(actor=actor, action=AuditAction.SURVEY_DUPLICATED, target=copy, detail={"copied_from": str(survey.pk)})
    return copy


@transaction.atomic
def survey_delete_draft(*, survey: Survey, actor: Actor) -> str:
    """Delete a draft that nobody has answered. Returns its title."""
    if survey.status != Survey.Status.DRAFT:
        raise BuilderRefusal("Only a draft can be deleted. Close the survey instead: its responses are kept.")
    if survey.responses.exists():
        raise BuilderRefusal("This draft has responses (entered before it was a draft again), so it cannot be deleted.")
    title = survey.title
    audit_record(actor=actor, action=AuditAction.SURVEY_DELETED, target=survey)
    # Conditions point at questions (PROTECT): clear them before the pages and questions cascade.
    survey.pages.update(condition_question=None)
    Question.objects.filter(page__survey=survey).update(condition_question=None)
    survey.delete()
    return title
