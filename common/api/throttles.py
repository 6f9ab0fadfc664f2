"""Throttling for what anyone may do without signing in: submitting responses (API_SUBMISSIONS_PER_HOUR)."""

from rest_framework.throttling import AnonRateThrottle


class AnonymousSubmissions(AnonRateThrottle):
    """Per address, for requests without a signed-in user or token; partners with a token are not limited."""

    scope = "anonymous_submissions"
