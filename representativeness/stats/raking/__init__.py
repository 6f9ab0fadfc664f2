"""Raking (iterative proportional fitting) on aggregated cells.

Raking adjusts respondent weights until the weighted distribution of each characteristic (age band,
sex, ethnic group, ...) matches the census. Every respondent with the same combination of raking
characteristics (and the same base weight) ends up with the same weight, so it is exact to rake the
*cells* - the distinct combinations, with their respondent counts - rather than the rows. The cost
of the iterations then depends on the number of cells (at most the product of the category counts,
usually far fewer), not on the number of respondents, and the cells can come straight from a SQL
``GROUP BY``.

Two entry points share one engine:

* :func:`rake` takes one row per respondent (a DataFrame of category labels), aggregates it into
  cells with integer arithmetic on category codes, rakes the cells and maps the result back to rows.
* :func:`rake_cells` takes the cells themselves (characteristic columns plus a respondent count).

Conventions (see docs/domain.md, "Weighting"):

* Targets are counts or shares per category; each characteristic is normalised to shares.
* A missing answer (NaN) is its own level whose target is its observed (base-weighted) share, so
  those respondents are neither up- nor down-weighted on that characteristic; the answered levels
  share the rest in census proportions.
* A census category with no respondents cannot be weighted up. It is reported; the characteristic
  is collapsed along ``hierarchy`` when one is given, otherwise left out. A joint target (tuple key)
  with an empty cell is replaced by its one-way margins.
* A key that is a tuple of column names is a joint target (post-stratification cells, e.g. age band
  by sex); see also :func:`representativeness.stats.poststratify.poststratify`.
* Convergence: the largest relative margin error ``|weighted - target| / target`` over every
  category must be at most ``tol``. Non-convergence is reported in the result, never raised.
* Weights are returned with mean 1 over respondents.
* ``cap`` (a multiple of the mean weight) is enforced inside every raking step, which is the fixed
  point of "cap, re-rake, repeat": no weight ever exceeds it. If the cap is too tight for the
  targets, the rake reports non-convergence with the remaining margin error.
* Design effect is Kish's ``n * sum(w^2) / (sum w)^2`` over respondents; effective n = n / deff.

Parts: ``cells`` (targets, coding categories, grouping rows into cells), ``collapsing`` (census
categories without respondents), ``fitting`` (the iterations, the cap, the diagnostics), ``result``
and ``entry_points``. No Django imports here: these are pure functions on pandas objects.
"""

from representativeness.stats.raking.entry_points import rake, rake_cells
from representativeness.stats.raking.result import RakeResult, kish_design_effect

__all__ = ["RakeResult", "kish_design_effect", "rake", "rake_cells"]
