"""Engagement plans: who a consultation still needs to hear from, what is being done about it, and with whom.

- `Partner`: a voluntary, community or faith organisation (VCSE) in the council's directory, with the
  wards and the communities (census categories) it works with. Council-wide, not a team's.
- `TargetGroup`: a group a consultation's plan aims to hear more from (a census category of a
  characteristic, optionally within a ward), with a target number of responses: accepted (perhaps with
  the target edited) or dismissed from the representativeness report's suggestions
  (plans.suggestions, worked out afresh from the report each time), or added by hand.
- `Activity`: outreach (an event, a drop-in, a focus group, a partner mailing...) aimed at target groups,
  with its expected and actual reach and a code for its tracked link (`/s/<slug>/?via=<code>`).
- `Attribution`: which activity a response came through: its tracked link, or named by the officer who
  keyed in a paper, phone or event response.
"""

import secrets

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from surveys.models import EqualityAnswers


class Partner(models.Model):
    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True, help_text="What the organisation does.")
    contact_name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    website = models.URLField(blank=True)
    areas = models.ManyToManyField("surveys.ResidenceArea", blank=True, related_name="partners")
    # Communities, as "characteristic:census category" (e.g. "religion:Muslim", "ethnic_group:Black, Black
    # British, Black Welsh, Caribbean or African"): the plan suggests partners by matching target groups.
    communities = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TargetGroup(models.Model):
    class Status(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        DISMISSED = "dismissed", "Dismissed"

    survey = models.ForeignKey("surveys.Survey", on_delete=models.CASCADE, related_name="target_groups")
    characteristic = models.CharField(max_length=40, help_text="A report characteristic key: sex, age, area...")
    level = models.CharField(max_length=10, default="detailed", help_text="detailed or broad")
    category = models.CharField(max_length=200, help_text="The census category, as in the report.")
    ward = models.ForeignKey(
        "surveys.ResidenceArea", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Responses wanted from the group in all. Empty only on a dismissed suggestion.
    target = models.PositiveIntegerField(null=True, blank=True, help_text="Responses wanted from the group in all.")
    # The report's outreach figure when accepted from a suggestion (as the officer saw it), else empty.
    outreach_when_suggested = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACCEPTED)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["survey", "characteristic", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "characteristic", "level", "category", "ward"], name="target_group_once_in_ward"
            ),
            models.UniqueConstraint(
                fields=["survey", "characteristic", "level", "category"],
                condition=Q(ward__isnull=True),
                name="target_group_once",
            ),
            models.CheckConstraint(
                condition=Q(status="dismissed") | Q(target__isnull=False), name="target_group_has_target"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category}{f' in {self.ward}' if self.ward_id else ''}"

    @property
    def team_id(self) -> int | None:
        return self.survey.team_id

    @property
    def community(self) -> str:
        return f"{self.characteristic}:{self.category}"


def activity_code() -> str:
    return secrets.token_urlsafe(6).replace("-", "x").replace("_", "y").lower()


def attendee_code() -> str:
    """The private part of an activity's link for attendees' own profiles: not guessable from the public
    tracked link's code."""
    return secrets.token_urlsafe(18)


class Activity(models.Model):
    # Kinds that meet people in person: the ones a hub event can be.
    IN_PERSON = ("event", "drop_in")
    # Kinds whose attendees can give their own About you profile (a forum or jury meets as one of these).
    ATTENDED = ("event", "drop_in", "focus_group", "panel")
    # Kinds that happen on a day, so have a date; a mailing, social media or paper distribution may run
    # over weeks, and needs none.
    DATED = ("event", "drop_in", "focus_group", "panel", "door_knocking")

    class Kind(models.TextChoices):
        EVENT = "event", "Event"
        DROP_IN = "drop_in", "Drop-in"
        FOCUS_GROUP = "focus_group", "Focus group"
        PANEL = "panel", "Citizens' panel or jury"
        PARTNER_MAILING = "partner_mailing", "Partner mailing"
        SOCIAL_MEDIA = "social_media", "Social media"
        PAPER = "paper", "Paper distribution"
        DOOR_KNOCKING = "door_knocking", "Door knocking"

    survey = models.ForeignKey("surveys.Survey", on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    date = models.DateField(null=True, blank=True, help_text="Required for the kinds in DATED.")
    place = models.CharField(max_length=300, blank=True)
    ward = models.ForeignKey(
        "surveys.ResidenceArea", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    partner = models.ForeignKey(Partner, null=True, blank=True, on_delete=models.SET_NULL, related_name="activities")
    # The partner's name when it was deleted from the directory: the activity's history keeps who it was with.
    partner_name = models.CharField(max_length=200, blank=True)
    target_groups = models.ManyToManyField(TargetGroup, blank=True, related_name="activities")
    expected_reach = models.PositiveIntegerField(null=True, blank=True, help_text="People expected to reach.")
    actual_reach = models.PositiveIntegerField(null=True, blank=True, help_text="People reached (attendance).")
    code = models.SlugField(max_length=20, unique=True, default=activity_code)
    # The attendees' private link to their About you form (/about-you/<attendee_code>/).
    attendee_code = models.CharField(max_length=40, unique=True, default=attendee_code)
    # The hub's in-person event this is (engagement.Event), so the same event is not typed twice.
    hub_event = models.ForeignKey(
        "engagement.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="outreach_activities"
    )
    # The attendees' profile (a panel, forum, focus group or jury), counted like any group against the census.
    attendees = models.ForeignKey(
        "representativeness.GroupDataset", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["survey", F("date").asc(nulls_last=True), "title"]
        verbose_name_plural = "activities"

    def __str__(self) -> str:
        return self.title

    @property
    def team_id(self) -> int | None:
        return self.survey.team_id

    @property
    def has_attendees(self) -> bool:
        return self.kind in self.ATTENDED

    @property
    def partner_shown(self) -> str:
        """Who it was with: the directory's partner, or the name of one since deleted from it."""
        if self.partner_id:
            return str(self.partner)
        return f"{self.partner_name} (no longer in the directory)" if self.partner_name else ""


class AttendeeProfile(EqualityAnswers):
    """One attendee's own "About you" answers, given on the survey's questions through the activity's
    private link or on a device an officer hands round. Special category data, like a respondent's
    EqualityProfile: no name and no response, never shown one by one (only counted, protected for anyone
    without the equality-data permission), deleted EQUALITY_RETENTION_DAYS after the survey closes."""

    class Entered(models.TextChoices):
        ATTENDEE = "attendee", "By the attendee, through the private link"
        OFFICER = "officer", "On an officer's device"

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendee_profiles")
    entered = models.CharField(max_length=10, choices=Entered.choices)
    submitted_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"About you: an attendee of {self.activity}"


class Attribution(models.Model):
    class How(models.TextChoices):
        LINK = "link", "Tracked link"
        NAMED = "named", "Named when keyed in"

    response = models.OneToOneField("surveys.Response", on_delete=models.CASCADE, related_name="attribution")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attributions")
    how = models.CharField(max_length=10, choices=How.choices)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(how__in=["link", "named"]), name="attribution_how_known")]

    def __str__(self) -> str:
        return f"{self.response} via {self.activity}"
