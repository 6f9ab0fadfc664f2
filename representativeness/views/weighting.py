"""The officer's weighting page: choose characteristics, read the diagnostics, compare results."""

from collections.abc import Iterator, Sequence
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from access.policy import Action
from access.views import staff_view
from representativeness.disclosure import Audience, audience_for, protection_for
from representativeness.errors import ReportError
from representativeness.reports.forms import WeightingForm, with_default_area
from representativeness.reports.serialize import caveats_text
from representativeness.views.downloads import audited_table_download
from representativeness.weighting import DEFAULT_CHARACTERISTICS, WeightingResult, weighting_run
from surveys.models import Survey
from surveys.targets import SURVEY

RESULT_HEADER = (
    "question",
    "row_or_option",
    "answer",
    "respondents",
    "unweighted_share",
    "unweighted_low",
    "unweighted_high",
    "weighted_share",
    "weighted_low",
    "weighted_high",
    "leading_answer_changes",
)
# The downloads (CSV, XLSX) end every row with the weighting's diagnostics and caveats as one text, as the
# report's end each with its characteristic's: a CSV, which has no Diagnostics sheet, says them too.
DOWNLOAD_HEADER = (*RESULT_HEADER, "caveats")


def _figure(value: Any) -> float | None:
    return None if value is None or value != value else float(value)  # NaN: hidden or undefined


def result_rows(result: WeightingResult) -> Iterator[list[Any]]:
    for question in result.questions:
        table = question.results.table
        for answer, row in table.iterrows():
            yield [
                question.question,
                question.row,
                answer,
                int(row["respondents"]),
                *(_figure(row[c]) for c in RESULT_HEADER[4:10]),
                question.results.leader_changes,
            ]


def download_rows(result: WeightingResult, diagnostics: Sequence[str]) -> Iterator[list[Any]]:
    """DOWNLOAD_HEADER's rows: `result_rows`, each with `diagnostics` (the result's) as its caveats."""
    caveats = caveats_text(diagnostics)
    for row in result_rows(result):
        yield [*row, caveats]


def _form(request: HttpRequest) -> WeightingForm:
    data = with_default_area(request.GET)
    # The form says it was sent (weigh=1), so unticking every box is an error, not a first visit.
    if "weigh" not in data and "characteristics" not in data:
        data.setlist("characteristics", list(DEFAULT_CHARACTERISTICS))
    return WeightingForm(data)


def _run(request: HttpRequest, survey: Survey, audience: Audience) -> tuple[WeightingForm, WeightingResult | None]:
    form = _form(request)
    if form.is_valid() and not form.refuse_filters_without_permission(request.user, survey):
        try:
            return form, weighting_run(survey=survey, audience=audience, **form.options())
        except (ReportError, ValueError) as error:  # ValueError: answers the census targets cannot place
            # A statistics library's message may name the groups it could not place: hidden ones, perhaps.
            form.add_error(None, protection_for(audience=audience, survey=survey).error_text(error))
    return form, None


@staff_view(Action.REPORT_VIEW, target=SURVEY)
def weighting_page(request: HttpRequest, survey: Survey) -> HttpResponse:
    audience = audience_for(request.user, survey)
    form, result = _run(request, survey, audience)
    context = {
        "survey": survey,
        "places": 1 if audience is Audience.EXACT else 0,  # protected shares are whole percentages
        "form": form,
        "result": result,
        "diagnostics": result.diagnostics() if result else [],
        "query": request.GET.urlencode(),
    }
    return render(request, "representativeness/weighting.html", context, status=400 if form.errors else 200)


@staff_view(Action.DOWNLOAD, target=SURVEY)
def weighting_download(request: HttpRequest, survey: Survey, file_format: str) -> HttpResponse:
    # Every download is protected, whoever makes it: files travel further than screens.
    form, result = _run(request, survey, Audience.PROTECTED)
    if result is None:
        return HttpResponse("The weighting options are not valid: " + form.errors.as_text(), status=400)
    diagnostics = result.diagnostics()
    return audited_table_download(
        request,
        survey,
        name=f"{survey.slug}-weighted-results-{result.area_code}",
        file_format=file_format,
        table=("Results", DOWNLOAD_HEADER, download_rows(result, diagnostics)),
        more_sheets=[("Diagnostics", ["diagnostic"], [[line] for line in diagnostics])],
    )
