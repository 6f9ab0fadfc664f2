"""Markup rendered once with markers where a resident's values go, and filled in on every request.

Rendering a survey question's template (several includes, a dozen conditions) cost more than the rest
of its page's work (issue 9), yet all of it but the resident's values and errors is the same for
everyone who sees the question. A `Slots` collects, in order, the escaped text of each value the
markup shows, and the yes/no facts that choose a template branch (whether a field has an error). The
template is rendered once with markers in place of the values; the result, split at the markers, is
a `Stencil`, kept by its caller under a key that includes the facts and the number of values
(`Slots.key`). Filling it joins its fixed text with this request's values, so the resident's values
never enter what is kept.

A marker carries a random token made when the process starts: no text an officer or a resident
writes can pass for one.
"""

import html
import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.template import Context
from django.template.base import render_value_in_context
from django.utils.safestring import SafeString

_TOKEN = secrets.token_hex(8)
_OPEN, _CLOSE = "\ue000", "\ue001"
_MARKER = re.compile(f"{_OPEN}{_TOKEN}([0-9]+){_CLOSE}")
# What is left of a marker a filter changed (upper, urlencode) or cut (truncatechars, slice). Not the
# private-use characters alone, which an officer's pasted text could hold.
_RESIDUE = re.compile(f"(?i){_TOKEN}|{_OPEN}[0-9a-f]|[0-9]{_CLOSE}")
# How `{{ value }}` shows a value in an autoescaped template.
_SHOWN = Context(autoescape=True)


class Slots:
    """The places in one rendering that depend on the resident, and their values this time."""

    def __init__(self) -> None:
        self.values: list[str] = []
        self.facts: list[bool] = []

    def text(self, value: Any) -> SafeString:
        """A value shown as text, as `{{ value|default_if_none:'' }}` shows it (escaped)."""
        if value is None:
            return self._slot("")
        if type(value) is str:  # most values: what `render_value_in_context` gives a plain str
            return self._slot(html.escape(value))
        return self._slot(render_value_in_context(value, _SHOWN))

    def markup(self, html: str) -> SafeString:
        """Markup the code chose by the resident's answer, such as ' checked': never their own text."""
        return self._slot(html)

    def fact(self, value: Any) -> bool:
        """A yes or no that chooses what the markup holds (an error shown or not): part of the stencil's key."""
        self.facts.append(bool(value))
        return bool(value)

    def key(self) -> tuple[int, tuple[bool, ...]]:
        """What a stencil kept for these slots must be kept under, beside the caller's own: the facts, and
        how many values there are, so a stencil is only ever filled with as many values as it was made for."""
        return len(self.values), tuple(self.facts)

    def _slot(self, text: str) -> SafeString:
        values = self.values
        values.append(text)
        index = len(values) - 1
        return _MARKERS[index] if index < len(_MARKERS) else _marker(index)


def _marker(index: int) -> SafeString:
    return SafeString(f"{_OPEN}{_TOKEN}{index}{_CLOSE}")


# The first markers, made once: a page's questions hold up to a few dozen slots each.
_MARKERS = tuple(_marker(index) for index in range(256))


@dataclass(frozen=True)
class Stencil:
    fixed: tuple[str, ...]  # the markup between the slots: one more than `slots`
    slots: tuple[int, ...]  # which of the Slots' values goes in each gap

    @classmethod
    def from_markup(cls, html: str, slots: Slots) -> "Stencil":
        """Markup rendered with `slots`' markers in place of its values.

        Checked once, here, never when filled: every marker must name one of `slots`' values, and none may
        be left in the fixed text (a filter that cut or changed one would leave the marker's characters
        where the resident's value belongs). ValueError otherwise."""
        pieces = _MARKER.split(html)
        stencil = cls(fixed=tuple(pieces[0::2]), slots=tuple(int(i) for i in pieces[1::2]))
        if any(index >= len(slots.values) for index in stencil.slots):
            raise ValueError("The markup holds a marker of other slots than those it was rendered with.")
        if any(_RESIDUE.search(fixed) for fixed in stencil.fixed):
            raise ValueError("The markup holds a marker that was changed in rendering, so no value can replace it.")
        return stencil

    def fill(self, slots: Slots) -> SafeString:
        values = slots.values
        parts = [self.fixed[0]]
        for index, fixed in zip(self.slots, self.fixed[1:], strict=True):
            parts.append(values[index])
            parts.append(fixed)
        return SafeString("".join(parts))
