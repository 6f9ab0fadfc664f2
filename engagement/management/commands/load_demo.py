"""Load the demo: census baselines, the demo consultation with synthetic responses, and the demo accounts.

Safe to run again: it replaces, never duplicates.
"""

import os
import secrets
from typing import Any

from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from access.models import Team
from access.roles import Role
from audit.services import Actor
from engagement.demo import planning_consultation_create
from engagement.hub.demo import closed_consultation_create, hub_demo_add
from engagement.staff.services import StaffSettings, staff_create, staff_settings_of, staff_update
from representativeness.census.choices import AreaLevel
from representativeness.models import Area
from representativeness.services.baselines import census_shipped_load
from surveys.demo import demo_consultation_create
from surveys.equality.services import equality_section_add
from surveys.models import ResidenceArea
from surveys.synthetic import responses_generate

DEMO_RESPONSES = 1_500
DEMO_SEED = 2026
# The Planning team's consultation gets a share of the responses asked for (400 of the default 1,500).
PLANNING_SHARE = 4 / 15
PARKS, PLANNING = "Parks", "Planning"

# username: (role, team, equality-data permission, what to say about them). Checks and people rely on these names.
DEMO_ACCOUNTS: dict[str, tuple[str, str | None, bool, str]] = {
    "admin": (Role.ADMINISTRATOR, None, False, "administrator: staff, teams, the audit log, every team's surveys"),
    "officer": (Role.ENGAGEMENT_OFFICER, PARKS, False, "engagement officer, Parks: owns the demo consultation"),
    "planning": (Role.ENGAGEMENT_OFFICER, PLANNING, False, "engagement officer, Planning: another team"),
    "analyst": (Role.ANALYST, PARKS, True, "analyst, Parks, with the equality-data permission"),
    "viewer": (Role.VIEWER, PARKS, False, "viewer, Parks: reads reports on screen"),
}


class Command(BaseCommand):
    help = (
        "Load the shipped Census 2021 baselines, create the demo consultation (replacing an earlier one) with "
        "synthetic responses, the Parks and Planning teams, and the demo accounts."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--password", help="Demo accounts' password (default: DEMO_OFFICER_PASSWORD, or random)")
        parser.add_argument("--responses", type=int, default=DEMO_RESPONSES, help="Synthetic responses to add.")

    def _account(self, username: str, password: str, settings: StaffSettings, actor: Actor) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            user = staff_create(
                username=username, email=f"{username}@example.gov.uk", settings=settings, actor=actor, password=password
            )
        else:
            user.set_password(password)
            user.is_staff = True
            user.save()
            if staff_settings_of(user) != settings:
                staff_update(user=user, settings=settings, actor=actor)

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        actor = Actor.command()
        loaded = census_shipped_load()
        # Residents choose among their own council's wards (the hub's filter, a listing's wards): a
        # council with no ward baselines loaded offers none, never another council's.
        for ward in Area.objects.filter(level=AreaLevel.WARD, parent__code=django_settings.COUNCIL["area_code"]):
            ResidenceArea.objects.update_or_create(code=ward.code, defaults={"name": ward.name})
        teams = {name: Team.objects.get_or_create(name=name)[0] for name in (PARKS, PLANNING)}
        survey = demo_consultation_create()
        survey.team = teams[PARKS]
        survey.save(update_fields=["team"])
        equality_section_add(survey=survey)
        planning = planning_consultation_create(team=teams[PLANNING])
        hub_demo_add(survey=survey, topic_slug="parks")
        hub_demo_add(survey=planning, topic_slug="planning")
        closed = closed_consultation_create(team=teams[PARKS], responses=min(options["responses"], 400))
        if options["responses"]:
            responses_generate(survey=survey, count=options["responses"], seed=DEMO_SEED)
            planning_count = max(1, round(options["responses"] * PLANNING_SHARE))
            responses_generate(survey=planning, count=planning_count, seed=DEMO_SEED + 1)
        password = options.get("password") or os.environ.get("DEMO_OFFICER_PASSWORD") or secrets.token_urlsafe(12)
        for username, (role, team, equality_data, _) in DEMO_ACCOUNTS.items():
            settings = StaffSettings(team=teams[team] if team else None, role=role, equality_data=equality_data)
            self._account(username, password, settings, actor)

        say = self.style.SUCCESS
        self.stdout.write(
            say(f"Census 2021 baselines: {sum(len(f.area_codes) for f in loaded)} loaded from data/census.")
        )
        self.stdout.write(say(f"Demo consultation (Parks team): /s/{survey.slug}/ ({survey.title})"))
        self.stdout.write(
            say(f"  with {options['responses']:,} synthetic responses (references start SY) for the reports:")
        )
        self.stdout.write(say(f"  /officers/surveys/{survey.pk}/representativeness/"))
        self.stdout.write(say(f"Planning team's consultation: /s/{planning.slug}/ ({planning.title})"))
        self.stdout.write(say(f"A closed consultation and its outcome: /consultations/{closed.slug}/outcome/"))
        accounts = "\n".join(f"  {name!r}: {about}" for name, (*_, about) in DEMO_ACCOUNTS.items())
        self.stdout.write(say(f"Demo accounts (sign in at /accounts/login/), password {password!r}:\n{accounts}"))
