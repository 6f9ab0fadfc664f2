"""Attendees' own About you profiles: the survey's About you questions on one page, each answer stored as
a respondent's would be (surveys.equality.services), counted against the census as any population is,
and deleted on the survey's retention schedule."""

import dataclasses
import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from audit.models import AuditAction
from audit.services import Actor, audit_record
from plans.models import Activity, AttendeeProfile
from representativeness.disclosure import Audience, protection_for
from representativeness.disclosure.batches import batch_note, published_count
from representativeness.populations.profiles import profiles_population
from representativeness.reports.builder import Report
from representativeness.reports.builder.build import population_report
from surveys.equality.selectors import survey_area_codes
from surveys.equality.services import equality_answer_fields, equality_questions
from surveys.forms.page import PageForm
from surveys.selectors import PageSpec, survey_structure_get

STEP = "about-you"


def about_you_page(activity: Activity) -> PageSpec | None:
    """The survey's About you questions as one page (None when the survey has no About you section).

    A question a page's rule routes (disability after a long-term condition, questions for people aged 16
    and over) keeps that rule: shown on the page, and stored only when the answer it follows matches."""
    structure = survey_structure_get(survey=activity.survey)
    intro = next((p for p in structure.pages if p.is_equality_intro), None)
    questions = [
        dataclasses.replace(q, rule=q.rule or page.rule)
        for page in structure.pages
        if page.is_equality
        for q in page.questions
    ]
    if intro is None or not questions:
        return None
    return PageSpec(page=intro.page, step=STEP, rule=None, questions=questions)


EMPTY_PROFILE = "Answer at least one question, or choose Prefer not to say"


class AboutYouForm(PageForm):
    """The About you questions for one attendee: a profile with no answer at all (not even Prefer not to
    say) is refused, so a form sent empty (an attendee passing the device on) counts nobody."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not self.errors and self.shown_questions and not any(_answered(v) for v in self.answers.values()):
            self.add_error(self.field_names(self.shown_questions[0])[0], EMPTY_PROFILE)
        return cleaned


def _answered(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_answered(v) for v in value.values())
    if isinstance(value, list | tuple | set):
        return any(_answered(v) for v in value)
    return not (value is None or value is False or value == "")


def about_you_form(page: PageSpec, data: Any = None) -> PageForm:
    return AboutYouForm(data, page=page)


@transaction.atomic
def attendee_profile_create(
    *, activity: Activity, answers: dict[str, Any], actor: Actor | None = None
) -> AttendeeProfile:
    """Store one attendee's answers (the normalised answers of the questions shown, as PageForm gives them).
    `actor`: the officer whose device it was entered on; None when the attendee sent it themselves."""
    now = timezone.now()
    fields = equality_answer_fields(
        questions=equality_questions(survey_id=activity.survey_id), answers=answers, on=timezone.localdate(now)
    )
    profile = AttendeeProfile.objects.create(
        activity=activity,
        entered=AttendeeProfile.Entered.ATTENDEE if actor is None else AttendeeProfile.Entered.OFFICER,
        submitted_at=now,
        **fields,
    )
    if actor is not None:  # who typed special category data in; never what it was
        audit_record(
            actor=actor,
            action=AuditAction.PLAN_CHANGED,
            target=activity.survey,
            detail={"activity": activity.title, "attendee_profile": "entered"},
        )
    return profile


def attendees_report(*, activity: Activity, area_code: str, audience: Audience) -> Report:
    """The attendees' profiles against an area's census: the survey report's builder and protection. The
    protected audience's figures count the profiles in whole batches (disclosure.batches)."""
    rows = AttendeeProfile.objects.filter(activity=activity)
    notes = []
    if audience == Audience.PROTECTED:
        published = published_count(rows.count())
        last = rows.order_by("pk").values_list("pk", flat=True)[published - 1] if published else 0
        rows = rows.filter(pk__lte=last)
        notes.append(batch_note(published=published))
    survey = activity.survey
    asked = {q.equality_key for q in equality_questions(survey_id=survey.pk)}
    population = profiles_population(
        rows,
        title=f"{activity.title}: attendees",
        slug=f"activity-{activity.pk}",
        asked_keys=asked,
        minimum_age=survey.minimum_age,
        ward_codes=survey_area_codes(survey_id=survey.pk),
    )
    population.notes = notes
    protection = protection_for(audience=audience, scope=f"activity:{activity.pk}")
    return population_report(population=population, area_code=area_code, protection=protection)


def attendee_profiles_purge(*, retention_days: int | None = None, now: dt.datetime | None = None) -> int:
    """Delete attendees' profiles once their survey has been closed for the retention period, as its
    respondents' About you answers are; how many were deleted."""
    days = settings.EQUALITY_RETENTION_DAYS if retention_days is None else retention_days
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    deleted, _ = AttendeeProfile.objects.filter(
        activity__survey__closes_at__isnull=False, activity__survey__closes_at__lte=cutoff
    ).delete()
    return deleted
