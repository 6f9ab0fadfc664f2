"""The report as data: the stable JSON layout (documented in the README) and flat rows for CSV and XLSX."""

import json
from collections.abc import Iterable, Iterator
from typing import Any

from representativeness.reports.builder import CENSUS_DATE, CharacteristicReport, Report
from representativeness.stats.comparison import COMPARISON_COLUMNS

JSON_LAYOUT_VERSION = 1
# The stable per-category fields of the JSON layout: the comparison's columns, then whether it was hidden.
CATEGORY_FIELDS = (*COMPARISON_COLUMNS, "suppressed")
# Fields are only ever added to layout 1: p- and q-value bands, which the protected audience gets instead
# of the values themselves.
EXTRA_CATEGORY_FIELDS = (
    "small_count",
    "outreach_needed",
    "responses_to_settle",
    "p_band",
    "q_band",
    # True where no realistic number of responses would settle a "can't tell yet" row (responses_to_settle
    # is then null): it would take more responses than the census counts people.
    "settle_beyond_population",
)
COUNT_FIELDS = ("asked", "answered", "prefer_not_to_say", "skipped", "not_asked")
# Per characteristic, in every output (JSON, CSV and XLSX, the command's CSV): the census base's fit to the
# survey, the joint outreach figure, and the headline's caveats that concern the characteristic.
CHARACTERISTIC_FIELDS = ("census_base_matches_survey", "census_top_level_only", "joint_outreach_needed", "caveats")


def caveats_text(caveats: Iterable[str]) -> str:
    """Caveats as one cell of a flat file (the report's and the weighting's CSV and XLSX): one sentence after
    another, so that the table keeps one row per figure however many there are."""
    return " ".join(caveats)


def _characteristic_fields(report: Report, c: CharacteristicReport) -> list[Any]:
    """CHARACTERISTIC_FIELDS for a flat file: the caveats as one text."""
    return [
        c.census_base_matches_survey,
        c.census_top_level_only,
        c.joint_outreach_needed,
        caveats_text(report.characteristic_caveats(c)),
    ]


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def characteristic_as_dict(report: Report, c: CharacteristicReport) -> dict[str, Any]:
    """One characteristic (or intersection) of the JSON layout; the equality analysis's JSON carries the
    report's intersections in this form too."""
    return {
        "key": c.key,
        "level": c.level,
        "label": c.label,
        "census_table": c.census_table,
        "census_base": c.census_base,
        "census_date": CENSUS_DATE.isoformat(),
        "census_source": c.census_source,
        "census_not_answered_rate": c.census_not_answered_rate,
        "census_base_matches_survey": c.census_base_matches_survey,
        "census_top_level_only": c.census_top_level_only,
        "joint_outreach_needed": c.joint_outreach_needed,
        "caveats": report.characteristic_caveats(c),
        "counts": {name: getattr(c, name) for name in COUNT_FIELDS},
        "goodness_of_fit": c.goodness_of_fit,
        "notes": c.notes,
        "categories": [
            {"category": row["category"], **{f: row.get(f) for f in CATEGORY_FIELDS + EXTRA_CATEGORY_FIELDS}}
            for row in c.categories
        ],
    }


def report_as_dict(report: Report) -> dict[str, Any]:
    rule = report.rule
    return {
        "layout_version": JSON_LAYOUT_VERSION,
        "survey": {"slug": report.survey.slug, "title": report.survey.title},
        "area": {"code": report.area_code, "name": report.area_name},
        "generated_at": report.generated_at.isoformat(),
        "filters": {k: _iso(v) for k, v in report.filters.items()},
        "respondents": report.respondents,
        "headline": report.headline,
        "caveats": report.caveats,
        "method": {
            "interval": f"{rule.confidence:.0%} {rule.interval_method} interval on the share, over the census share",
            "test": "one-sided exact binomial tests in both directions",
            "multiple_testing": "Benjamini-Hochberg across every test in the report",
            "flag_rule": {
                "under_ratio": rule.under_ratio,
                "over_ratio": rule.over_ratio,
                "q_threshold": rule.q_threshold,
                "small_count": rule.small_count,
                "outreach_target_ratio": rule.outreach_target,
            },
            "suppression_threshold": report.suppression_threshold,
            "suppressed": report.suppressed,
            "audience": "protected" if report.suppressed else "exact",
        },
        "notes": report.notes,
        "characteristics": [characteristic_as_dict(report, c) for c in report.characteristics],
        # Two characteristics together against the census's joint table (sex by age, TS009); added to layout 1.
        "intersections": [characteristic_as_dict(report, c) for c in report.intersections],
    }


def report_as_json(report: Report) -> str:
    """The JSON layout as text: what the report command prints and a report's JSON download holds."""
    return json.dumps(report_as_dict(report), indent=2, allow_nan=False)


CSV_HEADER = (
    "characteristic",
    "level",
    "census_table",
    "census_base",
    "category",
    *CATEGORY_FIELDS,
    *EXTRA_CATEGORY_FIELDS,
    *CHARACTERISTIC_FIELDS,
)


def report_rows(report: Report) -> Iterator[list[Any]]:
    """One row per category of every characteristic (then of every intersection), in CSV_HEADER order."""
    for c in [*report.characteristics, *report.intersections]:
        for row in c.categories:
            yield [
                c.label,
                c.level,
                c.census_table,
                c.census_base,
                row["category"],
                *(row.get(f) for f in CATEGORY_FIELDS + EXTRA_CATEGORY_FIELDS),
                *_characteristic_fields(report, c),
            ]


SUMMARY_HEADER = (
    "characteristic",
    "level",
    *COUNT_FIELDS,
    "census_not_answered_rate",
    "chi_square_p_value",
    "chi_square_p_band",
    *CHARACTERISTIC_FIELDS,
)


def report_summary_rows(report: Report) -> Iterator[list[Any]]:
    for c in [*report.characteristics, *report.intersections]:
        fit = c.goodness_of_fit or {}
        yield [
            c.label,
            c.level,
            *(getattr(c, f) for f in COUNT_FIELDS),
            c.census_not_answered_rate,
            fit.get("p_value"),
            fit.get("p_band"),
            *_characteristic_fields(report, c),
        ]
