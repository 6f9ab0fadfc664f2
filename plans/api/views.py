"""An activity's attendees through the API: their own About you profiles against the census, in the report
command's JSON layout, protected (whole batches, as the activity's report page and download)."""

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response as ApiResponse

from access.policy import Action
from common.api.serializers import ERRORS
from plans.attendees import attendees_report
from plans.views.common import activity_of
from representativeness.api.views import AREA, ReportLayout, population_area_code, population_refusal
from representativeness.disclosure import Audience
from representativeness.errors import ReportError
from representativeness.reports.serialize import report_as_dict
from surveys.api.scoped import SurveyScoped


class AttendeesReport(SurveyScoped):
    """An activity's attendees' profiles against the census, as the activity's JSON download gives them."""

    policy = {"get": Action.PLAN_VIEW}

    @extend_schema(parameters=[AREA], responses={200: ReportLayout, **ERRORS})
    def get(self, request: Request, survey_id: str, activity_id: int) -> ApiResponse:
        activity = activity_of(self.get_survey(), activity_id)
        area_code = population_area_code(request)
        try:
            report = attendees_report(activity=activity, area_code=area_code, audience=Audience.PROTECTED)
        except ReportError as error:
            raise population_refusal(error) from None
        return ApiResponse(report_as_dict(report))
