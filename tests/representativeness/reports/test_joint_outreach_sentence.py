"""The joint outreach sentence compares the joint figure with the groups' own figures only when they differ."""

from types import SimpleNamespace

from django.template.loader import render_to_string


def _sentence(joint: int, each: list[int]) -> str:
    rows = [{"category": f"G{i}", "outreach_needed": n, "flag": "under_represented"} for i, n in enumerate(each)]
    characteristic = SimpleNamespace(
        label="Ethnic group",
        categories=[],
        joint_outreach_needed=joint,
        outreach_added_up=sum(each),
        **dict.fromkeys(["asked", "answered", "prefer_not_to_say", "skipped", "not_asked"], 100),
    )
    report = SimpleNamespace(notes=[], suppressed=True, characteristics=[characteristic])
    html = render_to_string(
        "representativeness/_report_sections.html",
        {"report": report, "sections": [{"characteristic": characteristic, "outreach": rows, "chart": ""}]},
    )
    start = html.index("To bring all")
    return " ".join(html[start : html.index("</p>", start)].split())


def test_equal_figures_are_not_set_against_each_other():
    # The trial read "takes about 30 more responses ..., not the 30 the figures above add up to".
    assert _sentence(30, [10, 20]) == "To bring all 2 in line together takes about 30 more responses from these groups."


def test_different_figures_say_why_they_differ():
    assert _sentence(240, [100, 100]).startswith(
        "To bring all 2 in line together takes about 240 more responses from these groups, not the 200 the "
        "figures above add up to"
    )
