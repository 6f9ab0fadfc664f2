"""The equality analysis: how each group answered the closed questions, against everyone else.

    from representativeness.equality_analysis import equality_analysis_build
    analysis = equality_analysis_build(survey=survey, audience=Audience.PROTECTED, weighted=False)

Statistics are in representativeness/stats (contingency, rao_scott, group_differences); counting in
the database (surveys.equality.selectors.answer_cells); protection by representativeness.disclosure.
"""

from representativeness.equality_analysis.analysis import EqualityAnalysis
from representativeness.equality_analysis.build import difference_rule_from_settings, equality_analysis_build

__all__ = ["EqualityAnalysis", "difference_rule_from_settings", "equality_analysis_build"]
