"""The closed questions the analysis compares, each broken into the answers it reports.

An item is one question, or one row of a grid. Its answers are columns that split the people who
answered it: the options of a single choice, dropdown or grid row; agree, neither, disagree (and any
other option, "Don't know") for an agreement scale, whose five points are read as three; and, for a
multiple-choice question, "selected" and "not selected" for each option (a partition per option,
since one person may tick several).

With exactly two answers that split everyone who answered (two options, no write-in "Other" offered
beside them), choosing one is not choosing the other: the second answer's table is the
first's with its columns swapped, the same test. It is reported (its shares are informative) as the
complement of the first, tested, counted and written up once (docs/decisions/0013). A multiple-choice
option's "not selected" is never reported, so each option is one test already.
"""

from dataclasses import dataclass, field

from surveys.models import Question, Survey

AGREE = "Agree (strongly or not)"
NEITHER = "Neither agree nor disagree"
DISAGREE = "Disagree (strongly or not)"
_AGREEMENT_COLUMN = {
    "strongly_agree": AGREE,
    "agree": AGREE,
    "neither": NEITHER,
    "disagree": DISAGREE,
    "strongly_disagree": DISAGREE,
}
NOT_SELECTED = "not selected"


@dataclass(frozen=True)
class Outcome:
    """One answer the analysis reports: its column, and how a finding says choosing it."""

    column: str
    answer: str
    phrase: str  # "agree with “…”", "answer “Weekly” to “…”", "select “Paths” in “…”"
    # The column of the item's other answer when the two are complements: the same test as that one's.
    complement_of: str | None = None


@dataclass
class Item:
    question_id: object
    grid_row_id: object | None
    question: str
    row: str
    kind: str  # single_choice, dropdown, agreement, grid, multiple_choice
    partitions: list[list[str]]
    outcomes: list[Outcome]
    column_of_choice: dict[object, str] = field(default_factory=dict)

    @property
    def columns(self) -> list[str]:
        return [column for partition in self.partitions for column in partition]

    @property
    def multiple(self) -> bool:
        return self.kind == Question.Type.MULTIPLE_CHOICE


def quoted_title(question: str, row: str = "") -> str:
    """A question (and its grid row) as the analysis names it in a sentence: “Question: row”."""
    return f"“{question}{': ' + row if row else ''}”"


def survey_items(survey: Survey) -> list[Item]:
    """Every closed consultation question of the survey (not the About you section), in order."""
    items: list[Item] = []
    questions = (
        Question.objects.filter(page__survey=survey, equality_key="")
        .prefetch_related("choices", "grid_rows")
        .order_by("page__position", "position")
    )
    for question in questions:
        choices = sorted(question.choices.all(), key=lambda c: c.position)
        if not choices:
            continue  # an agreement scale without its own options stores text, not choices
        kind = question.type
        if kind in (Question.Type.SINGLE_CHOICE, Question.Type.DROPDOWN, Question.Type.AGREEMENT):
            items.append(_exclusive(question, None, "", choices))
        elif kind == Question.Type.GRID:
            for row in sorted(question.grid_rows.all(), key=lambda r: r.position):
                items.append(_exclusive(question, row.pk, row.label, choices))
        elif kind == Question.Type.MULTIPLE_CHOICE:
            title = quoted_title(question.text)
            partitions, outcomes, column_of = [], [], {}
            for choice in choices:
                partitions.append([choice.label, f"{choice.label}: {NOT_SELECTED}"])
                outcomes.append(Outcome(choice.label, choice.label, f"select “{choice.label}” in {title}"))
                column_of[choice.pk] = choice.label
            items.append(Item(question.pk, None, question.text, "", kind, partitions, outcomes, column_of))
    return items


def _exclusive(question: Question, row_id: object | None, row: str, choices: list) -> Item:
    title = quoted_title(question.text, row)
    column_of: dict[object, str] = {}
    columns: list[str] = []
    agreement = question.type == Question.Type.AGREEMENT
    for choice in choices:
        column = _AGREEMENT_COLUMN.get(choice.value, choice.label) if agreement else choice.label
        column_of[choice.pk] = column
        if column not in columns:
            columns.append(column)
    outcomes = []
    for column in columns:
        if agreement and column == AGREE:
            phrase = f"agree with {title}"
        elif agreement and column == DISAGREE:
            phrase = f"disagree with {title}"
        else:
            phrase = f"answer “{column}” to {title}"
        outcomes.append(Outcome(column, column, phrase))
    # A write-in "Other" is a third answer (stored without a choice row, outside these columns).
    writes_in = question.allow_other and question.type != Question.Type.GRID
    if len(columns) == 2 and not writes_in:
        first, second = outcomes
        outcomes[1] = Outcome(second.column, second.answer, second.phrase, complement_of=first.column)
    return Item(question.pk, row_id, question.text, row, question.type, [columns], outcomes, column_of)
