"""Factories for the whole test suite, in one module."""

import datetime as dt
from typing import Any

import factory
from django.contrib.auth.models import Group, Permission, User
from django.utils import timezone

from access.models import Membership, Team
from access.roles import EQUALITY_PERMISSION_CODENAME, Role
from surveys.models import Choice, EqualityProfile, GridRow, Page, Question, Response, Survey


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Team {n}")


def staff_member(
    username: str = "officer",
    *,
    role: str | None = Role.ENGAGEMENT_OFFICER,
    team: Team | str | None = "Parks",
    equality_data: bool = False,
    password: str = "a-long-test-password",
) -> User:
    """A member of staff with a role (a group made by the roles migration), in a team (made if needed),
    optionally with the equality-data permission on top."""
    user = User.objects.create_user(username, email=f"{username}@example.gov.uk", password=password, is_staff=True)
    if role:
        user.groups.add(Group.objects.get(name=role))
    if team is not None:
        Membership.objects.create(user=user, team=TeamFactory(name=team) if isinstance(team, str) else team)
    if equality_data:
        user.user_permissions.add(Permission.objects.get(codename=EQUALITY_PERMISSION_CODENAME))
    return user


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey

    title = factory.Sequence(lambda n: f"Consultation {n}")
    slug = factory.Sequence(lambda n: f"consultation-{n}")
    introduction = "Tell us what you think."
    privacy_notice = "Test Council runs this consultation and keeps your answers for two years."
    status = Survey.Status.OPEN
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))


class PageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Page

    survey = factory.SubFactory(SurveyFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Page {n}")


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    page = factory.SubFactory(PageFactory)
    position = factory.Sequence(lambda n: n + 1)
    key = factory.Sequence(lambda n: f"q{n}")
    text = factory.Sequence(lambda n: f"Question {n}?")
    type = Question.Type.SHORT_TEXT


class ChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Choice

    question = factory.SubFactory(QuestionFactory)
    position = factory.Sequence(lambda n: n + 1)
    value = factory.Sequence(lambda n: f"choice_{n}")
    label = factory.Sequence(lambda n: f"Choice {n}")


class GridRowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GridRow

    question = factory.SubFactory(QuestionFactory)
    position = factory.Sequence(lambda n: n + 1)
    value = factory.Sequence(lambda n: f"row_{n}")
    label = factory.Sequence(lambda n: f"Row {n}")


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response

    survey = factory.SubFactory(SurveyFactory)
    reference = factory.Sequence(lambda n: f"TEST-{n:04d}")
    submission_key = factory.Sequence(lambda n: f"key-{n}")


def respondent(survey: Survey, reference: str, **about_you: Any) -> Response:
    """A response sent online with these stored About you answers (`sex="female"`, ...), and no other."""
    response, profile = respondent_unsaved(survey, reference, **about_you)
    response.save()
    profile.save()
    return response


def respondent_unsaved(survey: Survey, reference: str, **about_you: Any) -> tuple[Response, EqualityProfile]:
    """`respondent`'s response and About you row, not yet saved: for tests that bulk_create many."""
    response = Response(survey=survey, reference=reference, submission_key=reference.lower())
    profile = EqualityProfile(
        response=response,
        survey=survey,
        channel="online",
        submitted_at=response.submitted_at,
        library_version="test",
        **about_you,
    )
    return response, profile


def question_with_choices(page: Page, key: str, type: str, values: list[str], **kwargs: Any) -> Question:
    """A choice question whose options' values are `values` and labels the values capitalised."""
    position = (page.questions.count() or 0) + 1
    question = QuestionFactory(page=page, position=position, key=key, text=kwargs.pop("text", key), type=type, **kwargs)
    for i, value in enumerate(values, start=1):
        ChoiceFactory(question=question, position=i, value=value, label=value.replace("_", " ").capitalize())
    return question


def survey_with_routing(**survey_fields: Any) -> Survey:
    """A survey whose second page is only for some: page 1 asks "Do you visit parks?" (Yes or No,
    required); page 2, shown only to those who answered Yes, asks "Which park?" (required)."""
    survey = SurveyFactory(**survey_fields)
    visits = Page.objects.create(survey=survey, position=1, title="Your visits")
    visit = question_with_choices(visits, "visit", "single_choice", ["yes", "no"], text="Do you visit parks?")
    visit.required = True
    visit.save(update_fields=["required"])
    last = Page.objects.create(
        survey=survey,
        position=2,
        title="Your last visit",
        condition_question=visit,
        condition_operator="equals",
        condition_values=["yes"],
    )
    QuestionFactory(page=last, position=1, key="which", text="Which park?", type="short_text", required=True)
    return survey
