"""Errors the report and the weighting raise when they cannot be built as asked."""


class ReportError(ValueError):
    """The report cannot be built as asked (unknown area, no baselines); the message says why."""
