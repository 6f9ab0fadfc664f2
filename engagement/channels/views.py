"""Officers key in responses that came on paper, by phone, at events or through partners, one after
another on one page."""

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone

from access.policy import Action
from access.views import staff_view
from audit.services import Actor
from common.templatetags.form_errors import error_links
from engagement.channels.entry import keyed_entry
from engagement.channels.forms import SourceForm
from engagement.channels.services import (
    KeyedSource,
    PaperReferenceTaken,
    ReceivedDateRefused,
    keyed_response_submit,
)
from surveys.models import Survey
from surveys.selectors import survey_structure_get
from surveys.services import SurveyClosedError, submission_key_generate
from surveys.targets import SURVEY

# The source fields carried to the next entry, so a pile of forms from one event is keyed in quickly.
KEPT = ("channel", "event", "partner_listed", "partner", "activity")


def _received_initial(text: str, today: dt.date) -> dt.date:
    """The date received carried from the last entry (an ISO date in the address), or today."""
    try:
        return min(dt.date.fromisoformat(text), today) if text else today
    except ValueError:
        return today


@staff_view(Action.RESPONSE_ENTER, target=SURVEY, methods=["GET", "POST"])
def response_enter(request: HttpRequest, survey: Survey) -> HttpResponse:
    structure = survey_structure_get(survey=survey)
    today = timezone.localdate()
    if survey.status == Survey.Status.DRAFT:
        messages.error(request, "Responses can be keyed in once the survey is published.")
        return redirect("engagement:survey", survey_id=survey.pk)
    if request.method == "POST":
        source_form = SourceForm(request.POST, prefix="source", survey=survey, today=today)
        source_ok = source_form.is_valid()
        skipped = bool(source_ok and source_form.cleaned_data["about_you_skipped"])
        entry = keyed_entry(structure=structure, data=request.POST, equality_skipped=skipped, today=today)
        submission_key = request.POST.get("submission_key", "")[:64] or submission_key_generate()
        if source_ok and entry.valid:
            data = source_form.cleaned_data
            source = KeyedSource(
                channel=data["channel"],
                event=data["event"],
                partner=data["partner"].strip(),
                paper_reference=data["paper_reference"],
                received_on=data["received_on"],
                activity=data["activity"],
            )
            try:
                response = keyed_response_submit(
                    survey=survey,
                    structure=structure,
                    source=source,
                    answers=entry.answers,
                    equality_skipped=skipped,
                    submission_key=submission_key,
                    actor=Actor.from_request(request),
                )
            except PaperReferenceTaken as taken:
                source_form.add_error("paper_reference", str(taken))
            except ReceivedDateRefused as refusal:
                source_form.add_error("received_on", str(refusal))
            except SurveyClosedError:
                messages.error(request, "This survey is no longer taking responses.")
                return redirect("engagement:survey", survey_id=survey.pk)
            else:
                ignored = entry.skipped_with_answers
                note = (
                    f" Answers to {len(ignored)} question{pluralize(len(ignored))} the form said to skip: not stored."
                    if ignored
                    else ""
                )
                paper = f" (paper form {source.paper_reference})" if source.paper_reference else ""
                messages.success(
                    request, f"Response {response.reference}{paper} has been saved.{note} Enter the next one."
                )
                kept = {k: request.POST.get(f"source-{k}", "") for k in KEPT}
                kept["received"] = source.received_on.isoformat() if source.received_on != today else ""
                url = reverse("engagement:response_enter", kwargs={"survey_id": survey.pk})
                return redirect(f"{url}?{urlencode({k: v for k, v in kept.items() if v})}")
    else:
        initial: dict[str, object] = {k: request.GET[k] for k in KEPT if request.GET.get(k)}
        initial["received_on"] = _received_initial(request.GET.get("received", ""), today)
        source_form = SourceForm(prefix="source", survey=survey, initial=initial, today=today)
        entry = keyed_entry(structure=structure, data=None, today=today)
        submission_key = submission_key_generate()
    errors = error_links(source_form) + entry.error_links() if request.method == "POST" else []
    return render(
        request,
        "engagement/channels/enter.html",
        {
            "survey": survey,
            "source_form": source_form,
            "entry": entry,
            "submission_key": submission_key,
            "errors": errors,
            "show_errors": request.method == "POST",
        },
    )
