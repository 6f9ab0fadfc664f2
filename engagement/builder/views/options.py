"""A question's choices and grid rows: add, reword, move and delete them, one at a time."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from access.policy import Action
from access.views import staff_view
from audit.services import Actor
from engagement.builder.forms import OptionForm
from engagement.builder.services.guard import BuilderRefusal, answer_count
from engagement.builder.services.structure import option_add, option_delete, option_move, option_update
from engagement.builder.views.common import delete_confirmed, moving_up, option_of, question_of, refuse_in_form
from surveys.models import Question, Survey
from surveys.targets import SURVEY

TEMPLATES = "engagement/builder"
NAMES = {"choices": ("choice", "choice"), "rows": ("row", "grid row")}


def _back(question: Question, kind: str) -> HttpResponse:
    response = redirect("engagement:question", survey_id=question.page.survey_id, question_id=question.pk)
    response["Location"] += f"#{kind}"
    return response


@staff_view(Action.SURVEY_EDIT, target=SURVEY, methods=["GET", "POST"])
def option_new(request: HttpRequest, survey: Survey, question_id: int, kind: str) -> HttpResponse:
    question = question_of(survey, question_id)
    form = OptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            option = option_add(question=question, label=form.cleaned_data["label"], kind=NAMES[kind][0])
        except BuilderRefusal as refusal:
            refuse_in_form(form, refusal)
        else:
            messages.success(request, f"“{option.label}” has been added.")
            return _back(question, kind)
    return render(
        request,
        f"{TEMPLATES}/option_form.html",
        {"survey": survey, "question": question, "form": form, "option": None, "noun": NAMES[kind][1], "kind": kind},
    )


@staff_view(Action.SURVEY_EDIT, target=SURVEY, methods=["GET", "POST"])
def option_edit(request: HttpRequest, survey: Survey, question_id: int, kind: str, option_id: int) -> HttpResponse:
    question = question_of(survey, question_id)
    option = option_of(question, kind, option_id)
    answered = answer_count(option)
    form = OptionForm(request.POST or None, answered=answered, initial={"label": option.label})
    if request.method == "POST" and form.is_valid():
        try:
            option_update(
                option=option,
                label=form.cleaned_data["label"],
                actor=Actor.from_request(request),
                reword_confirmed=form.cleaned_data.get("confirm_reword", False),
            )
        except BuilderRefusal as refusal:
            refuse_in_form(form, refusal)
        else:
            messages.success(request, f"“{option.label}” has been saved.")
            return _back(question, kind)
    context = {"survey": survey, "question": question, "form": form, "option": option, "answered": answered}
    return render(
        request,
        f"{TEMPLATES}/option_form.html",
        context | {"noun": NAMES[kind][1], "kind": kind},
        status=400 if form.errors else 200,
    )


@staff_view(Action.SURVEY_EDIT, target=SURVEY, methods=["POST"])
def option_reorder(request: HttpRequest, survey: Survey, question_id: int, kind: str, option_id: int) -> HttpResponse:
    question = question_of(survey, question_id)
    try:
        option_move(option=option_of(question, kind, option_id), up=moving_up(request))
    except BuilderRefusal as refusal:
        messages.error(request, refusal.message)
    return _back(question, kind)


@staff_view(Action.SURVEY_EDIT, target=SURVEY, methods=["GET", "POST"])
def option_remove(request: HttpRequest, survey: Survey, question_id: int, kind: str, option_id: int) -> HttpResponse:
    question = question_of(survey, question_id)
    option = option_of(question, kind, option_id)
    answered = answer_count(option)
    return delete_confirmed(
        request,
        delete=lambda: option_delete(option=option),
        message="“{name}” has been deleted.",
        then=lambda: _back(question, kind),
        context={
            "survey": survey,
            "what": f"the {NAMES[kind][1]} “{option.label}”",
            "consequence": f"It is an answer to “{question.text}”.",
            "blocked": bool(answered),
            "answered": answered,
            "back_url": reverse("engagement:question", args=[survey.pk, question.pk]) + f"#{kind}",
        },
    )
