"""Weight responses to census margins, and show each closed question's results unweighted and weighted.

Weighted results answer "what if the respondents had matched the census profile?": a sensitivity
analysis, never an estimate of what the public thinks. The respondents are counted into cells (unique
combinations of the chosen characteristics) by one GROUP BY, the cells are raked by
representativeness.stats, and every closed question's answers are counted into the same cells so that
each cell's weight applies to them.
"""

import dataclasses
import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypedDict, Unpack

import numpy as np
import pandas as pd
from django.conf import settings
from django.utils.text import get_text_list

from representativeness.age_bands import survey_age_bands
from representativeness.census.tables import CENSUS_TABLES
from representativeness.disclosure import Audience, Protection, protection_for
from representativeness.disclosure.snapshot import published_snapshot
from representativeness.disclosure.weighting import (
    PublishedGroups,
    SafeMargins,
    protect_weighted_results,
    protected_bounds,
    rake_notes,
    safe_margins,
)
from representativeness.errors import ReportError
from representativeness.models import Area
from representativeness.reports.builder.build import population_report, survey_population
from representativeness.reports.builder.intersections import SEX_BY_AGE
from representativeness.respondent_areas import respondent_wards_for, wards_elsewhere_note
from representativeness.selectors import (
    AgeBandsNotAligned,
    BaselineNotFound,
    age_band_counts,
    age_sex_band_counts,
    area_get,
    area_populations,
    baseline_category_counts,
    report_area_default_code,
    sex_at_ages,
)
from representativeness.stats import RakeResult, WeightedResults, rake_cells, weighted_results
from representativeness.stats.bounds import bounds_feasible, smallest_max_weight
from representativeness.stats.weighted_results import leader_change_as_shown, random_sample_sizes
from surveys.equality.mapping import CENSUS_CHARACTERISTICS_BY_KEY, census_category
from surveys.equality.selectors import (
    AGE_BAND,
    COUNT,
    ProfileFilter,
    answer_cells,
    equality_cells,
    one_reading,
    survey_area_codes,
    survey_equality_keys,
)
from surveys.models import Choice, GridRow, Question, Survey
from surveys.selectors import DEFAULT_AGREEMENT_CHOICES

DEFAULT_CHARACTERISTICS = ("age", "sex", "ethnic_group", "disability", "area")
WEIGHTABLE = ("age", "sex", "ethnic_group", "disability", "religion", "unpaid_care", "english_proficiency", "area")
LABELS = {
    "age": "age",
    "sex": "sex",
    "ethnic_group": "ethnic group",
    "disability": "disability",
    "religion": "religion",
    "unpaid_care": "unpaid care",
    "english_proficiency": "main language and English",
    "area": "ward",
}


def plain_names(text: str) -> str:
    """A raking note with its column names ("ethnic_group: ...", "area × sex") in words ("Ethnic group: ...")."""
    for key in sorted(LABELS, key=len, reverse=True):
        text = re.sub(rf"\b{re.escape(key)}\b", LABELS[key], text)
    text = text.replace("age_band", "age")
    return text[:1].upper() + text[1:]


def ward_named(text: str, names: dict[str, str]) -> str:
    """A raking note with its ward codes ("E05000834") replaced by the wards' names."""
    if not names:
        return text
    pattern = re.compile(r"\b(" + "|".join(re.escape(code) for code in sorted(names, key=len, reverse=True)) + r")\b")
    return pattern.sub(lambda match: names[match.group(1)], text)


def characteristics_named(keys: Sequence[str]) -> str:
    """The characteristics raked on, in words: ["ethnic_group", "area"] -> "ethnic group and ward"."""
    return str(get_text_list([LABELS.get(key, key) for key in keys], "and"))


def sentence_case(key: str) -> str:
    """The characteristic's name to start a sentence ("Main language and English")."""
    label = LABELS.get(key, key)
    return label[:1].upper() + label[1:]


SINGLE_ANSWER = (Question.Type.SINGLE_CHOICE, Question.Type.DROPDOWN, Question.Type.AGREEMENT)
DEFAULT_TOL = 1e-10


@dataclass
class QuestionResult:
    question: str
    row: str  # the grid row, or the option of a multiple-choice question, or ""
    results: WeightedResults


@dataclass
class WeightingResult:
    survey: Survey
    area_code: str
    area_name: str
    characteristics: list[str]
    rake: RakeResult
    questions: list[QuestionResult]
    notes: list[str] = field(default_factory=list)
    poststratified: bool = False
    protection: Protection | None = None  # None: exact
    ward_names: dict[str, str] = field(default_factory=dict)  # ward code -> name, for the raking's notes

    @property
    def respondents(self) -> int:
        return self.rake.n

    def _sample_size(self, size: float) -> str:
        """A sample size as this audience may read it: exact, or about the nearest 10 (never "about 0")."""
        if self.protection is None or self.protection.exact:
            return f"{size:,.0f}"
        return f"about {self.protection.effective_size(size):,.0f}" if size >= 10 else "fewer than 10"

    def _precision(self, deff: str, n_eff: str) -> str:
        """How precise the weighted shares are: from their own (linearised) intervals where there are any,
        as the tables show them (only the shown ones); Kish's figure, from the spread of the weights
        alone, only beside it."""
        sizes = np.concatenate(
            [_shown_sample_sizes(q.results) for q in self.questions if q.results.interval == "linearised"]
            or [np.empty(0)]
        )
        sizes = sizes[np.isfinite(sizes)]
        if not len(sizes):
            return (
                f"Design effect {deff}: the weighted results are about as precise as {n_eff} responses chosen "
                f"at random would be (the effective sample size), out of {self.rake.n:,}."
            )
        low, high = self._sample_size(float(sizes.min())), self._sample_size(float(sizes.max()))
        sample = (
            f"a random sample of {low} responses" if low == high else f"random samples of {low} to {high} responses"
        )
        beyond = ""
        if float(sizes.max()) > self.rake.n:
            # Raking is a regression estimator: an answer that goes with the margins loses the chance
            # variation the margins explain, so it can be more precise than a random sample of everyone.
            used = ", ".join(LABELS.get(c, c) for c in self.rake.used_columns)
            beyond = (
                f". {'The' if low == high else 'The larger'} figure is more than the {self.rake.n:,} weighted: "
                f"fixing the weighted profile to the census removes the chance variation in who answered by "
                f"{used}, so an answer that goes with {used} is more precise than a random sample of the same "
                "size would be"
            )
        return (
            f"Each weighted share's interval is worked out for its own answer by linearisation: the weighted "
            f"shares are as precise as {sample} would be, out of {self.rake.n:,}{beyond} (design effect {deff} and "
            f"effective sample size {n_eff} by Kish's formula, from the spread of the weights alone)."
        )

    def diagnostics(self) -> list[str]:
        """The weighting's diagnostics in plain English.

        For the protected audience (`protection`: anyone without the equality-data permission, and every
        download) they leave out the exact weight range, the smallest possible largest weight, the number
        of iterations and the raking's own notes unless they name nobody (disclosure.weighting), and round
        the design effect and effective sample size: with the census shares, an exact weight gives a small
        cell's count back.
        """
        detailed = self.protection is None or self.protection.exact
        r = self.rake
        used = [LABELS.get(c, c) for c in r.used_columns] or ["nothing"]
        n_eff = self._sample_size(r.effective_sample_size)
        if detailed:
            deff = f"{r.design_effect:.2f}"
        else:
            assert self.protection is not None
            deff = f"{self.protection.design_effect(r.design_effect):.1f}"
        lines = [
            f"Responses were weighted so that their profile matches Census 2021 for {self.area_name} on "
            f"{', '.join(used)}" + (" (age and sex together)" if self.poststratified else "") + ".",
            self._precision(deff, n_eff),
        ]
        if detailed:
            lines.append(f"Weights range from {r.min_weight:.2f} to {r.max_weight:.2f} (average 1).")
        if detailed and r.smallest_possible_max_weight is not None:
            lines.append(
                "No weighting to these census figures can keep every weight below "
                f"{_rounded_up(r.smallest_possible_max_weight)} times the average, so a cap below that cannot be met."
            )
        # The raking result's own notes say when weights were capped or did not converge.
        if r.cap is not None and not r.capped and r.converged and not r.trimmed:
            lines.append(f"No weight needed capping at {r.cap:g} times the average.")
        if r.trimmed:
            error = f"{r.max_margin_error:.1%}" if detailed else f"{r.max_margin_error:.0%}"
            lines.append(
                f"Weights were trimmed to {_bounds_text(r.floor, r.cap)} times the average after weighting, as R's "
                f"trimWeights does: the weighted figures then differ from the census by up to {error}."
            )
        elif r.converged:
            lines.append(
                f"The weights converged{f' in {_iterations(r.iterations)}' if detailed else ''}: every weighted "
                f"margin is within {r.tol:g} (relative) of its census target."
            )
        raking_notes = list(r.notes) if self.protection is None else rake_notes(r.notes, self.protection)
        notes = [plain_names(ward_named(n, self.ward_names)) for n in raking_notes]
        return lines + notes + self.notes


def _shown_sample_sizes(results: WeightedResults) -> np.ndarray:
    """`random_sample_sizes` of the answers whose weighted share the audience sees: a range reaching a
    hidden answer's would bound its share."""
    sizes = random_sample_sizes(results)
    if "weighted_hidden" not in results.table:
        return sizes
    return sizes[~results.table["weighted_hidden"].to_numpy(dtype=bool)]


def _bounds_text(floor: float | None, cap: float | None) -> str:
    if floor is not None and cap is not None:
        return f"between {floor:g} and {cap:g}"
    return f"at most {cap:g}" if cap is not None else f"at least {floor:g}"


def census_label_columns(key: str, bands_present: bool) -> tuple[str, ...]:
    """The cell columns `census_labelled` reads a characteristic's label from: nothing else changes it (nor
    the protected audience's relabelling, which maps a label to another), so cells that agree on these
    columns have the same label."""
    if key == "age":
        return (AGE_BAND,) if bands_present else ()
    if key == "area":
        return ("area",)
    return tuple(CENSUS_CHARACTERISTICS_BY_KEY[key].columns)


def census_labelled(
    cells: pd.DataFrame,
    characteristics: Sequence[str],
    bands_present: bool,
    top_level: dict[str, dict[str, str]] | None = None,
) -> pd.DataFrame:
    """Replace stored answers by census labels, one column per characteristic; not an answer -> NaN.
    `top_level` maps a characteristic's detailed labels to its broad groups where only those are targets."""
    out = cells.copy()
    for key in characteristics:
        if key == "age":
            out["age"] = out[AGE_BAND] if bands_present else np.nan
            continue
        if key == "area":
            out["area"] = out["area"].where(~out["area"].isin(["prefer_not_to_say", "skipped"]))
            continue
        columns = list(census_label_columns(key, bands_present))
        combos = out[columns].astype(object).where(out[columns].notna(), None)
        values = [combos[column].tolist() for column in columns]
        del combos
        # Each cell's combination of values as a number (values told apart as a dict's keys are), then each
        # combination labelled once: no tuple per cell.
        combination = np.zeros(len(out), dtype=np.int64)
        for column_values in values:
            code_of: dict[object, int] = {}
            codes = np.fromiter(
                (code_of.setdefault(v, len(code_of)) for v in column_values), dtype=np.int64, count=len(out)
            )
            _, combination = np.unique(combination * len(code_of) + codes, return_inverse=True)
        _, first, combination = np.unique(combination, return_index=True, return_inverse=True)
        labels = []
        for row in first.tolist():
            label = census_category(key, tuple(column_values[row] for column_values in values))
            labels.append(label if label not in ("prefer_not_to_say", "skipped", "not_asked") else np.nan)
        del values
        out[key] = list(map(labels.__getitem__, combination.reshape(-1).tolist()))
        if top_level and key in top_level:
            out[key] = out[key].map(top_level[key])
    return out


def _targets(
    *, area: Area, characteristics: Sequence[str], survey: Survey, bands: list[tuple[int, int | None]]
) -> tuple[dict[Any, dict[Any, float]], dict[str, dict[str, str]], dict[str, dict[str, str]], list[str]]:
    area_code = area.code
    targets: dict[Any, dict[Any, float]] = {}
    hierarchy: dict[str, dict[str, str]] = {}
    top_level: dict[str, dict[str, str]] = {}
    notes: list[str] = []
    for key in characteristics:
        try:
            if key == "age":
                counts = age_band_counts(area_code=area_code, bands=bands)
                if counts.attrs.get("note"):
                    notes.append(counts.attrs["note"])
                targets["age"] = counts.to_dict()
            elif key == "area":
                codes = survey_area_codes(survey_id=survey.pk)
                elsewhere = wards_elsewhere_note(ward_codes=codes, area=area)
                if elsewhere is not None:
                    notes.append(f"Ward is left out. {elsewhere}")
                    continue
                populations = area_populations(area_codes=codes, minimum_age=survey.minimum_age)
                if len(populations) != len(codes):
                    notes.append("Ward is left out: not every ward in the survey's list has a census baseline.")
                    continue
                targets["area"] = populations["people"].to_dict()
            else:
                characteristic = CENSUS_CHARACTERISTICS_BY_KEY[key]
                table = CENSUS_TABLES[characteristic.table]
                at_ages = sex_at_ages(area_code=area_code, minimum_age=survey.minimum_age) if key == "sex" else None
                if at_ages is not None and survey.minimum_age > 0:
                    # The survey's ages, from the sex-by-age table: the base the report compares with.
                    targets[key] = at_ages.to_dict()
                    continue
                if table.min_age < survey.minimum_age:
                    base = table.population_base.label.lower()
                    notes.append(
                        f"{sentence_case(key)} is weighted to the census shares of {base}: no census table gives "
                        f"it for people aged {survey.minimum_age} and over, so they include "
                        "younger people, whom the survey does not ask."
                    )
                broad_only = key == "gender_identity"
                level = "broad" if broad_only else "detailed"
                counts = baseline_category_counts(area_code=area_code, table=table.code, level=level)
                if counts.empty and table.has_groups:
                    # Only the top level is published for this area: rake on the broad groups.
                    counts = baseline_category_counts(area_code=area_code, table=table.code, level="broad")
                    top_level[key] = dict(table.broad)
                    notes.append(
                        f"{sentence_case(key)} is weighted on its broad groups only: the census for this area "
                        "gives no more detail."
                    )
                    targets[key] = counts.to_dict()
                    continue
                if table.not_answered in counts.index:
                    counts = counts.drop(table.not_answered)
                targets[key] = counts.to_dict()
                if table.has_groups and not broad_only:
                    hierarchy[key] = {c: table.broad[c] for c in counts.index}
        except (BaselineNotFound, AgeBandsNotAligned) as error:
            notes.append(f"{sentence_case(key)} is left out: {error}")
    return targets, hierarchy, top_level, notes


def _question_results(
    *,
    where: ProfileFilter,
    columns: list[str],
    bands: list[tuple[int, int | None]],
    characteristics: list[str],
    rake: RakeResult,
    survey: Survey,
    top_level: dict[str, dict[str, str]],
    margins: SafeMargins,
) -> list[QuestionResult]:
    chosen, answering = answer_cells(where=where, columns=columns, age_bands=bands)
    chosen = margins.apply(census_labelled(chosen, characteristics, AGE_BAND in columns, top_level))
    answering = margins.apply(census_labelled(answering, characteristics, AGE_BAND in columns, top_level))
    used = list(rake.used_columns)
    questions = Question.objects.filter(page__survey=survey, equality_key="").order_by("page__position", "position")
    choices = {c.pk: c.label for c in Choice.objects.filter(question__page__survey=survey)}
    rows = {r.pk: r.label for r in GridRow.objects.filter(question__page__survey=survey)}
    results: list[QuestionResult] = []
    for question in questions:
        mine = chosen[chosen["question_id"] == question.pk]
        ordered_choices = [c.label for c in question.choices.order_by("position")]
        default_scale = question.type == Question.Type.AGREEMENT and not ordered_choices
        if default_scale:
            ordered_choices = [label for _, label in DEFAULT_AGREEMENT_CHOICES]
        if question.type in SINGLE_ANSWER or question.type == Question.Type.GRID:
            row_ids = [None] if question.type != Question.Type.GRID else [r.pk for r in question.grid_rows.all()]
            for row_id in row_ids:
                part = mine if row_id is None else mine[mine["grid_row_id"] == row_id]
                labels = (
                    part["scale_value"].map(dict(DEFAULT_AGREEMENT_CHOICES))
                    if default_scale
                    else part["choice_id"].map(choices)
                )
                part = part.assign(answer=labels)
                if part.empty:
                    continue
                results.append(
                    QuestionResult(
                        question=question.text,
                        row=rows.get(row_id, "") if row_id is not None else "",
                        results=weighted_results(
                            part[[*used, "answer", COUNT]], "answer", rake, count=COUNT, options=ordered_choices
                        ),
                    )
                )
        elif question.type == Question.Type.MULTIPLE_CHOICE:
            denominators = answering[answering["question_id"] == question.pk][[*used, "answering"]]
            if denominators.empty:
                continue
            for choice_id, label in [(c.pk, c.label) for c in question.choices.order_by("position")]:
                selected = mine[mine["choice_id"] == choice_id][[*used, COUNT]]
                both = denominators.merge(selected, on=used, how="left").fillna({COUNT: 0})
                frame = pd.concat(
                    [
                        both[used].assign(answer="Selected", n=both[COUNT]),
                        both[used].assign(answer="Not selected", n=both["answering"] - both[COUNT]),
                    ],
                    ignore_index=True,
                )
                results.append(
                    QuestionResult(
                        question=question.text,
                        row=label,
                        results=weighted_results(
                            frame, "answer", rake, count="n", options=["Selected", "Not selected"]
                        ),
                    )
                )
    return results


@dataclass
class RakedSurvey:
    """A survey's respondents raked to an area's census margins, and what the raking needs to weight answers."""

    survey: Survey
    area_code: str
    area_name: str
    characteristics: list[str]  # the characteristics raked on (census-labelled columns of the cells)
    columns: list[str]  # the profile columns (or "age_band") the cells are counted by
    bands: list[tuple[int, int | None]]
    where: ProfileFilter
    rake: RakeResult
    notes: list[str]
    poststratified: bool
    # A characteristic's detailed labels -> its broad groups, where only those are raked on.
    top_level: dict[str, dict[str, str]] = field(default_factory=dict)
    # For the protected audience: small groups combined or left out (apply it to cells before weights_for).
    margins: SafeMargins = field(default_factory=lambda: SafeMargins(targets={}, hierarchy={}))
    protection: Protection | None = None
    ward_names: dict[str, str] = field(default_factory=dict)  # ward code -> name, for the raking's notes

    def labelled(self, cells: pd.DataFrame) -> pd.DataFrame:
        """Cells counted by `columns`, labelled as they were raked (census labels, small groups combined)."""
        return self.margins.apply(
            census_labelled(cells, self.characteristics, AGE_BAND in self.columns, self.top_level)
        )

    def label_columns(self, key: str) -> tuple[str, ...]:
        """The columns of `columns` that `labelled` reads `key`'s label from (see census_label_columns)."""
        return census_label_columns(key, AGE_BAND in self.columns)

    def summary(self, protection: Any) -> dict[str, Any]:
        """What was raked, and how much precision it cost, as published for `protection`'s audience."""
        return {
            "area": {"code": self.area_code, "name": self.area_name},
            "characteristics": list(self.rake.used_columns),
            "design_effect": protection.design_effect(self.rake.design_effect),
            "effective_sample_size": protection.effective_size(self.rake.effective_sample_size),
        }


class RakeOptions(TypedDict, total=False):
    """survey_rake's options after the survey and the area, which weighting_run passes on as they are
    (their defaults are survey_rake's)."""

    characteristics: Sequence[str]
    cap: float | None
    floor: float | None
    trim: bool
    tol: float
    poststratify_age_sex: bool
    min_cell: int | None
    max_iter: int
    channel: str | None
    submitted_from: dt.datetime | None
    submitted_to: dt.datetime | None
    audience: Audience


@one_reading()  # the profiles the counts are kept from are checked once (decision 42)
def survey_rake(
    *,
    survey: Survey,
    area_code: str,
    characteristics: Sequence[str] = DEFAULT_CHARACTERISTICS,
    cap: float | None = None,
    floor: float | None = None,
    trim: bool = False,
    tol: float = DEFAULT_TOL,
    poststratify_age_sex: bool = False,
    min_cell: int | None = None,
    max_iter: int = 1000,
    channel: str | None = None,
    submitted_from: dt.datetime | None = None,
    submitted_to: dt.datetime | None = None,
    audience: Audience = Audience.PROTECTED,
    least_largest_weight: bool = True,
) -> RakedSurvey:
    """Rake the survey's respondents to the area's census margins (ReportError when it cannot be done).

    `cap` and `floor` bound the weights (multiples of the average) while raking, as R's
    `calibrate(..., bounds=)`, or with `trim` by trimming after raking, as R's `trimWeights`.
    `least_largest_weight`: work out the smallest largest weight any weighting to the margins could have
    (for the diagnostics) even without a cap: a linear programme over the cells, which takes minutes at a
    million responses (tens of thousands of cells); the equality analysis shows no such figure.

    For the protected audience (`representativeness.disclosure.weighting`): counted from the published
    snapshot, and raked only on groups with at least the threshold of respondents whose counts the report
    of the same snapshot shows (`published_groups`).
    """
    protection = protection_for(audience=audience, survey=survey)
    cap, floor, bound_notes = protected_bounds(cap, floor, protection)
    area = area_get(code=area_code)
    if area is None:
        raise ReportError(f"No census area with the code {area_code!r} is loaded.")
    unknown = set(characteristics) - set(WEIGHTABLE)
    if unknown:
        raise ReportError(f"Cannot weight on {', '.join(sorted(unknown))}.")
    asked = set(survey_equality_keys(survey_id=survey.pk))
    wards = respondent_wards_for(survey=survey, area=area, exact=protection.exact)
    notes = list(bound_notes)
    chosen = []
    if wards is not None:
        notes.append(f"Only the respondents who said they live in {area.name} are weighted.")
        characteristics = [key for key in characteristics if key != "area"]
    for key in characteristics:
        needed = {"age": {"date_of_birth"}, "area": {"area"}}.get(key) or set(
            CENSUS_CHARACTERISTICS_BY_KEY[key].columns
        )
        if needed & asked:
            chosen.append(key)
        else:
            notes.append(f"{sentence_case(key)} is left out: the survey does not ask about it.")
    bands = survey_age_bands(survey.minimum_age)
    targets, hierarchy, top_level, target_notes = _targets(
        area=area, characteristics=chosen, survey=survey, bands=bands
    )
    notes += target_notes
    chosen = [k for k in chosen if k in targets]
    poststratified = poststratify_age_sex and "age" in targets and "sex" in targets
    if poststratified:
        try:
            joint = age_sex_band_counts(area_code=area_code, bands=bands)
            targets[("age", "sex")] = {
                (band, sex): float(joint.loc[band, sex]) for band in joint.index for sex in joint.columns
            }
            del targets["age"], targets["sex"]
        except (BaselineNotFound, AgeBandsNotAligned) as error:
            poststratified = False
            notes.append(f"Age and sex are raked separately: no joint age-by-sex census table ({error}).")
    elif poststratify_age_sex:
        notes.append("Age and sex are raked separately: the survey does not ask both.")

    columns: list[str] = []
    for key in chosen:
        if key == "age":
            columns.append(AGE_BAND)
        elif key == "area":
            columns.append("area")
        else:
            columns.extend(CENSUS_CHARACTERISTICS_BY_KEY[key].columns)
    columns = list(dict.fromkeys(columns))
    snapshot = None if protection.exact else published_snapshot(survey=survey)
    where = ProfileFilter(
        survey.pk,
        channel=channel,
        submitted_from=submitted_from,
        submitted_to=submitted_to,
        wards=wards,
        through_id=None if snapshot is None else snapshot.through_profile_id,
    )
    cells = equality_cells(where=where, columns=columns, age_bands=bands) if columns else pd.DataFrame()
    if cells.empty and snapshot is not None and snapshot.responses == 0:
        # Responses have arrived but none is published yet: say so, as the report does, not "no responses".
        raise ReportError(f"{snapshot.note()} Nothing weighted is shown until then.")
    if cells.empty:
        raise ReportError("There are no responses with 'About you' answers to weight.")
    # The cells as raked, labelled: the profile columns they were counted by are let go.
    labelled = census_labelled(cells, chosen, AGE_BAND in columns, top_level)[[*chosen, COUNT]]
    del cells
    published = (
        None
        if snapshot is None
        else published_groups(
            survey=survey,
            area=area,
            keys=chosen,
            top_level=top_level,
            protection=protection,
            where=where,
        )
    )
    ward_names = dict(Area.objects.filter(code__in=list(targets.get("area", {}))).values_list("code", "name"))
    margins = safe_margins(
        labelled,
        targets,
        hierarchy,
        count=COUNT,
        labels=LABELS,
        protection=protection,
        published=published,
    )
    # Raked as categories: the raking's cells, kept with its weights (`RakeResult.cells`), hold a small code
    # per characteristic and cell rather than a reference to a label (decision 45).
    to_rake = margins.apply(labelled).astype(dict.fromkeys(chosen, "category"))
    del labelled
    rake = _rake_or_refuse(
        to_rake,
        margins.targets,
        protection=protection,
        tol=tol,
        cap=cap,
        floor=floor,
        trim=trim,
        hierarchy=margins.hierarchy,
        min_cell=settings.REPRESENTATIVENESS["WEIGHTING_MIN_CELL"] if min_cell is None else min_cell,
        max_iter=max_iter,
        ward_names=ward_names,
        least_largest_weight=least_largest_weight,
    )
    return RakedSurvey(
        survey=survey,
        area_code=area.code,
        area_name=area.name,
        characteristics=chosen,
        columns=columns,
        bands=bands,
        where=where,
        rake=rake,
        notes=([] if snapshot is None else [snapshot.note()]) + notes + margins.notes,
        poststratified=poststratified and not margins.joint_replaced,
        top_level=top_level,
        margins=margins,
        protection=protection,
        ward_names=ward_names,
    )


def _iterations(count: int) -> str:
    """ "1 iteration", "13 iterations"."""
    return f"{count:,} iteration{'' if count == 1 else 's'}"


def published_groups(
    *,
    survey: Survey,
    area: Area,
    keys: Sequence[str],
    top_level: dict[str, dict[str, str]],
    protection: Protection,
    where: ProfileFilter,
) -> PublishedGroups:
    """The groups of `keys` whose counts the protected report of the same snapshot (and filters) shows,
    labelled as the weighting labels them: what the protected audience's weighting may rake on
    (`disclosure.weighting.safe_margins`).

    The report against the survey's default report area: its census fixes which cells every report of
    the snapshot hides (docs/disclosure-control.md). A table that report does not publish (no baseline
    for the default area, or only its top level where `area` has the detailed one, or wards of another
    council) is read from the report against `area`, which hides the same cells of it.
    """
    wanted = {("age", "detailed"), (SEX_BY_AGE, "detailed")}
    for key in keys:
        if key in top_level:
            wanted.add((key, "broad"))
        else:
            wanted |= {(key, "detailed"), (key, "broad")}
    found: dict[tuple[str, str], frozenset[str]] = {}
    for code in dict.fromkeys(c for c in (report_area_default_code(), area.code) if c):
        if wanted <= set(found):
            break
        report_area = area if code == area.code else area_get(code=code)
        if report_area is None:
            continue
        try:
            respondent_wards_for(survey=survey, area=report_area, exact=False)
            population = survey_population(
                survey,
                area=report_area,
                channel=where.channel,
                submitted_from=where.submitted_from,
                submitted_to=where.submitted_to,
                through_id=where.through_id,
            )
            report = population_report(population=population, area_code=report_area.code, protection=protection)
        except ValueError:  # ReportError, or a table the report cannot protect: nothing of it counts as shown
            continue
        for table in [*report.characteristics, *report.intersections]:
            shown = frozenset(str(row["category"]) for row in table.categories if row.get("respondents") is not None)
            found.setdefault((table.key, table.level), shown)
    labels: dict[Any, frozenset[Any]] = {}
    broad: dict[str, frozenset[Any]] = {}
    for key in keys:
        if key == "area":
            codes = survey_area_codes(survey_id=survey.pk)
            names = area_populations(area_codes=codes, minimum_age=survey.minimum_age)["name"].to_dict()
            shown_wards = found.get(("area", "detailed"), frozenset())
            labels[key] = frozenset(c for c in codes if c in names and names[c] in shown_wards)
            continue
        labels[key] = found.get((key, "broad" if key in top_level else "detailed"), frozenset())
        broad[key] = found.get((key, "broad"), frozenset())
    # The joint age-by-sex table: the report's "Female, 16 to 24" is the weighting's ("16 to 24", "Female").
    labels[("age", "sex")] = frozenset(
        (band, sex) for sex, band in (label.split(", ", 1) for label in found.get((SEX_BY_AGE, "detailed"), ()))
    )
    return PublishedGroups(labels=labels, broad=broad)


def _rounded_up(weight: float) -> str:
    """A weight rounded up to two places ("1.60"), so that a cap below it is never said to be possible."""
    return f"{math.ceil(weight * 100) / 100:.2f}"


def _rake_or_refuse(
    cells: pd.DataFrame,
    targets: dict[Any, dict[Any, float]],
    *,
    protection: Protection,
    tol: float,
    cap: float | None,
    floor: float | None,
    trim: bool = False,
    hierarchy: dict[str, dict[str, str]],
    min_cell: int,
    max_iter: int,
    ward_names: dict[str, str] | None = None,
    least_largest_weight: bool = True,
) -> RakeResult:
    """Rake, saying plainly what cannot be done instead of showing figures that do not hold: a cap no
    weighting can meet (checked before raking it), and weights that did not converge. Trimming meets any
    bounds around the average, but is refused when it leaves a group's weighted share more than
    TRIM_TOLERANCE from the census; within it, the diagnostics say how far it moves the margins.

    The refusals name the smallest possible largest weight, how far the weights were from settling and
    the raking's reasons for the exact audience only: each is worked out from the counts (and the reasons
    may name groups), and the protected audience is not shown the weights either.
    """
    detailed = protection.exact
    options = {"count": COUNT, "tol": tol, "hierarchy": hierarchy, "min_cell": min_cell, "max_iter": max_iter}
    rake = rake_cells(cells, targets, **options)  # type: ignore[arg-type]
    if not rake.used_columns:
        reasons = [
            plain_names(ward_named(note, ward_names or {}))
            for note in rake_notes(rake.notes, protection)
            if "left out" in note
        ]
        raise ReportError(
            " ".join(
                [
                    f"These {rake.n:,} responses cannot be weighted: no characteristic is left to weight on.",
                    *reasons,
                    "Weighting needs more responses, or broader characteristics.",
                ]
            )
        )
    # Needed to refuse a cap; otherwise only for the diagnostics, when asked for (`survey_rake`).
    smallest = smallest_max_weight(rake) if least_largest_weight or cap is not None else None
    if trim and (cap is not None or floor is not None):
        trimmed = rake_cells(cells, targets, cap=cap, floor=floor, trim=True, **options)  # type: ignore[arg-type]
        _refuse_far_from_census(trimmed, cap=cap, floor=floor, detailed=detailed, ward_names=ward_names or {})
        return dataclasses.replace(trimmed, smallest_possible_max_weight=smallest)
    if cap is not None and smallest is not None and cap < smallest * (1 - 1e-9):
        figure = f": the smallest possible largest weight is {_rounded_up(smallest)}" if detailed else ""
        raise ReportError(
            f"No weighting to these census figures can keep every weight within {cap:g} times the average{figure}. "
            "Choose no cap, or a higher one, or weight on fewer or broader characteristics; or keep the weights "
            "within it by trimming afterwards, which leaves the figures only near the census. Nothing weighted is "
            "shown."
        )
    if floor is not None and not bounds_feasible(rake, lower=floor, upper=math.inf if cap is None else cap):
        within = f"between {floor:g} and {cap:g}" if cap is not None else f"at least {floor:g}"
        raise ReportError(
            f"No weighting to these census figures can keep every weight {within} times the average. Choose a "
            "lower floor, or weight on fewer or broader characteristics; or keep the weights within it by trimming "
            "afterwards, which leaves the figures only near the census. Nothing weighted is shown."
        )
    if cap is not None or floor is not None:
        rake = rake_cells(cells, targets, cap=cap, floor=floor, **options)  # type: ignore[arg-type]
    if not rake.converged:
        how_far = (
            f": after {_iterations(rake.iterations)} the weighted figures still differ from the census by up to "
            f"{rake.max_margin_error:.1%},"
            if detailed
            else ","
        )
        raise ReportError(
            f"The weighting did not settle{how_far} so no weighted results are shown. "
            "Weight on fewer or broader characteristics."
        )
    return dataclasses.replace(rake, smallest_possible_max_weight=smallest)


def _as_shown(results: WeightedResults, protection: Protection) -> WeightedResults:
    """A question's results as the audience reads them: protected, and a change of leading answer claimed only
    where the intervals as shown (to 0.1% for the exact audience, whole percentages otherwise and in every
    download) are apart."""
    protected = protect_weighted_results(results, protection)
    shown = leader_change_as_shown(protected, 1 if protection.exact else 0)
    if not protection.exact and protected.table["weighted_hidden"].any():
        return dataclasses.replace(shown, notes=[])  # as protect_weighted_results: no note beside a hidden share
    return shown


# Trimmed weights are shown only while every group's weighted share is within this of its census share.
TRIM_TOLERANCE = 0.05


def _refuse_far_from_census(
    rake: RakeResult, *, cap: float | None, floor: float | None, detailed: bool, ward_names: dict[str, str]
) -> None:
    """Refuse trimmed weights whose profile is no longer near the census: some group's weighted share more than
    TRIM_TOLERANCE (5 percentage points) from its census share. The page's heading says "if respondents had
    matched the census"; a profile 5 points off moves an answer's weighted share by at most 5 points times the
    difference between that group's answers and the rest's, usually well inside its interval, and beyond it the
    figures are no longer that answer (the trial's demo, trimmed to 0.3 and 3, was 82.9% off on a ward).

    Percentage points, not a relative error: a group of 1% weighted as 0.5% is 50% off relatively but moves no
    answer by more than half a point. The exact audience is told the worst groups and their shares; the
    protected audience only the characteristics (a trimmed share is worked out from the counts)."""
    margins = rake.margins
    if margins.empty:
        return
    margins = margins[~margins["no_answer"].to_numpy(dtype=bool)].reset_index(drop=True)
    margins = margins.assign(gap=(margins["weighted_share"] - margins["target_share"]).abs())
    far = margins[margins["gap"].to_numpy() > TRIM_TOLERANCE + 1e-12].sort_values("gap", ascending=False)
    if far.empty:
        return
    if detailed:
        worst = "; ".join(
            f"{plain_names(str(row.characteristic))} {ward_named(str(row.category), ward_names)}: "
            f"{row.weighted_share:.1%} weighted, against {row.target_share:.1%} in the census"
            for row in far.head(3).itertuples()
        )
    else:
        keys = list(dict.fromkeys(LABELS.get(str(key), str(key)) for key in far["characteristic"]))
        worst = "some groups of " + (keys[0] if len(keys) == 1 else ", ".join(keys[:-1]) + " and " + keys[-1])
    raise ReportError(
        f"Trimmed to {_bounds_text(floor, cap)} times the average, the weights leave the weighted profile more than "
        f"{TRIM_TOLERANCE * 100:g} percentage points from the census ({worst}), so the results would not be those of "
        "respondents matching the census. Nothing weighted is shown. Choose a higher cap or a lower floor, or weight "
        "on fewer or broader characteristics."
    )


def weighting_run(*, survey: Survey, area_code: str, **options: Unpack[RakeOptions]) -> WeightingResult:
    """Rake the survey's respondents to the area's census margins and weight every closed question.

    For the protected audience (`representativeness.disclosure.weighting`): counted from the published
    snapshot, raked only on groups the report shows with at least the threshold of respondents, results
    rounded.
    """
    raked = survey_rake(survey=survey, area_code=area_code, **options)
    protection = raked.protection
    assert protection is not None  # survey_rake always sets it
    return WeightingResult(
        survey=survey,
        area_code=raked.area_code,
        area_name=raked.area_name,
        characteristics=raked.characteristics,
        rake=raked.rake,
        questions=[
            dataclasses.replace(q, results=_as_shown(q.results, protection))
            for q in _question_results(
                where=raked.where,
                columns=raked.columns,
                bands=raked.bands,
                characteristics=raked.characteristics,
                rake=raked.rake,
                survey=survey,
                top_level=raked.top_level,
                margins=raked.margins,
            )
        ],
        notes=raked.notes,
        poststratified=raked.poststratified,
        protection=protection,
        ward_names=raked.ward_names,
    )
