"""The builder's structure services: pages and questions in order, and changes after responses exist never
orphan or silently change answers; an open survey is never left one residents cannot finish."""

import pytest

from audit.models import AuditAction, AuditEntry
from audit.services import Actor
from engagement.builder.services.guard import BuilderRefusal
from engagement.builder.services.routing import condition_description, condition_set, earlier_questions
from engagement.builder.services.structure import (
    QuestionDetails,
    option_add,
    option_delete,
    option_move,
    option_update,
    page_add,
    page_delete,
    page_move,
    question_add,
    question_delete,
    question_move,
    question_update,
)
from surveys.equality.services import equality_section_add
from surveys.models import Answer, Choice, GridRow, Page, Question, Survey
from surveys.readiness import survey_problems_list
from tests.factories import ResponseFactory, TeamFactory, staff_member

pytestmark = pytest.mark.django_db

SINGLE = Question.Type.SINGLE_CHOICE


@pytest.fixture
def actor():
    return Actor(user=staff_member("officer"), ip_address="192.0.2.10")


@pytest.fixture
def survey():
    survey = Survey.objects.create(title="Parks", slug="parks", team=TeamFactory(name="Parks"), privacy_notice="x")
    Page.objects.create(survey=survey, position=1, title="Visits")
    return survey


def single(page: Page, text: str, choices: list[str], **kwargs) -> Question:
    return question_add(
        page=page, details=QuestionDetails(text=text, hint="", type=SINGLE, required=True, **kwargs), choices=choices
    )


def answer(question: Question, choice_label: str | None = None, **kwargs) -> Answer:
    response = ResponseFactory(survey=question.page.survey)
    choice = question.choices.get(label=choice_label) if choice_label else None
    return Answer.objects.create(response=response, question=question, choice=choice, **kwargs)


def test_questions_get_keys_and_choices_values_from_their_words(survey):
    page = survey.pages.get()
    first = single(page, "How often do you visit?", ["Most days", "Weekly", "Weekly!"])
    second = single(page, "How often do you visit?", ["Yes", "No"])
    assert (first.key, second.key) == ("how_often_do_you_visit", "how_often_do_you_visit_2")
    assert list(first.choices.values_list("value", "position")) == [("most_days", 1), ("weekly", 2), ("weekly_2", 3)]


def test_new_pages_go_before_the_about_you_section_and_move_within_their_section(survey):
    equality_section_add(survey=survey, keys=["sex"])
    added = page_add(survey=survey, title="Your ideas")
    titles = list(survey.pages.order_by("position").values_list("title", "section"))
    assert titles[:2] == [("Visits", "consultation"), ("Your ideas", "consultation")]
    assert titles[2][1] == "equality_intro"
    page_move(page=added, up=True)
    assert list(survey.pages.filter(section="consultation").order_by("position").values_list("title", flat=True)) == [
        "Your ideas",
        "Visits",
    ]
    with pytest.raises(BuilderRefusal, match="already the first page"):
        page_move(page=Page.objects.get(pk=added.pk), up=True)
    with pytest.raises(BuilderRefusal, match="already the last page"):
        page_move(page=survey.pages.get(title="Visits"), up=False)  # the About you pages are not passed


def test_questions_and_choices_move_up_and_down(survey):
    page = survey.pages.get()
    a, b = single(page, "A?", ["One", "Two", "Three"]), single(page, "B?", ["Yes"])
    question_move(question=b, up=True)
    assert list(page.questions.order_by("position").values_list("text", flat=True)) == ["B?", "A?"]
    option_move(option=a.choices.get(label="Three"), up=True)
    assert list(a.choices.order_by("position").values_list("label", flat=True)) == ["One", "Three", "Two"]


def test_deleting_or_retyping_an_answered_question_is_refused_and_changes_nothing(survey, actor):
    question = single(survey.pages.get(), "How often?", ["Weekly", "Never"])
    answer(question, "Weekly")
    with pytest.raises(BuilderRefusal, match="1 person has answered it"):
        question_delete(question=question)
    retyped = QuestionDetails(text="How often?", hint="", type=Question.Type.SHORT_TEXT, required=True)
    with pytest.raises(BuilderRefusal, match="The type cannot change") as refused:
        question_update(question=question, details=retyped, actor=actor)
    assert refused.value.field == "type"
    rekeyed = QuestionDetails(text="How often?", hint="", type=SINGLE, required=True, key="frequency")
    with pytest.raises(BuilderRefusal, match="The key cannot change"):
        question_update(question=question, details=rekeyed, actor=actor)
    page_add(survey=survey, title="Another")  # a second page, so the first could otherwise go
    with pytest.raises(BuilderRefusal, match="1 person has answered its question"):
        page_delete(page=survey.pages.get(title="Visits"))
    question.refresh_from_db()
    assert (question.type, question.key, Answer.objects.count()) == (SINGLE, "how_often", 1)


def test_deleting_a_choice_someone_chose_is_refused_but_adding_one_is_allowed(survey, actor):
    question = single(survey.pages.get(), "How often?", ["Weekly", "Never"])
    answer(question, "Weekly")
    with pytest.raises(BuilderRefusal, match="“Weekly” cannot be deleted: 1 person chose it"):
        option_delete(option=question.choices.get(label="Weekly"))
    option_delete(option=question.choices.get(label="Never"))  # nobody chose it
    option_add(question=question, label="Daily")
    assert list(question.choices.order_by("position").values_list("label", flat=True)) == ["Weekly", "Daily"]


def test_deleting_an_answered_grid_row_is_refused(survey):
    grid = question_add(
        page=survey.pages.get(),
        details=QuestionDetails(text="Rate", hint="", type=Question.Type.GRID, required=False),
        choices=["Good", "Poor"],
        rows=["Paths", "Toilets"],
    )
    paths = grid.grid_rows.get(label="Paths")
    Answer.objects.create(
        response=ResponseFactory(survey=survey), question=grid, grid_row=paths, choice=grid.choices.first()
    )
    with pytest.raises(BuilderRefusal, match="answered it"):
        option_delete(option=paths)
    option_delete(option=grid.grid_rows.get(label="Toilets"))
    assert list(GridRow.objects.values_list("label", flat=True)) == ["Paths"]


def test_rewording_an_answered_question_needs_confirmation_and_is_recorded(survey, actor):
    question = single(survey.pages.get(), "How often do you go?", ["Weekly"])
    answer(question, "Weekly")
    reworded = QuestionDetails(text="How often do you visit a park?", hint="", type=SINGLE, required=True)
    with pytest.raises(BuilderRefusal, match="Confirm that the new wording asks the same thing") as refused:
        question_update(question=question, details=reworded, actor=actor)
    assert refused.value.field == "confirm_reword"
    assert Question.objects.get(pk=question.pk).text == "How often do you go?"
    question_update(question=question, details=reworded, actor=actor, reword_confirmed=True)
    entry = AuditEntry.objects.get(action=AuditAction.QUESTION_REWORDED)
    assert entry.detail == {
        "question": "how_often_do_you_go",
        "before": "How often do you go?",
        "after": "How often do you visit a park?",
        "answers": 1,
    }
    assert (entry.actor_name, entry.ip_address) == ("officer", "192.0.2.10")
    # Unanswered questions change freely, without confirmation or an entry.
    other = single(survey.pages.get(), "Spare?", ["Yes"])
    question_update(
        question=other, details=QuestionDetails(text="Spare now?", hint="", type=SINGLE, required=False), actor=actor
    )
    assert AuditEntry.objects.filter(action=AuditAction.QUESTION_REWORDED).count() == 1


def test_rewording_a_chosen_choice_needs_confirmation_and_is_recorded(survey, actor):
    question = single(survey.pages.get(), "How often?", ["Weekly"])
    answer(question, "Weekly")
    weekly = question.choices.get()
    with pytest.raises(BuilderRefusal, match="Confirm"):
        option_update(option=weekly, label="Once a week", actor=actor)
    option_update(option=weekly, label="Once a week", actor=actor, reword_confirmed=True)
    assert Answer.objects.get().choice.label == "Once a week"  # the answer stays with its choice
    assert AuditEntry.objects.get(action=AuditAction.QUESTION_REWORDED).detail["after"] == "Once a week"


def test_a_question_others_depend_on_cannot_be_deleted(survey):
    often = single(survey.pages.get(), "How often?", ["Weekly", "Never"])
    why = page_add(survey=survey, title="Why not")
    condition_set(item=why, question_id=often.pk, values=["never"])
    with pytest.raises(BuilderRefusal, match="page “Why not” depends on its answer"):
        question_delete(question=often)


def test_routing_offers_only_earlier_questions_with_choices_and_their_answers(survey):
    page = survey.pages.get()
    often = single(page, "How often?", ["Weekly", "Never"])
    question_add(
        page=page, details=QuestionDetails(text="Comments", hint="", type=Question.Type.LONG_TEXT, required=False)
    )
    later = single(page, "Later?", ["Yes"])
    why = page_add(survey=survey, title="Why not")
    assert [q.question.text for q in earlier_questions(item=why)] == ["How often?", "Later?"]
    assert [q.question.text for q in earlier_questions(item=later)] == ["How often?"]
    with pytest.raises(BuilderRefusal, match="Choose one of the questions that come before"):
        condition_set(item=often, question_id=later.pk, values=["yes"])
    with pytest.raises(BuilderRefusal, match="Select at least one answer"):
        condition_set(item=why, question_id=often.pk, values=["not-a-choice"])
    condition_set(item=why, question_id=often.pk, values=["never"])
    assert condition_description(item=why) == "Only if the answer to “How often?” is Never"


def test_an_open_survey_is_never_left_unfinishable(survey, actor):
    often = single(survey.pages.get(), "How often?", ["Weekly", "Never"])
    why = page_add(survey=survey, title="Why not")
    single(why, "Why?", ["Too far"])
    condition_set(item=why, question_id=often.pk, values=["never"])
    # In a draft, deleting the choice the condition uses is allowed; the publish checklist then names it.
    option_delete(option=often.choices.get(label="Never"))
    problems = {p.code: p for p in survey_problems_list(survey=survey)}
    assert set(problems) == {"no_closing_date", "condition_unknown_value"}
    assert "is shown for “never”, which is not a choice of “How often?”" in problems["condition_unknown_value"].message
    assert problems["condition_unknown_value"].page_id == why.pk
    # Put it back, open the survey, and the same deletion is refused with the reason.
    option_add(question=often, label="Never")
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.OPEN)
    survey.refresh_from_db()
    with pytest.raises(BuilderRefusal, match="the survey is open"):
        option_delete(option=Choice.objects.get(question=often, label="Never"))
    assert Choice.objects.filter(question=often, label="Never").exists()
    # A required choice question with no choices would trap residents too.
    with pytest.raises(BuilderRefusal, match="no choices"):
        single(survey.pages.get(title="Visits"), "Empty?", [])
    assert not Question.objects.filter(text="Empty?").exists()
