"""We asked, you said, we did: officers publish it after closing; residents read it, and may ask to
be emailed when it is published."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from access.policy import Action
from access.views import staff_view
from audit.services import Actor
from common.tabular_export import csv_response
from engagement.hub.selectors import HubStatus, outcome_published, status_of
from engagement.hub.views.public import consultation_or_404, too_many_requests
from engagement.models import Outcome
from engagement.outcomes import selectors, services
from engagement.outcomes.forms import OutcomeForm, SubscribeForm
from representativeness.disclosure import suppression_threshold
from representativeness.reports.charts import ChartRow, comparison_chart
from surveys.models import Survey
from surveys.targets import SURVEY


def _charts(survey: Survey, outcome: Outcome) -> list[dict[str, object]]:
    """A chart of each closed question's answers, from the protected figures its table and CSV show."""
    charts = []
    results = selectors.closed_question_results(survey=survey, as_of=outcome.published_at)
    for i, result in enumerate(results, start=1):
        rows = [ChartRow(r.label, r.share, None, None, None, None, suppressed=r.hidden) for r in result.rows]
        chart = (
            comparison_chart(title=result.text, rows=rows, chart_id=f"answers-{i}", census=False)
            if result.answered
            else ""
        )
        charts.append({"result": result, "chart": chart, "id": f"answers-{i}"})
    return charts


def outcome_answers_download(request: HttpRequest, slug: str, question: str) -> StreamingHttpResponse:
    """One chart's figures as CSV: the same protected counts and whole percentages the page shows."""
    survey = consultation_or_404(slug)
    published = outcome_published(survey=survey)
    if published is None:
        raise Http404("No outcome has been published")
    results = selectors.closed_question_results(survey=survey, as_of=published.published_at)
    result = next((r for r in results if r.key == question), None)
    if result is None:
        raise Http404("No such question")
    rows: list[list[object]] = [[result.text, r.label, r.count, r.percent, r.hidden] for r in result.rows]
    rows.append([result.text, "People who answered the question", result.answered, None, False])
    return csv_response(
        f"{survey.slug}-{question}.csv",
        [
            "Question",
            "Answer",
            "People",
            "Share of the people who answered (%)",
            "Hidden to protect small numbers",
        ],
        rows,
    )


def outcome(request: HttpRequest, slug: str) -> HttpResponse:
    survey = consultation_or_404(slug)
    published = outcome_published(survey=survey)
    if published is None:
        raise Http404("No outcome has been published")
    report = selectors.participation_summary(survey=survey)
    return render(
        request,
        "engagement/outcomes/outcome.html",
        {
            "survey": survey,
            "outcome": published,
            "charts": _charts(survey, published),
            "threshold": suppression_threshold(),
            "report": report,
            # Who took part is counted from the published snapshot (representativeness.disclosure): say when.
            "report_note": report.notes[0] if report and report.notes else "",
            "tables": selectors.participation_tables(report) if report else [],
        },
    )


def outcome_subscribe(request: HttpRequest, slug: str) -> HttpResponse:
    survey = consultation_or_404(slug)
    if outcome_published(survey=survey) is not None:
        return redirect("hub:outcome", slug=survey.slug)
    form = SubscribeForm(request.POST or None)
    if request.method == "POST" and (refused := too_many_requests(request, survey, scope="outcome-email")):
        return refused
    if request.method == "POST" and form.is_valid():
        services.outcome_subscribe(survey=survey, email=form.cleaned_data["email"])
        return render(request, "engagement/outcomes/subscribed.html", {"survey": survey})
    return render(request, "engagement/outcomes/subscribe.html", {"survey": survey, "form": form})


@staff_view(Action.OUTCOME_PUBLISH, target=SURVEY, methods=["GET", "POST"])
def outcome_edit(request: HttpRequest, survey: Survey) -> HttpResponse:
    existing = Outcome.objects.filter(survey=survey).first()
    initial = {k: getattr(existing, k) for k in ("we_asked", "you_said", "we_did", "decided_on")} if existing else {}
    form = OutcomeForm(request.POST or None, initial=initial)
    closed = status_of(survey) == HubStatus.CLOSED
    if request.method == "POST" and closed and form.is_valid():
        # Emails cannot be unsent, and the addresses are deleted as they go: the officer checks first.
        waiting = services.outcome_emails_waiting(survey=survey)
        if waiting and ("confirm" not in request.POST or "change" in request.POST):
            if "change" not in request.POST:
                posted = [(k, v) for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken", "confirm")]
                return render(
                    request,
                    "engagement/outcomes/check.html",
                    {"survey": survey, "form": form, "posted": posted, "waiting": waiting},
                )
            return render(
                request,
                "engagement/outcomes/edit.html",
                {"survey": survey, "form": form, "closed": closed, "outcome": existing},
            )
        url = request.build_absolute_uri(reverse("hub:outcome", kwargs={"slug": survey.slug}))
        result = services.outcome_publish(
            survey=survey, text=form.text(), actor=Actor.from_request(request), outcome_url=url
        )
        emailed = f" {result.emailed} resident{'s' if result.emailed != 1 else ''} emailed." if result.emailed else ""
        messages.success(request, f"The outcome has been published.{emailed}")
        return redirect("engagement:survey", survey_id=survey.pk)
    return render(
        request,
        "engagement/outcomes/edit.html",
        {"survey": survey, "form": form, "closed": closed, "outcome": existing},
    )
