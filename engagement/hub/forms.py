"""Forms for the hub: residents' search and filters; officers' listing, documents and events."""

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils import timezone

from common.forms import DatePartsField
from engagement.hub.selectors import MAX_QUERY_LENGTH, STATUS_LABELS, HubFilters, areas_all, topics_in_use
from engagement.models import Event, Topic
from surveys.models import ResidenceArea

_TIME = re.compile(r"^\s*(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?\s*$", re.IGNORECASE)


_QUERY_PROBLEMS = {
    "max_length": (
        f"Search must be {MAX_QUERY_LENGTH} characters or fewer: we searched for the first {MAX_QUERY_LENGTH}"
    ),
    "null_characters_not_allowed": "Search must not include a null character: we searched without it",
}


def _query_searchable(text: str) -> str:
    """What can be searched for of a search the form refused: its start, without null characters (which
    PostgreSQL cannot compare text with)."""
    return text.replace("\x00", "")[:MAX_QUERY_LENGTH]


class HubSearchForm(forms.Form):
    """Read from the query string: a bad value is dropped, never an error page."""

    q = forms.CharField(label="Search consultations", required=False, max_length=MAX_QUERY_LENGTH)
    topic = forms.ChoiceField(label="Topic", required=False)
    area = forms.ChoiceField(label="Area or ward", required=False)
    status = forms.MultipleChoiceField(
        label="Status", required=False, choices=list(STATUS_LABELS.items()), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", "All topics"), *((t.slug, t.name) for t in topics_in_use())]
        self.fields["area"].choices = [("", "All areas"), *((a.code, a.name) for a in areas_all())]

    def problems(self) -> list[dict[str, str]]:
        """What was wrong with the search, for the error summary: each bad value is dropped (or a long
        search cut short) and the page says so, rather than silently showing everything."""
        if not self.is_bound:
            return []
        self.is_valid()
        said = {
            "q": _QUERY_PROBLEMS["null_characters_not_allowed"]
            if self.has_error("q", "null_characters_not_allowed")
            else _QUERY_PROBLEMS["max_length"],
            "topic": "Select a topic from the list: the topic in the link is not one, so every topic is shown",
            "area": "Select an area or ward from the list: the one in the link is not one, so every area is shown",
            "status": "Select a status from the list: the status in the link is not one, so it was left out",
        }
        return [{"text": said[name], "href": f"#id_{name}"} for name in self.fields if name in self.errors]

    def filters(self) -> HubFilters:
        if not self.is_bound:
            return HubFilters()
        self.is_valid()
        data = {name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}
        if "q" in self.errors:  # too long, or a null character: searched for what can be, and the resident is told
            data["q"] = _query_searchable(str(self.data.get("q", "")))
        return HubFilters(
            query=(data.get("q") or "").strip(),
            topic=data.get("topic") or "",
            area=data.get("area") or "",
            statuses=tuple(data.get("status") or ()),
        )


class ListingForm(forms.Form):
    topic = forms.ModelChoiceField(
        label="Topic", queryset=Topic.objects.order_by("name"), required=False, empty_label="No topic"
    )
    areas = forms.ModelMultipleChoiceField(
        label="Wards",
        queryset=ResidenceArea.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The wards it is about. Leave them all unticked for a consultation for the whole area.",
    )
    return_address = forms.CharField(
        label="Return address for paper forms",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Printed on the paper form. One line per line of the address.",
    )
    contact_phone = forms.CharField(
        label="Phone number for help", required=False, max_length=40, help_text="Printed on the paper form."
    )


class DocumentForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Enter the document's title"})
    description = forms.CharField(
        label="What it is", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    file = forms.FileField(
        label="File",
        help_text="A PDF, Word (DOCX), OpenDocument text (ODT), PNG or JPEG file.",
        error_messages={"required": "Select a file", "empty": "The selected file is empty"},
    )


class DocumentChangeForm(DocumentForm):
    """The same as adding one, with the file optional: without one, the document keeps its file."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].required = False
        self.fields["file"].label = "Replace the file (optional)"
        self.fields["file"].help_text = (
            "Leave this empty to keep the current file. A new file must be a PDF, Word (DOCX), OpenDocument "
            "text (ODT), PNG or JPEG file."
        )


def time_text(moment: dt.datetime) -> str:
    """A time as the event form takes it back: "10am", "12:30pm"."""
    local = timezone.localtime(moment)
    minutes = f":{local.minute:02d}" if local.minute else ""
    return f"{local.hour % 12 or 12}{minutes}{'am' if local.hour < 12 else 'pm'}"


def time_parse(text: str) -> dt.time | None:
    """A time as people type it: "10:30", "14.00", "2pm", "2:30 pm"; None if it is not one."""
    match = _TIME.match(text or "")
    if not match:
        return None
    hour, minute, half = int(match[1]), int(match[2] or 0), (match[3] or "").lower()
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


class EventForm(forms.Form):
    title = forms.CharField(label="What it is", max_length=200, error_messages={"required": "Enter what the event is"})
    day = DatePartsField(label="Date of the event")
    starts = forms.CharField(label="Start time", max_length=10, help_text="For example, 10am or 14:30")
    ends = forms.CharField(label="End time", max_length=10, help_text="For example, 12pm or 16:00")
    place = forms.CharField(
        label="Place",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The venue and its address.",
        error_messages={"required": "Enter where the event is"},
    )
    accessibility = forms.CharField(
        label="Accessibility",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Step-free access, hearing loop, accessible toilets, parking, BSL interpretation.",
    )

    @classmethod
    def initial_from(cls, event: Event) -> dict[str, Any]:
        return {
            "title": event.title,
            "day": timezone.localtime(event.starts_at).date(),
            "starts": time_text(event.starts_at),
            "ends": time_text(event.ends_at),
            "place": event.place,
            "accessibility": event.accessibility,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["starts"].error_messages["required"] = "Enter the start time"
        self.fields["ends"].error_messages["required"] = "Enter the end time"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        times = {}
        for name, label in (("starts", "Start time"), ("ends", "End time")):
            if name in cleaned:
                parsed = time_parse(cleaned[name])
                if parsed is None:
                    self.add_error(name, f"{label} must be a real time, like 10am or 14:30")
                times[name] = parsed
        day = cleaned.get("day")
        if day and times.get("starts") and times.get("ends"):
            zone = timezone.get_current_timezone()
            cleaned["starts_at"] = dt.datetime.combine(day, times["starts"], tzinfo=zone)
            cleaned["ends_at"] = dt.datetime.combine(day, times["ends"], tzinfo=zone)
            if cleaned["ends_at"] <= cleaned["starts_at"]:
                self.add_error("ends", "End time must be after the start time")
        return cleaned
