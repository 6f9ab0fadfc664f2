"""Staff sessions end after a spell without activity (STAFF_SESSION_IDLE_MINUTES, default 30).

Only signed-in staff are affected: a resident's journey keeps its own session rules. The time of the
last request is kept in the session; a request after the idle limit signs the person out and goes on
as theirs would signed out: an officer page sends them to sign in, where a message says why, and then
back to the page they asked for.
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

LAST_ACTIVITY = "staff_last_activity"


class StaffInactivityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            idle = settings.STAFF_SESSION_IDLE_MINUTES * 60
            now = time.time()
            last = request.session.get(LAST_ACTIVITY)
            if last is not None and now - float(last) > idle:
                logout(request)
                minutes = settings.STAFF_SESSION_IDLE_MINUTES
                messages.info(request, f"You were signed out because you had not done anything for {minutes} minutes.")
            else:
                request.session[LAST_ACTIVITY] = now
                # The cookie and the stored session lapse at the same time, even if no request comes.
                request.session.set_expiry(idle)
        return self.get_response(request)
