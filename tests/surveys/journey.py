"""A resident answering a survey through the Django test client, page by page."""

import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.test import Client
from django.utils import timezone

from surveys.models import Survey
from surveys.wizard.state import journey_prefix
from tests.surveys.weekly_visitor import WEEKLY_VISITOR_PAGES as WEEKLY_VISITOR_PAGES  # re-exported for the tests


def text(response) -> str:
    """A page's HTML with runs of white space made one space, for finding phrases in it."""
    return re.sub(r"\s+", " ", response.content.decode())


class Resident:
    def __init__(self, client: Client, survey: Survey) -> None:
        self.client = client
        self.survey = survey
        self.started = False

    def start(self):
        """Open the first page, as a browser does before it can post one."""
        self.started = True
        return self.client.get(self.url(), follow=True)

    def url(self, step: str | None = None) -> str:
        base = f"/s/{self.survey.slug}/questions/"
        return base if step is None else f"{base}{step}/"

    def answer(
        self, step: str, fields: dict[str, Any] | None = None, *, action: str = "continue", change: bool = False
    ):
        if not self.started:
            self.start()
        data = {f"{step}-{name}": value for name, value in (fields or {}).items()}
        data["action"] = action
        return self.client.post(self.url(step) + ("?change=1" if change else ""), {**self.csrf(), **data})

    def csrf(self) -> dict[str, str]:
        """The form's CSRF token, as a browser sends it, where the client checks it (`enforce_csrf_checks`)."""
        cookie = self.client.cookies.get(settings.CSRF_COOKIE_NAME)
        if cookie is None or not getattr(self.client.handler, "enforce_csrf_checks", False):
            return {}
        return {"csrfmiddlewaretoken": cookie.value}

    def answer_all(self, pages: dict[str, dict[str, Any]]) -> None:
        for step, fields in pages.items():
            response = self.answer(step, fields)
            assert response.status_code == 302, (step, response.content.decode()[:3000])

    def skip_about_you(self, step: str = "9"):
        return self.answer(step, action="skip")

    def resume(self, link: str, reference: str = ""):
        """Open a resume link in this browser and carry on (with the reference, for About you answers)."""
        opened = self.client.get(link)
        assert opened.status_code == 302, opened.content.decode()[:2000]
        return self.client.post(opened["Location"], {"action": "continue", "reference": reference})

    def started_earlier(self, *, minutes: int) -> None:
        """Make the journey in this browser look as if it began `minutes` ago."""
        session = self.client.session
        key = f"wizard_{journey_prefix(self.survey)}"
        journey = session[key]
        journey["extra_data"]["started_at"] = (timezone.now() - dt.timedelta(minutes=minutes)).isoformat()
        session[key] = journey
        session.save()

    def check_page(self):
        return self.client.get(self.url("check-your-answers"))

    def send(self, key: str | None = None):
        if key is None:
            key = self.check_page().context["submission_key"]
        return self.client.post(self.url("check-your-answers"), {"submission_key": key})
