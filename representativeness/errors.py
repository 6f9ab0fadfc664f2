"""Errors the report and the weighting raise when they cannot be built as asked."""


class ReportError(ValueError):
    """The report cannot be built as asked (unknown area, no baselines); the message says why.

    Its messages name no category, count or person, so they are shown to everyone (see
    `disclosure.Protection.error_text`); a subclass whose message could do so sets `public = False`.
    """

    public = True


class CensusMismatch(ReportError):
    """Respondents' answers map to census categories the census table does not have: a bug, not bad input."""

    public = False  # the message names the categories, which may be hidden ones
