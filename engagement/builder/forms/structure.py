"""Forms for a survey's pages, questions, choices, grid rows and routing conditions."""

from typing import Any

from django import forms

from engagement.builder.services.structure import BUILDER_TYPES, CHOICE_TYPES, QuestionDetails
from surveys.models import Question
from surveys.selectors import ChoiceOption, QuestionSpec

Type = Question.Type

TYPE_HINTS = {
    Type.SHORT_TEXT: "A line of text, like a name or a street",
    Type.LONG_TEXT: "Paragraphs of text: comments, ideas, reasons",
    Type.SINGLE_CHOICE: "One answer from a list, shown as radio buttons",
    Type.MULTIPLE_CHOICE: "Any number of answers from a list, shown as checkboxes",
    Type.DROPDOWN: "One answer from a long list, shown as a dropdown",
    Type.AGREEMENT: "Strongly agree to strongly disagree, with Don't know",
    Type.NUMBER: "A number, with a smallest and largest if you want",
    Type.DATE: "A day, month and year",
    Type.EMAIL: "An email address",
    Type.GRID: "Several rows (like parks) each rated on the same choices (like good to poor)",
}


class PageForm(forms.Form):
    title = forms.CharField(label="Page title", max_length=200, error_messages={"required": "Enter the page title"})
    introduction = forms.CharField(
        label="Introduction",
        required=False,
        help_text="Shown above the page's questions. Leave it blank if the questions speak for themselves.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class QuestionTypeForm(forms.Form):
    type = forms.ChoiceField(
        label="What kind of question is it?",
        choices=[(t.value, t.label) for t in BUILDER_TYPES],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of question"},
    )


def _lines(help_text: str, label: str) -> forms.CharField:
    return forms.CharField(label=label, required=False, help_text=help_text, widget=forms.Textarea(attrs={"rows": 5}))


class QuestionForm(forms.Form):
    """A question's details. Fields that do not apply to its type are left out."""

    text = forms.CharField(label="Question", max_length=500, error_messages={"required": "Enter the question"})
    hint = forms.CharField(
        label="Hint",
        required=False,
        help_text="Extra help shown under the question, like what to include.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    type = forms.ChoiceField(label="Kind of question", choices=[(t.value, t.label) for t in BUILDER_TYPES])
    required = forms.BooleanField(label="Residents must answer this question", required=False)
    key = forms.SlugField(
        label="Key",
        required=False,
        max_length=60,
        help_text="Names the question in exports. Leave blank to make one from the question.",
        error_messages={"invalid": "The key can only have letters, numbers, underscores and hyphens"},
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )
    max_length = forms.IntegerField(
        label="Most characters",
        required=False,
        min_value=1,
        max_value=100_000,
        help_text="Leave blank for no limit.",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": "The most characters must be a whole number, like 500"},
    )
    max_choices = forms.IntegerField(
        label="Most answers a resident can choose",
        required=False,
        min_value=1,
        max_value=100,
        help_text="Leave blank for no limit.",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": "The most answers must be a whole number, like 3"},
    )
    min_value = forms.DecimalField(
        label="Smallest number",
        required=False,
        max_digits=12,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={"invalid": "The smallest number must be a number, like 0"},
    )
    max_value = forms.DecimalField(
        label="Largest number",
        required=False,
        max_digits=12,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={"invalid": "The largest number must be a number, like 100"},
    )
    allow_other = forms.BooleanField(label='Offer "Other (please specify)" with a text box', required=False)
    allow_prefer_not_to_say = forms.BooleanField(label='Offer "Prefer not to say"', required=False)
    choices = _lines("One choice on each line. You can add, reword and reorder choices later.", "Choices")
    rows = _lines("One row on each line, like the names of parks.", "Grid rows")
    confirm_reword = forms.BooleanField(
        label="The new wording asks the same thing: show the answers already given against it",
        required=False,
    )

    def __init__(self, *args: Any, question_type: str, new: bool, answered: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.question_type = question_type
        keep = {"text", "hint", "required", "key"}
        keep |= {"type"} if not new else set()
        if question_type in (Type.SHORT_TEXT, Type.LONG_TEXT):
            keep.add("max_length")
        if question_type == Type.MULTIPLE_CHOICE:
            keep.add("max_choices")
        if question_type == Type.NUMBER:
            keep |= {"min_value", "max_value"}
        if question_type in CHOICE_TYPES - {Type.AGREEMENT}:
            keep.add("allow_other")
        if question_type in (Type.NUMBER, Type.DATE):
            keep.add("allow_prefer_not_to_say")
        if new and question_type in CHOICE_TYPES:
            keep.add("choices")
            if question_type == Type.AGREEMENT:
                self.fields["choices"].help_text = (
                    "Leave blank for Strongly agree, Agree, Neither agree nor disagree, Disagree, Strongly disagree "
                    "and Don't know; or write your own scale, one answer on each line."
                )
        if new and question_type == Type.GRID:
            keep.add("rows")
            self.fields["choices"].label = "Choices to rate each row on"
        if answered:
            keep.add("confirm_reword")
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("min_value"), data.get("max_value")
        if low is not None and high is not None and low > high:
            self.add_error("max_value", "The largest number must be the same as or more than the smallest")
        return data

    def details(self) -> QuestionDetails:
        data = self.cleaned_data
        return QuestionDetails(
            text=data["text"],
            hint=data.get("hint", ""),
            type=data.get("type") or self.question_type,
            required=data.get("required", False),
            key=data.get("key", ""),
            max_length=data.get("max_length"),
            max_choices=data.get("max_choices"),
            min_value=data.get("min_value"),
            max_value=data.get("max_value"),
            allow_other=data.get("allow_other", False),
            allow_prefer_not_to_say=data.get("allow_prefer_not_to_say", False),
        )

    def lines(self, name: str) -> list[str]:
        return str(self.cleaned_data.get(name) or "").splitlines()


class OptionForm(forms.Form):
    label = forms.CharField(label="Wording", max_length=300, error_messages={"required": "Enter the wording"})
    confirm_reword = forms.BooleanField(
        label="The new wording means the same: show the answers already given with it", required=False
    )

    def __init__(self, *args: Any, answered: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not answered:
            del self.fields["confirm_reword"]


class ConditionQuestionForm(forms.Form):
    question = forms.TypedChoiceField(
        label="Which earlier answer decides it?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the question whose answer decides it"},
    )

    def __init__(self, *args: Any, questions: list[QuestionSpec], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["question"].choices = [(q.question.pk, q.question.text) for q in questions]  # type: ignore[attr-defined]


class ConditionAnswersForm(forms.Form):
    values = forms.MultipleChoiceField(
        label="Show it when the answer is",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one answer that shows it"},
    )

    def __init__(self, *args: Any, options: list[ChoiceOption], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["values"].choices = [(o.value, o.label) for o in options]  # type: ignore[attr-defined]
