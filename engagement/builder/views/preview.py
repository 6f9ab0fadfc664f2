"""Preview any page of a survey as residents see it. Nothing is stored: sending the page only checks
the answers typed, with the messages residents would get."""

import dataclasses

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from access.policy import Action
from access.views import staff_view
from engagement.builder.services.routing import condition_description
from surveys.forms import PageForm
from surveys.models import Survey
from surveys.selectors import survey_structure_get
from surveys.targets import SURVEY


@staff_view(Action.SURVEY_VIEW, target=SURVEY)
def preview_start(request: HttpRequest, survey: Survey) -> HttpResponse:
    first = survey.pages.order_by("position").first()
    if first is None:
        raise Http404("This survey has no pages yet")
    return redirect("engagement:preview", survey_id=survey.pk, page_id=first.pk)


@staff_view(Action.SURVEY_VIEW, target=SURVEY, methods=["GET", "POST"])
def preview_page(request: HttpRequest, survey: Survey, page_id: int) -> HttpResponse:
    structure = survey_structure_get(survey=survey)
    index = next((i for i, p in enumerate(structure.pages) if p.page.pk == page_id), None)
    if index is None:
        raise Http404("No such page in this survey")
    spec = structure.pages[index]
    # Every question is shown, whatever earlier answers would decide; each says when residents see it.
    shown = dataclasses.replace(spec, questions=[dataclasses.replace(q, rule=None) for q in spec.questions])
    form = PageForm(data=request.POST if request.method == "POST" else None, prefix=spec.step, page=shown)
    checked = request.method == "POST" and form.is_valid()
    conditions = {q.key: condition_description(item=q.question) for q in spec.questions if q.rule}
    pages = structure.pages
    return render(
        request,
        "engagement/builder/preview.html",
        {
            "survey": survey,
            "page": shown,
            "form": form,
            "show_errors": request.method == "POST",
            "checked": checked,
            "caption": "About you" if shown.is_equality else survey.title,
            "page_number": index + 1,
            "page_count": len(pages),
            "page_condition": condition_description(item=spec.page),
            "conditions": conditions,
            "previous": pages[index - 1].page if index > 0 else None,
            "next": pages[index + 1].page if index + 1 < len(pages) else None,
            "pages": pages,
        },
        status=400 if request.method == "POST" and not checked else 200,
    )
