"""Load the demo consultation and a demo officer account. Safe to run again: it replaces, never duplicates."""

import os
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand
from django.db import transaction

from surveys.demo import demo_consultation_create
from surveys.equality.services import equality_section_add

DEMO_OFFICER_USERNAME = "officer"


class Command(BaseCommand):
    help = "Create the demo consultation (replacing an earlier one) and a demo officer account."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--password", help="Demo officer password (default: DEMO_OFFICER_PASSWORD, or random)")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        survey = demo_consultation_create()
        equality_section_add(survey=survey)
        password = options.get("password") or os.environ.get("DEMO_OFFICER_PASSWORD") or secrets.token_urlsafe(12)
        user, created = get_user_model().objects.get_or_create(
            username=DEMO_OFFICER_USERNAME, defaults={"email": "officer@example.gov.uk", "is_staff": True}
        )
        user.set_password(password)
        user.is_staff = True
        user.save()
        # An officer runs consultations and reads the reports, including individual About you answers.
        user.user_permissions.set(
            Permission.objects.filter(content_type__app_label__in=["surveys", "representativeness", "engagement"])
        )
        self.stdout.write(self.style.SUCCESS(f"Demo consultation: /s/{survey.slug}/ ({survey.title})"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo officer {'created' if created else 'updated'}: username {DEMO_OFFICER_USERNAME!r}, "
                f"password {password!r} (sign in at /accounts/login/)"
            )
        )
