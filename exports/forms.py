from django import forms

from surveys.exports import ExportFormat


class ExportForm(forms.Form):
    file_format = forms.ChoiceField(
        label="Format",
        choices=ExportFormat.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the format of the file"},
    )
    with_equality = forms.BooleanField(
        label="Include the About you answers (special category data: keep the file secure)", required=False
    )

    def __init__(self, *args: object, may_include_equality: bool, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not may_include_equality:
            del self.fields["with_equality"]
