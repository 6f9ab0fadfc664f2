"""A survey's structure (pages, questions, choices, rules), kept in memory between residents' requests.

Loading it takes six queries and a few hundred model instances: most of the server time of a survey
page. Residents' pages read it from here instead (docs/decisions/0014). Each process keeps the
structures it has loaded, under the survey's structure version, which lives in the shared cache
(CACHES: Redis in production, so every process sees a change at once). Saving or deleting a survey,
page, question, choice or grid row gives its survey a new version, at once and again when the
transaction commits. Bulk changes send no signals, so an entry is also never used for longer than
MAX_AGE_SECONDS; and "Check your answers" and sending load the structure afresh, so what is stored is
always checked against the survey as it is.
"""

import secrets
import threading
import time
from collections import OrderedDict
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from surveys.models import Choice, GridRow, Page, Question, Survey
from surveys.selectors import SurveyStructure, survey_structure_get

MAX_AGE_SECONDS = 30
MAX_SURVEYS = 64

_lock = threading.Lock()
# survey id -> (version, loaded at (monotonic seconds), structure)
_structures: "OrderedDict[Any, tuple[str | None, float, SurveyStructure]]" = OrderedDict()


def _version_key(survey_id: Any) -> str:
    return f"survey-structure-version:{survey_id}"


def survey_structure_cached(*, survey: Survey) -> SurveyStructure:
    """The survey's structure, from memory when nothing has changed since it was loaded."""
    version = cache.get(_version_key(survey.pk))
    now = time.monotonic()
    with _lock:
        entry = _structures.get(survey.pk)
        if entry is not None and entry[0] == version and now - entry[1] < MAX_AGE_SECONDS:
            _structures.move_to_end(survey.pk)
            return SurveyStructure(survey=survey, pages=entry[2].pages)
    structure = survey_structure_get(survey=survey)
    with _lock:
        _structures[survey.pk] = (version, now, structure)
        while len(_structures) > MAX_SURVEYS:
            _structures.popitem(last=False)
    return structure


def survey_structure_changed(survey_id: Any) -> None:
    """Give the survey a new structure version: every process loads its structure again."""

    def bump() -> None:
        cache.set(_version_key(survey_id), secrets.token_hex(8), None)
        with _lock:
            _structures.pop(survey_id, None)

    bump()
    transaction.on_commit(bump)  # and again once the change is visible to other connections


def _survey_id(instance: Any) -> Any:
    if isinstance(instance, Survey):
        return instance.pk
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
    survey_id = _survey_id(instance)
    if survey_id is not None:
        survey_structure_changed(survey_id)


def connect_signals() -> None:
    for model in (Survey, Page, Question, Choice, GridRow):
        post_save.connect(_changed, sender=model, dispatch_uid=f"structure-changed-save-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"structure-changed-delete-{model.__name__}")
