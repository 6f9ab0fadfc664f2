"""Officers' pages: their surveys, the "About you" section of each, and individual responses."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from engagement import selectors, services
from engagement.forms import EqualitySectionForm
from surveys.equality.library import QUESTIONS_BY_KEY
from surveys.equality.services import EqualitySectionError, equality_section_add, equality_section_remove
from surveys.models import EQUALITY_PERMISSION, Page, Question, Response, Survey


@login_required
@permission_required("surveys.view_survey", raise_exception=True)
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "engagement/dashboard.html", {"surveys": selectors.survey_list_with_counts()})


@login_required
@permission_required("surveys.view_survey", raise_exception=True)
def survey_overview(request: HttpRequest, survey_id: str) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=survey_id)
    return render(
        request,
        "engagement/survey_overview.html",
        {
            "survey": survey,
            "channel_counts": selectors.survey_channel_counts(survey=survey),
            "section": [QUESTIONS_BY_KEY[k] for k in selectors.survey_equality_section_keys(survey=survey) if k],
        },
    )


def _current_section(survey: Survey) -> dict[str, tuple[int, str, str]]:
    questions = Question.objects.filter(page__survey=survey, page__section=Page.Section.EQUALITY).exclude(
        equality_key=""
    )
    return {
        q.equality_key: (i, q.why_we_ask, q.how_we_use)
        for i, q in enumerate(questions.order_by("page__position"), start=1)
    }


@login_required
@permission_required("surveys.change_survey", raise_exception=True)
@require_http_methods(["GET", "POST"])
def equality_section_edit(request: HttpRequest, survey_id: str) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=survey_id)
    form = EqualitySectionForm(request.POST or None, current=_current_section(survey))
    if request.method == "POST" and form.is_valid():
        keys, texts = form.chosen()
        try:
            if keys:
                equality_section_add(survey=survey, keys=keys, explanations=texts)
                messages.success(request, f'The "About you" section now asks {len(keys)} question(s).')
            else:
                equality_section_remove(survey=survey)
                messages.success(request, 'The "About you" section has been removed from this survey.')
            return redirect("engagement:survey", survey_id=survey.pk)
        except EqualitySectionError as error:
            form.add_error(None, str(error))
    return render(request, "engagement/equality_section.html", {"survey": survey, "form": form})


@login_required
@permission_required("surveys.view_response", raise_exception=True)
def response_list(request: HttpRequest, survey_id: str) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=survey_id)
    page = Paginator(selectors.survey_responses(survey=survey), 50).get_page(request.GET.get("page"))
    return render(request, "engagement/response_list.html", {"survey": survey, "page": page})


@login_required
@permission_required("surveys.view_response", raise_exception=True)
def response_detail(request: HttpRequest, response_id: str) -> HttpResponse:
    response = get_object_or_404(Response.objects.select_related("survey"), pk=response_id)
    return render(
        request,
        "engagement/response_detail.html",
        {
            "response": response,
            "answers": selectors.response_answers(response=response),
            "can_view_equality": request.user.has_perm(EQUALITY_PERMISSION),
        },
    )


@login_required
def response_equality_detail(request: HttpRequest, response_id: str) -> HttpResponse:
    """Individual "About you" answers: only for users with explicit permission to see them."""
    if not request.user.has_perm(EQUALITY_PERMISSION):
        raise PermissionDenied("You need permission to view equality data to see individual 'About you' answers.")
    response = get_object_or_404(Response.objects.select_related("survey"), pk=response_id)
    profile = selectors.response_equality_profile(response=response)
    rows = selectors.equality_profile_rows(profile=profile) if profile else []
    return render(
        request, "engagement/response_equality.html", {"response": response, "profile": profile, "rows": rows}
    )


@login_required
@permission_required("surveys.delete_response", raise_exception=True)
@require_POST
def response_delete(request: HttpRequest, response_id: str) -> HttpResponse:
    response = get_object_or_404(Response, pk=response_id)
    survey_id = response.survey_id
    reference = services.response_delete(response=response)
    messages.success(request, f"Response {reference} and its 'About you' answers have been deleted.")
    return redirect("engagement:responses", survey_id=survey_id)
