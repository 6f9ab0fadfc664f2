"""The survey's "About you" section: which standard equality questions, in what order, with what explanations."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize

from access.policy import Action
from access.views import staff_view
from engagement.builder import selectors
from engagement.builder.forms import EqualitySectionForm
from engagement.builder.services.about_you import equality_section_set
from engagement.builder.services.guard import BuilderRefusal
from surveys.equality.services import EqualitySectionError
from surveys.models import Survey
from surveys.targets import SURVEY


@staff_view(Action.SURVEY_EDIT, target=SURVEY, methods=["GET", "POST"])
def equality_section_edit(request: HttpRequest, survey: Survey) -> HttpResponse:
    form = EqualitySectionForm(request.POST or None, current=selectors.survey_equality_section_current(survey=survey))
    if request.method == "POST" and form.is_valid():
        keys, texts = form.chosen()
        try:
            equality_section_set(survey=survey, keys=keys, explanations=texts)
        except (EqualitySectionError, BuilderRefusal) as error:
            form.add_error(None, str(error))
        else:
            if keys:
                messages.success(
                    request, f'The "About you" section now asks {len(keys)} question{pluralize(len(keys))}.'
                )
            else:
                messages.success(request, 'The "About you" section has been removed from this survey.')
            return redirect("engagement:survey", survey_id=survey.pk)
    return render(request, "engagement/equality_section.html", {"survey": survey, "form": form})
