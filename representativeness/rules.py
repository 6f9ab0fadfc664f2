"""The flag rule and other statistical conventions, as the deployment's settings set them."""

from django.conf import settings

from representativeness.stats.flags import FlagRule


def flag_rule_from_settings() -> FlagRule:
    config = settings.REPRESENTATIVENESS
    return FlagRule(
        under_ratio=config["UNDER_RATIO"],
        over_ratio=config["OVER_RATIO"],
        q_threshold=config["Q_THRESHOLD"],
        small_count=config["SMALL_COUNT_WARNING"],
        outreach_target=config["OUTREACH_TARGET_RATIO"],
    )
