"""Teams (council services that run consultations) and which team each member of staff works in.

A member of staff's role is their Django group (see access/roles.py); their team is their
Membership. What a role and a team let someone do is decided in one place: access/policy.py.
"""

from django.conf import settings
from django.db import models


class Team(models.Model):
    """A council service that runs consultations: Parks, Planning, Adult Social Care..."""

    name = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        permissions = [
            ("work_on_every_team", "Can work on every team's consultations"),
            ("manage_staff", "Can add staff, set their team and role, and deactivate them"),
            ("use_admin_site", "Can use the Django admin"),
            ("answer_data_requests", "Can show a resident everything held about their response, and erase it"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def team_id(self) -> int:
        """A team owns itself: lets the access policy take a team wherever it takes a team's object."""
        return self.pk


class Membership(models.Model):
    """The team a member of staff works in (administrators may have none)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="memberships")

    def __str__(self) -> str:
        return f"{self.user} in {self.team}"
