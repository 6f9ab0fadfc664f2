"""A stencil is only ever filled with the values it was made for (common/stencils.py, docs/decisions/0036):
markup whose markers a filter changed or cut is refused when the stencil is made, and a variant with a
different number of values is never filled into another variant's stencil
(tests/surveys/test_question_stencils.py)."""

import pytest
from django.template import Context, Template

from common.stencils import Slots, Stencil


def rendered(template: str, slots: Slots, value: str) -> str:
    return Template(template).render(Context({"value": slots.text(value)}))


def test_markup_with_its_markers_intact_fills_in_each_value_escaped():
    slots = Slots()
    stencil = Stencil.from_markup(rendered("<p>{{ value }}</p>", slots, "<b>"), slots)
    assert stencil.fill(slots) == "<p>&lt;b&gt;</p>"


@pytest.mark.parametrize(
    "template",
    [
        "<p>{{ value|truncatechars:6 }}</p>",  # cut: the value would never be filled in
        "<p>{{ value|upper }}</p>",  # changed: the marker no longer reads as one
        '<a href="/?q={{ value|urlencode }}">',
        "<p>{{ value|slice:'1:' }}</p>",
    ],
)
def test_markup_whose_marker_a_filter_changed_is_refused_when_the_stencil_is_made(template):
    slots = Slots()
    markup = rendered(template, slots, "Riverside Park")
    with pytest.raises(ValueError, match="changed in rendering"):
        Stencil.from_markup(markup, slots)


def test_a_marker_of_other_slots_is_refused():
    theirs, mine = Slots(), Slots()
    theirs.text("a")
    markup = rendered("<p>{{ value }}</p>", theirs, "b")  # theirs's second value
    with pytest.raises(ValueError, match="other slots"):
        Stencil.from_markup(markup, mine)


def test_a_private_use_character_an_officer_pasted_is_kept_as_text():
    slots = Slots()
    markup = rendered("<p>\ue000 Map \ue001 {{ value }}</p>", slots, "x")
    assert Stencil.from_markup(markup, slots).fill(slots) == "<p>\ue000 Map \ue001 x</p>"
