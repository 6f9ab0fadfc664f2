"""The survey builder's pages: the staff member's surveys, one survey, and its "About you" section."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from access.policy import Action
from access.views import staff_view
from engagement.builder import selectors
from engagement.builder.forms import EqualitySectionForm
from surveys.equality.library import QUESTIONS_BY_KEY
from surveys.equality.services import EqualitySectionError, equality_section_add, equality_section_remove
from surveys.models import Survey
from surveys.targets import SURVEY


@staff_view(Action.SURVEY_VIEW)
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "engagement/dashboard.html", {"surveys": selectors.survey_list_for(user=request.user)})


@staff_view(Action.SURVEY_VIEW, target=SURVEY)
def survey_overview(request: HttpRequest, survey: Survey) -> HttpResponse:
    return render(
        request,
        "engagement/survey_overview.html",
        {
            "survey": survey,
            "channel_counts": selectors.survey_channel_counts(survey=survey),
            "section": [QUESTIONS_BY_KEY[k] for k in selectors.survey_equality_section_keys(survey=survey) if k],
        },
    )


@staff_view(Action.SURVEY_EDIT, target=SURVEY, methods=["GET", "POST"])
def equality_section_edit(request: HttpRequest, survey: Survey) -> HttpResponse:
    form = EqualitySectionForm(request.POST or None, current=selectors.survey_equality_section_current(survey=survey))
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
