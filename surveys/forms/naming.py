"""What a question's answer is called in its error messages: GOV.UK's "[whatever it is]".

"Select how often you visit a park", "Enter your postcode", "The date of your last visit must be a
real date": the message names the question and says what to do, the same in the error summary and
beside the field. Officers can write the name (`Question.answer_name`); otherwise it is worked out
from the question's wording, falling back to quoting the question.
"""

import re
from collections.abc import Callable

from surveys.models import Question

Type = Question.Type

# Questions turned into the clause an error message needs: "How often do you visit?" -> "how often you visit".
_WH = r"(?P<wh>how|what|which|who|where|when|why)(?P<what>(?: \w+){0,2})"
_REWRITES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(r"^(?:what|which) (?:is|are) your (?P<rest>.+)$", re.I), lambda m: f"your {m['rest']}"),
    (
        re.compile(_WH + r" (?:do|does|did) you (?P<rest>.+)$", re.I),
        lambda m: f"{m['wh'].lower()}{m['what']} you {m['rest']}",
    ),
    (
        re.compile(_WH + r" (?P<verb>would|will|should|could|can) you (?P<rest>.+)$", re.I),
        lambda m: f"{m['wh'].lower()}{m['what']} you {m['verb'].lower()} {m['rest']}",
    ),
    (re.compile(r"^(?:do|did) you (?P<rest>.+)$", re.I), lambda m: f"whether you {m['rest']}"),
    (
        re.compile(r"^(?P<verb>are|were|have|would|will|can|could|should) you (?P<rest>.+)$", re.I),
        lambda m: f"whether you {m['verb'].lower()} {m['rest']}",
    ),
    # "What stops you visiting?" is already the clause: "what stops you visiting".
    (
        re.compile(r"^(?P<wh>what|which|who)(?P<rest> (?!(?:is|are|was|were|do|does|did|has|have)\b).+)$", re.I),
        lambda m: f"{m['wh'].lower()}{m['rest']}",
    ),
]

_DEFAULT_NAMES = {
    Type.EMAIL: "your email address",
    Type.POSTCODE: "your postcode",
    Type.DATE_OF_BIRTH: "your date of birth",
}


def _clause(text: str) -> str | None:
    for pattern, rewrite in _REWRITES:
        match = pattern.match(text)
        if match:
            return rewrite(match)
    return None


def answer_name(question: Question) -> str:
    """The name of the answer, to go after "Select" or "Enter" (lower case, no full stop)."""
    if question.answer_name.strip():
        return question.answer_name.strip().rstrip(".")
    if question.type in _DEFAULT_NAMES:
        return _DEFAULT_NAMES[Type(question.type)]
    text = " ".join(question.text.split()).rstrip("?.!: ")
    if question.type == Type.AGREEMENT:
        return f"how far you agree with “{text}”"
    if question.type == Type.DATE:
        return f"the date for “{text}”"
    return _clause(text) or f"your answer to “{text}”"


def capitalised(name: str) -> str:
    """The name at the start of a sentence: "The date of your last visit must be a real date"."""
    return name[:1].upper() + name[1:]
