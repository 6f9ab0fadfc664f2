"""The survey objects that officer URLs name, loaded for `access.views.staff_view` (404 when missing).

@staff_view(Action.SURVEY_EDIT, target=SURVEY)
def survey_page(request, survey): ...
"""

from django.shortcuts import get_object_or_404

from access.views import UrlTarget
from surveys.models import Response, Survey

SURVEY = UrlTarget("survey_id", "survey", lambda pk: get_object_or_404(Survey.objects.select_related("team"), pk=pk))
RESPONSE = UrlTarget(
    "response_id", "response", lambda pk: get_object_or_404(Response.objects.select_related("survey"), pk=pk)
)
