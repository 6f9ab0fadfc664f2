"""Markup rendered once with markers where a resident's values go, and filled in on every request.

Rendering a survey question's template (several includes, a dozen conditions) cost more than the rest
of its page's work (issue 9), yet all of it but the resident's values and errors is the same for
everyone who sees the question. A `Slots` collects, in order, the escaped text of each value the
markup shows, and the yes/no facts that choose a template branch (whether a field has an error). The
template is rendered once with markers in place of the values; the result, split at the markers, is
a `Stencil`, kept by its caller under a key that includes the facts. Filling it joins its fixed text
with this request's values, so the resident's values never enter what is kept.

A marker carries a random token made when the process starts: no text an officer or a resident
writes can pass for one.
"""

import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.template import Context
from django.template.base import render_value_in_context
from django.utils.safestring import SafeString, mark_safe

_TOKEN = secrets.token_hex(8)
_MARKER = re.compile(f"\ue000{_TOKEN}([0-9]+)\ue001")
# How `{{ value }}` shows a value in an autoescaped template.
_SHOWN = Context(autoescape=True)


class Slots:
    """The places in one rendering that depend on the resident, and their values this time."""

    def __init__(self) -> None:
        self.values: list[str] = []
        self.facts: list[bool] = []

    def text(self, value: Any) -> SafeString:
        """A value shown as text, as `{{ value|default_if_none:'' }}` shows it (escaped)."""
        return self._slot(render_value_in_context("" if value is None else value, _SHOWN))

    def markup(self, html: str) -> SafeString:
        """Markup the code chose by the resident's answer, such as ' checked': never their own text."""
        return self._slot(html)

    def fact(self, value: Any) -> bool:
        """A yes or no that chooses what the markup holds (an error shown or not): part of the stencil's key."""
        self.facts.append(bool(value))
        return bool(value)

    def _slot(self, html: str) -> SafeString:
        self.values.append(html)
        return mark_safe(f"\ue000{_TOKEN}{len(self.values) - 1}\ue001")


@dataclass(frozen=True)
class Stencil:
    fixed: tuple[str, ...]  # the markup between the slots: one more than `slots`
    slots: tuple[int, ...]  # which of the Slots' values goes in each gap

    @classmethod
    def from_markup(cls, html: str) -> "Stencil":
        """Markup rendered with a Slots' markers in place of its values."""
        pieces = _MARKER.split(html)
        return cls(fixed=tuple(pieces[0::2]), slots=tuple(int(i) for i in pieces[1::2]))

    def fill(self, slots: Slots) -> SafeString:
        values = slots.values
        parts = [self.fixed[0]]
        for index, fixed in zip(self.slots, self.fixed[1:], strict=True):
            parts.append(values[index])
            parts.append(fixed)
        return mark_safe("".join(parts))
