"""The paper form, laid out from the survey definition: every question numbered, with its options,
and routing written in words ("If you answered No, go to question 7").

Built from the same structure the online journey uses (surveys.selectors.survey_structure_get), so the
paper form and the web form cannot drift apart. Pure: no rendering here (see paper/render.py).
"""

from dataclasses import dataclass, field

from surveys import routing
from surveys.models import Question
from surveys.selectors import QuestionSpec, SurveyStructure

Type = Question.Type

INSTRUCTIONS = {
    Type.SINGLE_CHOICE: "Tick one box.",
    Type.AGREEMENT: "Tick one box.",
    Type.DROPDOWN: "Tick one box.",
    Type.MULTIPLE_CHOICE: "Tick all that apply.",
    Type.GRID: "Tick one box in each row.",
    Type.SHORT_TEXT: "Write your answer in the box.",
    Type.LONG_TEXT: "Write your answer in the box.",
    Type.EMAIL: "Write your email address in the box.",
    Type.POSTCODE: "Write your postcode in the box.",
    Type.NUMBER: "Write a number in the box.",
    Type.DATE: "Write the date as day, month and year.",
    Type.DATE_OF_BIRTH: "Write your date of birth as day, month and year, or your age.",
}
PREFER_NOT_TO_SAY_LABEL = "Prefer not to say"


@dataclass
class PaperOption:
    label: str
    group: str = ""
    go_to: str = ""  # "go to question 7", when this answer skips what follows
    write_in: bool = False


@dataclass
class PaperQuestion:
    number: int
    spec: QuestionSpec
    text: str
    hint: str
    kind: str  # the question type: the template draws boxes, lines or a grid for it
    instruction: str
    options: list[PaperOption] = field(default_factory=list)
    rows: list[str] = field(default_factory=list)
    only_if: str = ""  # "Only answer this question if you answered Yes to question 3."
    required: bool = False
    max_choices: int | None = None
    prefer_not_to_say: bool = False
    why_we_ask: str = ""
    how_we_use: str = ""

    @property
    def routing(self) -> list[str]:
        """Where each answer that skips ahead goes: "If you answered “No”, go to question 7."."""
        return [f"If you answered “{o.label}”, {o.go_to}." for o in self.options if o.go_to]


@dataclass
class PaperSection:
    title: str
    introduction: str
    questions: list[PaperQuestion]
    is_about_you: bool = False
    only_if: str = ""


@dataclass
class PaperForm:
    sections: list[PaperSection]

    @property
    def questions(self) -> list[PaperQuestion]:
        return [q for s in self.sections for q in s.questions]


def _answers_in_words(rule: routing.Rule, asked: PaperQuestion) -> str:
    labels = [_label(asked, value) for value in rule.values]
    if rule.operator == routing.AGE_AT_LEAST_OR_UNKNOWN:
        return f"you are aged {rule.values[0]} or over (or did not give your age)"
    said = " or ".join(labels)
    verb = "ticked" if asked.kind == Type.MULTIPLE_CHOICE else "answered"
    return f"you {verb} {said} to question {asked.number}"


def _label(question: PaperQuestion, value: str) -> str:
    for option, spec_option in zip(question.options, question.spec.options, strict=False):
        if spec_option.value == value:
            return f"“{option.label}”"
    return f"“{value}”"


def paper_form_build(*, structure: SurveyStructure) -> PaperForm:
    """Number the questions and write the routing in words."""
    numbered: dict[str, PaperQuestion] = {}
    sections: list[PaperSection] = []
    pages: list[tuple[routing.Rule | None, list[PaperQuestion]]] = []
    number = 0
    about_you_intro = ""
    for page in structure.pages:
        if page.is_equality_intro:
            about_you_intro = page.page.introduction
            continue
        questions = []
        for spec in page.questions:
            number += 1
            numbered[spec.key] = _question(spec, number)
            questions.append(numbered[spec.key])
        if not questions:
            continue
        pages.append((page.rule, questions))
        if page.is_equality and sections and sections[-1].is_about_you:
            sections[-1].questions.extend(questions)  # About you is one section on paper
        elif page.is_equality:
            sections.append(PaperSection("About you", about_you_intro, questions, is_about_you=True))
        else:
            sections.append(PaperSection(page.page.title, page.page.introduction, questions))

    # Question conditions: "Only answer this question if ...".
    for question in numbered.values():
        rule = question.spec.rule
        if rule is not None:
            asked = numbered.get(rule.question_key)
            if rule.operator == routing.AGE_AT_LEAST_OR_UNKNOWN or asked is not None:
                question.only_if = f"Only answer this question if {_answers_in_words(rule, asked or question)}."

    # Page conditions: the page's questions (and the following pages' with the same condition) are for
    # some residents only; the other answers to the question it depends on say where to go instead.
    index = 0
    while index < len(pages):
        rule, questions = pages[index]
        run = list(questions)
        while index + 1 < len(pages) and rule is not None and pages[index + 1][0] == rule:
            index += 1
            run.extend(pages[index][1])
        index += 1
        if rule is None:
            continue
        first, end = run[0].number, run[-1].number
        span = f"question {first}" if end == first else f"questions {first} {'and' if end == first + 1 else 'to'} {end}"
        asked = numbered.get(rule.question_key)
        run[0].only_if = f"Only answer {span} if {_answers_in_words(rule, asked or run[0])}."
        if asked is None or asked.kind not in (Type.SINGLE_CHOICE, Type.AGREEMENT, Type.DROPDOWN):
            continue
        target = f"go to question {end + 1}" if end < number else "go to the end of the form"
        for option, spec_option in zip(asked.options, asked.spec.options, strict=False):
            if spec_option.value not in rule.values and not option.go_to:
                option.go_to = target
    return PaperForm(sections=sections)


def _question(spec: QuestionSpec, number: int) -> PaperQuestion:
    question = spec.question
    kind = question.type
    options = [PaperOption(o.label, o.group, write_in=o.write_in) for o in spec.options]
    instruction = INSTRUCTIONS.get(Type(kind), "")
    if kind == Type.MULTIPLE_CHOICE and question.max_choices:
        instruction = f"Tick up to {question.max_choices}."
    return PaperQuestion(
        number=number,
        spec=spec,
        text=question.text,
        hint=question.hint,
        kind=kind,
        instruction=instruction,
        options=options,
        rows=[row.label for row in spec.rows],
        required=question.required,
        max_choices=question.max_choices,
        prefer_not_to_say=bool(
            kind == Type.DATE_OF_BIRTH or (question.allow_prefer_not_to_say and kind in (Type.NUMBER, Type.DATE))
        ),
        why_we_ask=question.why_we_ask,
        how_we_use=question.how_we_use,
    )
