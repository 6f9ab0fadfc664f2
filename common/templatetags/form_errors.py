"""Links for the GOV.UK error summary (templates/includes/error_summary.html) from any Django form."""

from django import forms, template

register = template.Library()


@register.simple_tag
def error_links(form: forms.BaseForm, non_field_anchor: str = "", **anchors: str) -> list[dict[str, str]]:
    """One {"href", "text"} per error: non-field errors link to `non_field_anchor`, a field's errors to the
    field (or to the id given for it in `anchors`, e.g. the first checkbox of a group)."""
    links = [{"href": f"#{non_field_anchor}", "text": str(error)} for error in form.non_field_errors()]
    for field in form:
        # A field of several boxes (a GOV.UK date) has no single label target: link to its first box.
        target = anchors.get(field.name) or field.id_for_label or f"{field.auto_id}_0"
        for error in field.errors:
            links.append({"href": f"#{target}", "text": str(error)})
    return links
