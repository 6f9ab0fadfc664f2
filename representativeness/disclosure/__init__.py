"""Disclosure control: every figure that leaves for someone without the equality-data permission.

One module protects every figure built from "About you" answers that is shown to someone who may not
see equality data, or that leaves in a file: the report page, its downloads, the weighting page and its
downloads, the commands' default output, and later the API, the equality analysis, engagement-plan
progress and public outcome pages. The model, its parameters and what it does not protect are in
docs/disclosure-control.md.

How to use it (a view, an API endpoint or a command):

    from representativeness import disclosure

    audience = disclosure.audience_for(request.user)   # on screen; a download or public page is
    audience = disclosure.Audience.PROTECTED           # always protected, whoever asks
    protection = disclosure.protection_for(audience=audience, survey=survey)

    mask = protection.mask(counts, groups, always_shown=[total])   # which cells of a table to hide
    protection.share(0.1234)        # 0.12 for the protected audience, 0.1234 for the exact one
    protection.p_band(0.0004)       # "< 0.001"
    protection.effective_size(1087) # 1090
    protection.error_text(error)    # a general message unless the error is marked public

A report-shaped comparison of respondents with the census (or with any target shares) is protected in
one call with `protect_characteristic`; a grid of rows (weeks, activities) by groups of people that may
be nested (a broad group and a detailed one inside it) with `protect_grid`; the counts of a closed
question's answers (the public outcome page) with `protect_answer_counts` and `protect_answer_shares`.
For the exact audience every function returns what it was given.

Counts for the protected audience come from the survey's published snapshot, never the live responses,
so that outputs change only ten or more people at a time:

    snapshot = disclosure.published_snapshot(survey=survey)   # refreshed first if due; may raise
    where = ProfileFilter(survey.pk, through_id=snapshot.through_profile_id)   # SnapshotUnavailable

Weighting for the protected audience goes through `disclosure.weighting` (`safe_margins` before raking,
`protect_weighted_results` after).
"""

from representativeness.disclosure import rounding
from representativeness.disclosure.answers import protect_answer_counts, protect_answer_shares
from representativeness.disclosure.comparison import (
    Level,
    ProtectedCharacteristic,
    family_size,
    protect_characteristic,
    protect_comparison,
    protect_counts,
    protect_goodness_of_fit,
)
from representativeness.disclosure.grid import protect_grid
from representativeness.disclosure.protection import (
    GENERIC_ERROR,
    Audience,
    Protection,
    audience_for,
    protection_for,
    suppression_threshold,
)
from representativeness.disclosure.snapshot import Snapshot, SnapshotUnavailable, published_snapshot
from representativeness.disclosure.suppression import (
    SumGroup,
    characteristic_sum_groups,
    flagged_small,
    suppress_counts,
    suppression_mask,
)

__all__ = [
    "GENERIC_ERROR",
    "Audience",
    "Level",
    "ProtectedCharacteristic",
    "Protection",
    "Snapshot",
    "SnapshotUnavailable",
    "SumGroup",
    "audience_for",
    "characteristic_sum_groups",
    "family_size",
    "flagged_small",
    "protect_answer_counts",
    "protect_answer_shares",
    "protect_characteristic",
    "protect_comparison",
    "protect_counts",
    "protect_goodness_of_fit",
    "protect_grid",
    "protection_for",
    "published_snapshot",
    "rounding",
    "suppress_counts",
    "suppression_mask",
    "suppression_threshold",
]
