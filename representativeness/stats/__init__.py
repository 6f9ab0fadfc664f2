"""Pure statistics for representativeness reports (no Django imports in this package)."""

from representativeness.stats.collapse import Collapsed, collapse_to_hierarchy
from representativeness.stats.poststratify import poststratify
from representativeness.stats.raking import RakeResult, kish_design_effect, rake, rake_cells
from representativeness.stats.weighted_results import WeightedResults, weighted_results, wilson_interval

__all__ = [
    "Collapsed",
    "RakeResult",
    "WeightedResults",
    "collapse_to_hierarchy",
    "kish_design_effect",
    "poststratify",
    "rake",
    "rake_cells",
    "weighted_results",
    "wilson_interval",
]
