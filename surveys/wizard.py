"""The resident journey: django-formtools' named-URL session wizard, one URL per survey page.

The wizard keeps each page's posted data in the session. On every request the route (which pages
this resident sees) is worked out afresh from that data by `surveys.routing`, so answers left on
pages the resident has routed away from are never validated, counted or stored. Pages are reached
in order: a page can be opened only when every page before it on the route is complete, and
"Check your answers" re-validates everything before anything is written.
"""

from collections import OrderedDict
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from formtools.wizard.storage import get_storage
from formtools.wizard.storage.base import BaseStorage
from formtools.wizard.views import NamedUrlSessionWizardView

from surveys import routing, services
from surveys.forms import PageForm
from surveys.forms.display import answer_rows
from surveys.models import Survey
from surveys.selectors import PageSpec, SurveyStructure, response_get_by_submission_key, survey_structure_get

CHECK_STEP = "check-your-answers"
SESSION_STORAGE = "formtools.wizard.storage.session.SessionStorage"
# Where the references of sent responses are kept, by survey, for the confirmation page.
SUBMITTED_SESSION_KEY = "surveys_submitted"

# Keys of the wizard's extra data.
SUBMISSION_KEY = "submission_key"
REFERENCE = "reference"
EQUALITY_SKIPPED = "equality_skipped"
TOKEN = "resume_token"
SAVED_JOURNEY_ID = "saved_journey_id"


def journey_prefix(survey: Survey) -> str:
    # One journey per survey per session: answering two surveys at once must not mix them up.
    return f"journey_{survey.pk.hex}"


def journey_storage(request: HttpRequest, survey: Survey) -> BaseStorage:
    return get_storage(SESSION_STORAGE, journey_prefix(survey), request)


def journey_start(storage: BaseStorage) -> None:
    """Give a new journey the key that makes its submission idempotent and the reference to quote."""
    extra = storage.extra_data
    if not extra.get(SUBMISSION_KEY):
        extra[SUBMISSION_KEY] = services.submission_key_generate()
        extra[REFERENCE] = services.reference_generate()
        storage.extra_data = extra


def unavailable_response(request: HttpRequest, survey: Survey, *, in_progress: bool = False) -> HttpResponse:
    """The page for a survey that is not taking responses: not yet open, or closed, with the dates."""
    now = timezone.now()
    not_yet_open = survey.status == Survey.Status.OPEN and survey.opens_at is not None and now < survey.opens_at
    return render(
        request,
        "surveys/unavailable.html",
        {"survey": survey, "not_yet_open": not_yet_open, "in_progress": in_progress},
    )


class SurveyJourney(NamedUrlSessionWizardView):
    template_name = "surveys/page.html"
    survey: Survey
    structure: SurveyStructure

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
        survey = Survey.objects.exclude(status=Survey.Status.DRAFT).filter(slug=kwargs["slug"]).first()
        if survey is None:
            raise Http404("No such survey")
        self.survey = survey
        self.structure = survey_structure_get(survey=survey)
        if not self.structure.pages:
            raise Http404("This survey has no pages")
        self.form_list = OrderedDict((page.step, PageForm) for page in self.structure.pages)
        self.today = timezone.localdate()
        return super().dispatch(request, *args, **kwargs)

    def get_prefix(self, request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        return journey_prefix(self.survey)

    def get_step_url(self, step: str) -> str:
        return reverse(self.url_name, kwargs={"slug": self.survey.slug, "step": step})

    @property
    def extra(self) -> dict[str, Any]:
        return self.storage.extra_data

    @property
    def equality_skipped(self) -> bool:
        return bool(self.extra.get(EQUALITY_SKIPPED))

    # Routing ------------------------------------------------------------------------------------

    @cached_property
    def route(self) -> routing.Route:
        def answers_for(page: routing.RoutablePage, prior: dict[str, Any]) -> dict[str, Any] | None:
            data = self.storage.get_step_data(page.step)
            if data is None:
                return None
            form = self._form(self.structure.steps[page.step], data=data, prior=prior)
            return form.answers if form.is_valid() else None

        return routing.route(
            self.structure.pages, answers_for, equality_skipped=self.equality_skipped, today=self.today
        )

    def _reroute(self) -> None:
        self.__dict__.pop("route", None)

    def get_form_list(self) -> OrderedDict[str, type[PageForm]]:
        return OrderedDict((step, PageForm) for step in self.route.steps)

    def answers_before(self, step: str) -> dict[str, Any]:
        position = int(self.structure.steps[step].page.position)
        answers: dict[str, Any] = {}
        for page in self.structure.pages:
            if page.page.position >= position:
                break
            answers.update(self.route.answers_by_step.get(page.step, {}))
        return answers

    def first_incomplete_step(self) -> str | None:
        for step in self.route.steps:
            if step not in self.route.answers_by_step:
                return step
        return None

    # Forms --------------------------------------------------------------------------------------

    def _form(self, page: PageSpec, *, data: Any = None, prior: dict[str, Any] | None = None) -> PageForm:
        return PageForm(data=data, prefix=page.step, page=page, prior_answers=prior, today=self.today)

    def get_form(self, step: str | None = None, data: Any = None, files: Any = None) -> PageForm:
        step = step or self.steps.current
        return self._form(self.structure.steps[step], data=data, prior=self.answers_before(step))

    def process_step(self, form: PageForm) -> dict[str, list[str]]:
        # Keep only this page's fields: not the CSRF token, not the buttons.
        prefix = f"{form.prefix}-"
        return {name: values for name, values in form.data.lists() if name.startswith(prefix)}

    # Requests -----------------------------------------------------------------------------------

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.survey.is_accepting_responses():
            return self._closed()
        if "reset" in request.GET:
            self.storage.reset()
            self._reroute()
        journey_start(self.storage)
        step = kwargs.get("step")
        first_incomplete = self.first_incomplete_step()
        if step == CHECK_STEP:
            if first_incomplete is not None:
                return redirect(self.get_step_url(first_incomplete))
            return self.render_check()
        if step not in self.route.steps:
            current = self.storage.current_step
            return redirect(self.get_step_url(current if current in self.route.steps else self.route.steps[0]))
        if first_incomplete is not None and self.route.steps.index(step) > self.route.steps.index(first_incomplete):
            # No jumping ahead: earlier pages decide whether this one is shown at all.
            return redirect(self.get_step_url(first_incomplete))
        self.storage.current_step = step
        return self.render(self.get_form(step, data=self.storage.get_step_data(step)), show_errors=False)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        step = kwargs.get("step")
        if step == CHECK_STEP:
            return self.submit()
        if not self.survey.is_accepting_responses():
            return self._closed()
        journey_start(self.storage)
        if step not in self.route.steps:
            return redirect(self.get_step_url(self.route.steps[0]))
        self.storage.current_step = step
        page = self.structure.steps[step]
        action = request.POST.get("action", "continue")
        form = self.get_form(step, data=request.POST)
        if action == "save":
            # Keep what was typed, valid or not: it is checked when they come back and continue.
            self.storage.set_step_data(step, self.process_step(form))
            return self.save_journey(step)
        if page.is_equality_intro:
            self.extra[EQUALITY_SKIPPED] = action == "skip"
            self.storage.extra_data = self.extra
        if not form.is_valid():
            return self.render(form, show_errors=True)
        self.storage.set_step_data(step, self.process_step(form))
        self._reroute()
        if self.is_change:
            return redirect(self.get_step_url(CHECK_STEP))
        steps = self.route.steps
        following = steps[steps.index(step) + 1] if step in steps and steps.index(step) + 1 < len(steps) else None
        if following is None:
            return redirect(self.get_step_url(CHECK_STEP))
        self.storage.current_step = following
        return redirect(self.get_step_url(following))

    @property
    def is_change(self) -> bool:
        return self.request.GET.get("change") == "1"

    def _closed(self) -> HttpResponse:
        in_progress = bool(self.storage.data.get(self.storage.step_data_key))
        # Nothing half-written: the answers in progress are dropped, not kept for later.
        self.storage.reset()
        return unavailable_response(self.request, self.survey, in_progress=in_progress)

    # Rendering ----------------------------------------------------------------------------------

    def back_url(self, step: str) -> str:
        if self.is_change:
            return self.get_step_url(CHECK_STEP)
        steps = self.route.steps
        if step in steps and steps.index(step) > 0:
            return self.get_step_url(steps[steps.index(step) - 1])
        return reverse("surveys:survey_start", kwargs={"slug": self.survey.slug})

    def get_context_data(self, form: PageForm, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(form=form, **kwargs)
        step = form.page.step
        steps = self.route.steps
        action = self.request.path + ("?change=1" if self.is_change else "")
        if form.page.is_equality:
            caption = "About you"
        elif len(form.questions) == 1 and form.questions[0].question.text.strip() != form.page.page.title.strip():
            caption = form.page.page.title
        else:
            caption = self.survey.title
        context.update(
            caption=caption,
            survey=self.survey,
            page=form.page,
            form=form,
            page_number=steps.index(step) + 1 if step in steps else None,
            page_count=len(steps),
            back_url=self.back_url(step),
            form_action=action,
            show_errors=kwargs.get("show_errors", False),
            reference=self.extra.get(REFERENCE),
        )
        return context

    def render(self, form: PageForm | None = None, **kwargs: Any) -> HttpResponse:
        form = form or self.get_form()
        return self.render_to_response(self.get_context_data(form=form, **kwargs))

    def render_check(self) -> HttpResponse:
        sections: list[dict[str, Any]] = []
        about_you: list[dict[str, Any]] = []
        for step in self.route.steps:
            page = self.structure.steps[step]
            if page.is_equality_intro:
                continue
            form = self._form(page, data=self.storage.get_step_data(step), prior=self.answers_before(step))
            form.is_valid()
            change_url = self.get_step_url(step) + "?change=1"
            rows = [
                {**row, "change_url": change_url} for q in form.shown_questions for row in answer_rows(q, form.answers)
            ]
            target = about_you if page.is_equality else sections
            target.append({"title": page.page.title, "rows": rows})
        intro = next((p for p in self.structure.pages if p.is_equality_intro), None)
        return render(
            self.request,
            "surveys/check.html",
            {
                "survey": self.survey,
                "sections": sections,
                "about_you_rows": [row for section in about_you for row in section["rows"]],
                "has_about_you": intro is not None,
                "equality_skipped": self.equality_skipped,
                "about_you_change_url": self.get_step_url(intro.step) + "?change=1" if intro else "",
                "back_url": self.get_step_url(self.route.steps[-1]),
                "submission_key": self.extra.get(SUBMISSION_KEY),
                "reference": self.extra.get(REFERENCE),
            },
        )

    # Saving and submitting ----------------------------------------------------------------------

    def save_journey(self, step: str) -> HttpResponse:
        data = {
            "step_data": self.storage.data[self.storage.step_data_key],
            "extra_data": {k: v for k, v in self.extra.items() if k not in (TOKEN, SAVED_JOURNEY_ID)},
        }
        result = services.journey_save(
            survey=self.survey,
            data=data,
            current_step=step,
            reference=self.extra[REFERENCE],
            token=self.extra.get(TOKEN),
        )
        self.extra[TOKEN] = result.token
        self.extra[SAVED_JOURNEY_ID] = result.saved.pk
        self.storage.extra_data = self.extra
        return redirect("surveys:journey_saved", slug=self.survey.slug)

    def submit(self) -> HttpResponse:
        posted_key = self.request.POST.get(SUBMISSION_KEY, "")
        already = response_get_by_submission_key(survey=self.survey, submission_key=posted_key)
        if already is not None:
            # A double click, a refreshed POST or a second tab: the journey was sent; show its reference.
            if self.extra.get(SUBMISSION_KEY) == posted_key:
                self.storage.reset()
            return self._confirm(already.reference)
        if not self.survey.is_accepting_responses():
            return self._closed()
        if not posted_key or posted_key != self.extra.get(SUBMISSION_KEY):
            # This page belonged to a journey that is no longer in this session (it timed out, or was restarted).
            return redirect("surveys:survey_start", slug=self.survey.slug)
        first_incomplete = self.first_incomplete_step()
        if first_incomplete is not None:
            return redirect(self.get_step_url(first_incomplete))
        try:
            result = services.response_submit(
                survey=self.survey,
                submission_key=posted_key,
                reference=self.extra[REFERENCE],
                answers=self.route.answers,
                equality_skipped=self.equality_skipped,
                structure=self.structure,
                saved_journey_id=self.extra.get(SAVED_JOURNEY_ID),
            )
        except services.SurveyClosedError:
            return self._closed()
        self.storage.reset()
        return self._confirm(result.response.reference)

    def _confirm(self, reference: str) -> HttpResponseRedirect:
        submitted = self.request.session.get(SUBMITTED_SESSION_KEY, {})
        submitted[self.survey.pk.hex] = reference
        self.request.session[SUBMITTED_SESSION_KEY] = submitted
        return redirect("surveys:confirmation", slug=self.survey.slug)


def journey_restore(
    request: HttpRequest, survey: Survey, *, data: dict[str, Any], current_step: str, token: str, saved_journey_id: int
) -> None:
    """Put a saved journey back into this session, replacing any journey in progress here."""
    storage = journey_storage(request, survey)
    storage.reset()
    storage.data = {
        storage.step_key: current_step,
        storage.step_data_key: dict(data.get("step_data", {})),
        storage.step_files_key: {},
        storage.extra_data_key: {**data.get("extra_data", {}), TOKEN: token, SAVED_JOURNEY_ID: saved_journey_id},
    }


def journey_in_progress(request: HttpRequest, survey: Survey) -> bool:
    storage = journey_storage(request, survey)
    return bool(storage.data.get(storage.step_data_key))
