"""What staff endpoints about one survey share: loading it with the policy's check, and who is acting."""

from django.shortcuts import get_object_or_404
from rest_framework.request import Request
from rest_framework.views import APIView

from audit.models import Via
from audit.services import Actor
from surveys.models import Survey


def api_actor(request: Request) -> Actor:
    """The signed-in user (session or token), recorded in the audit log as acting through the API."""
    return Actor.from_request(request, via=Via.API)


class SurveyScoped(APIView):
    """An endpoint about one survey (`survey_id` in the URL): loaded, then checked against the policy for
    this request's method with the survey's team, as the web's staff_view does (403 with the reason)."""

    def get_survey(self) -> Survey:
        survey = get_object_or_404(Survey.objects.select_related("team"), pk=self.kwargs["survey_id"])
        self.check_object_permissions(self.request, survey)
        return survey
