"""Small helpers the builder's views share: loading a survey's parts, and showing a refusal."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from engagement.builder.services.guard import BuilderRefusal
from surveys.models import Choice, GridRow, Page, Question, Survey

OPTION_KINDS = {"choices": Choice, "rows": GridRow}


def page_of(survey: Survey, page_id: int) -> Page:
    """A page of this survey (404 for another survey's page, whoever owns it)."""
    return get_object_or_404(Page, pk=page_id, survey=survey)


def question_of(survey: Survey, question_id: int) -> Question:
    return get_object_or_404(Question.objects.select_related("page__survey"), pk=question_id, page__survey=survey)


def option_of(question: Question, kind: str, option_id: int) -> Choice | GridRow:
    return get_object_or_404(OPTION_KINDS[kind], pk=option_id, question=question)


def refuse_in_form(form: forms.Form, refusal: BuilderRefusal) -> None:
    field = refusal.field if refusal.field in form.fields else None
    form.add_error(field, refusal.message)


def back_to_survey(request: HttpRequest, survey: Survey, anchor: str = "", refusal: Any = None) -> HttpResponse:
    if refusal is not None:
        messages.error(request, refusal.message)
    response = redirect("engagement:survey", survey_id=survey.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def moving_up(request: HttpRequest) -> bool:
    return request.POST.get("direction") == "up"


def delete_confirmed(
    request: HttpRequest,
    *,
    delete: Callable[[], str],
    message: str,
    then: Callable[[], HttpResponse],
    context: dict[str, Any],
) -> HttpResponse:
    """A "Delete ...?" page: on POST, `delete()` (returning the thing's name) and `then()`, or the refusal
    shown on the page; `message` is the confirmation, with {name}."""
    refusal = ""
    if request.method == "POST":
        try:
            name = delete()
        except BuilderRefusal as error:
            refusal = error.message
        else:
            messages.success(request, message.format(name=name))
            return then()
    return render(
        request,
        "engagement/builder/confirm_delete.html",
        context | {"refusal": refusal},
        status=400 if refusal else 200,
    )
