""" "Check your answers": every answer on the route, each with a Change link to its question."""

from typing import TYPE_CHECKING, Any

from surveys import routing
from surveys.forms.display import answer_rows
from surveys.wizard.state import EQUALITY_STOPPED_AT, SUBMISSION_KEY

if TYPE_CHECKING:
    from surveys.wizard.view import SurveyJourney


def check_page_context(journey: "SurveyJourney", route: routing.Route) -> dict[str, Any]:
    sections: list[dict[str, Any]] = []
    about_you: list[dict[str, Any]] = []
    for step in route.steps:
        page = journey.structure.steps[step]
        if page.is_equality_intro:
            continue
        form = journey._form(page, data=journey.storage.get_step_data(step), prior=journey.answers_before(step, route))
        form.is_valid()
        page_url = journey.get_step_url(step) + "?change=1"
        rows = []
        for q in form.shown_questions:
            # On a page of several questions the link lands on the question itself.
            anchor = f"#{form.anchor_id(form.field_names(q)[0])}" if len(form.questions) > 1 else ""
            rows.extend({**row, "change_url": page_url + anchor} for row in answer_rows(q, form.answers))
        target = about_you if page.is_equality else sections
        target.append({"title": page.page.title, "rows": rows})
    intro = next((p for p in journey.structure.pages if p.is_equality_intro), None)
    return {
        "sections": sections,
        "about_you_rows": [row for section in about_you for row in section["rows"]],
        "equality_skipped": journey.equality_skipped,
        "equality_stopped": bool(journey.extra.get(EQUALITY_STOPPED_AT)) and not journey.equality_skipped,
        "about_you_change_url": journey.get_step_url(intro.step) + "?change=1" if intro else "",
        "back_url": journey.get_step_url(route.steps[-1]),
        "submission_key": journey.extra.get(SUBMISSION_KEY),
    }
