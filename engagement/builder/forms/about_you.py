from django import forms

from surveys.equality.library import STANDARD_QUESTIONS


class EqualitySectionForm(forms.Form):
    """Choose the "About you" questions, their order, and what each says about why it is asked."""

    def __init__(self, *args: object, current: dict[str, tuple[int, str, str]] | None = None, **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        current = current or {}
        for index, question in enumerate(STANDARD_QUESTIONS, start=1):
            position, why, how = current.get(question.key, (0, question.why_we_ask, question.how_we_use))
            self.fields[f"include_{question.key}"] = forms.BooleanField(
                required=False, label=question.text, initial=bool(position) if current else True
            )
            self.fields[f"position_{question.key}"] = forms.IntegerField(
                required=False, min_value=1, max_value=99, label="Order", initial=position or index
            )
            self.fields[f"why_{question.key}"] = forms.CharField(
                required=False, label="Why we ask", widget=forms.Textarea(attrs={"rows": 2}), initial=why
            )
            self.fields[f"how_{question.key}"] = forms.CharField(
                required=False, label="How we use the answer", widget=forms.Textarea(attrs={"rows": 2}), initial=how
            )

    def rows(self) -> list[dict[str, object]]:
        """The form's fields grouped per standard question, for the template."""
        return [
            {
                "question": q,
                "include": self[f"include_{q.key}"],
                "position": self[f"position_{q.key}"],
                "why": self[f"why_{q.key}"],
                "how": self[f"how_{q.key}"],
            }
            for q in STANDARD_QUESTIONS
        ]

    def chosen(self) -> tuple[list[str], dict[str, tuple[str, str]]]:
        """The chosen keys in the officer's order (ties keep the library's order), and their texts."""
        data = self.cleaned_data
        keys = [q.key for q in STANDARD_QUESTIONS if data.get(f"include_{q.key}")]
        order = {key: (data.get(f"position_{key}") or 99, i) for i, key in enumerate(keys)}
        keys.sort(key=order.__getitem__)
        texts = {key: (data.get(f"why_{key}") or "", data.get(f"how_{key}") or "") for key in keys}
        return keys, texts
