"""A characteristic with one group only (a young people's group of one age, a file naming one category):
the number who answered is that group's count, so both are hidden together, never a 500 (issue 15's trial:
`cannot protect hidden cell ('age', 'detailed', '16 to 16')`)."""

from itertools import product

import pandas as pd
import pytest

from representativeness.disclosure import Audience, Level, protect_characteristic, protection_for
from representativeness.rules import flag_rule_from_settings
from representativeness.stats.comparison import compare_characteristic


def _published(respondents: pd.Series, counts: dict, total: int):
    census = pd.Series(1000.0, index=respondents.index)
    table = compare_characteristic(respondents, census, rule=flag_rule_from_settings())
    return protect_characteristic(
        name="age",
        levels={"detailed": Level(respondents=respondents, census=census, table=table)},
        broad_parts=None,
        counts=counts,
        total=total,
        rule=flag_rule_from_settings(),
        family_size=2,
        protection=protection_for(audience=Audience.PROTECTED, scope="one-group"),
    )


def test_a_single_small_group_and_the_number_who_answered_are_hidden_and_cannot_be_worked_out():
    # Ten people counted; three gave an age, all 16 (the only band); seven gave none.
    counts = {"asked": 10, "answered": 3, "prefer_not_to_say": 0, "skipped": 7, "not_asked": 0}
    published = _published(pd.Series({"16 to 16": 3}), counts, total=10)
    table = published.tables["detailed"]
    assert table.loc["16 to 16", "suppressed"] and table.loc["16 to 16", "respondents"] is None
    shown = published.counts
    assert shown["answered"] is None and shown["skipped"] is None

    # The attacker: every value of the hidden counts that agrees with everything published.
    fields = [f for f in ("asked", "answered", "prefer_not_to_say", "skipped", "not_asked") if shown[f] is None]
    possible = set()
    for values in product(range(11), repeat=len(fields)):
        guess = {**{f: v for f, v in shown.items() if v is not None}, **dict(zip(fields, values, strict=True))}
        if guess["asked"] + guess["not_asked"] == 10 and guess["asked"] == (
            guess["answered"] + guess["prefer_not_to_say"] + guess["skipped"]
        ):
            possible.add(guess["answered"])  # the only group's count is the number who answered
    assert 3 in possible and max(possible) - min(possible) >= 4


def test_a_single_group_of_ten_or_more_is_shown():
    counts = {"asked": 12, "answered": 12, "prefer_not_to_say": 0, "skipped": 0, "not_asked": 0}
    published = _published(pd.Series({"16 to 16": 12}), counts, total=12)
    assert published.tables["detailed"].loc["16 to 16", "respondents"] == 12
    assert published.counts["answered"] == 12


@pytest.mark.parametrize("answered", [1, 5, 9])
def test_a_single_small_group_of_everyone_is_hidden_without_an_error(answered):
    counts = {"asked": answered, "answered": answered, "prefer_not_to_say": 0, "skipped": 0, "not_asked": 0}
    published = _published(pd.Series({"16 to 16": answered}), counts, total=answered)
    assert published.tables["detailed"].loc["16 to 16", "respondents"] is None
    assert published.counts["answered"] is None
