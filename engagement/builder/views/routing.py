"""Routing conditions on a page or a question, chosen in two steps without JavaScript: first the earlier
question whose answer decides, then which of its answers show the page or question."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from access.policy import Action
from access.views import staff_view
from engagement.builder.forms import ConditionAnswersForm, ConditionQuestionForm
from engagement.builder.services.guard import BuilderRefusal
from engagement.builder.services.routing import (
    condition_answers,
    condition_clear,
    condition_description,
    condition_set,
    earlier_questions,
)
from engagement.builder.views.common import back_to_survey, page_of, question_of
from surveys.models import Page, Question, Survey
from surveys.targets import SURVEY


def _condition_page(request: HttpRequest, survey: Survey, item: Page | Question) -> HttpResponse:
    anchor = f"page-{item.pk}" if isinstance(item, Page) else f"question-{item.pk}"
    named = f"page “{item.title}”" if isinstance(item, Page) else f"question “{item.text}”"
    if request.method == "POST" and "remove" in request.POST:
        try:
            condition_clear(item=item)
        except BuilderRefusal as refusal:
            return back_to_survey(request, survey, anchor, refusal)
        messages.success(request, f"The {named} is now shown to everyone.")
        return back_to_survey(request, survey, anchor)

    questions = earlier_questions(item=item)
    chosen = request.POST.get("question") or request.GET.get("question")
    if not chosen and item.condition_question_id and request.method == "GET":
        chosen = str(item.condition_question_id)
    context: dict[str, object] = {
        "survey": survey,
        "item": item,
        "named": named,
        "anchor": anchor,
        "current": condition_description(item=item),
    }
    step = request.POST.get("step")
    if chosen and chosen.isdigit() and step != "question":
        try:
            spec, options = condition_answers(item=item, question_id=int(chosen))
        except BuilderRefusal:
            spec = None
        if spec is not None:
            initial = {"values": item.condition_values} if item.condition_question_id == spec.question.pk else {}
            form = ConditionAnswersForm(request.POST if step == "answers" else None, options=options, initial=initial)
            if step == "answers" and form.is_valid():
                try:
                    condition_set(item=item, question_id=spec.question.pk, values=form.cleaned_data["values"])
                except BuilderRefusal as refusal:
                    form.add_error("values", refusal.message)
                else:
                    messages.success(request, f"The {named} now has a condition.")
                    return back_to_survey(request, survey, anchor)
            context |= {"form": form, "spec": spec, "step": "answers"}
            return render(request, "engagement/builder/condition.html", context, status=400 if form.errors else 200)
    form = ConditionQuestionForm(
        request.POST if step == "question" else None,
        questions=questions,
        initial={"question": item.condition_question_id},
    )
    if step == "question" and form.is_valid():
        # On to the second step, with the chosen question (a GET, so Back works as expected).
        response = HttpResponse(status=303)
        response["Location"] = f"{request.path}?question={form.cleaned_data['question']}"
        return response
    context |= {"form": form, "questions": questions, "step": "question"}
    return render(request, "engagement/builder/condition.html", context, status=400 if form.errors else 200)


@staff_view(Action.SURVEY_EDIT, target=SURVEY, methods=["GET", "POST"])
def page_condition(request: HttpRequest, survey: Survey, page_id: int) -> HttpResponse:
    return _condition_page(request, survey, page_of(survey, page_id))


@staff_view(Action.SURVEY_EDIT, target=SURVEY, methods=["GET", "POST"])
def question_condition(request: HttpRequest, survey: Survey, question_id: int) -> HttpResponse:
    return _condition_page(request, survey, question_of(survey, question_id))
