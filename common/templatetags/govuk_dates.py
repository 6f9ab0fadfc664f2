"""Dates and times as GOV.UK writes them: "4:53pm", "10am", "midday", "Friday 5 June 2026 at 4:53pm".

Django's own "a" format gives "p.m." in British English; the GOV.UK style guide wants "pm", no
full stops, no ":00" on the hour, and "midday" or "midnight" rather than 12pm or 12am.
"""

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.formats import date_format

register = template.Library()


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def govuk_time_text(value: dt.datetime | dt.time) -> str:
    if isinstance(value, dt.datetime):
        value = _local(value).time()
    if (value.hour, value.minute) == (12, 0):
        return "midday"
    if (value.hour, value.minute) == (0, 0):
        return "midnight"
    hour = value.hour % 12 or 12
    minutes = f":{value.minute:02d}" if value.minute else ""
    return f"{hour}{minutes}{'am' if value.hour < 12 else 'pm'}"


@register.filter
def govuk_time(value: dt.datetime | dt.time | None) -> str:
    """4:53pm"""
    return govuk_time_text(value) if value else ""


@register.filter
def govuk_date(value: dt.datetime | dt.date | None) -> str:
    """5 June 2026"""
    if not value:
        return ""
    return date_format(_local(value) if isinstance(value, dt.datetime) else value, "j F Y")


@register.filter
def govuk_datetime(value: dt.datetime | None) -> str:
    """Friday 5 June 2026 at 4:53pm"""
    if not value:
        return ""
    local = _local(value)
    return f"{date_format(local, 'l j F Y')} at {govuk_time_text(local)}"
