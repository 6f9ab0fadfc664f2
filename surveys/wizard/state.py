"""What a resident's journey keeps in their session, and the helpers that start, save, restore and end it.

One journey per survey per session, stored with django-formtools' session storage under a prefix
naming the survey. Besides each page's posted data, the journey's "extra data" holds:

- `submission_key`: makes sending idempotent (shared by every copy of the journey, saved with it);
- `reference`: what the resident quotes (saved with it);
- `copy`: this browser's copy of the journey; a copy resumed from a saved link on another device gets
  its own, so a copy sending a journey another copy already sent is told so (Response.journey_copy);
- `started_at`: when the journey began, for the grace period after a survey closes (saved with it);
- `equality_skipped` / `equality_stopped_at`: the resident skipped About you, or the rest of it (saved);
- `answers`: each page's validated answers and what they depended on, so that routing does not
  re-validate every earlier page on every request (worked out again, never saved);
- `resume_token` / `saved_journey_id`: the saved journey this copy was saved to, and its link's token
  (a journey resumed from a link has neither: resuming used the link up, surveys/saved_journeys.py).

Sessions of residents expire after RESIDENT_SESSION_IDLE_MINUTES without activity.
"""

import datetime as dt
import secrets
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from formtools.wizard.storage import get_storage
from formtools.wizard.storage.session import SessionStorage

from common.sessions import save_in_transaction
from surveys import services
from surveys.models import Survey

JOURNEY_STORAGE = "surveys.wizard.state.JourneyStorage"
# The references of responses sent from this session, by survey, for the confirmation page.
SUBMITTED_SESSION_KEY = "surveys_submitted"
# When this session was last kept alive (epoch seconds): its expiry slides at most once a minute on reads.
TOUCHED_SESSION_KEY = "surveys_touched"
TOUCH_EVERY_SECONDS = 60

# Keys of the journey's extra data (see the module docstring).
SUBMISSION_KEY = "submission_key"
REFERENCE = "reference"
COPY = "copy"
STARTED_AT = "started_at"
EQUALITY_SKIPPED = "equality_skipped"
EQUALITY_STOPPED_AT = "equality_stopped_at"
ANSWERS = "answers"
TOKEN = "resume_token"
SAVED_JOURNEY_ID = "saved_journey_id"

# The extra data a saved journey keeps; everything else belongs to one browser's copy or is worked out again.
SAVED_EXTRA_KEYS = (SUBMISSION_KEY, REFERENCE, STARTED_AT, EQUALITY_SKIPPED, EQUALITY_STOPPED_AT)


class JourneyStorage(SessionStorage):
    """formtools' session storage, but reading the journey does not force the session to be saved:
    only changes do. Residents' pages then write the session only when something changed."""

    def _get_data(self) -> dict[str, Any]:
        if self.prefix not in self.request.session:
            self.init_data()
        return self.request.session[self.prefix]

    def _set_data(self, value: dict[str, Any]) -> None:
        self.request.session[self.prefix] = value

    data = property(_get_data, _set_data)

    def _changed(self) -> None:
        self.request.session.modified = True

    def set_step_data(self, step: str, cleaned_data: Any) -> None:
        super().set_step_data(step, cleaned_data)
        self._changed()

    def _set_current_step(self, step: str | None) -> None:
        if self.data[self.step_key] != step:
            super()._set_current_step(step)
            self._changed()

    def _set_extra_data(self, extra_data: dict[str, Any]) -> None:
        super()._set_extra_data(extra_data)
        self._changed()


def journey_prefix(survey: Survey) -> str:
    # One journey per survey per session: answering two surveys at once must not mix them up.
    return f"journey_{survey.pk.hex}"


def journey_storage(request: HttpRequest, survey: Survey) -> JourneyStorage:
    storage: JourneyStorage = get_storage(JOURNEY_STORAGE, journey_prefix(survey), request)
    return storage


def journey_exists(storage: JourneyStorage) -> bool:
    return bool(storage.extra_data.get(SUBMISSION_KEY))


def journey_in_progress(request: HttpRequest, survey: Survey) -> bool:
    """Whether this session holds answers to the survey that have not been sent."""
    prefix = f"wizard_{journey_prefix(survey)}"
    return bool(request.session.get(prefix, {}).get("step_data"))


def journey_start(storage: JourneyStorage, *, now: dt.datetime | None = None) -> None:
    """Give a new journey the key that makes its submission idempotent, the reference to quote, its copy."""
    if journey_exists(storage):
        return
    storage.extra_data = {
        SUBMISSION_KEY: services.submission_key_generate(),
        REFERENCE: services.reference_generate(),
        COPY: secrets.token_urlsafe(16),
        STARTED_AT: (now or timezone.now()).isoformat(),
    }


def journey_started_at(storage: JourneyStorage) -> dt.datetime | None:
    started = storage.extra_data.get(STARTED_AT)
    return dt.datetime.fromisoformat(started) if started else None


def journey_saved_data(storage: JourneyStorage) -> dict[str, Any]:
    """What a saved journey keeps: the pages' posted data and the extra data in SAVED_EXTRA_KEYS."""
    extra = storage.extra_data
    return {
        "step_data": storage.data[storage.step_data_key],
        "extra_data": {key: extra[key] for key in SAVED_EXTRA_KEYS if key in extra},
    }


def journey_restore(request: HttpRequest, survey: Survey, *, data: dict[str, Any], current_step: str) -> None:
    """Put a resumed journey back into this session, as a new copy, replacing any journey in progress here."""
    storage = journey_storage(request, survey)
    saved_extra = data.get("extra_data", {})
    storage.data = {
        storage.step_key: current_step,
        storage.step_data_key: dict(data.get("step_data", {})),
        storage.step_files_key: {},
        storage.extra_data_key: {
            **{key: saved_extra[key] for key in SAVED_EXTRA_KEYS if key in saved_extra},
            COPY: secrets.token_urlsafe(16),
        },
    }


@dataclass(frozen=True)
class Submitted:
    """A response sent from this session."""

    reference: str
    sent_at: dt.datetime


def submitted_get(request: HttpRequest, survey: Survey) -> Submitted | None:
    record = request.session.get(SUBMITTED_SESSION_KEY, {}).get(survey.pk.hex)
    if not isinstance(record, dict):
        return None
    return Submitted(reference=record["reference"], sent_at=dt.datetime.fromisoformat(record["sent_at"]))


def submitted_forget(request: HttpRequest, survey: Survey) -> None:
    submitted = request.session.get(SUBMITTED_SESSION_KEY, {})
    if submitted.pop(survey.pk.hex, None) is not None:
        request.session[SUBMITTED_SESSION_KEY] = submitted


def journey_finish(
    request: HttpRequest,
    survey: Survey,
    *,
    reference: str,
    sent_at: dt.datetime,
    in_transaction: bool = False,
    storage: JourneyStorage | None = None,
) -> None:
    """The journey was sent: clear its answers from the session, keeping only the reference to show.

    `in_transaction`: called inside the transaction that stores the response (response_submit's
    `on_stored`): the session is written now, committed with the response or not at all, instead of
    in a second commit after the view (common/sessions.py). `storage`: the journey's, if the caller has it."""
    (storage or journey_storage(request, survey)).reset()
    submitted = request.session.get(SUBMITTED_SESSION_KEY, {})
    submitted[survey.pk.hex] = {"reference": reference, "sent_at": sent_at.isoformat()}
    request.session[SUBMITTED_SESSION_KEY] = submitted
    if in_transaction:
        # Slid now, so that the session committed with the response is the session as the request leaves
        # it: the touch after the view then changes nothing, and nothing is written after the commit.
        resident_session_touch(request)
        save_in_transaction(request.session)


def journey_clear(request: HttpRequest, survey: Survey) -> None:
    """Start again: forget the answers in progress and any response sent from here."""
    journey_storage(request, survey).reset()
    submitted_forget(request, survey)


def resident_session_touch(request: HttpRequest, *, force: bool = False) -> dt.datetime:
    """Keep a resident's session alive for RESIDENT_SESSION_IDLE_MINUTES from now; returns when it expires.

    The expiry slides whenever the session is saved anyway, and otherwise at most once a minute, so
    that reading a page seldom writes to the database; `force` slides it now ("Continue answering")."""
    idle = settings.RESIDENT_SESSION_IDLE_MINUTES * 60
    session = request.session
    now = int(time.time())
    touched = session.get(TOUCHED_SESSION_KEY)
    # Slid once a request at most for a change: sliding again a moment later (a second on) would change a
    # session already saved in this request (sending saves it in its transaction) and write it twice.
    slid_here = touched is not None and touched == getattr(request, _SLID_IN_REQUEST, None)
    if (
        force
        or (session.modified and not slid_here)
        or not isinstance(touched, int)
        or now - touched >= TOUCH_EVERY_SECONDS
    ):
        session.set_expiry(idle)
        session[TOUCHED_SESSION_KEY] = touched = now
        setattr(request, _SLID_IN_REQUEST, now)
    return dt.datetime.fromtimestamp(touched + idle, tz=dt.UTC)


# The request's attribute saying when `resident_session_touch` slid the session's expiry in this request.
_SLID_IN_REQUEST = "_resident_session_slid_at"


def timeout_warning_seconds() -> int:
    """How long before answers are deleted residents are warned: 5 minutes (less for a very short expiry)."""
    return min(5 * 60, settings.RESIDENT_SESSION_IDLE_MINUTES * 30)
