"""Load the demo: census baselines, the demo consultation with synthetic responses, and two demo accounts.

Safe to run again: it replaces, never duplicates.
"""

import os
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand
from django.db import transaction

from representativeness.census.choices import AreaLevel
from representativeness.models import Area
from representativeness.services.baselines import census_shipped_load
from surveys.demo import demo_consultation_create
from surveys.equality.services import equality_section_add
from surveys.models import EQUALITY_PERMISSION_CODENAME, ResidenceArea
from surveys.synthetic import responses_generate

DEMO_OFFICER_USERNAME = "officer"
DEMO_ANALYST_USERNAME = "analyst"
DEMO_RESPONSES = 1_500
DEMO_SEED = 2026


class Command(BaseCommand):
    help = (
        "Load the shipped Census 2021 baselines, create the demo consultation (replacing an earlier one) with "
        "synthetic responses, and demo officer and analyst accounts."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--password", help="Demo accounts' password (default: DEMO_OFFICER_PASSWORD, or random)")
        parser.add_argument("--responses", type=int, default=DEMO_RESPONSES, help="Synthetic responses to add.")

    def _account(self, username: str, password: str, *, equality_data: bool) -> bool:
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.gov.uk", "is_staff": True}
        )
        user.set_password(password)
        user.is_staff = True
        user.save()
        permissions = Permission.objects.filter(
            content_type__app_label__in=["surveys", "representativeness", "engagement"]
        )
        if not equality_data:
            # Officers run consultations and read reports with small numbers hidden; only analysts
            # with this permission see small counts and individual "About you" answers.
            permissions = permissions.exclude(codename=EQUALITY_PERMISSION_CODENAME)
        user.user_permissions.set(permissions)
        return created

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        loaded = census_shipped_load()
        for ward in Area.objects.filter(level=AreaLevel.WARD):
            ResidenceArea.objects.update_or_create(code=ward.code, defaults={"name": ward.name})
        survey = demo_consultation_create()
        equality_section_add(survey=survey)
        if options["responses"]:
            responses_generate(survey=survey, count=options["responses"], seed=DEMO_SEED)
        password = options.get("password") or os.environ.get("DEMO_OFFICER_PASSWORD") or secrets.token_urlsafe(12)
        self._account(DEMO_OFFICER_USERNAME, password, equality_data=False)
        self._account(DEMO_ANALYST_USERNAME, password, equality_data=True)

        say = self.style.SUCCESS
        self.stdout.write(
            say(f"Census 2021 baselines: {sum(len(f.area_codes) for f in loaded)} loaded from data/census.")
        )
        self.stdout.write(say(f"Demo consultation: /s/{survey.slug}/ ({survey.title})"))
        self.stdout.write(
            say(f"  with {options['responses']:,} synthetic responses (references start SY) for the reports:")
        )
        self.stdout.write(say(f"  /officers/surveys/{survey.pk}/representativeness/"))
        self.stdout.write(
            say(
                f"Demo accounts (sign in at /accounts/login/), password {password!r}:\n"
                f"  {DEMO_OFFICER_USERNAME!r}: an engagement officer; small numbers are hidden in reports\n"
                f"  {DEMO_ANALYST_USERNAME!r}: can also view equality data (small counts, individual answers)"
            )
        )
