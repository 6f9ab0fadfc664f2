"""Administrators manage staff (team, role, the equality-data grant, whether they can sign in) and teams.
Every change is recorded in the audit log by the services."""

import secrets

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from access.models import Team
from access.passwords import reset_email_context
from access.policy import Action
from access.views import staff_view
from audit.services import Actor
from engagement.staff import selectors
from engagement.staff.forms import StaffForm, TeamForm
from engagement.staff.services import (
    StaffError,
    staff_create,
    staff_settings_of,
    staff_update,
    team_create,
    team_rename,
)

TEMPLATES = "engagement/staff"


@staff_view(Action.STAFF_MANAGE)
def staff_list(request: HttpRequest) -> HttpResponse:
    return render(request, f"{TEMPLATES}/list.html", {"staff": selectors.staff_list(), "teams": selectors.team_list()})


def _send_set_password_link(request: HttpRequest, email: str) -> None:
    """A new member of staff chooses their own password through the password-reset link, in an email that
    says why they are getting it (not "someone asked to reset your password")."""
    form = PasswordResetForm({"email": email})
    if form.is_valid():
        form.save(
            request=request,
            use_https=request.is_secure(),
            extra_email_context=reset_email_context(),
            subject_template_name="registration/new_staff_subject.txt",
            email_template_name="registration/new_staff_email.html",
        )


@staff_view(Action.STAFF_MANAGE, methods=["GET", "POST"])
def staff_new(request: HttpRequest) -> HttpResponse:
    form = StaffForm(request.POST or None, new=True, initial={"is_active": True})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = staff_create(
                username=data["username"],
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                settings=form.settings(),
                actor=Actor.from_request(request),
                # Nobody knows it: they choose their own through the emailed link.
                password=secrets.token_urlsafe(32),
            )
        except StaffError as error:
            form.add_error(None, str(error))
        else:
            _send_set_password_link(request, user.email)
            messages.success(request, f"{user.username} has been added and sent a link to choose a password.")
            return redirect("engagement:staff_list")
    return render(request, f"{TEMPLATES}/form.html", {"form": form, "member": None})


@staff_view(Action.STAFF_MANAGE, methods=["GET", "POST"])
def staff_edit(request: HttpRequest, user_id: int) -> HttpResponse:
    member = get_object_or_404(get_user_model(), pk=user_id)
    current = staff_settings_of(member)
    initial = {
        "role": current.role,
        "team": current.team,
        "equality_data": current.equality_data,
        "is_active": current.is_active,
    }
    form = StaffForm(request.POST or None, new=False, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            staff_update(user=member, settings=form.settings(), actor=Actor.from_request(request))
        except StaffError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{member.username}'s access has been saved.")
            return redirect("engagement:staff_list")
    return render(request, f"{TEMPLATES}/form.html", {"form": form, "member": member})


@staff_view(Action.STAFF_MANAGE, methods=["GET", "POST"])
def team_new(request: HttpRequest) -> HttpResponse:
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            team = team_create(name=form.cleaned_data["name"], actor=Actor.from_request(request))
        except StaffError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, f"The {team.name} team has been added.")
            return redirect("engagement:staff_list")
    return render(request, f"{TEMPLATES}/team_form.html", {"form": form, "team": None})


@staff_view(Action.STAFF_MANAGE, methods=["GET", "POST"])
def team_edit(request: HttpRequest, team_id: int) -> HttpResponse:
    team = get_object_or_404(Team, pk=team_id)
    form = TeamForm(request.POST or None, initial={"name": team.name})
    if request.method == "POST" and form.is_valid():
        try:
            team_rename(team=team, name=form.cleaned_data["name"], actor=Actor.from_request(request))
        except StaffError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, f"The team is now called {team.name}.")
            return redirect("engagement:staff_list")
    return render(request, f"{TEMPLATES}/team_form.html", {"form": form, "team": team})
