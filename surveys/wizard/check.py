""" "Check your answers": every answer on the route, each with a Change link to its question.

Read from the route's answers, which every page's validation gave (surveys/wizard/view.py), without
building a form for each page again."""

from typing import TYPE_CHECKING, Any

from surveys import routing
from surveys.forms.display import answer_lines
from surveys.forms.page import question_anchor_id, questions_offered
from surveys.wizard.state import EQUALITY_STOPPED_AT, SUBMISSION_KEY

if TYPE_CHECKING:
    from surveys.wizard.view import SurveyJourney


def check_page_context(journey: "SurveyJourney", route: routing.Route) -> dict[str, Any]:
    sections: list[dict[str, Any]] = []
    about_you: list[dict[str, Any]] = []
    on_route = set(route.steps)
    prior: dict[str, Any] = {}  # the answers before each page, as its form had them
    urls = journey.step_urls()
    for page in journey.structure.pages:
        answers = route.answers_by_step.get(page.step, {})
        if page.step in on_route and not page.is_equality_intro:
            page_url = urls[page.step] + "?change=1"
            # One question on the page offers at most one: no need to work out which are offered.
            several = len(page.questions) > 1 and len(questions_offered(page, prior, journey.today)) > 1
            # A question not shown has no answer: a validated page has an answer for every question it showed.
            # On a page of several questions the Change link lands on the question itself.
            rows = [
                {
                    "question": q.question.text,
                    "lines": answer_lines(q, answers),
                    "key": q.key,
                    "change_url": f"{page_url}#{question_anchor_id(page, q)}" if several else page_url,
                }
                for q in page.questions
                if q.key in answers
            ]
            target = about_you if page.is_equality else sections
            target.append({"title": page.page.title, "rows": rows})
        prior.update(answers)
    intro = next((p for p in journey.structure.pages if p.is_equality_intro), None)
    return {
        "sections": sections,
        "about_you_rows": [row for section in about_you for row in section["rows"]],
        "equality_skipped": journey.equality_skipped,
        "equality_stopped": bool(journey.extra.get(EQUALITY_STOPPED_AT)) and not journey.equality_skipped,
        "about_you_change_url": urls[intro.step] + "?change=1" if intro else "",
        "back_url": urls[route.steps[-1]],
        "submission_key": journey.extra.get(SUBMISSION_KEY),
    }
