"""One survey page as a form, and its answers in the normalised shape the rest of the app uses.

Normalised answers, by question key (only for questions the resident was shown):

- short/long text, email: str ("" when left blank)
- single choice, dropdown, agreement: the chosen Choice value ("" when blank); a write-in
  ("Other (please specify)", "Any other White background") adds "<key>__other": its text
- multiple choice: list of Choice values (a write-in adds "<key>__other" likewise)
- number: str of the Decimal ("" blank); date: "YYYY-MM-DD" ("" blank)
- number/date offering "Prefer not to say", when ticked: "prefer_not_to_say"
- grid: {row value: choice value ("" blank)}
- date of birth: {"date_of_birth": "YYYY-MM-DD" | None, "age": int | None, "prefer_not_to_say": bool}

Routing (surveys/routing.py) is evaluated on this dict; services store it.
"""

import datetime as dt
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from surveys import routing
from surveys.forms.fields import DateField
from surveys.models import Question
from surveys.selectors import PREFER_NOT_TO_SAY, PageSpec, QuestionSpec

Type = Question.Type

# Suffixes of the extra fields a question can have, after its key.
OTHER_SUFFIX = "__other"
PNTS_SUFFIX = "__pnts"
AGE_SUFFIX = "__age"
ROW_SUFFIX = "__row_"

WRITE_IN_MAX_LENGTH = 200
MAX_AGE = 120

CHOICE_TYPES = {Type.SINGLE_CHOICE, Type.DROPDOWN, Type.AGREEMENT}


def _text_field(widget: type[forms.Widget] | forms.Widget = forms.TextInput) -> forms.CharField:
    return forms.CharField(required=False, widget=widget)


class PageForm(forms.Form):
    """The questions of one page that routing shows, validated together.

    Every field is optional to Django: required-ness is checked in `clean`, question by question,
    because a question whose condition depends on an answer on the same page is only required
    (or stored) when that answer matches.
    """

    def __init__(
        self,
        *args: Any,
        page: PageSpec,
        prior_answers: Mapping[str, Any] | None = None,
        today: dt.date | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.page = page
        self.prior_answers = dict(prior_answers or {})
        self.today = today or timezone.localdate()
        on_this_page = {q.key for q in page.questions}
        # Questions hidden by an answer on an earlier page are not shown at all; those depending on
        # this page are shown (without JavaScript there is no other way) and checked on submission.
        self.questions: list[QuestionSpec] = [
            q
            for q in page.questions
            if q.rule is None
            or q.rule.question_key in on_this_page
            or routing.condition_met(q.rule, self.prior_answers, today=self.today)
        ]
        self.shown_questions: list[QuestionSpec] = []
        self.answers: dict[str, Any] = {}
        for question in self.questions:
            self._add_fields(question)

    # Building -----------------------------------------------------------------------------------

    def _add_fields(self, q: QuestionSpec) -> None:
        key = q.key
        question = q.question
        choices = [(o.value, o.label) for o in q.options]
        if q.type in (Type.SHORT_TEXT, Type.LONG_TEXT):
            self.fields[key] = _text_field(forms.Textarea if q.type == Type.LONG_TEXT else forms.TextInput)
        elif q.type == Type.EMAIL:
            self.fields[key] = forms.EmailField(
                required=False,
                error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
            )
        elif q.type == Type.NUMBER:
            self.fields[key] = forms.DecimalField(
                required=False,
                max_digits=12,
                decimal_places=2,
                error_messages={
                    "invalid": "Enter a number",
                    "max_decimal_places": "Enter a number with no more than 2 decimal places",
                    "max_digits": "Enter a smaller number",
                    "max_whole_digits": "Enter a smaller number",
                },
            )
        elif q.type == Type.DATE:
            self.fields[key] = DateField(noun="Date")
        elif q.type == Type.DATE_OF_BIRTH:
            self.fields[key] = DateField(noun="Date of birth", past_only=True)
            self.fields[key + AGE_SUFFIX] = forms.IntegerField(
                required=False,
                min_value=0,
                max_value=MAX_AGE,
                error_messages={
                    "invalid": "Enter your age as a whole number, like 42",
                    "min_value": f"Age must be between 0 and {MAX_AGE}",
                    "max_value": f"Age must be between 0 and {MAX_AGE}",
                },
            )
        elif q.type in CHOICE_TYPES:
            widget = forms.Select if q.type == Type.DROPDOWN else forms.RadioSelect
            self.fields[key] = forms.ChoiceField(
                required=False,
                choices=[("", "")] + choices,
                widget=widget,
                error_messages={"invalid_choice": "Select an answer from the list"},
            )
        elif q.type == Type.MULTIPLE_CHOICE:
            self.fields[key] = forms.MultipleChoiceField(
                required=False,
                choices=choices,
                widget=forms.CheckboxSelectMultiple,
                error_messages={"invalid_choice": "Select answers from the list"},
            )
        elif q.type == Type.GRID:
            for row in q.rows:
                self.fields[f"{key}{ROW_SUFFIX}{row.value}"] = forms.ChoiceField(
                    required=False,
                    choices=[("", "")] + choices,
                    widget=forms.RadioSelect,
                    error_messages={"invalid_choice": "Select an answer from the list"},
                )
        else:
            raise ValueError(f"Unknown question type {q.type!r}")
        if q.write_in_options:
            self.fields[key + OTHER_SUFFIX] = forms.CharField(
                required=False,
                max_length=WRITE_IN_MAX_LENGTH,
                error_messages={"max_length": f"Your description must be {WRITE_IN_MAX_LENGTH} characters or fewer"},
            )
        if q.type == Type.DATE_OF_BIRTH or (question.allow_prefer_not_to_say and q.type in (Type.NUMBER, Type.DATE)):
            self.fields[key + PNTS_SUFFIX] = forms.BooleanField(required=False)

    def field_names(self, q: QuestionSpec) -> list[str]:
        """The form fields that belong to a question, in the order they appear on the page."""
        return [name for name in self.fields if name == q.key or name.startswith(q.key + "__")]

    # Validating ---------------------------------------------------------------------------------

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        answers = dict(self.prior_answers)
        self.shown_questions = []
        self.answers = {}
        for q in self.questions:
            names = self.field_names(q)
            if not routing.is_shown(q.rule, answers, today=self.today):
                # Hidden: never validated, never stored.
                for name in names:
                    self._errors.pop(name, None)
                    cleaned.pop(name, None)
                continue
            self.shown_questions.append(q)
            if any(name in self._errors for name in names):
                continue
            value = self._normalise(q, cleaned)
            self.answers.update(value)
            answers.update(value)
        return cleaned

    def _required(self, q: QuestionSpec, name: str, message: str) -> None:
        if q.question.required:
            self.add_error(name, message)

    def _normalise(self, q: QuestionSpec, cleaned: Mapping[str, Any]) -> dict[str, Any]:
        key = q.key
        question = q.question
        value = cleaned.get(key)
        if q.type in (Type.SHORT_TEXT, Type.LONG_TEXT, Type.EMAIL):
            text = (value or "").strip()
            if not text:
                self._required(q, key, "Enter an email address" if q.type == Type.EMAIL else "Enter your answer")
            elif question.max_length and len(text) > question.max_length:
                self.add_error(key, f"Your answer must be {question.max_length:,} characters or fewer")
            return {key: text}
        if q.type in (Type.NUMBER, Type.DATE):
            return {key: self._number_or_date(q, value, bool(cleaned.get(key + PNTS_SUFFIX)))}
        if q.type == Type.DATE_OF_BIRTH:
            return {key: self._date_of_birth(q, value, cleaned.get(key + AGE_SUFFIX), cleaned.get(key + PNTS_SUFFIX))}
        if q.type in CHOICE_TYPES:
            if not value:
                self._required(q, key, "Select an answer")
            return {key: value or "", **self._write_in(q, [value] if value else [], cleaned)}
        if q.type == Type.MULTIPLE_CHOICE:
            selected = list(value or [])
            if not selected:
                self._required(q, key, "Select at least one answer")
            elif question.max_choices and len(selected) > question.max_choices:
                self.add_error(key, f"Select no more than {question.max_choices} answers")
            elif PREFER_NOT_TO_SAY in selected and len(selected) > 1:
                self.add_error(key, "Select Prefer not to say, or your answers, not both")
            return {key: selected, **self._write_in(q, selected, cleaned)}
        if q.type == Type.GRID:
            rows = {}
            for row in q.rows:
                name = f"{key}{ROW_SUFFIX}{row.value}"
                rows[row.value] = cleaned.get(name) or ""
                if not rows[row.value]:
                    self._required(q, name, f"Select an answer for {row.label}")
            return {key: rows}
        raise ValueError(f"Unknown question type {q.type!r}")

    def _write_in(self, q: QuestionSpec, selected: list[str], cleaned: Mapping[str, Any]) -> dict[str, str]:
        chosen = [o for o in q.write_in_options if o.value in selected]
        if not chosen:
            return {}  # Text typed beside an option that is not selected is not an answer.
        text = (cleaned.get(q.key + OTHER_SUFFIX) or "").strip()
        if not text and any(o.is_other for o in chosen):
            self.add_error(q.key + OTHER_SUFFIX, "Describe your other answer")
        return {q.key + OTHER_SUFFIX: text} if text else {}

    def _number_or_date(self, q: QuestionSpec, value: Any, prefer_not_to_say: bool) -> str:
        key = q.key
        question = q.question
        noun = "a number" if q.type == Type.NUMBER else "a date"
        if prefer_not_to_say:
            if value is not None:
                self.add_error(key, f"Enter {noun} or select Prefer not to say, not both")
            return PREFER_NOT_TO_SAY
        if value is None:
            if question.allow_prefer_not_to_say:
                self._required(q, key, f"Enter {noun}, or select Prefer not to say")
            else:
                self._required(q, key, f"Enter {noun}")
            return ""
        if isinstance(value, dt.date):
            return value.isoformat()
        low, high = question.min_value, question.max_value
        if (low is not None and value < low) or (high is not None and value > high):
            if low is not None and high is not None:
                self.add_error(key, f"The number must be between {_number(low)} and {_number(high)}")
            elif low is not None:
                self.add_error(key, f"The number must be {_number(low)} or more")
            else:
                self.add_error(key, f"The number must be {_number(high)} or less")
        return _number(value)

    def _date_of_birth(self, q: QuestionSpec, born: dt.date | None, age: int | None, pnts: bool) -> dict[str, Any]:
        key = q.key
        if pnts and (born or age is not None):
            self.add_error(key, "Give your date of birth or age, or select Prefer not to say, not both")
        elif born and routing.age_on(born, self.today) > MAX_AGE:
            self.add_error(key, f"Date of birth must be after {self.today.year - MAX_AGE - 1}")
        elif born and age is not None and routing.age_on(born, self.today) != age:
            self.add_error(key + AGE_SUFFIX, "The age you gave does not match your date of birth")
        elif not (born or age is not None or pnts):
            self._required(q, key, "Enter your date of birth or your age, or select Prefer not to say")
        if pnts:
            return {"date_of_birth": None, "age": None, "prefer_not_to_say": True}
        return {
            "date_of_birth": born.isoformat() if born else None,
            "age": routing.age_on(born, self.today) if born else age,
            "prefer_not_to_say": False,
        }

    # Showing errors -----------------------------------------------------------------------------

    def anchor_id(self, name: str) -> str:
        """The id of the first input of a field, which an error summary link moves focus to."""
        auto_id = self[name].auto_id
        return f"{auto_id}_day" if isinstance(self.fields[name], DateField) else auto_id

    def error_links(self) -> Iterator[dict[str, Any]]:
        """Errors in the order of the page, for the error summary.

        On a page of several questions "Select an answer" alone would not say which, so the summary
        names the question; beside the field, the message alone is enough."""
        if not self.is_bound:
            return
        several = len(self.questions) > 1
        for q in self.questions:
            for name in self.field_names(q):
                for message in self.errors.get(name, []):
                    text = f"{q.question.text.rstrip('?.')}: {message[0].lower()}{message[1:]}" if several else message
                    yield {"href": f"#{self.anchor_id(name)}", "text": text, "question": q}


def _number(value: Decimal) -> str:
    """A Decimal as plain digits ("100", not "1E+2"), without a trailing ".00"."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
