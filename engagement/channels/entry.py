"""A whole survey on one page, for officers keying in a paper, phone, event or partner response.

Each survey page is the journey's own form (surveys.forms.page.PageForm), validated with the journey's
own routing (surveys.routing.route): the same questions, the same checks, the same answers stored. The
officer sees every question (the paper form has them all), but only the answers routing would have
asked for are validated and kept; answers to questions the resident should have skipped are listed,
not stored.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from surveys import routing
from surveys.forms.page import PageForm
from surveys.selectors import PageSpec, QuestionSpec, SurveyStructure


class KeyedPageForm(PageForm):
    """A survey page with every question on it, checked as the journey checks the routed ones."""

    def __init__(self, *args: Any, page: PageSpec, **kwargs: Any) -> None:
        super().__init__(*args, page=page, **kwargs)
        self.routed = list(self.questions)
        for q in page.questions:
            if q not in self.routed:
                self._add_fields(q)
        self.questions = list(page.questions)

    def clean(self) -> dict[str, Any]:
        shown, self.questions = self.questions, self.routed
        try:
            cleaned = super().clean()
        finally:
            self.questions = shown
        for q in shown:
            if q not in self.routed:  # hidden by an earlier page's answer: never checked or stored
                for name in self.field_names(q):
                    self._errors.pop(name, None)
                    cleaned.pop(name, None)
        return cleaned

    def skipped_with_answers(self) -> list[QuestionSpec]:
        """Questions routing hides from this resident that were answered anyway."""
        if not self.is_bound:
            return []
        shown = {q.key for q in self.shown_questions}
        return [q for q in self.questions if q.key not in shown and _has_value(self, q)]


def _has_value(form: PageForm, q: QuestionSpec) -> bool:
    for name in form.field_names(q):
        values = form.data.getlist(form.add_prefix(name)) if hasattr(form.data, "getlist") else []
        if not values:
            values = [v for k, v in form.data.items() if k.startswith(form.add_prefix(name) + "_")]
        if any(str(v).strip() for v in values):
            return True
    return False


@dataclass
class KeyedEntry:
    """Every page's form, in order, and, once checked, the answers to store."""

    forms: list[KeyedPageForm]
    answers: dict[str, Any] = field(default_factory=dict)
    valid: bool = False

    @property
    def skipped_with_answers(self) -> list[QuestionSpec]:
        return [q for form in self.forms for q in form.skipped_with_answers()]

    def error_links(self) -> list[dict[str, Any]]:
        return [link for form in self.forms for link in form.error_links()]


def keyed_entry(
    *,
    structure: SurveyStructure,
    data: Mapping[str, Any] | None,
    equality_skipped: bool = False,
    today: dt.date,
) -> KeyedEntry:
    """The forms for a keyed-in response; with `data`, checked page by page along the resident's route."""
    if data is None:
        return KeyedEntry(forms=[_form(page, None, {}, today) for page in structure.pages])
    built: dict[str, KeyedPageForm] = {}

    def answers_for(page: routing.RoutablePage, prior: Mapping[str, Any]) -> dict[str, Any] | None:
        form = _form(structure.steps[page.step], data, dict(prior), today)
        built[page.step] = form
        return form.answers if form.is_valid() else None

    route = routing.route(structure.pages, answers_for, equality_skipped=equality_skipped, today=today)
    forms = []
    for page in structure.pages:
        # A page routing skips is shown with what was typed, but neither checked nor stored.
        forms.append(built.get(page.step) or _form(page, data, route.answers, today, checked=False))
    valid = all(step in route.answers_by_step for step in route.steps)
    return KeyedEntry(forms=forms, answers=route.answers if valid else {}, valid=valid)


def _form(
    page: PageSpec, data: Mapping[str, Any] | None, prior: dict[str, Any], today: dt.date, *, checked: bool = True
) -> KeyedPageForm:
    form = KeyedPageForm(data=data, prefix=page.step, page=page, prior_answers=prior, today=today)
    if not checked:
        form.routed = []  # nothing on a skipped page is asked: nothing to check
    return form
