"""One survey page as a form, and its answers in the normalised shape the rest of the app uses.

Normalised answers, by question key (only for questions the resident was shown):

- short/long text, email: str ("" when left blank); postcode: "M32 0TH" ("" blank)
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
from typing import Any

from django import forms
from django.utils import timezone

from common.numbers import plain_number
from surveys import routing
from surveys.forms.fields import DATE_PARTS, DateField, PostcodeField
from surveys.forms.naming import answer_name, capitalised
from surveys.models import Question
from surveys.selectors import PREFER_NOT_TO_SAY, PageSpec, QuestionSpec

Type = Question.Type

# Suffixes of the extra fields a question can have, after its key.
OTHER_SUFFIX = "__other"
PNTS_SUFFIX = "__pnts"
AGE_SUFFIX = "__age"
ROW_SUFFIX = "__row_"

WRITE_IN_MAX_LENGTH = 200
EMAIL_MAX_LENGTH = 254
# Limits for text questions without one of their own: answers, not documents.
TEXT_LIMITS = {Type.SHORT_TEXT: 500, Type.LONG_TEXT: 10_000}
MAX_AGE = 120

# What a number answer can hold: 10 whole digits and 2 after the point. A number beyond it is refused
# with the limits named ("between -10,000,000,000 and 10,000,000,000"), never "a smaller number".
NUMBER_DIGITS, NUMBER_PLACES = 12, 2
NUMBER_BOUNDS = "-{0} and {0}".format(f"{10 ** (NUMBER_DIGITS - NUMBER_PLACES):,}")


def text_limit(question: Question) -> int | None:
    """The most characters a text answer may have: the question's own limit, or its type's (TEXT_LIMITS)."""
    return question.max_length or TEXT_LIMITS.get(Type(question.type))


CHOICE_TYPES = {Type.SINGLE_CHOICE, Type.DROPDOWN, Type.AGREEMENT}


def offers_prefer_not_to_say(q: QuestionSpec) -> bool:
    """Whether the question has a "Prefer not to say" box: a date of birth always, a number or date if chosen."""
    return q.type == Type.DATE_OF_BIRTH or (q.question.allow_prefer_not_to_say and q.type in (Type.NUMBER, Type.DATE))


def null_character_message(name: str) -> str:
    """Text with a NUL character in it (only a crafted request or a strange paste sends one) cannot be stored."""
    return f"{capitalised(name)} must not include a null character: remove it and try again"


def _text_field(name: str, widget: type[forms.Widget] | forms.Widget = forms.TextInput) -> forms.CharField:
    return forms.CharField(
        required=False, widget=widget, error_messages={"null_characters_not_allowed": null_character_message(name)}
    )


def questions_offered(page: PageSpec, prior_answers: Mapping[str, Any], today: dt.date) -> list[QuestionSpec]:
    """The page's questions a resident is offered: not those hidden by an answer on an earlier page.
    Those depending on this page are offered (without JavaScript there is no other way) and checked
    on submission."""
    on_this_page = {q.key for q in page.questions}
    return [
        q
        for q in page.questions
        if q.rule is None
        or q.rule.question_key in on_this_page
        or routing.condition_met(q.rule, prior_answers, today=today)
    ]


def question_anchor_id(page: PageSpec, q: QuestionSpec) -> str:
    """The id of a question's first input on its page, without building the form: what
    `PageForm.anchor_id` gives for its first field when there is no error."""
    name = f"{q.key}{ROW_SUFFIX}{q.rows[0].value}" if q.type == Type.GRID and q.rows else q.key
    auto_id = f"id_{page.step}-{name}"
    return f"{auto_id}_day" if q.type in (Type.DATE, Type.DATE_OF_BIRTH) else auto_id


def question_fields(q: QuestionSpec) -> dict[str, forms.Field]:
    """The form fields of a question, by name, made afresh. They depend on the question alone (its type,
    options, rows and wording), never on the resident: `PageForm` makes them once per question of a
    structure and gives each form its own copies (`_own_copy`)."""
    fields: dict[str, forms.Field] = {}
    key = q.key
    question = q.question
    name = answer_name(question)
    Name = capitalised(name)
    choices = [(o.value, o.label) for o in q.options]
    chosen_from_list = {"invalid_choice": f"Select {name} from the options shown"}
    if q.type in (Type.SHORT_TEXT, Type.LONG_TEXT):
        fields[key] = _text_field(name, forms.Textarea if q.type == Type.LONG_TEXT else forms.TextInput)
    elif q.type == Type.EMAIL:
        fields[key] = forms.EmailField(
            required=False,
            max_length=EMAIL_MAX_LENGTH,
            error_messages={
                "invalid": "Enter an email address in the correct format, like name@example.com",
                "max_length": f"{Name} must be {EMAIL_MAX_LENGTH} characters or fewer",
                "null_characters_not_allowed": null_character_message(name),
            },
        )
    elif q.type == Type.POSTCODE:
        fields[key] = PostcodeField(
            error_messages={
                "max_length": "Enter a full UK postcode, like M32 0TH",
                "null_characters_not_allowed": null_character_message(name),
            }
        )
    elif q.type == Type.NUMBER:
        fields[key] = forms.DecimalField(
            required=False,
            max_digits=NUMBER_DIGITS,
            decimal_places=NUMBER_PLACES,
            error_messages={
                "invalid": f"{Name} must be a number, like 12 or 3.5",
                "max_decimal_places": f"{Name} must have no more than {NUMBER_PLACES} decimal places",
                "max_digits": f"{Name} must be between {NUMBER_BOUNDS}",
                "max_whole_digits": f"{Name} must be between {NUMBER_BOUNDS}",
            },
        )
    elif q.type == Type.DATE:
        fields[key] = DateField(name=name, allowed=question.dates_allowed)
    elif q.type == Type.DATE_OF_BIRTH:
        fields[key] = DateField(name=name, allowed=Question.DatesAllowed.PAST)
        fields[key + AGE_SUFFIX] = forms.IntegerField(
            required=False,
            min_value=0,
            max_value=MAX_AGE,
            error_messages={
                "invalid": "Enter your age as a whole number, like 42",
                "min_value": f"Your age must be between 0 and {MAX_AGE}",
                "max_value": f"Your age must be between 0 and {MAX_AGE}",
            },
        )
    elif q.type in CHOICE_TYPES:
        widget = forms.Select if q.type == Type.DROPDOWN else forms.RadioSelect
        fields[key] = forms.ChoiceField(
            required=False, choices=[("", "")] + choices, widget=widget, error_messages=chosen_from_list
        )
    elif q.type == Type.MULTIPLE_CHOICE:
        fields[key] = forms.MultipleChoiceField(
            required=False, choices=choices, widget=forms.CheckboxSelectMultiple, error_messages=chosen_from_list
        )
    elif q.type == Type.GRID:
        for row in q.rows:
            fields[f"{key}{ROW_SUFFIX}{row.value}"] = forms.ChoiceField(
                required=False,
                choices=[("", "")] + choices,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": f"Select {name} for {row.label} from the options shown"},
            )
    else:
        raise ValueError(f"Unknown question type {q.type!r}")
    if q.write_in_options:
        fields[key + OTHER_SUFFIX] = forms.CharField(
            required=False,
            max_length=WRITE_IN_MAX_LENGTH,
            error_messages={
                "max_length": f"Your other answer for {name} must be {WRITE_IN_MAX_LENGTH} characters or fewer",
                "null_characters_not_allowed": null_character_message(f"your other answer for {name}"),
            },
        )
    if offers_prefer_not_to_say(q):
        fields[key + PNTS_SUFFIX] = forms.BooleanField(required=False)
    return fields


def _own_copy(field: forms.Field) -> forms.Field:
    """A copy of `field` for one form: its own attributes, so that setting one on a form's field (its
    `required`, its `widget`) changes no other form's. What they hold (the widget, the choices, the
    messages) is shared, read only: nothing here or in Django's forms changes them in place. About
    1 microsecond, against 25 to 70 for making the field again (Django's `deepcopy` costs more)."""
    copy = object.__new__(type(field))
    copy.__dict__.update(field.__dict__)
    return copy


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
        self.questions: list[QuestionSpec] = questions_offered(page, self.prior_answers, self.today)
        self.shown_questions: list[QuestionSpec] = []
        self.answers: dict[str, Any] = {}
        for question in self.questions:
            self._add_fields(question)

    # Building -----------------------------------------------------------------------------------

    def _add_fields(self, q: QuestionSpec) -> None:
        # Made once per question of a structure kept in memory (a new version starts afresh), not on
        # every request: making a page's fields was up to a seventh of its server time (issue 9).
        fields = q.form_fields
        if fields is None:
            fields = q.form_fields = question_fields(q)
        for name, field in fields.items():
            self.fields[name] = _own_copy(field)

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
        name = answer_name(question)
        value = cleaned.get(key)
        if q.type in (Type.SHORT_TEXT, Type.LONG_TEXT, Type.EMAIL, Type.POSTCODE):
            text = (value or "").strip()
            limit = text_limit(question)
            if not text:
                self._required(q, key, f"Enter {name}")
            elif limit and len(text) > limit:
                self.add_error(key, f"{capitalised(name)} must be {limit:,} characters or fewer")
            return {key: text}
        if q.type in (Type.NUMBER, Type.DATE):
            return {key: self._number_or_date(q, value, bool(cleaned.get(key + PNTS_SUFFIX)))}
        if q.type == Type.DATE_OF_BIRTH:
            return {key: self._date_of_birth(q, value, cleaned.get(key + AGE_SUFFIX), cleaned.get(key + PNTS_SUFFIX))}
        if q.type in CHOICE_TYPES:
            if not value:
                self._required(q, key, f"Select {name}")
            return {key: value or "", **self._write_in(q, [value] if value else [], cleaned)}
        if q.type == Type.MULTIPLE_CHOICE:
            selected = list(value or [])
            if not selected:
                self._required(q, key, f"Select {name}")
            elif question.max_choices and len(selected) > question.max_choices:
                self.add_error(key, f"Select no more than {question.max_choices} for {name}")
            elif PREFER_NOT_TO_SAY in selected and len(selected) > 1:
                self.add_error(key, f"Select {name}, or Prefer not to say, not both")
            return {key: selected, **self._write_in(q, selected, cleaned)}
        if q.type == Type.GRID:
            rows = {}
            for row in q.rows:
                row_name = f"{key}{ROW_SUFFIX}{row.value}"
                rows[row.value] = cleaned.get(row_name) or ""
                if not rows[row.value]:
                    self._required(q, row_name, f"Select {name} for {row.label}")
            return {key: rows}
        raise ValueError(f"Unknown question type {q.type!r}")

    def _write_in(self, q: QuestionSpec, selected: list[str], cleaned: Mapping[str, Any]) -> dict[str, str]:
        chosen = [o for o in q.write_in_options if o.value in selected]
        if not chosen:
            return {}  # Text typed beside an option that is not selected is not an answer.
        text = (cleaned.get(q.key + OTHER_SUFFIX) or "").strip()
        if not text and any(o.is_other for o in chosen):
            self.add_error(q.key + OTHER_SUFFIX, f"Describe your other answer for {answer_name(q.question)}")
        return {q.key + OTHER_SUFFIX: text} if text else {}

    def _number_or_date(self, q: QuestionSpec, value: Any, prefer_not_to_say: bool) -> str:
        key = q.key
        question = q.question
        name = answer_name(question)
        Name = capitalised(name)
        if prefer_not_to_say:
            if value is not None:
                self.add_error(key, f"Enter {name} or select Prefer not to say, not both")
            return PREFER_NOT_TO_SAY
        if value is None:
            if question.allow_prefer_not_to_say:
                self._required(q, key, f"Enter {name}, or select Prefer not to say")
            else:
                self._required(q, key, f"Enter {name}")
            return ""
        if isinstance(value, dt.date):
            return value.isoformat()
        low, high = question.min_value, question.max_value
        if (low is not None and value < low) or (high is not None and value > high):
            if low is not None and high is not None:
                self.add_error(key, f"{Name} must be between {plain_number(low)} and {plain_number(high)}")
            elif low is not None:
                self.add_error(key, f"{Name} must be {plain_number(low)} or more")
            else:
                self.add_error(key, f"{Name} must be {plain_number(high)} or less")
        return plain_number(value)

    def _date_of_birth(self, q: QuestionSpec, born: dt.date | None, age: int | None, pnts: bool) -> dict[str, Any]:
        key = q.key
        if pnts and (born or age is not None):
            self.add_error(key, "Give your date of birth or age, or select Prefer not to say, not both")
        elif born and routing.age_on(born, self.today) > MAX_AGE:
            self.add_error(key, f"Your date of birth must be after {self.today.year - MAX_AGE - 1}")
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

    def error_parts(self, name: str) -> list[str]:
        """For a date with an error, the boxes at fault (only they are highlighted); [] for other fields."""
        if not isinstance(self.fields.get(name), DateField) or name not in self.errors:
            return []
        params = self.errors[name].as_data()[0].params or {}
        return list(params.get("parts") or DATE_PARTS)

    def anchor_id(self, name: str) -> str:
        """The id of the first input of a field, which an error summary link moves focus to: for a
        date, the first box at fault."""
        auto_id = self[name].auto_id
        if isinstance(self.fields[name], DateField):
            return f"{auto_id}_{(self.error_parts(name) or ['day'])[0]}"
        return auto_id

    def error_links(self) -> Iterator[dict[str, Any]]:
        """Errors in the order of the page, for the error summary: each the same message as beside its
        field (every message names its question)."""
        if not self.is_bound:
            return
        for q in self.questions:
            for name in self.field_names(q):
                for message in self.errors.get(name, []):
                    yield {"href": f"#{self.anchor_id(name)}", "text": message, "question": q}
