"""Who sees exact figures, and the protection applied for everyone else.

`audience_for(user, survey)` turns the access policy's decision (access.policy, "may this person view
equality data for this survey?") into an audience; nothing here checks a permission itself.

A `Protection` carries what protecting a figure needs: the audience, the suppression threshold and the
secret key that orders the choice of complementary cells for one survey. Its methods are the identity
for the exact audience, so a caller writes `protection.share(x)` once and gets the right figure for
whoever is reading.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import pandas as pd
from django.conf import settings
from django.utils.crypto import salted_hmac

from representativeness.disclosure import rounding
from representativeness.disclosure.suppression import (
    FlagWhenSmall,
    SumGroup,
    default_min_uncertainty,
    suppression_mask,
)

_KEY_SALT = "chorus.disclosure.complements"
GENERIC_ERROR = (
    "These figures could not be worked out for the responses so far. Someone with permission to view "
    "equality data can see why."
)


class Audience(StrEnum):
    """Who a figure is for."""

    # On screen, for someone allowed to see equality data; a command run with --exact.
    EXACT = "exact"
    # Everyone else on screen, and every download, API response, public page and default command output.
    PROTECTED = "protected"


def audience_for(user: Any, survey: Any = None) -> Audience:
    """The audience a signed-in person is on screen, for figures about `survey`: exact when the access
    policy lets them view equality data for it, protected otherwise."""
    from access.policy import Action, allowed

    return Audience.EXACT if allowed(user, Action.EQUALITY_DATA_VIEW, survey) else Audience.PROTECTED


def suppression_threshold() -> int:
    """Counts below this are hidden from the protected audience (SUPPRESSION_THRESHOLD, default 10)."""
    return int(settings.REPRESENTATIVENESS["SUPPRESSION_THRESHOLD"])


@dataclass(frozen=True)
class Protection:
    """The protection for one audience and one survey (or other scope of data)."""

    audience: Audience
    threshold: int
    key: bytes = b""

    @property
    def exact(self) -> bool:
        return self.audience is Audience.EXACT

    @property
    def min_uncertainty(self) -> int:
        return default_min_uncertainty(self.threshold)

    def mask(
        self,
        counts: pd.Series,
        groups: Iterable[SumGroup],
        *,
        always_shown: Collection[Hashable] = (),
        flag_when_small: FlagWhenSmall = (),
        cost: Callable[[Hashable], float] | None = None,
        implied_by_shown: bool = False,
        unpublished: Collection[Hashable] = (),
    ) -> pd.Series:
        """Which counts of a table to hide (all False for the exact audience). See `suppression`."""
        if self.exact:
            return pd.Series(False, index=counts.index, name="suppressed")
        return suppression_mask(
            counts,
            groups,
            threshold=self.threshold,
            always_shown=always_shown,
            key=self.key,
            flag_when_small=flag_when_small,
            min_uncertainty=self.min_uncertainty,
            cost=cost,
            implied_by_shown=implied_by_shown,
            unpublished=unpublished,
        )

    # Derived figures: exact for the exact audience, rounded (see `rounding`) for everyone else.
    def share(self, value: float | None) -> float | None:
        return value if self.exact else rounding.whole_percent(value)

    def ratio(self, value: float | None) -> float | None:
        return value if self.exact else rounding.two_places(value)

    def statistic(self, value: float | None) -> float | None:
        return value if self.exact else rounding.one_place(value)

    def design_effect(self, value: float | None) -> float | None:
        return value if self.exact else rounding.one_place(value)

    def effective_size(self, value: float | None) -> float | None:
        return value if self.exact else rounding.nearest_ten(value)

    def outreach(self, value: float | None) -> float | None:
        return value if self.exact else rounding.outreach_target(value)

    def p_value(self, value: float | None) -> float | None:
        """The exact p- or q-value, or None for the protected audience (who get `p_band`)."""
        return value if self.exact else None

    def p_band(self, value: float | None) -> str | None:
        return rounding.p_band(value)

    def error_text(self, error: Exception) -> str:
        """An error's message, or a general one for the protected audience unless the error is public.

        An error is public when its class says so (`public = True`): its message was written not to
        name any category, count or person. Anything else (a statistics library's ValueError naming
        the categories it could not place, say) could name a hidden category.
        """
        if self.exact or getattr(error, "public", False):
            return str(error)
        return GENERIC_ERROR


def protection_for(*, audience: Audience, survey: Any = None, scope: str | None = None) -> Protection:
    """The protection for an audience reading figures about `survey` (or another named `scope`).

    The key is derived from SECRET_KEY and the survey, so complements are chosen the same way each
    time a survey's table is published, and differently (and unpredictably) from one survey to the next.
    """
    name = scope if scope is not None else (f"survey:{survey.pk}" if survey is not None else "")
    return Protection(
        audience=audience,
        threshold=suppression_threshold(),
        key=salted_hmac(_KEY_SALT, name, algorithm="sha256").digest(),
    )
