""" "Check your answers": every answer on the route, each with a Change link to its question.

Read from the route's answers, which every page's validation gave (surveys/wizard/view.py), without
building a form for each page again."""

from typing import TYPE_CHECKING, Any

from surveys import routing
from surveys.forms.display import answer_rows
from surveys.forms.page import question_anchor_id, questions_offered
from surveys.wizard.state import EQUALITY_STOPPED_AT, SUBMISSION_KEY

if TYPE_CHECKING:
    from surveys.wizard.view import SurveyJourney


def check_page_context(journey: "SurveyJourney", route: routing.Route) -> dict[str, Any]:
    sections: list[dict[str, Any]] = []
    about_you: list[dict[str, Any]] = []
    on_route = set(route.steps)
    prior: dict[str, Any] = {}  # the answers before each page, as its form had them
    for page in journey.structure.pages:
        answers = route.answers_by_step.get(page.step, {})
        if page.step in on_route and not page.is_equality_intro:
            page_url = journey.get_step_url(page.step) + "?change=1"
            several = len(questions_offered(page, prior, journey.today)) > 1
            rows = []
            for q in page.questions:
                if q.key not in answers:
                    continue  # not shown: a validated page has an answer for every question it showed
                # On a page of several questions the link lands on the question itself.
                anchor = f"#{question_anchor_id(page, q)}" if several else ""
                rows.extend({**row, "change_url": page_url + anchor} for row in answer_rows(q, answers))
            target = about_you if page.is_equality else sections
            target.append({"title": page.page.title, "rows": rows})
        prior.update(answers)
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
