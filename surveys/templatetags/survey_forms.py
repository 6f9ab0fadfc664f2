"""Render survey questions with our own small GOV.UK form templates (templates/includes/).

The markup follows the GOV.UK Design System components; the context for each is prepared here so
the templates stay simple: ids, names, values, which options are checked, which error to show.
"""

import functools
import html
import re
from typing import Any

from django import template
from django.template.defaultfilters import linebreaksbr
from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from common.stencils import Slots, Stencil
from common.templatetags.layout import settings_generation
from surveys.forms.naming import answer_name
from surveys.forms.page import AGE_SUFFIX, OTHER_SUFFIX, PNTS_SUFFIX, ROW_SUFFIX, PageForm
from surveys.models import Question
from surveys.selectors import PREFER_NOT_TO_SAY, QuestionSpec

register = template.Library()
Type = Question.Type

TEMPLATES = {
    Type.SHORT_TEXT: "includes/field.html",
    Type.LONG_TEXT: "includes/field.html",
    Type.EMAIL: "includes/field.html",
    Type.NUMBER: "includes/field.html",
    Type.POSTCODE: "includes/field.html",
    Type.DROPDOWN: "includes/field.html",
    Type.SINGLE_CHOICE: "includes/radios.html",
    Type.AGREEMENT: "includes/radios.html",
    Type.MULTIPLE_CHOICE: "includes/checkboxes.html",
    Type.DATE: "includes/date.html",
    Type.DATE_OF_BIRTH: "includes/date.html",
    Type.GRID: "includes/grid.html",
}


def field_context(form: PageForm, name: str, *, show_errors: bool, slots: Slots) -> tuple[dict[str, Any], Any]:
    """A field's name, id, value and error for the templates, the value and error as `slots`; and the
    value itself, for the code that marks what is chosen."""
    bound = form[name]
    errors = list(bound.errors) if show_errors and form.is_bound else []
    value = bound.value()
    field = {
        "name": bound.html_name,
        "id": bound.auto_id,
        "value": slots.text(value),
        "error": slots.text(errors[0]) if slots.fact(errors) else "",
        "error_id": f"{bound.auto_id}-error",
    }
    return field, value


def _selected(value: Any) -> set[str]:
    if value in (None, ""):
        return set()
    if isinstance(value, list | tuple):
        return {str(v) for v in value}
    return {str(value)}


def _options(q: QuestionSpec, field: dict[str, Any], value: Any, slots: Slots, chosen: str) -> list[dict[str, Any]]:
    """The question's options, each marked `chosen` (' checked', ' selected') where the resident chose it."""
    selected = _selected(value)
    options = []
    for i, option in enumerate(q.options):
        is_chosen = option.value in selected
        options.append(
            {
                "value": option.value,
                "label": option.label,
                "group": option.group,
                "id": field["id"] if i == 0 else f"{field['id']}-{i + 1}",
                "chosen": slots.markup(chosen if is_chosen else ""),
                # A checkbox's write-in box is hidden (until JavaScript reveals it) unless the box is ticked.
                "hidden": slots.markup("" if is_chosen else " govuk-checkboxes__conditional--hidden")
                if option.write_in
                else "",
                "write_in": option.write_in,
                "is_other": option.is_other,
                # GOV.UK puts an "or" before "Prefer not to say", set apart from the real answers.
                "divider_before": option.value == PREFER_NOT_TO_SAY and i > 0,
            }
        )
    return options


def _groups(options: list[dict[str, Any]]) -> list[dict[str, Any]]:
    groups: list[dict[str, Any]] = []
    for option in options:
        if not groups or groups[-1]["heading"] != option["group"]:
            groups.append({"heading": option["group"], "options": []})
        groups[-1]["options"].append(option)
    return groups


# Option markup, exactly as a template loop over the options wrote it (tests/surveys/test_page_markup.py):
# a loop in the template was most of a page's server time (issue 9).
SELECT_OPTION = '<option value="{value}"{selected}>{label}</option>'
RADIO = (
    '\n          <div class="govuk-radios__item">'
    '\n            <input class="govuk-radios__input" id="{id}" name="{name}" type="radio" value="{value}"{checked}>'
    '\n            <label class="govuk-label govuk-radios__label" for="{id}">{label}</label>'
    "\n          </div>\n          "
)
# Always shown, not revealed by JavaScript: GOV.UK Frontend marks a revealing radio aria-expanded, which
# the radio role does not support (axe: aria-allowed-attr).
RADIO_WRITE_IN = (
    '\n            \n            <div class="govuk-radios__conditional" id="{conditional_id}">'
    "\n              {write_in}\n            </div>\n          "
)
CHECKBOX = (
    '\n          <div class="govuk-checkboxes__item">'
    '\n            <input class="govuk-checkboxes__input" id="{id}" name="{name}" type="checkbox" value="{value}"'
    "{checked}{exclusive}{controls}>"
    '\n            <label class="govuk-label govuk-checkboxes__label" for="{id}">{label}</label>'
    "\n          </div>\n          "
)
CHECKBOX_WRITE_IN = (
    '\n            <div class="govuk-checkboxes__conditional{hidden}" id="{conditional_id}">'
    "\n              {write_in}\n            </div>\n          "
)
GRID_RADIO = (
    '\n          <div class="govuk-radios__item">'
    '\n            <input class="govuk-radios__input" id="{id}" name="{name}" type="radio" value="{value}"{checked}>'
    '\n            <label class="govuk-label govuk-radios__label" for="{id}">{label}</label>'
    "\n          </div>\n          "
)


def grid_radios(options: list[dict[str, Any]], field: dict[str, Any]) -> SafeString:
    """A grid row's radios (templates/includes/grid.html). Built here, not in the template: a grid is
    rows times options radios, and a template loop over them was most of a grid page's server time."""
    name = conditional_escape(field["name"])
    return mark_safe(
        "".join(
            GRID_RADIO.format(
                id=conditional_escape(o["id"]),
                name=name,
                value=conditional_escape(o["value"]),
                checked=o["chosen"],
                label=conditional_escape(o["label"]),
            )
            for o in options
        )
    )


def select_items(options: list[dict[str, Any]]) -> SafeString:
    """A dropdown's options after "Select an option" (templates/includes/field.html)."""
    return mark_safe(
        "".join(
            SELECT_OPTION.format(
                value=conditional_escape(o["value"]),
                selected=o["chosen"],
                label=conditional_escape(o["label"]),
            )
            for o in options
        )
    )


def _write_in_html(other: dict[str, Any] | None) -> str:
    return render_to_string("includes/write_in.html", {"other": other}) if other and other["inline"] else ""


def radio_items(options: list[dict[str, Any]], field: dict[str, Any], other: dict[str, Any] | None) -> SafeString:
    """One group of radios, with the text box of a write-in option under it (templates/includes/radios.html)."""
    name = conditional_escape(field["name"])
    write_in = _write_in_html(other)
    parts = []
    for o in options:
        parts.append("\n          ")
        if o["divider_before"]:
            parts.append('<div class="govuk-radios__divider">or</div>')
        option_id = conditional_escape(o["id"])
        value, label = conditional_escape(o["value"]), conditional_escape(o["label"])
        parts.append(RADIO.format(id=option_id, name=name, value=value, checked=o["chosen"], label=label))
        if o["write_in"] and write_in:
            parts.append(
                RADIO_WRITE_IN.format(conditional_id=conditional_escape(other["conditional_id"]), write_in=write_in)
            )
        parts.append("\n        ")
    return mark_safe("".join(parts))


def checkbox_items(options: list[dict[str, Any]], field: dict[str, Any], other: dict[str, Any] | None) -> SafeString:
    """One group of checkboxes, with the text box of a write-in option under it
    (templates/includes/checkboxes.html)."""
    name = conditional_escape(field["name"])
    write_in = _write_in_html(other)
    conditional_id = conditional_escape(other["conditional_id"]) if write_in else ""
    parts = []
    for o in options:
        parts.append("\n          ")
        if o["divider_before"]:
            parts.append('<div class="govuk-checkboxes__divider">or</div>')
        reveals = bool(o["write_in"] and write_in)
        parts.append(
            CHECKBOX.format(
                id=conditional_escape(o["id"]),
                name=name,
                value=conditional_escape(o["value"]),
                checked=o["chosen"],
                exclusive=' data-behaviour="exclusive"' if o["divider_before"] else "",
                controls=f' data-aria-controls="{conditional_id}"' if reveals else "",
                label=conditional_escape(o["label"]),
            )
        )
        if reveals:
            parts.append(CHECKBOX_WRITE_IN.format(hidden=o["hidden"], conditional_id=conditional_id, write_in=write_in))
        parts.append("\n        ")
    return mark_safe("".join(parts))


# Stencils kept per question: more than this many variants (captions, errors) and they start again.
MAX_STENCILS_PER_QUESTION = 32


@register.simple_tag(takes_context=True)
def survey_question(context: template.Context, form: PageForm, q: QuestionSpec, heading: bool = False) -> SafeString:
    """One question, as the page heading (a one-question page) or under the page's own heading.

    Its markup is rendered once per variant (heading, caption, which fields show an error) and kept with
    the question in the survey's structure, so a new structure version starts afresh
    (docs/decisions/0036); each request fills in the resident's values and errors (common/stencils.py)."""
    slots = Slots()
    caption = str(context.get("caption", ""))
    show_errors = bool(context.get("show_errors"))
    ctx = question_context(form, q, heading=heading, caption=caption, show_errors=show_errors, slots=slots)
    key = (heading, caption, form.prefix, form.auto_id, slots.key(), settings_generation())
    stencil = q.stencils.get(key)
    if stencil is None:
        stencil = Stencil.from_markup(_question_markup(q, ctx), slots)
        if len(q.stencils) >= MAX_STENCILS_PER_QUESTION:
            q.stencils.clear()
        q.stencils[key] = stencil
    return stencil.fill(slots)


def question_context(
    form: PageForm, q: QuestionSpec, *, heading: bool, caption: str, show_errors: bool, slots: Slots
) -> dict[str, Any]:
    """The question's template context: everything the resident gave (values, what they chose, errors)
    is a slot, and every yes or no taken from it a fact (the stencil's key)."""
    question = q.question
    names = form.field_names(q)
    field = None
    if slots.fact(q.key in form.fields):
        field, value = field_context(form, q.key, show_errors=show_errors, slots=slots)
    ctx: dict[str, Any] = {
        "q": q,
        "question": question,
        "heading": heading,
        "caption": caption,
        "field": field,
        "hint_id": f"{form[names[0]].auto_id}-hint",
        "show_errors": show_errors,
        "multi_line": q.type == Type.LONG_TEXT,
    }
    if field is not None and q.options:
        chosen = " selected" if q.type == Type.DROPDOWN else " checked"
        options = _options(q, field, value, slots, chosen)
        ctx["options"] = options
        ctx["groups"] = _groups(options)
        ctx["has_groups"] = any(o["group"] for o in options)
    if q.key + OTHER_SUFFIX in names:
        other, _ = field_context(form, q.key + OTHER_SUFFIX, show_errors=show_errors, slots=slots)
        write_ins = q.write_in_options
        # One write-in option: its text box appears under it (revealed by JavaScript, shown without).
        # Several (ethnic group has five "Any other ..." options): one text box after the list.
        other["inline"] = len(write_ins) == 1
        # Named for its question: a page can hold two write-ins, and each label must say which it is.
        name = answer_name(question)
        is_other = any(o.is_other for o in write_ins)
        other["label"] = f"Please specify {name}" if is_other else f"Describe {name} (optional)"
        if other["inline"]:
            other["conditional_id"] = f"conditional-{other['id']}"
        ctx["other"] = other
    if q.key + PNTS_SUFFIX in names:
        pnts, ticked = field_context(form, q.key + PNTS_SUFFIX, show_errors=show_errors, slots=slots)
        pnts["checked"] = slots.markup(" checked" if ticked else "")
        ctx["pnts"] = pnts
    if q.key + AGE_SUFFIX in names:
        ctx["age"], _ = field_context(form, q.key + AGE_SUFFIX, show_errors=show_errors, slots=slots)
    if q.type in (Type.DATE, Type.DATE_OF_BIRTH) and field is not None:
        parts = value if isinstance(value, list | tuple) else ["", "", ""]
        # GOV.UK's date input: only the boxes at fault are highlighted.
        at_fault = set(form.error_parts(q.key)) if field["error"] else set()
        ctx["date_parts"] = [
            {
                "part": part,
                "name": f"{field['name']}_{part}",
                "id": f"{field['id']}_{part}",
                "label": part.capitalize(),
                "value": slots.text(parts[i] or ""),
                "width": 4 if part == "year" else 2,
                "error": slots.fact(part in at_fault),
            }
            for i, part in enumerate(("day", "month", "year"))
        ]
    if q.type == Type.GRID:
        rows = []
        for row in q.rows:
            name = f"{q.key}{ROW_SUFFIX}{row.value}"
            row_field, row_value = field_context(form, name, show_errors=show_errors, slots=slots)
            options = _options(q, row_field, row_value, slots, " checked")
            rows.append({"row": row, "field": row_field, "options": options})
        ctx["rows"] = rows
        ctx["grid_error"] = any(r["field"]["error"] for r in rows)
    return ctx


def _question_markup(q: QuestionSpec, ctx: dict[str, Any]) -> str:
    """The question's template rendered with slots in place of the resident's values."""
    field = ctx["field"]
    if q.type == Type.DROPDOWN and field is not None:
        ctx["select_items"] = select_items(ctx.pop("options"))
    elif q.type in (Type.SINGLE_CHOICE, Type.AGREEMENT, Type.MULTIPLE_CHOICE) and field is not None:
        items = checkbox_items if q.type == Type.MULTIPLE_CHOICE else radio_items
        for group in ctx["groups"]:
            group["items"] = items(group["options"], field, ctx.get("other"))
    for row in ctx.get("rows", ()):
        row["radios"] = grid_radios(row["options"], row["field"])
    return render_to_string(TEMPLATES[q.type], ctx)


SUMMARY_ROW = (
    '\n  <div class="govuk-summary-list__row">'
    '\n    <dt class="govuk-summary-list__key">{question}</dt>'
    '\n    <dd class="govuk-summary-list__value">{lines}</dd>'
    '\n    <dd class="govuk-summary-list__actions"><a class="govuk-link" href="{change_url}">Change'
    '<span class="govuk-visually-hidden"> {question_lower}</span></a></dd>'
    "\n  </div>\n  "
)


@register.filter
def summary_list(rows: list[dict[str, Any]]) -> SafeString:
    """A "Check your answers" summary list: its rows, each with its Change link. Built here rather than by
    a template loop over rows and lines, or an include per section, for speed (issue 9)."""
    items = "".join(
        SUMMARY_ROW.format(
            question=_fixed_html(row["question"]),
            lines="<br>".join(_line_html(line) for line in row["lines"]),
            change_url=_fixed_html(row["change_url"]),
            question_lower=_fixed_html(str(row["question"]).lower()),
        )
        for row in rows
    )
    return mark_safe(f'<dl class="govuk-summary-list govuk-!-margin-bottom-9">\n  {items}\n</dl>\n')


SUMMARY_SECTION = '\n      <h2 class="govuk-heading-m">{title}</h2>\n      {summary}\n    '


@register.filter
def summary_sections(sections: list[dict[str, Any]]) -> SafeString:
    """The sections of "Check your answers", each its heading and `summary_list`: the markup a template loop
    over them wrote, without the loop's time (templates/surveys/check.html)."""
    return mark_safe(
        "".join(
            SUMMARY_SECTION.format(title=_fixed_html(section["title"]), summary=summary_list(section["rows"]))
            for section in sections
        )
    )


# A plain string (nearly every question and answer) is escaped as Django's escape does, without its wrappers
# for lazy and safe strings, which cost more than escaping: the same text, a tenth of the time.
def _escaped(value: Any) -> str:
    """`conditional_escape(value)`."""
    return html.escape(value) if type(value) is str else conditional_escape(value)


def _fixed_html(value: Any) -> str:
    """`_escaped(value)` for text that is the same for every resident (a question, a Change link), escaped
    once per process: never a resident's answer, which is not kept."""
    return _escaped_kept(value) if type(value) is str else conditional_escape(value)


@functools.lru_cache(maxsize=4096)
def _escaped_kept(text: str) -> str:
    return html.escape(text)


def _line_html(line: Any) -> str:
    """`linebreaksbr(line, autoescape=True)`: a line of an answer, escaped, its line breaks as <br>."""
    if type(line) is str and "\n" not in line and "\r" not in line:
        return html.escape(line)
    return linebreaksbr(line, autoescape=True)


@register.filter
def error_prefix(title: str, show: bool) -> str:
    return f"Error: {title}" if show else title


@register.filter(needs_autoescape=True)
def govuk_paragraphs(text: str, autoescape: bool = True) -> SafeString:
    """Officer-written text as GOV.UK body paragraphs: blank lines part paragraphs, single newlines break lines."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", str(text or "").replace("\r\n", "\n")) if p.strip()]
    escape = conditional_escape if autoescape else (lambda s: s)
    return mark_safe(
        "".join(f'<p class="govuk-body">{"<br>".join(escape(line) for line in p.splitlines())}</p>' for p in paragraphs)
    )
