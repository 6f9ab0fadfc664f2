"""Render a Django form field with GOV.UK Design System markup (templates/fields/):

    {% load govuk_fields %}
    {% govuk_field form.title %}                       label, hint (help_text), error, input
    {% govuk_field form.title heading=True %}          the label is the page's <h1>
    {% govuk_field form.code width="10" %}             govuk-input--width-10

The kind of markup follows the widget: text and number inputs, textareas, selects, radios,
checkboxes, a single checkbox, and the three-box date (common.forms.DatePartsField). Errors are
linked from the summary by the field's id (common.templatetags.form_errors.error_links).
"""

from typing import Any

from django import forms, template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from common.forms import DatePartsWidget

register = template.Library()


def _kind(widget: forms.Widget) -> str:
    if isinstance(widget, DatePartsWidget):
        return "date"
    if isinstance(widget, forms.CheckboxSelectMultiple):  # a subclass of RadioSelect: ask first
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    return "input"


def _selected(value: Any) -> set[str]:
    if value in (None, ""):
        return set()
    if isinstance(value, list | tuple):
        return {str(v) for v in value}
    return {str(value)}


@register.simple_tag
def govuk_field(bound: forms.BoundField, heading: bool = False, width: str = "", label_size: str = "s") -> SafeString:
    widget = bound.field.widget
    kind = _kind(widget)
    value = bound.value()
    field_id = bound.auto_id
    context: dict[str, Any] = {
        "field": bound,
        "id": field_id,
        "name": bound.html_name,
        "label": bound.label,
        "hint": bound.help_text,
        "hint_id": f"{field_id}-hint",
        "error": bound.errors[0] if bound.errors else "",
        "error_id": f"{field_id}-error",
        "heading": heading,
        "label_size": "l" if heading else label_size,
        "width": width,
        "value": "" if value is None else value,
        "input_type": getattr(widget, "input_type", "text"),
        "attrs": widget.attrs,
        # A field needed or not depending on another (its clean says which) sets label_optional = False.
        "optional": getattr(bound.field, "label_optional", not bound.field.required)
        and kind not in ("checkbox", "checkboxes"),
    }
    if kind in ("radios", "checkboxes", "select"):
        selected = _selected(value)
        context["options"] = [
            {
                "value": str(option_value),
                "label": option_label,
                "id": field_id if i == 0 else f"{field_id}-{i + 1}",
                "checked": str(option_value) in selected,
            }
            for i, (option_value, option_label) in enumerate(bound.field.choices)  # type: ignore[attr-defined]
        ]
    if kind == "checkbox":
        context["checked"] = bool(bound.field.widget.check_test(value))  # type: ignore[attr-defined]
    if kind == "date":
        parts = value if isinstance(value, list | tuple) else widget.decompress(value)
        context["parts"] = [
            {
                "name": f"{bound.html_name}_{i}",
                "id": f"{field_id}_{i}",
                "label": label,
                "value": "" if parts[i] is None else parts[i],
                "width": 4 if i == 2 else 2,
            }
            for i, label in enumerate(("Day", "Month", "Year"))
        ]
        # The error summary links to the first box.
        context["first_id"] = f"{field_id}_0"
        context["example"] = bound.field.example()  # type: ignore[attr-defined]
    return render_to_string(f"fields/{kind}.html", context)
