"""The access policy: the one place that decides who may do what, to which team's consultations.

Every page, download, API endpoint and command asks here; nothing else checks permissions.

    from access.policy import Action, allowed, require, visible

    allowed(user, Action.REPORT_VIEW)            # may they use report pages at all (their role)?
    allowed(user, Action.REPORT_VIEW, survey)    # ...and this survey's (their team's, or any for administrators)?
    require(user, Action.SURVEY_EDIT, survey)    # the same, raising PermissionDenied with a reason
    visible(user, Survey.objects.all())          # only the surveys of the teams they work on

A decision needs two things:
1. the role: each action needs one Django permission (`NEEDS` below), held through the person's
   role group (access/roles.py) or granted to them directly (the equality-data permission);
2. the team, when there is a target: anything with a `team_id` (a Survey, a Team, or an object that
   belongs to a survey and says so with a `team_id` property). Staff act on their own team's
   targets; holders of `access.work_on_every_team` (administrators) on every team's. A target with
   no team is for administrators only.
Superusers pass every check, as everywhere in Django: keep them for emergencies.
"""

from enum import StrEnum
from typing import Any, Protocol

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from access.models import Team
from access.roles import EQUALITY_PERMISSION


class Action(StrEnum):
    SURVEY_VIEW = "survey.view"  # overview, structure, preview
    SURVEY_CREATE = "survey.create"  # target: the team it will belong to
    SURVEY_EDIT = "survey.edit"  # build, publish, close, duplicate
    SURVEY_DELETE = "survey.delete"  # a draft with no responses
    RESPONSE_VIEW = "response.view"  # individual consultation answers
    RESPONSE_DELETE = "response.delete"
    # A resident's right of access and erasure: everything held about one response, About you answers
    # included, and deleting it; administrators only, every use recorded (docs/decisions/0021).
    DATA_REQUEST = "data_request"
    EQUALITY_DATA_VIEW = "equality_data.view"  # individual About you answers, unsuppressed counts
    REPORT_VIEW = "report.view"  # representativeness and weighting pages (suppressed without the above)
    EQUALITY_ANALYSIS_VIEW = "equality_analysis.view"  # answers by group (suppressed without EQUALITY_DATA_VIEW)
    LIVED_EXPERIENCE_VIEW = "lived_experience.view"  # one group's free-text answers (audited)
    DOWNLOAD = "download"  # report, results and response files
    BASELINE_VIEW = "baseline.view"
    BASELINE_IMPORT = "baseline.import"
    STAFF_MANAGE = "staff.manage"  # staff, their teams, roles and the equality-data grant; teams
    AUDIT_VIEW = "audit.view"
    ADMIN_SITE = "admin_site.use"
    LISTING_EDIT = "listing.edit"  # the hub listing: topic, wards, documents, events, return address
    RESPONSE_ENTER = "response.enter"  # key in paper, phone, event and partner responses
    FORMAT_REQUEST_VIEW = "format_request.view"  # the queue, with residents' contact details
    FORMAT_REQUEST_DONE = "format_request.done"
    OUTCOME_PUBLISH = "outcome.publish"  # We asked, you said, we did
    PLAN_VIEW = "plan.view"  # a consultation's engagement plan, its progress (suppressed without equality data)
    PLAN_EDIT = "plan.edit"  # target groups, activities, attributions
    PARTNER_VIEW = "partner.view"  # the directory of partner organisations (council-wide)
    PARTNER_EDIT = "partner.edit"
    DATASET_VIEW = "dataset.view"  # uploaded group datasets and their reports (protected without equality data)
    DATASET_UPLOAD = "dataset.upload"  # upload and delete them


# The Django permission each action needs.
NEEDS: dict[Action, str] = {
    Action.SURVEY_VIEW: "surveys.view_survey",
    Action.SURVEY_CREATE: "surveys.add_survey",
    Action.SURVEY_EDIT: "surveys.change_survey",
    Action.SURVEY_DELETE: "surveys.delete_survey",
    Action.RESPONSE_VIEW: "surveys.view_response",
    Action.RESPONSE_DELETE: "surveys.delete_response",
    Action.DATA_REQUEST: "access.answer_data_requests",
    Action.EQUALITY_DATA_VIEW: EQUALITY_PERMISSION,
    Action.REPORT_VIEW: "surveys.view_survey",
    Action.EQUALITY_ANALYSIS_VIEW: "surveys.view_survey",
    Action.LIVED_EXPERIENCE_VIEW: EQUALITY_PERMISSION,
    Action.DOWNLOAD: "surveys.download_survey_data",
    Action.BASELINE_VIEW: "representativeness.view_baseline",
    Action.BASELINE_IMPORT: "representativeness.add_baseline",
    Action.STAFF_MANAGE: "access.manage_staff",
    Action.AUDIT_VIEW: "audit.view_auditentry",
    Action.ADMIN_SITE: "access.use_admin_site",
    Action.LISTING_EDIT: "surveys.change_survey",
    Action.RESPONSE_ENTER: "surveys.add_response",
    Action.FORMAT_REQUEST_VIEW: "engagement.view_formatrequest",
    Action.FORMAT_REQUEST_DONE: "engagement.change_formatrequest",
    Action.OUTCOME_PUBLISH: "surveys.change_survey",
    Action.PLAN_VIEW: "surveys.view_survey",
    Action.PLAN_EDIT: "surveys.change_survey",
    Action.PARTNER_VIEW: "surveys.view_survey",
    Action.PARTNER_EDIT: "surveys.change_survey",
    Action.DATASET_VIEW: "surveys.view_survey",
    Action.DATASET_UPLOAD: "surveys.change_survey",
}
EVERY_TEAM = "access.work_on_every_team"

REFUSALS: dict[Action, str] = {
    Action.EQUALITY_DATA_VIEW: "You need permission to view equality data to see individual 'About you' answers.",
    Action.LIVED_EXPERIENCE_VIEW: "You need permission to view equality data to read one group's answers.",
    Action.DOWNLOAD: "Your role does not include downloading files.",
    Action.RESPONSE_VIEW: "Your role does not include reading individual responses.",
    Action.DATA_REQUEST: "Only administrators answer residents' requests for their data.",
    Action.STAFF_MANAGE: "Only administrators manage staff and teams.",
    Action.AUDIT_VIEW: "Only administrators read the audit log.",
    Action.ADMIN_SITE: "Only administrators use the Django admin.",
    Action.RESPONSE_ENTER: "Your role does not include keying in responses.",
    Action.FORMAT_REQUEST_VIEW: "Your role does not include residents' requests for other formats.",
}


class TeamOwned(Protocol):
    @property
    def team_id(self) -> int | None: ...


def team_id_of(user: Any) -> int | None:
    """The team a member of staff works in, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    membership = getattr(user, "membership", None)  # cached on the user object once read
    return membership.team_id if membership is not None else None


def works_on_every_team(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_perm(EVERY_TEAM))


def allowed(user: Any, action: Action, target: TeamOwned | None = None) -> bool:
    """Whether `user` may do `action` (to `target`, when given). Never raises."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if not user.has_perm(NEEDS[action]):
        return False
    if target is None or works_on_every_team(user):
        return True
    owner = target.team_id
    return owner is not None and owner == team_id_of(user)


def require(user: Any, action: Action, target: TeamOwned | None = None) -> None:
    """As `allowed`, raising PermissionDenied with a reason a member of staff can act on."""
    if allowed(user, action, target):
        return
    if target is not None and allowed(user, action):
        raise PermissionDenied("This belongs to another team. Ask an administrator if you need to work on it.")
    raise PermissionDenied(REFUSALS.get(action, "Your role does not include this. Ask an administrator."))


def teams(user: Any) -> QuerySet[Team]:
    """The teams a member of staff works on: every team for administrators, else their own (or none)."""
    if works_on_every_team(user):
        return Team.objects.all()
    team_id = team_id_of(user)
    return Team.objects.none() if team_id is None else Team.objects.filter(pk=team_id)


def visible[Q: QuerySet](user: Any, queryset: Q, *, team_field: str = "team") -> Q:
    """The rows of `queryset` (team-owned objects) whose team the user works on: all for administrators,
    their own team's for everyone else, none for someone without a team. `team_field` is the lookup
    from the row to its team ("survey__team" for responses)."""
    if works_on_every_team(user):
        return queryset
    team_id = team_id_of(user)
    if team_id is None:
        return queryset.none()
    return queryset.filter(**{f"{team_field}_id": team_id})
