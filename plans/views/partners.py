"""The directory of partner organisations (VCSE): council-wide, read by every officer."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from access.policy import Action, allowed
from access.views import staff_view
from audit.services import Actor
from plans.forms import PartnerForm
from plans.models import Partner
from plans.services import partner_delete, partner_save


@staff_view(Action.PARTNER_VIEW)
def partner_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "plans/partner_list.html",
        {"partners": Partner.objects.prefetch_related("areas"), "can_edit": allowed(request.user, Action.PARTNER_EDIT)},
    )


def _partner_form(request: HttpRequest, partner: Partner) -> HttpResponse:
    form = PartnerForm(request.POST or None, instance=partner)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        partner_save(partner=saved, areas=list(form.cleaned_data["areas"]), actor=Actor.from_request(request))
        messages.success(request, f"“{saved.name}” has been saved.")
        return redirect("plans:partners")
    return render(request, "plans/partner_form.html", {"form": form, "partner": partner if partner.pk else None})


@staff_view(Action.PARTNER_EDIT, methods=["GET", "POST"])
def partner_new(request: HttpRequest) -> HttpResponse:
    return _partner_form(request, Partner())


def _partner(pk: int) -> Partner:
    try:
        return Partner.objects.get(pk=pk)
    except Partner.DoesNotExist:
        raise Http404("No such partner") from None


@staff_view(Action.PARTNER_EDIT, methods=["GET", "POST"])
def partner_edit(request: HttpRequest, partner: int) -> HttpResponse:
    """A partner belongs to no team (the directory is council-wide), so the URL names it by `partner`,
    not a team-checked `..._id`: anyone who may edit partners may edit any of them."""
    return _partner_form(request, _partner(partner))


@staff_view(Action.PARTNER_EDIT, methods=["GET", "POST"])
def partner_delete_confirm(request: HttpRequest, partner: int) -> HttpResponse:
    """Delete a partner from the directory; the activities run with it keep its name."""
    found = _partner(partner)
    if request.method == "POST":
        partner_delete(partner=found, actor=Actor.from_request(request))
        messages.success(request, f"“{found.name}” has been deleted from the directory.")
        return redirect("plans:partners")
    activities = found.activities.select_related("survey").order_by("survey__title", "title")
    return render(request, "plans/partner_delete.html", {"partner": found, "activities": activities})
