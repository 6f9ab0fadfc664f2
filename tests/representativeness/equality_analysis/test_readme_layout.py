"""The README's equality_analysis layout against the command's real output: the JSON's fields, the weighted
block's (which is not a copy of the group's), and the CSV's byte-order mark, columns and yes/no cells."""

import csv
import io
import json
import textwrap
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from representativeness.equality_analysis.serialize import INTERSECTION_CSV_FIELDS
from tests.representativeness.reports.conftest import AREA

pytestmark = pytest.mark.django_db

AGREEMENT = ("net_agreement", "others_net_agreement")
ADDED = ("weighted", "weighting_changes_flag")


def _readme_examples() -> list[dict]:
    """The JSON examples of the README's equality_analysis layout, in order (the second indented in a list)."""
    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text()
    section = readme.split("### JSON layout (stable; `layout_version` 1; the figures are an example)")[1]
    section = section.split("\n## ")[0]
    blocks = []
    for piece in section.split("```json\n")[1:]:
        body = piece.split("```")[0]
        blocks.append(json.loads(textwrap.dedent(body)))
    return blocks


def _command(survey, file_format: str) -> str:
    out = StringIO()
    call_command("equality_analysis", survey.slug, "--weighted", "--area", AREA, "--format", file_format, stdout=out)
    return out.getvalue()


def _without(keys, dropped) -> list[str]:
    return [key for key in keys if key not in dropped]


def test_the_readme_documents_the_json_and_its_weighted_block_as_printed(voted):
    layout, weighted_example = _readme_examples()
    data = json.loads(_command(voted, "json"))
    assert list(data) == list(layout)
    group = data["questions"][0]["characteristics"][0]["groups"][0]
    documented = layout["questions"][0]["characteristics"][0]["groups"][0]
    # The group's own fields as documented (net agreement is on an agreement scale's "Agree" only), then the
    # two the weighted output adds after them.
    assert _without(group, (*AGREEMENT, *ADDED)) == _without(documented, AGREEMENT)
    assert list(group)[-2:] == list(weighted_example)[-2:] == list(ADDED)
    # The weighted block, field for field: no group, respondents or suppressed; others_respondents kept.
    assert list(group["weighted"]) == list(weighted_example["weighted"])
    assert {"group", "respondents", "suppressed"}.isdisjoint(group["weighted"])
    assert "others_respondents" in group["weighted"]
    assert group["weighted"]["others_respondents"] == group["others_respondents"]  # people, not weights


def test_the_readme_documents_the_csv_as_printed(voted):
    layout, weighted_example = _readme_examples()
    text = _command(voted, "csv")
    assert text.startswith("\ufeff")  # the byte-order mark, for Excel
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    documented = layout["questions"][0]["characteristics"][0]["groups"][0]
    group_fields = _without(documented, (*AGREEMENT, "group"))
    weighted_fields = _without(weighted_example["weighted"], AGREEMENT)
    assert rows[0] == [
        "question",
        "row",
        "answer",
        "characteristic",
        "group",
        *group_fields,
        *AGREEMENT,
        *(f"weighted_{field}" for field in weighted_fields),
        "weighting_changes_flag",
        *INTERSECTION_CSV_FIELDS,
    ]
    records = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert records and {r["suppressed"] for r in records} <= {"yes", "no"}
    assert {r["weighting_changes_flag"] for r in records} <= {"yes", "no"}
