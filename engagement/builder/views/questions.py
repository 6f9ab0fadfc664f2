"""A page's questions: choose the kind, then the details; change, move and delete them."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from access.policy import Action
from access.views import staff_view
from audit.services import Actor
from engagement.builder.forms import QuestionForm, QuestionTypeForm
from engagement.builder.forms.structure import TYPE_HINTS
from engagement.builder.services.guard import BuilderRefusal, answer_count
from engagement.builder.services.routing import condition_description
from engagement.builder.services.structure import (
    BUILDER_TYPES,
    question_add,
    question_delete,
    question_move,
    question_update,
)
from engagement.builder.views.common import (
    back_to_survey,
    delete_confirmed,
    moving_up,
    page_of,
    question_of,
    refuse_in_form,
)
from surveys.models import Question, Survey
from surveys.targets import SURVEY

TEMPLATES = "engagement/builder"


@staff_view(Action.SURVEY_EDIT, target=SURVEY, methods=["GET", "POST"])
def question_new(request: HttpRequest, survey: Survey, page_id: int) -> HttpResponse:
    page = page_of(survey, page_id)
    form = QuestionTypeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return redirect(
            "engagement:question_new_details",
            survey_id=survey.pk,
            page_id=page.pk,
            question_type=form.cleaned_data["type"],
        )
    return render(
        request, f"{TEMPLATES}/question_type.html", {"survey": survey, "page": page, "form": form, "hints": TYPE_HINTS}
    )


@staff_view(Action.SURVEY_EDIT, target=SURVEY, methods=["GET", "POST"])
def question_new_details(request: HttpRequest, survey: Survey, page_id: int, question_type: str) -> HttpResponse:
    page = page_of(survey, page_id)
    if question_type not in {t.value for t in BUILDER_TYPES}:
        return redirect("engagement:question_new", survey_id=survey.pk, page_id=page.pk)
    form = QuestionForm(request.POST or None, question_type=question_type, new=True)
    if request.method == "POST" and form.is_valid():
        try:
            question = question_add(
                page=page, details=form.details(), choices=form.lines("choices"), rows=form.lines("rows")
            )
        except BuilderRefusal as refusal:
            refuse_in_form(form, refusal)
        else:
            messages.success(request, f"The question “{question.text}” has been added.")
            return back_to_survey(request, survey, f"question-{question.pk}")
    label = Question.Type(question_type).label
    return render(
        request,
        f"{TEMPLATES}/question_form.html",
        {"survey": survey, "page": page, "form": form, "question": None, "type_label": label},
    )


def _initial(question: Question) -> dict[str, object]:
    fields = ["text", "hint", "type", "required", "key", "max_length", "max_choices", "min_value", "max_value"]
    return {name: getattr(question, name) for name in fields} | {
        "allow_other": question.allow_other,
        "allow_prefer_not_to_say": question.allow_prefer_not_to_say,
    }


@staff_view(Action.SURVEY_EDIT, target=SURVEY, methods=["GET", "POST"])
def question_edit(request: HttpRequest, survey: Survey, question_id: int) -> HttpResponse:
    question = question_of(survey, question_id)
    if question.is_equality:
        return redirect("engagement:equality_section", survey_id=survey.pk)
    answered = answer_count(question)
    # The fields shown follow the kind being chosen, so a change of kind shows its own options next time.
    shown_type = request.POST.get("type") or question.type
    if shown_type not in {t.value for t in BUILDER_TYPES}:
        shown_type = question.type
    form = QuestionForm(
        request.POST or None, question_type=shown_type, new=False, answered=answered, initial=_initial(question)
    )
    if request.method == "POST" and form.is_valid():
        try:
            question_update(
                question=question,
                details=form.details(),
                actor=Actor.from_request(request),
                reword_confirmed=form.cleaned_data.get("confirm_reword", False),
            )
        except BuilderRefusal as refusal:
            refuse_in_form(form, refusal)
        else:
            messages.success(request, f"The question “{question.text}” has been saved.")
            return back_to_survey(request, survey, f"question-{question.pk}")
    return render(
        request,
        f"{TEMPLATES}/question_form.html",
        {
            "survey": survey,
            "page": question.page,
            "form": form,
            "question": question,
            "answered": answered,
            "condition": condition_description(item=question),
            "choices": question.choices.order_by("position"),
            "rows": question.grid_rows.order_by("position"),
            "type_label": question.get_type_display(),
        },
        status=400 if form.errors else 200,
    )


@staff_view(Action.SURVEY_EDIT, target=SURVEY, methods=["POST"])
def question_reorder(request: HttpRequest, survey: Survey, question_id: int) -> HttpResponse:
    question = question_of(survey, question_id)
    try:
        question_move(question=question, up=moving_up(request))
    except BuilderRefusal as refusal:
        return back_to_survey(request, survey, f"question-{question.pk}", refusal)
    return back_to_survey(request, survey, f"question-{question.pk}")


@staff_view(Action.SURVEY_EDIT, target=SURVEY, methods=["GET", "POST"])
def question_remove(request: HttpRequest, survey: Survey, question_id: int) -> HttpResponse:
    question = question_of(survey, question_id)
    answered = answer_count(question)
    return delete_confirmed(
        request,
        delete=lambda: question_delete(question=question),
        message="The question “{name}” has been deleted.",
        then=lambda: back_to_survey(request, survey, f"page-{question.page_id}"),
        context={
            "survey": survey,
            "what": f"the question “{question.text}”",
            "consequence": "Its choices and rows will be deleted too.",
            "blocked": bool(answered),
            "answered": answered,
            "back": f"question-{question.pk}",
        },
    )
