"""What a weekly park visitor answers on each page of the demo consultation (surveys/demo.py): one copy for
the tests and the benchmarks. Plain data, with no Django import, so the load benchmark's driver can use it."""

from typing import Any

# The demo consultation's pages: step -> fields a weekly visitor fills in.
WEEKLY_VISITOR_PAGES: dict[str, dict[str, Any]] = {
    "1": {"visit_frequency": "weekly"},
    "3": {
        "main_park": "longford_park",
        "activities": ["walking", "other"],
        "activities__other": "Parkrun",
        "facilities__row_paths": "good",
        "facilities__row_toilets": "poor",
        "facilities__row_play_areas": "dont_know",
        "facilities__row_lighting": "adequate",
        "facilities__row_cafe": "good",
    },
    "4": {"walk_minutes": "10", "last_visit_day": "1", "last_visit_month": "5", "last_visit_year": "2026"},
    "5": {"plant_trees": "strongly_agree", "meadows": "agree", "comments": "More bins, please."},
    "6": {"updates": "yes"},
    "7": {"email": "resident@example.com"},
    "8": {"postcode": "M32 0TH"},
}
