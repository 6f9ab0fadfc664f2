"""A survey's structure (pages, questions, choices, rules), kept in memory between residents' requests.

Loading it takes six queries and a few hundred model instances: most of the server time of a survey
page. Residents' pages, "Check your answers" and sending read it from here instead (docs/decisions/0014,
0026). Each process keeps the structures it has loaded under the survey's structure version, a column
of the survey's own row, which every resident's request reads anyway: a structure is used only while
the survey still has the version it was loaded under, in every process at once, with no extra query.

Saving or deleting a page, question, choice or grid row gives its survey a new version, in the same
transaction. A write that sends no signal (`update()`, `bulk_create()`) must call
`survey_structure_changed` (or `structures_changed_for` with the rows it is about to change): the
builder's moves do. As a safety net for a write that forgets, an entry is also never used for longer
than MAX_AGE_SECONDS; sending re-reads the version inside its transaction and refuses a structure
loaded under another (surveys/services.py).
"""

from typing import Any

from django.db.models import F, QuerySet
from django.db.models.signals import post_delete, post_save

from common.kept_in_process import KeptInProcess
from surveys.models import Choice, GridRow, Page, Question, Survey
from surveys.selectors import SurveyStructure, survey_structure_get

MAX_AGE_SECONDS = 30
MAX_SURVEYS = 64

# survey id -> structure, as loaded
_structures: KeptInProcess[Any, SurveyStructure] = KeptInProcess(most=MAX_SURVEYS)

# How each structure model reaches its survey.
_SURVEY_PATH = {
    Page: "survey_id",
    Question: "page__survey_id",
    Choice: "question__page__survey_id",
    GridRow: "question__page__survey_id",
}


def survey_structure_cached(*, survey: Survey) -> SurveyStructure:
    """The survey's structure, from memory when it was loaded under the survey's current version."""
    kept = _structures.get(survey.pk, max_age=MAX_AGE_SECONDS)
    if kept is not None and kept.version == survey.structure_version:
        structure = SurveyStructure(survey=survey, pages=kept.pages, version=kept.version)
        # The steps, questions and the like are the kept structure's, worked out once (they depend on
        # the pages alone, never on the survey's own fields, which each request reads).
        structure.__dict__.update({name: getattr(kept, name) for name in SurveyStructure.DERIVED})
        return structure
    structure = survey_structure_get(survey=survey)
    _structures.keep(survey.pk, structure)
    return structure


def survey_structure_changed(survey_id: Any) -> None:
    """Give the survey a new structure version (in the current transaction): every process loads it again."""
    Survey.objects.filter(pk=survey_id).update(structure_version=F("structure_version") + 1)
    _structures.forget(survey_id)


def structures_changed_for(rows: QuerySet[Any]) -> None:
    """A bulk write is about to change these pages, questions, choices or grid rows: new versions for
    their surveys (worked out before the write, which may move the rows out of the queryset)."""
    for survey_id in set(rows.values_list(_SURVEY_PATH[rows.model], flat=True).distinct()):
        survey_structure_changed(survey_id)


def structure_survey_id(instance: Any) -> Any:
    """The survey a page, question, choice or grid row belongs to (None once it is gone)."""
    if isinstance(instance, Page):
        return instance.survey_id
    if isinstance(instance, Question):
        return Page.objects.filter(pk=instance.page_id).values_list("survey_id", flat=True).first()
    if isinstance(instance, Choice | GridRow):
        pages = Page.objects.filter(questions__pk=instance.question_id)
        return pages.values_list("survey_id", flat=True).first()
    return None


def _changed(sender: type, instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # loading fixtures
    survey_id = structure_survey_id(instance)
    if survey_id is not None:
        survey_structure_changed(survey_id)


def connect_signals() -> None:
    # Not the survey itself: its own fields are read afresh on every request, never from here.
    for model in (Page, Question, Choice, GridRow):
        post_save.connect(_changed, sender=model, dispatch_uid=f"structure-changed-save-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"structure-changed-delete-{model.__name__}")
