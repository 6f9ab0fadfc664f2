"""Residents' requests for their data, answered by an administrator: find a response by its reference,
show everything held about it, and erase it. Showing and erasing are both recorded in the audit log."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from access.policy import Action
from access.views import staff_view
from audit.models import AuditAction
from audit.services import Actor, audit_record
from engagement.data_requests import selectors, services
from surveys.models import Response
from surveys.targets import RESPONSE

TEMPLATES = "engagement/data_requests"


class ReferenceForm(forms.Form):
    reference = forms.CharField(
        label="Response reference",
        help_text="The reference the resident was shown when they sent their answers, for example HX4K-9PQR.",
        max_length=40,
        error_messages={"required": "Enter the response reference"},
    )


@staff_view(Action.DATA_REQUEST)
def data_request_find(request: HttpRequest) -> HttpResponse:
    form = ReferenceForm(request.GET or None)
    if form.is_valid():
        response = selectors.response_by_reference(reference=form.cleaned_data["reference"])
        if response is not None:
            return redirect("engagement:data_request", response_id=response.pk)
        form.add_error("reference", "No response has this reference. Check it with the resident")
    return render(request, f"{TEMPLATES}/find.html", {"form": form})


@staff_view(Action.DATA_REQUEST, target=RESPONSE)
def data_request_show(request: HttpRequest, response: Response) -> HttpResponse:
    held = selectors.response_held_data(response=response)
    audit_record(
        actor=Actor.from_request(request),
        action=AuditAction.EQUALITY_ANSWERS_VIEWED,
        target=response,
        detail={"purpose": "right of access", **held.summary},
    )
    return render(request, f"{TEMPLATES}/show.html", {"held": held, "response": response})


@staff_view(Action.DATA_REQUEST, target=RESPONSE, methods=["GET", "POST"])
def data_request_erase(request: HttpRequest, response: Response) -> HttpResponse:
    if request.method == "POST":
        erased = services.response_erase(response=response, actor=Actor.from_request(request))
        messages.success(
            request,
            f"Response {erased['reference']}, its 'About you' answers and any saved copy have been deleted.",
        )
        return redirect("engagement:data_request_find")
    return render(request, f"{TEMPLATES}/erase.html", {"response": response})
