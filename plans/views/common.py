"""What the plan pages share: the report the suggestions come from, and objects loaded within a survey."""

from dataclasses import dataclass

from django.http import Http404, HttpRequest

from plans.models import Activity, TargetGroup
from plans.suggestions import Suggestion, report_suggestions
from representativeness.disclosure import Protection, audience_for, protection_for
from representativeness.reports.builder import Report, ReportError, report_build
from representativeness.selectors import report_area_default_code
from surveys.models import Survey


@dataclass
class Suggested:
    report: Report | None
    suggestions: list[Suggestion]  # not yet accepted or dismissed
    problem: str = ""


def protection_of(request: HttpRequest, survey: Survey) -> Protection:
    return protection_for(audience=audience_for(request.user, survey), survey=survey)


def suggested(request: HttpRequest, survey: Survey) -> Suggested:
    """The report's suggestions as this officer may see them, less those already decided."""
    area = report_area_default_code()
    if area is None:
        return Suggested(None, [], "No census baselines are loaded, so the report cannot suggest target groups.")
    protection = protection_of(request, survey)
    try:
        report = report_build(survey=survey, area_code=area, audience=protection.audience)
    except ReportError as error:
        return Suggested(None, [], protection.error_text(error))
    decided = set(
        TargetGroup.objects.filter(survey=survey, ward=None).values_list("characteristic", "level", "category")
    )
    return Suggested(
        report,
        [s for s in report_suggestions(report) if (s.characteristic, s.level, s.category) not in decided],
    )


def activity_of(survey: Survey, activity_id: int) -> Activity:
    try:
        return survey.activities.select_related("partner", "ward").get(pk=activity_id)
    except Activity.DoesNotExist:
        raise Http404("No such activity") from None


def group_of(survey: Survey, group_id: int) -> TargetGroup:
    try:
        return survey.target_groups.select_related("ward").get(pk=group_id)
    except TargetGroup.DoesNotExist:
        raise Http404("No such target group") from None
