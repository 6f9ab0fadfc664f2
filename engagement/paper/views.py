"""The paper form, standard and large print, for residents to print and officers to hand out."""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from engagement.hub.views.public import consultation_or_404
from engagement.paper.render import LARGE_PRINT, STANDARD, PrintSize, paper_form_pdf


def _pdf(request: HttpRequest, slug: str, size: PrintSize, suffix: str) -> HttpResponse:
    survey = consultation_or_404(slug)
    online = request.build_absolute_uri(reverse("surveys:survey_start", kwargs={"slug": survey.slug}))
    response = HttpResponse(paper_form_pdf(survey=survey, size=size, online_url=online), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{survey.slug}{suffix}.pdf"'
    return response


def paper(request: HttpRequest, slug: str) -> HttpResponse:
    return _pdf(request, slug, STANDARD, "")


def paper_large_print(request: HttpRequest, slug: str) -> HttpResponse:
    return _pdf(request, slug, LARGE_PRINT, "-large-print")
