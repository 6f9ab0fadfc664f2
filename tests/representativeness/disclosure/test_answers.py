"""The counts of a closed question's answers, as the public outcome page, its tables and its CSV give
them: small counts hidden so that they cannot be worked back out from the shown ones and the number who
answered; shares as whole percentages, never for a hidden count."""

import itertools

import pytest

from representativeness.disclosure import Audience, protect_answer_counts, protect_answer_shares, protection_for

PROTECTED = protection_for(audience=Audience.PROTECTED, scope="test")
EXACT = protection_for(audience=Audience.EXACT, scope="test")


def _possible(shown: dict[str, int | None], answered: int, truth: dict[str, int]) -> set[tuple[int, ...]]:
    """Every split of the hidden counts a reader who knows the rules could not rule out: each hidden count
    at least 1 (zeros are shown when the total is not small), all of them adding up to what is left."""
    hidden = [option for option, count in shown.items() if count is None]
    left = answered - sum(count for count in shown.values() if count is not None)
    unlisted = answered - sum(truth.values())
    left -= unlisted
    ranges = [range(1, left + 1)] * len(hidden)
    return {split for split in itertools.product(*ranges) if sum(split) == left}


def test_a_small_count_is_hidden_with_a_complement_so_it_cannot_be_worked_out():
    truth = {"Walton Park": 40, "Longford Park": 3, "Victoria Park": 20}
    shown = protect_answer_counts(truth, answered=63, several=False, name="where", protection=PROTECTED)
    assert shown["Longford Park"] is None
    assert sum(count is None for count in shown.values()) == 2, "one other count hidden beside it"
    splits = _possible(shown, 63, truth)
    longford = list(shown).index("Longford Park")
    hidden_index = [i for i, option in enumerate(shown) if shown[option] is None].index(longford)
    values = {split[hidden_index] for split in splits}
    assert 3 in values and max(values) - min(values) >= 4, "at least five values stay possible"
    shares = protect_answer_shares(shown, answered=63, protection=PROTECTED)
    assert shares["Longford Park"] is None
    assert all(s is None or s == round(s, 2) for s in shares.values()), "whole percentages"


def test_counts_of_ten_or_more_and_zeros_are_shown_and_shares_rounded():
    truth = {"Yes": 52, "No": 21, "Not sure": 0}
    shown = protect_answer_counts(truth, answered=73, several=False, name="agree", protection=PROTECTED)
    assert shown == truth
    assert protect_answer_shares(shown, answered=73, protection=PROTECTED) == {"Yes": 0.71, "No": 0.29, "Not sure": 0.0}


def test_when_fewer_than_ten_answered_every_count_is_hidden_zeros_included():
    truth = {"Yes": 5, "No": 2, "Not sure": 0}
    shown = protect_answer_counts(truth, answered=7, several=False, name="agree", protection=PROTECTED)
    assert shown == {"Yes": None, "No": None, "Not sure": None}


def test_several_answers_each_option_hides_a_small_count_of_people_who_did_or_did_not_choose_it():
    truth = {"Swings": 60, "A slide": 30, "Benches": 4}
    shown = protect_answer_counts(truth, answered=62, several=True, name="wants", protection=PROTECTED)
    # 4 chose benches; 2 did not choose swings (62 - 60), which the count would give away.
    assert shown == {"Swings": None, "A slide": 30, "Benches": None}
    assert protect_answer_shares(shown, answered=62, protection=PROTECTED) == {
        "Swings": None,
        "A slide": 0.48,
        "Benches": None,
    }


def test_the_exact_audience_gets_every_count():
    truth = {"Yes": 5, "No": 2}
    assert protect_answer_counts(truth, answered=7, several=False, name="agree", protection=EXACT) == truth
    assert protect_answer_shares(truth, answered=7, protection=EXACT) == pytest.approx({"Yes": 5 / 7, "No": 2 / 7})
