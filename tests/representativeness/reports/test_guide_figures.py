"""A guide figure (responses that would settle a finding) reads the same to an analyst, who sees it exact,
and in the protected page and downloads, where it is first taken to the nearest 10."""

import pytest

from representativeness.disclosure import rounding
from representativeness.templatetags.report_format import about


@pytest.mark.parametrize("exact", [285, 1245, 1250, 4983430, 105, 350_004])
def test_exact_and_protected_figures_read_alike(exact):
    # Below 100 the protected figure is to the nearest 10 for disclosure control (7 reads "about 10").

    assert about(exact) == about(rounding.outreach_target(exact))


def test_figures_are_rounded_half_up():
    assert about(285) == "290"  # the trial saw "about 280" for the analyst and 290 protected
    assert about(1245) == "1,300" and about(1234) == "1,200" and about(507) == "510" and about(7) == "7"
