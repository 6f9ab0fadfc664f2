"""The columns of a survey's export, each with the SQL that pivots its value out of the answers.

One row per response. Per consultation question: one column; a multiple-choice question one 0/1 column
per option (blank when the question was not answered); a grid one column per row; a write-in ("Other
(please specify)") its own text column; a number or date offering "Prefer not to say" a 0/1 column for it.
About you columns come from the response's EqualityProfile, only when the caller asks for them (after
asking the access policy).
"""

from dataclasses import dataclass
from typing import Any

from surveys.equality.library import QUESTIONS_BY_KEY
from surveys.models import Channel, Question, Survey
from surveys.selectors import OTHER, PREFER_NOT_TO_SAY, QuestionSpec, survey_structure_get

Type = Question.Type
TEXT, NUMBER, DATE, DATETIME, FLAG, CODE = "text", "number", "date", "datetime", "flag", "code"

NOT_ANSWERED_CODES = ((PREFER_NOT_TO_SAY, "Prefer not to say"), ("skipped", "Asked, not answered"))
# An option's value: its Choice row's, or "other" for "Other (please specify)" offered without a row.
CHOSEN_VALUE = "COALESCE(c.value, CASE WHEN a.text <> '' THEN %s END)"


@dataclass(frozen=True)
class Column:
    name: str  # the header: a question's key, "<key>__<option>", "<key>__other_text" (a write-in)
    label: str  # what it holds, in words: the question (and the option or row)
    kind: str  # text, number, date, datetime, flag (0/1) or code (one of `codes`)
    sql: str  # its value in the export query (r = the response, a = an answer, c = its choice, e = About you)
    params: tuple[str, ...] = ()
    question: str = ""  # the question's key; "" for the response's own columns
    question_type: str = ""
    codes: tuple[tuple[str, str], ...] = ()  # (value, label), for code columns
    equality: bool = False
    json_key: str = ""  # the value is this key of the JSON object `sql` selects (About you write-ins)

    @property
    def per_answer(self) -> bool:
        """Pivoted out of the answers (a, c), rather than read from the response (r) or About you (e)."""
        return self.sql.startswith("MAX(")

    @property
    def answer_value_sql(self) -> str:
        """A per-answer column's value in one answer's row: what `sql` takes the MAX of, over the response's answers."""
        return self.sql[len("MAX(") : -1]


def _answer(question: Question, value_sql: str) -> str:
    return f"MAX(CASE WHEN a.question_id = {int(question.pk)} THEN {value_sql} END)"


def _flag(question: Question, condition: str) -> str:
    """1 if one of the question's answers meets the condition, 0 if none does, blank when it was not answered."""
    return _answer(question, f"CASE WHEN {condition} THEN 1 ELSE 0 END")


def _question_columns(spec: QuestionSpec) -> list[Column]:
    question = spec.question
    key, text = question.key, question.text
    base: dict[str, Any] = {"question": key, "question_type": question.type}
    codes = tuple((o.value, o.label) for o in spec.options)
    qtype = question.type
    columns: list[Column] = []
    if qtype in (Type.SHORT_TEXT, Type.LONG_TEXT, Type.EMAIL, Type.POSTCODE):
        columns.append(Column(key, text, TEXT, _answer(question, "NULLIF(a.text, '')"), **base))
    elif qtype in (Type.SINGLE_CHOICE, Type.DROPDOWN, Type.AGREEMENT):
        columns.append(Column(key, text, CODE, _answer(question, CHOSEN_VALUE), (OTHER,), codes=codes, **base))
    elif qtype == Type.MULTIPLE_CHOICE:
        choice_ids = {c.value: c.pk for c in question.choices.all()}
        for option in spec.options:
            choice_id = choice_ids.get(option.value)
            condition = f"a.choice_id = {int(choice_id)}" if choice_id else "a.choice_id IS NULL AND a.text <> ''"
            name, label = f"{key}__{option.value}", f"{text}: {option.label}"
            columns.append(Column(name, label, FLAG, _flag(question, condition), **base))
    elif qtype == Type.GRID:
        for row in spec.rows:
            sql = _answer(question, f"CASE WHEN a.grid_row_id = {int(row.pk)} THEN c.value END")
            columns.append(Column(f"{key}__{row.value}", f"{text}: {row.label}", CODE, sql, codes=codes, **base))
    else:  # number, date, date of birth (its age)
        value, kind = ("a.date", DATE) if qtype == Type.DATE else ("a.number", NUMBER)
        columns.append(Column(key, text, kind, _answer(question, value), **base))
        if question.allow_prefer_not_to_say or qtype == Type.DATE_OF_BIRTH:
            sql = _flag(question, "a.text = %s")
            label = f"{text}: Prefer not to say"
            columns.append(Column(f"{key}__prefer_not_to_say", label, FLAG, sql, (PREFER_NOT_TO_SAY,), **base))
    if spec.write_in_options:
        label = f"{text}: other answer (text)"
        columns.append(Column(f"{key}__other_text", label, TEXT, _answer(question, "NULLIF(a.text, '')"), **base))
    return columns


def _equality_columns(specs: list[QuestionSpec]) -> list[Column]:
    """The About you answers the survey asks for, as stored: one column per characteristic, age as a number."""
    columns = [Column("about_you_skipped", "Skipped the About you section", FLAG, "e.section_skipped", equality=True)]
    for spec in specs:
        question = spec.question
        characteristic = QUESTIONS_BY_KEY[question.equality_key].characteristic
        base: dict[str, Any] = {"question": question.key, "question_type": question.type, "equality": True}
        if characteristic == "age":
            status = (("answered", "Answered"), *NOT_ANSWERED_CODES)
            columns.append(Column("age", "Age (from the date of birth or age given)", NUMBER, "e.age", **base))
            columns.append(Column("age_status", "Age: answered or not", CODE, "e.age_status", codes=status, **base))
            continue
        codes = tuple((o.value, o.label) for o in spec.options if o.value != PREFER_NOT_TO_SAY)
        sql = f"e.{characteristic}"
        columns.append(Column(characteristic, question.text, CODE, sql, codes=codes + NOT_ANSWERED_CODES, **base))
        if spec.write_in_options:
            label = f"{question.text}: described"
            columns.append(
                Column(f"{characteristic}__other_text", label, TEXT, "e.write_ins", json_key=characteristic, **base)
            )
    return columns


def export_columns(*, survey: Survey, with_equality: bool) -> list[Column]:
    """Every column of the survey's export, in the survey's order."""
    columns = [
        Column("reference", "Response reference", TEXT, "r.reference"),
        Column("channel", "How the response came in", CODE, "r.channel", codes=tuple(Channel.choices)),
        Column("submitted_at", "When it was submitted (UTC)", DATETIME, "r.submitted_at"),
    ]
    structure = survey_structure_get(survey=survey)
    for spec in structure.questions:
        if not spec.is_equality:
            columns += _question_columns(spec)
    if with_equality and structure.has_equality_section:
        columns += _equality_columns([spec for spec in structure.questions if spec.is_equality])
    return columns
