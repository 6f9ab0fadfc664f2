"""Lived experience: the free-text answers of one group, for staff who may see equality data.

Only where the group has at least the suppression threshold of respondents: the words of a handful of
people could identify them. The page that shows them is limited by the access policy
(`Action.LIVED_EXPERIENCE_VIEW`) and every showing is audited.
"""

from dataclasses import dataclass

import pandas as pd

from representativeness.age_bands import survey_age_bands
from representativeness.disclosure import suppression_threshold
from representativeness.equality_analysis.characteristics import Characteristic, analysis_characteristics
from representativeness.errors import ReportError
from surveys.equality.selectors import (
    COUNT,
    ProfileFilter,
    equality_cells,
    free_text_of_group,
    survey_equality_keys,
)
from surveys.models import Question, Survey


class TooFewToShow(ReportError):
    """The group is below the threshold: its words are not shown. The message names only the threshold."""

    public = True


@dataclass
class GroupSize:
    key: str
    label: str
    group: str
    respondents: int


@dataclass
class LivedExperience:
    key: str
    label: str
    group: str
    name: str
    respondents: int
    answers: list[tuple[str, list[str]]]  # (question, its answers), in the survey's order

    @property
    def count(self) -> int:
        return sum(len(texts) for _, texts in self.answers)


def _combinations(survey: Survey, characteristic: Characteristic) -> pd.DataFrame:
    cells = equality_cells(
        where=ProfileFilter(survey.pk),
        columns=list(characteristic.columns),
        age_bands=survey_age_bands(survey.minimum_age),
    )
    columns = list(characteristic.columns)
    values = cells[columns].astype(object).where(cells[columns].notna(), None)
    cells["combination"] = [tuple(v) for v in values.to_numpy()]
    cells["group"] = [characteristic.group_of(c) for c in cells["combination"]]
    return cells


def _characteristics(survey: Survey) -> list[Characteristic]:
    """Broad groups and, where the census has them, detailed ones ("day-to-day activities limited a lot")."""
    return analysis_characteristics(
        asked=survey_equality_keys(survey_id=survey.pk), minimum_age=survey.minimum_age, detailed=True
    )


def group_sizes(survey: Survey) -> list[GroupSize]:
    """Every group of every characteristic the survey asks, with how many people responded in it."""
    sizes = []
    for characteristic in _characteristics(survey):
        counts = _combinations(survey, characteristic).groupby("group")[COUNT].sum()
        sizes += [
            GroupSize(characteristic.slot, characteristic.label, group, int(counts.get(group, 0)))
            for group in characteristic.groups
        ]
    return sizes


def lived_experience(*, survey: Survey, key: str, group: str) -> LivedExperience:
    """The group's free-text answers; TooFewToShow below the threshold, ReportError for an unknown group.

    `key`: the characteristic's slot ("disability", or "disability.detailed" for its detailed groups)."""
    characteristic = next((c for c in _characteristics(survey) if c.slot == key), None)
    if characteristic is None or group not in characteristic.groups:
        raise ReportError("Choose a group of a characteristic the survey asks about.")
    cells = _combinations(survey, characteristic)
    mine = cells[cells["group"] == group]
    respondents = int(mine[COUNT].sum())
    threshold = suppression_threshold()
    if respondents < threshold:
        raise TooFewToShow(
            f"Fewer than {threshold} people in this group responded, so their words are not shown: so few "
            "people could be recognised from what they wrote."
        )
    rows = free_text_of_group(
        where=ProfileFilter(survey.pk),
        columns=list(characteristic.columns),
        combinations=list(mine["combination"]),
        age_bands=survey_age_bands(survey.minimum_age),
    )
    questions = Question.objects.filter(page__survey=survey, equality_key="").order_by("page__position", "position")
    by_question: dict[object, list[str]] = {}
    for question_id, text in rows:
        by_question.setdefault(question_id, []).append(text)
    return LivedExperience(
        key=key,
        label=characteristic.label,
        group=group,
        name=characteristic.name(group),
        respondents=respondents,
        answers=[(q.text, by_question[q.pk]) for q in questions if q.pk in by_question],
    )
