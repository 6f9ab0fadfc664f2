"""The equality analysis as data: the stable JSON layout (documented in the README) and flat CSV rows."""

from collections.abc import Iterator
from typing import Any

from representativeness.equality_analysis.analysis import EqualityAnalysis
from representativeness.equality_analysis.intersections import AnalysisIntersections
from representativeness.reports.serialize import CATEGORY_FIELDS, EXTRA_CATEGORY_FIELDS, characteristic_as_dict

JSON_LAYOUT_VERSION = 1
# Per group, in this order; the layout only ever gains fields.
GROUP_FIELDS = (
    "respondents",
    "share",
    "low",
    "high",
    "others_respondents",
    "others_share",
    "others_low",
    "others_high",
    "difference",
    "difference_low",
    "difference_high",
    "p_value",
    "q_value",
    "p_band",
    "q_band",
    "test",
    "flag",
    "suppressed",
)
AGREEMENT_FIELDS = ("net_agreement", "others_net_agreement")
WEIGHTED_FIELDS = ("effective_respondents", "others_effective_respondents")


def _group(group: Any) -> dict[str, Any]:
    figures = group.figures
    row: dict[str, Any] = {"group": group.group, **{f: figures.get(f) for f in GROUP_FIELDS}}
    row.update({f: figures[f] for f in AGREEMENT_FIELDS if f in figures})
    if group.weighted is not None:
        weighted = group.weighted
        row["weighted"] = {
            **{f: weighted.get(f) for f in GROUP_FIELDS if f not in ("respondents", "suppressed")},
            **{f: weighted.get(f) for f in WEIGHTED_FIELDS},
            **{f: weighted[f] for f in AGREEMENT_FIELDS if f in weighted},
        }
        row["weighting_changes_flag"] = group.weighting_changes_flag
    return row


def analysis_as_dict(analysis: EqualityAnalysis, intersections: AnalysisIntersections | None = None) -> dict[str, Any]:
    rule = analysis.rule
    joint = intersections or AnalysisIntersections(None)
    report = joint.report
    return {
        "layout_version": JSON_LAYOUT_VERSION,
        "survey": {"slug": analysis.survey.slug, "title": analysis.survey.title},
        "generated_at": analysis.generated_at.isoformat(),
        "respondents": analysis.respondents,
        "weighted": analysis.weighted,
        "method": {
            "comparison": "each group against everyone else who answered the characteristic",
            "interval": "95% Wilson interval on each share (on the effective sample size when weighted); "
            "Newcombe's hybrid score interval on the difference",
            "test": "Pearson's chi-square, or Fisher's exact test where an expected count is below "
            f"{rule.min_expected:g}; Rao-Scott corrected chi-square (F) when weighted",
            "multiple_testing": "Benjamini-Hochberg across every comparison in the analysis",
            "flag_rule": {"q_threshold": rule.q_threshold, "margin": rule.margin},
            "suppression_threshold": analysis.suppression_threshold,
            "suppressed": analysis.suppressed,
            "audience": "protected" if analysis.suppressed else "exact",
            "weighting": analysis.weighting,
        },
        "findings": [f.text for f in analysis.findings],
        "too_few_to_tell": analysis.too_few_to_tell,
        "weighting_changes": analysis.weighting_changes,
        "notes": [*analysis.notes, *([analysis.weighting_widened] if analysis.weighting_widened else []), *joint.notes],
        "questions": [
            {
                "question": outcome.question,
                "row": outcome.row,
                "kind": str(outcome.kind),
                "answer": outcome.answer,
                "characteristics": [
                    {
                        "key": c.key,
                        "label": c.label,
                        "level": c.level,
                        "respondents": c.respondents,
                        "groups": [_group(g) for g in c.groups],
                    }
                    for c in outcome.characteristics
                ],
            }
            for outcome in analysis.outcomes
        ],
        # Added to layout 1: sex and age together against the census's joint table (TS009), as the report's
        # JSON carries them, and the area they are compared with.
        "intersections_area": None if report is None else {"code": report.area_code, "name": report.area_name},
        "intersections": [] if report is None else [characteristic_as_dict(report, c) for c in joint.characteristics],
    }


CSV_HEADER = (
    "question",
    "row",
    "answer",
    "characteristic",
    "group",
    *GROUP_FIELDS,
    *AGREEMENT_FIELDS,
    *(f"weighted_{f}" for f in (*GROUP_FIELDS[1:-1], *WEIGHTED_FIELDS)),
    "weighting_changes_flag",
)


def analysis_rows(analysis: EqualityAnalysis) -> Iterator[list[Any]]:
    for outcome in analysis.outcomes:
        for characteristic in outcome.characteristics:
            for group in characteristic.groups:
                figures, weighted = group.figures, group.weighted or {}
                yield [
                    outcome.question,
                    outcome.row,
                    outcome.answer,
                    characteristic.label,
                    group.group,
                    *(figures.get(f) for f in GROUP_FIELDS),
                    *(figures.get(f) for f in AGREEMENT_FIELDS),
                    *(weighted.get(f) for f in (*GROUP_FIELDS[1:-1], *WEIGHTED_FIELDS)),
                    group.weighting_changes_flag if group.weighted is not None else None,
                ]


# The command's CSV and the page's CSV and XLSX downloads add these columns for the intersections' rows
# (question, row and answer empty; the characteristic "Sex and age", the group a cell such as "Female, 16
# to 24"; respondents, share, p- and q-values, their bands and suppressed in the columns of the same
# names). Empty on the answers' rows.
INTERSECTION_CSV_FIELDS = (
    "census_table",
    "census_share",
    "ratio",
    "ratio_low",
    "ratio_high",
    "gap",
    "representation_flag",
    "small_count",
    "outreach_needed",
    "responses_to_settle",
)
FILE_HEADER = (*CSV_HEADER, *INTERSECTION_CSV_FIELDS)
_SHARED = {"respondents", "share", "p_value", "q_value", "p_band", "q_band", "suppressed"}
_FROM_CATEGORY = {f: f for f in (*CATEGORY_FIELDS, *EXTRA_CATEGORY_FIELDS)} | {"representation_flag": "flag"}


def file_rows(analysis: EqualityAnalysis, intersections: AnalysisIntersections | None = None) -> Iterator[list[Any]]:
    """The rows of every file of the analysis (FILE_HEADER): the command's CSV and the page's CSV and XLSX
    downloads. Every answer's row, then a row per sex-and-age cell."""
    padding = [None] * len(INTERSECTION_CSV_FIELDS)
    for row in analysis_rows(analysis):
        yield [*row, *padding]
    if intersections is None:
        return
    for characteristic in intersections.characteristics:
        for category in characteristic.categories:
            values: dict[str, Any] = {"characteristic": characteristic.label, "group": category["category"]}
            values.update({f: category.get(f) for f in _SHARED})
            values["census_table"] = characteristic.census_table
            values.update(
                {f: category.get(source) for f, source in _FROM_CATEGORY.items() if f in INTERSECTION_CSV_FIELDS}
            )
            yield [values.get(f) for f in FILE_HEADER]
