"""A survey's pages: add, change, move and delete them."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize

from access.policy import Action
from access.views import staff_view
from engagement.builder.forms import PageForm
from engagement.builder.services.guard import BuilderRefusal, answer_count
from engagement.builder.services.structure import page_add, page_delete, page_move, page_update
from engagement.builder.views.common import back_to_survey, delete_confirmed, moving_up, page_of, refuse_in_form
from surveys.models import Survey
from surveys.targets import SURVEY

TEMPLATES = "engagement/builder"


@staff_view(Action.SURVEY_EDIT, target=SURVEY, methods=["GET", "POST"])
def page_new(request: HttpRequest, survey: Survey) -> HttpResponse:
    form = PageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        page = page_add(survey=survey, **form.cleaned_data)
        messages.success(request, f"Page “{page.title}” has been added. Add its questions.")
        return redirect("engagement:question_new", survey_id=survey.pk, page_id=page.pk)
    return render(request, f"{TEMPLATES}/page_form.html", {"survey": survey, "form": form, "page": None})


@staff_view(Action.SURVEY_EDIT, target=SURVEY, methods=["GET", "POST"])
def page_edit(request: HttpRequest, survey: Survey, page_id: int) -> HttpResponse:
    page = page_of(survey, page_id)
    form = PageForm(request.POST or None, initial={"title": page.title, "introduction": page.introduction})
    if request.method == "POST" and form.is_valid():
        try:
            page_update(page=page, **form.cleaned_data)
        except BuilderRefusal as refusal:
            refuse_in_form(form, refusal)
        else:
            messages.success(request, f"Page “{page.title}” has been saved.")
            return back_to_survey(request, survey, f"page-{page.pk}")
    return render(request, f"{TEMPLATES}/page_form.html", {"survey": survey, "form": form, "page": page})


@staff_view(Action.SURVEY_EDIT, target=SURVEY, methods=["POST"])
def page_reorder(request: HttpRequest, survey: Survey, page_id: int) -> HttpResponse:
    page = page_of(survey, page_id)
    try:
        page_move(page=page, up=moving_up(request))
    except BuilderRefusal as refusal:
        return back_to_survey(request, survey, f"page-{page.pk}", refusal)
    return back_to_survey(request, survey, f"page-{page.pk}")


@staff_view(Action.SURVEY_EDIT, target=SURVEY, methods=["GET", "POST"])
def page_remove(request: HttpRequest, survey: Survey, page_id: int) -> HttpResponse:
    page = page_of(survey, page_id)
    answered = sum(answer_count(q) for q in page.questions.all())
    questions = page.questions.count()
    return delete_confirmed(
        request,
        delete=lambda: page_delete(page=page),
        message="Page “{name}” and its questions have been deleted.",
        then=lambda: back_to_survey(request, survey, "pages"),
        context={
            "survey": survey,
            "what": f"page “{page.title}”",
            "consequence": f"Its {questions} question{pluralize(questions)} will be deleted too.",
            "blocked": bool(answered),
            "answered": answered,
            "back": f"page-{page.pk}",
        },
    )
