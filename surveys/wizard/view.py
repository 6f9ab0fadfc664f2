"""The resident journey: django-formtools' named-URL session wizard, one URL per survey page.

The route (which pages this resident sees) is worked out on every request by `surveys.routing` from
the answers so far, so answers left on pages the resident has routed away from are never validated,
counted or stored. Each page's answers are validated when that page is posted and kept, with what
they depended on, in the journey (see `state.ANSWERS`): an ordinary request validates only the page
posted. A page's kept answers are used only while everything its validation read is unchanged: the
page's data (kept with them), the earlier answers its questions' conditions read, the day, and the
survey's structure version (a builder change to any page validates every page again). Validation is a
function of those alone, so "Check your answers" and sending use the kept answers as they are: the
same as validating every page again, without the time (docs/decisions/0026); sending checks the
structure version again inside its transaction.
Pages are reached in order: a page opens only when every page before it on the route is complete.
"""

import datetime as dt
import functools
import hashlib
import json
from collections import OrderedDict
from types import MappingProxyType
from typing import Any

from django.conf import settings
from django.forms.utils import ErrorDict
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from formtools.wizard.views import NamedUrlSessionWizardView

from common.kept_in_process import KeptInProcess
from common.rate_limits import rate_limit_exceeded
from common.templatetags.layout import settings_generation
from plans.links import via_code, via_forget
from plans.services import attribution_from_link
from surveys import routing, saved_journeys, services, structure_cache
from surveys.forms import PageForm
from surveys.forms.kept import page_data_kept
from surveys.models import Response, Survey
from surveys.selectors import (
    PageSpec,
    SurveyStructure,
    response_get_by_submission_key,
    survey_public_get,
)
from surveys.structure_cache import survey_structure_cached
from surveys.wizard import state
from surveys.wizard.check import check_page_context
from surveys.wizard.state import (
    ANSWERS,
    COPY,
    EQUALITY_SKIPPED,
    EQUALITY_STOPPED_AT,
    REFERENCE,
    SAVED_JOURNEY_ID,
    SUBMISSION_KEY,
    TOKEN,
)

CHECK_STEP = "check-your-answers"


def unavailable_response(request: HttpRequest, survey: Survey, *, in_progress: bool = False) -> HttpResponse:
    """The page for a survey that is not taking responses: not yet open, or closed, with the dates."""
    now = timezone.now()
    not_yet_open = survey.status == Survey.Status.OPEN and survey.opens_at is not None and now < survey.opens_at
    return render(
        request,
        "surveys/unavailable.html",
        {"survey": survey, "not_yet_open": not_yet_open, "in_progress": in_progress},
    )


def start_again_response(request: HttpRequest, survey: Survey) -> HttpResponse:
    """GOV.UK's "You'll have to start again": a page was sent from a journey this session no longer holds."""
    return render(
        request,
        "surveys/start_again_expired.html",
        {
            "survey": survey,
            "idle_minutes": settings.RESIDENT_SESSION_IDLE_MINUTES,
            "journey_url": reverse("surveys:journey", kwargs={"slug": survey.slug}),
        },
    )


def answers_fingerprint(page: PageSpec, prior: dict[str, Any], today: dt.date, version: int) -> str:
    """What a page's validated answers depend on besides its own data: the earlier answers its
    questions' conditions read, the day (ages and "in the past" are worked out on the day) and the
    survey's structure `version` (its questions, options and rules)."""
    if not page.depends_on:
        return _day_fingerprint(today, version)  # most pages: worked out once a day, not on every request
    return _fingerprint([today.isoformat(), version, [[key, prior.get(key)] for key in page.depends_on]])


def _fingerprint(relevant: list[Any]) -> str:
    return hashlib.sha256(json.dumps(relevant, sort_keys=True, default=str).encode()).hexdigest()[:16]


@functools.lru_cache(maxsize=64)
def _day_fingerprint(today: dt.date, version: int) -> str:
    return _fingerprint([today.isoformat(), version, []])


def step_url(slug: str, step: str) -> str:
    """The URL of a page of the journey. Worked out once per process ("Check your answers" links to
    every page): `reverse` cost about 0.1 ms each time. Any change of settings, URL prefix or URL
    configuration works it out again, as the layout's fixed fragments do (common/templatetags/layout.py)."""
    return _journey_url("surveys:journey_step", slug, step, get_script_prefix(), get_urlconf(), settings_generation())


def step_urls(slug: str, steps: tuple[str, ...]) -> dict[str, str]:
    """The URLs of the journey's pages `steps`, by step, as `step_url` gives each: for "Check your
    answers", which links to every page. Worked out once per process for the survey's steps; the URL
    prefix and configuration and the settings' generation are asked once, not once for each page."""
    return _step_urls(slug, steps, get_script_prefix(), get_urlconf(), settings_generation())


@functools.lru_cache(maxsize=256)
def _step_urls(slug: str, steps: tuple[str, ...], prefix: str, urlconf: Any, generation: int) -> dict[str, str]:
    urls = {step: _journey_url("surveys:journey_step", slug, step, prefix, urlconf, generation) for step in steps}
    return MappingProxyType(urls)  # type: ignore[return-value]  # shared: read only


def confirmation_url(slug: str) -> str:
    """The confirmation page's URL, where sending leads: worked out once per process, as `step_url`."""
    return _journey_url("surveys:confirmation", slug, None, get_script_prefix(), get_urlconf(), settings_generation())


@functools.lru_cache(maxsize=4096)
def _journey_url(name: str, slug: str, step: str | None, prefix: str, urlconf: Any, generation: int) -> str:
    return reverse(name, kwargs={"slug": slug} if step is None else {"slug": slug, "step": step})


class _ReadAfresh(Exception):
    """Sending with a remembered survey did not store the response (nothing was written): decide it afresh."""


# The survey as "Check your answers" last read it in this process, by the slug in its address: its database
# and its row's values, kept for as many surveys and as long as their structures (surveys/structure_cache.py).
_checked: KeptInProcess[str, tuple[str | None, tuple[Any, ...]]] = KeptInProcess(most=structure_cache.MAX_SURVEYS)


def _checked_survey_keep(slug: str, survey: Survey) -> None:
    """Remember the survey "Check your answers" showed, read afresh by that request, for sending it:
    its row's values, not the instance, so that no two requests share one."""
    _checked.keep(slug, (survey._state.db, tuple(getattr(survey, attname) for attname in _survey_attnames())))


def _checked_survey(slug: str) -> Survey | None:
    """The survey "Check your answers" read for `slug`, if it did within MAX_AGE_SECONDS (as long as the
    structure it showed is used from memory: surveys/structure_cache.py), as a new instance."""
    entry = _checked.get(slug, max_age=structure_cache.MAX_AGE_SECONDS)
    if entry is None:
        return None
    return Survey.from_db(entry[0], _survey_attnames(), entry[1])


@functools.cache
def _survey_attnames() -> list[str]:
    return [f.attname for f in Survey._meta.concrete_fields]


class SurveyJourney(NamedUrlSessionWizardView):
    template_name = "surveys/page.html"
    storage_name = state.JOURNEY_STORAGE
    survey: Survey
    structure: SurveyStructure
    storage: state.JourneyStorage
    # Whether this request sends with the survey "Check your answers" read (`_checked_survey`).
    survey_remembered = False

    @classmethod
    def get_initkwargs(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        # The form list depends on the survey in the URL, so it is built per request in dispatch().
        return {
            "url_name": "surveys:journey_step",
            "done_step_name": CHECK_STEP,
            "form_list": OrderedDict(),
            "initial_dict": {},
            "instance_dict": {},
            "condition_dict": {},
            **kwargs,
        }

    # Set-up -------------------------------------------------------------------------------------

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        slug = kwargs["slug"]
        # Sending, from a "Check your answers" this process showed a moment ago: the survey as that page
        # read it. Sending's INSERT decides afresh whether the survey takes the response (open, its dates,
        # its structure version: services.response_submit), and anything but a response stored is
        # decided again with the survey read afresh (_ReadAfresh), as on every other request.
        remembered = None
        if request.method == "POST" and kwargs.get("step") == CHECK_STEP and not self.read_afresh:
            remembered = _checked_survey(slug)
        self.survey_remembered = remembered is not None
        survey = remembered or survey_public_get(slug=slug)
        if survey is None:
            raise Http404("No such survey")
        self.survey = survey
        self.structure = survey_structure_cached(survey=survey)
        if not self.structure.pages:
            raise Http404("This survey has no pages")
        self.form_list = OrderedDict((page.step, PageForm) for page in self.structure.pages)
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        try:
            response = super().dispatch(request, *args, **kwargs)
        except _ReadAfresh:
            # Nothing was written: the whole request again, with the survey read as every other request reads it.
            self.read_afresh = True
            for name in ("route", "may_continue"):
                self.__dict__.pop(name, None)
            return self.dispatch(request, *args, **kwargs)
        if state.journey_exists(self.storage) or state.submitted_get(request, survey):
            state.resident_session_touch(request)
        return response

    # Set when sending with a remembered survey went any other way than storing the response.
    read_afresh = False

    def unless_remembered(self) -> None:
        """Sending with the survey "Check your answers" read (`_checked_survey`) may only store the
        response: any other outcome (closed, changed, sent already, no journey here) is decided with the
        survey read afresh, so that it shows the survey as it is now. Raises _ReadAfresh then."""
        if self.survey_remembered:
            raise _ReadAfresh

    def get_prefix(self, request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        return state.journey_prefix(self.survey)

    def get_step_url(self, step: str) -> str:
        return step_url(self.survey.slug, step)

    def step_urls(self) -> dict[str, str]:
        """Every page's URL by its step, and "Check your answers"'s (`step_urls`)."""
        return step_urls(self.survey.slug, (*self.structure.steps, CHECK_STEP))

    # Redirects to a URL as it is: `redirect()` would first try it as a view's name (a failed `reverse`).
    def redirect_to_step(self, step: str, query: str = "") -> HttpResponse:
        return HttpResponseRedirect(self.get_step_url(step) + query)

    def redirect_to_confirmation(self) -> HttpResponse:
        return HttpResponseRedirect(confirmation_url(self.survey.slug))

    @property
    def extra(self) -> dict[str, Any]:
        return self.storage.extra_data

    def _update_extra(self, **values: Any) -> None:
        self.storage.extra_data = {**self.extra, **values}

    @property
    def equality_skipped(self) -> bool:
        return bool(self.extra.get(EQUALITY_SKIPPED))

    @cached_property
    def may_continue(self) -> bool:
        started_at = state.journey_started_at(self.storage)
        return services.journey_may_continue(survey=self.survey, started_at=started_at, now=self.now)

    # Routing ------------------------------------------------------------------------------------

    @cached_property
    def route(self) -> routing.Route:
        """The route, using each page's kept answers unless what they depended on changed."""
        kept: dict[str, list[Any]] = dict(self.extra.get(ANSWERS, {}))
        changed = False
        # Each page's posted data as the journey keeps it, read once: formtools' get_step_data reads the
        # session again and copies the page's data into a MultiValueDict, needed only to validate it.
        posted = self.storage.data[self.storage.step_data_key]

        def answers_for(page: routing.RoutablePage, prior: dict[str, Any]) -> dict[str, Any] | None:
            nonlocal changed
            if posted.get(page.step) is None:
                return None
            spec = self.structure.steps[page.step]
            fingerprint = answers_fingerprint(spec, prior, self.today, self.structure.version)
            entry = kept.get(page.step)
            if entry and entry[0] == fingerprint:
                answers: dict[str, Any] | None = entry[1]
                return answers
            form = self._form(spec, data=self.storage.get_step_data(page.step), prior=prior)
            answers = form.answers if form.is_valid() else None
            if entry != [fingerprint, answers]:
                kept[page.step] = [fingerprint, answers]
                changed = True
            return answers

        route = routing.route(
            self.structure.pages,
            answers_for,
            equality_skipped=self.equality_skipped,
            equality_stopped_at=self.extra.get(EQUALITY_STOPPED_AT),
            today=self.today,
        )
        if changed:
            self._update_extra(**{ANSWERS: kept})
        return route

    def _keep_answers(self, form: PageForm, data: dict[str, list[str]]) -> None:
        """Store a page that validated, with its answers and what they depended on."""
        step = form.page.step
        self.storage.set_step_data(step, data)
        kept = dict(self.extra.get(ANSWERS, {}))
        kept[step] = [
            answers_fingerprint(form.page, form.prior_answers, self.today, self.structure.version),
            form.answers,
        ]
        self._update_extra(**{ANSWERS: kept})
        self.__dict__.pop("route", None)

    def get_form_list(self) -> OrderedDict[str, type[PageForm]]:
        return OrderedDict((step, PageForm) for step in self.route.steps)

    def answers_before(self, step: str, route: routing.Route | None = None) -> dict[str, Any]:
        route = route or self.route
        answers: dict[str, Any] = {}
        for page in self.structure.pages:
            if page.step == step:
                break
            answers.update(route.answers_by_step.get(page.step, {}))
        return answers

    def first_incomplete_step(self, route: routing.Route | None = None) -> str | None:
        route = route or self.route
        return next((step for step in route.steps if step not in route.answers_by_step), None)

    def not_open_yet(self, step: str) -> str | None:
        """The first incomplete page, if `step` comes after it. No jumping ahead: earlier pages decide
        whether a page is shown at all, and which of its questions."""
        first_incomplete = self.first_incomplete_step()
        steps = self.route.steps
        if first_incomplete is not None and steps.index(step) > steps.index(first_incomplete):
            return first_incomplete
        return None

    # Forms --------------------------------------------------------------------------------------

    def _form(self, page: PageSpec, *, data: Any = None, prior: dict[str, Any] | None = None) -> PageForm:
        return PageForm(data=data, prefix=page.step, page=page, prior_answers=prior, today=self.today)

    def get_form(self, step: str | None = None, data: Any = None, files: Any = None) -> PageForm:
        step = step or self.steps.current
        return self._form(self.structure.steps[step], data=data, prior=self.answers_before(step))

    def process_step(self, form: PageForm) -> dict[str, list[str]]:
        # Keep only this page's fields, within their limits: not the CSRF token, the buttons or anything else.
        return page_data_kept(form).data

    # Requests -----------------------------------------------------------------------------------

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not state.journey_exists(self.storage):
            if state.submitted_get(request, self.survey):
                # The Back button after sending: the confirmation says what was sent, and offers a new response.
                return self.redirect_to_confirmation()
            if not self.survey.is_accepting_responses(self.now):
                return unavailable_response(request, self.survey)
            state.journey_start(self.storage, now=self.now)
        elif not self.may_continue:
            return self._closed()
        step = kwargs.get("step")
        if step == CHECK_STEP:
            return self.render_check()
        if step is None and self.storage.current_step in self.route.steps:
            return self.redirect_to_step(self.storage.current_step)  # where they left off
        if step not in self.route.steps:
            # Not a page for this resident: the next one they have to answer.
            following = self.first_incomplete_step()
            if following is not None:
                # Kept now (starting writes the session anyway), so that showing that page writes nothing.
                self.storage.current_step = following
            return self.redirect_to_step(following or CHECK_STEP)
        if (first_incomplete := self.not_open_yet(step)) is not None:
            return self.redirect_to_step(first_incomplete)
        self.storage.current_step = step
        return self.render(self.get_form(step, data=self.storage.get_step_data(step)), show_errors=False)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        step = kwargs.get("step")
        if step == CHECK_STEP:
            return self.submit()
        if not state.journey_exists(self.storage):
            if state.submitted_get(request, self.survey):
                return self.redirect_to_confirmation()
            # The session expired (or was cleared) while this page was open.
            return start_again_response(request, self.survey)
        if not self.may_continue:
            return self._closed()
        if step not in self.route.steps:
            return self.redirect_to_step(self.first_incomplete_step() or self.route.steps[0])
        if (first_incomplete := self.not_open_yet(step)) is not None:
            # Nothing posted to a page that is not open is kept: its questions were never shown.
            return self.redirect_to_step(first_incomplete)
        self.storage.current_step = step
        page = self.structure.steps[step]
        action = request.POST.get("action", "continue")
        form = self.get_form(step, data=request.POST)
        if action == "save":
            return self.save_journey(step, form)
        if page.is_equality_intro:
            self._update_extra(**{EQUALITY_SKIPPED: action == "skip", EQUALITY_STOPPED_AT: None})
            self.__dict__.pop("route", None)
        elif page.is_equality and action == "skip_rest":
            self._update_extra(**{EQUALITY_STOPPED_AT: step})
            self.__dict__.pop("route", None)
            return self._next_after(step)
        if not form.is_valid():
            return self.render(form, show_errors=True)
        self._keep_answers(form, self.process_step(form))
        return self._next_after(step)

    def _next_after(self, step: str) -> HttpResponse:
        if self.is_change:
            # Back to "Check your answers", by way of any page the change has just added.
            added = self.first_incomplete_step()
            if added is None:
                return self.redirect_to_step(CHECK_STEP)
            self.storage.current_step = added  # where "Continue" takes them if they leave and come back
            return self.redirect_to_step(added, "?change=1")
        steps = self.route.steps
        following = steps[steps.index(step) + 1] if step in steps and steps.index(step) + 1 < len(steps) else None
        if following is None:
            return self.redirect_to_step(CHECK_STEP)
        self.storage.current_step = following
        return self.redirect_to_step(following)

    @property
    def is_change(self) -> bool:
        return self.request.GET.get("change") == "1"

    def _closed(self) -> HttpResponse:
        in_progress = state.journey_in_progress(self.request, self.survey)
        # Nothing half-written: the answers in progress are dropped, not kept for later.
        state.journey_clear(self.request, self.survey)
        return unavailable_response(self.request, self.survey, in_progress=in_progress)

    # Rendering ----------------------------------------------------------------------------------

    def back_url(self, step: str) -> str:
        if self.is_change:
            return self.get_step_url(CHECK_STEP)
        steps = self.route.steps
        if step in steps and steps.index(step) > 0:
            return self.get_step_url(steps[steps.index(step) - 1])
        return reverse("surveys:survey_start", kwargs={"slug": self.survey.slug})

    def journey_context(self) -> dict[str, Any]:
        """What every page of the journey shows around its questions."""
        closed_at = self.survey.closes_at if not self.survey.is_accepting_responses(self.now) else None
        grace_until = closed_at + dt.timedelta(minutes=settings.JOURNEY_CLOSING_GRACE_MINUTES) if closed_at else None
        return {
            "survey": self.survey,
            "timeout": {
                "expires_at": (expires_at := state.resident_session_touch(self.request)),
                "expires_in": round((expires_at - self.now).total_seconds()),
                "warn_seconds": state.timeout_warning_seconds(),
                "idle_minutes": settings.RESIDENT_SESSION_IDLE_MINUTES,
                "can_save": closed_at is None,
            },
            "reference": self.extra.get(REFERENCE),
            "journey_copy": self.extra.get(COPY),
            "closed_at": closed_at,
            "grace_until": grace_until,
            "has_about_you": self.structure.has_equality_section,
        }

    def get_context_data(self, form: PageForm, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(form=form, **kwargs)
        step = form.page.step
        if form.page.is_equality:
            caption = "About you"
        elif len(form.questions) == 1 and form.questions[0].question.text.strip() != form.page.page.title.strip():
            caption = form.page.page.title
        else:
            caption = self.survey.title
        context.update(
            self.journey_context(),
            caption=caption,
            page=form.page,
            form=form,
            back_url=self.back_url(step),
            form_action=self.request.path + ("?change=1" if self.is_change else ""),
            show_errors=kwargs.get("show_errors", False),
        )
        return context

    def render(self, form: PageForm | None = None, **kwargs: Any) -> HttpResponse:
        form = form or self.get_form()
        return self.render_to_response(self.get_context_data(form=form, **kwargs))

    def render_check(self) -> HttpResponse:
        already = response_get_by_submission_key(survey=self.survey, submission_key=self.extra[SUBMISSION_KEY])
        if already is not None:
            return self._already_sent(already)
        route = self.route  # every page's answers, validated against the structure as it is now
        first_incomplete = self.first_incomplete_step(route)
        if first_incomplete is not None:
            return self.redirect_to_step(first_incomplete)
        context = check_page_context(self, route)
        _checked_survey_keep(self.kwargs["slug"], self.survey)
        return render(self.request, "surveys/check.html", {**self.journey_context(), **context})

    # Saving and submitting ----------------------------------------------------------------------

    def save_journey(self, step: str, form: PageForm) -> HttpResponse:
        """Keep what was typed, valid or not (it is checked when they carry on), within each field's limits.

        The saved journey keeps an age where a date of birth was given (surveys/forms/kept.py)."""
        if not self.survey.is_accepting_responses(self.now):
            return self.redirect_to_step(step)  # closed (they may still send, in the grace period)
        page = page_data_kept(form)
        if page.refused:
            form.is_valid()
            refused = {name: errors for name, errors in form.errors.items() if name in page.refused}
            if refused:
                form._errors = ErrorDict(refused)
                return self.render(form, show_errors=True)
        self.storage.set_step_data(step, page.data)
        kept = dict(self.extra.get(ANSWERS, {}))
        kept.pop(step, None)
        self._update_extra(**{ANSWERS: kept})
        self.__dict__.pop("route", None)
        limit = settings.SAVES_PER_ADDRESS_PER_HOUR
        if rate_limit_exceeded(request=self.request, scope="journey-save", limit=limit, window_seconds=3600):
            context = {"survey": self.survey, "continue_url": self.get_step_url(step)}
            return render(self.request, "surveys/save_refused.html", context, status=429)
        data = state.journey_saved_data(self.storage)
        data["step_data"] = {
            saved_step: page_data_kept(
                self.get_form(saved_step, data=self.storage.get_step_data(saved_step)), date_of_birth_as_age=True
            ).data
            for saved_step in data["step_data"]
            if saved_step in self.structure.steps
        }
        result = saved_journeys.journey_save(
            survey=self.survey,
            data=data,
            current_step=step,
            reference=self.extra[REFERENCE],
            saved_journey_id=self.extra.get(SAVED_JOURNEY_ID),
        )
        self._update_extra(**{TOKEN: result.token, SAVED_JOURNEY_ID: result.saved.pk})
        return redirect("surveys:journey_saved", slug=self.survey.slug)

    def submit(self) -> HttpResponse:
        posted_key = self.request.POST.get(SUBMISSION_KEY, "")

        def sent_already() -> Response | None:
            # Asked only where the answer is not about to be sent: sending asks inside its transaction.
            return response_get_by_submission_key(survey=self.survey, submission_key=posted_key)

        if not state.journey_exists(self.storage) or posted_key != self.extra.get(SUBMISSION_KEY):
            self.unless_remembered()
            if (already := sent_already()) is not None:
                return self._already_sent(already)
            # This page belonged to a journey that is no longer in this session (it timed out, or was restarted).
            if state.submitted_get(self.request, self.survey):
                return self.redirect_to_confirmation()
            return start_again_response(self.request, self.survey)
        # With the survey "Check your answers" read, whether it takes the response is left to the INSERT,
        # which reads the survey's row as it is now (a refusal is decided again, afresh: _ReadAfresh).
        if not self.survey_remembered and not self.may_continue:
            already = sent_already()
            return self._already_sent(already) if already is not None else self._closed()
        route = self.route  # as on "Check your answers": validated against the structure as it is now
        first_incomplete = self.first_incomplete_step(route)
        if first_incomplete is not None:
            self.unless_remembered()
            already = sent_already()
            return self._already_sent(already) if already is not None else self.redirect_to_step(first_incomplete)
        via = via_code(self.request, self.survey.pk)

        def forget_answers(response: Response) -> None:
            # Inside sending's transaction: the session forgets the answers in the same commit as the
            # response is stored (one commit, not two), or not at all if it is not.
            via_forget(self.request, self.survey.pk)
            state.journey_finish(
                self.request,
                self.survey,
                reference=response.reference,
                sent_at=self.now,
                in_transaction=True,
                storage=self.storage,
            )

        try:
            result = services.response_submit(
                survey=self.survey,
                submission_key=posted_key,
                reference=self.extra[REFERENCE],
                answers=route.answers,
                equality_skipped=self.equality_skipped,
                structure=self.structure,
                structure_cached=True,
                saved_journey_id=self.extra.get(SAVED_JOURNEY_ID),
                journey_copy=self.extra[COPY],
                started_at=state.journey_started_at(self.storage),
                now=self.now,
                on_stored=forget_answers,
            )
        except services.SurveyClosedError:
            self.unless_remembered()
            return self._closed()
        except services.StructureChangedError:
            self.unless_remembered()
            # An officer changed the survey since this request read it: nothing was written. The check
            # page, read afresh, shows the answers as they stand now (or the page that needs one).
            return self.redirect_to_step(CHECK_STEP)
        if not result.created:
            self.unless_remembered()
            return self._already_sent(result.response)
        attribution_from_link(response=result.response, code=via)
        return self.redirect_to_confirmation()

    def _already_sent(self, response: Response) -> HttpResponse:
        """This journey was sent before. By this copy (a double click, a refresh, a second tab): show the
        confirmation. By another copy (resumed from a saved link on another device): say so plainly, and
        that the answers here were not sent."""
        submitted = state.submitted_get(self.request, self.survey)
        ours = (response.journey_copy and response.journey_copy == self.extra.get(COPY)) or (
            submitted is not None and submitted.reference == response.reference
        )
        if ours:
            state.journey_finish(self.request, self.survey, reference=response.reference, sent_at=response.submitted_at)
            return self.redirect_to_confirmation()
        if self.extra.get(SUBMISSION_KEY) == response.submission_key:
            state.journey_clear(self.request, self.survey)
        return render(
            self.request,
            "surveys/already_sent.html",
            {"survey": self.survey, "reference": response.reference, "sent_at": response.submitted_at},
        )
