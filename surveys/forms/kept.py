"""What of a posted survey page is kept, in the session and in a saved journey.

Only the fields of the page's questions, each within its question's limits: choices among the
question's options, text within its character limit, numbers and date parts no longer than any real
one. Anything else posted (other names, other values) is dropped, and no value with a NUL character
is ever kept (PostgreSQL cannot store one). A saved journey ("Save and come back later") keeps an age
instead of a date of birth.
"""

import datetime as dt
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError

from surveys import routing
from surveys.forms.page import AGE_SUFFIX, PageForm, text_limit
from surveys.models import Question

# Longest a typed number or date part can usefully be ("2026", "-12.50"); longer ones are not kept.
NUMBER_MAX_CHARACTERS = 20
DATE_PART_MAX_CHARACTERS = 4
# Text of a field with no limit of its own (its question's type sets none): never kept longer than this.
TEXT_MAX = 1_000
NUL = "\x00"


@dataclass(frozen=True)
class KeptPage:
    # Posted names (with the page's prefix) and their values, as the wizard stores a step's data.
    data: dict[str, list[str]]
    # Form fields whose text was not kept because it was over its limit or held a NUL character: the
    # resident is shown the page's message for them, rather than losing what they typed unawares.
    refused: set[str] = field(default_factory=set)


def page_data_kept(form: PageForm, *, date_of_birth_as_age: bool = False) -> KeptPage:
    """The posted data of `form` (bound to a POST or to stored step data) that may be kept."""
    kept: dict[str, list[str]] = {}
    refused: set[str] = set()
    for q in form.questions:
        for name in form.field_names(q):
            form_field = form.fields[name]
            posted = form.add_prefix(name)
            if q.type == Question.Type.DATE_OF_BIRTH and name == q.key and date_of_birth_as_age:
                age = _age(form, form_field, posted)
                if age is not None:
                    kept[form.add_prefix(q.key + AGE_SUFFIX)] = [str(age)]
                continue
            if isinstance(form_field.widget, forms.MultiWidget):
                for suffix in form_field.widget.widgets_names:
                    part = str(form.data.get(posted + suffix) or "").strip()
                    if part and len(part) <= DATE_PART_MAX_CHARACTERS and NUL not in part:
                        kept[posted + suffix] = [part]
                continue
            values = [str(v) for v in form.data.getlist(posted)]
            if not values:
                continue
            if name.endswith(AGE_SUFFIX) and posted in kept:
                continue  # worked out from the date of birth already
            if isinstance(form_field, forms.MultipleChoiceField):
                chosen = [v for v in dict.fromkeys(values) if form_field.valid_value(v)]
                if chosen:
                    kept[posted] = chosen
            elif isinstance(form_field, forms.ChoiceField):
                if values[-1] and form_field.valid_value(values[-1]):
                    kept[posted] = [values[-1]]
            elif isinstance(form_field, forms.BooleanField):
                if form_field.widget.value_from_datadict(form.data, form.files, posted):
                    kept[posted] = ["on"]
            elif isinstance(form_field, forms.DecimalField | forms.IntegerField):
                number = values[-1].strip()
                if number and len(number) <= NUMBER_MAX_CHARACTERS and NUL not in number:
                    kept[posted] = [number]
            elif isinstance(form_field, forms.CharField):
                limit = (text_limit(q.question) if name == q.key else None) or form_field.max_length or TEXT_MAX
                text = values[-1]
                if len(text.strip()) > limit or NUL in text:
                    refused.add(name)
                elif text.strip():
                    kept[posted] = [text]
    return KeptPage(data=kept, refused=refused)


def _age(form: PageForm, date_field: forms.Field, posted: str) -> int | None:
    parts = [str(form.data.get(posted + suffix) or "") for suffix in date_field.widget.widgets_names]  # type: ignore[attr-defined]
    try:
        born = date_field.clean(parts)
    except ValidationError:
        return None
    return routing.age_on(born, form.today) if isinstance(born, dt.date) else None
