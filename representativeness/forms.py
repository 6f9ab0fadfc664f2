"""Forms for officers: uploading a census file. The file's content is checked by the census package."""

import re

from django import forms
from django.core.files.uploadedfile import UploadedFile

from representativeness.census.cells import is_gss_code

_SEPARATORS = re.compile(r"[\s,;]+")


class BaselineUploadForm(forms.Form):
    file = forms.FileField(
        label="Census file",
        error_messages={"required": "Select a census file", "empty": "The selected file is empty"},
    )
    areas = forms.CharField(
        label="Only these areas (optional)",
        required=False,
        max_length=2000,
        help_text="ONS area codes separated by commas or spaces, for example E08000007. "
        "Leave empty to import every area in the file.",
    )

    council = forms.ModelChoiceField(
        queryset=None,  # type: ignore[arg-type]
        to_field_name="code",
        required=False,
        label="Council the wards lie in (for a file of wards)",
        empty_label="Not a file of wards",
        help_text="A council's surveys ask residents to pick one of its wards, and compare with them.",
        error_messages={"invalid_choice": "Choose a council whose census is loaded"},
    )

    def __init__(self, *args: object, max_bytes: int, councils: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["council"].queryset = councils  # type: ignore[attr-defined]
        self.max_bytes = max_bytes

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if upload.size is not None and upload.size > self.max_bytes:
            raise forms.ValidationError(
                f"The selected file must be smaller than {self.max_bytes / (1024 * 1024):.0f} MB "
                f"(it is {upload.size / (1024 * 1024):.1f} MB)"
            )
        return upload

    def clean_areas(self) -> list[str]:
        codes = [code.upper() for code in _SEPARATORS.split(self.cleaned_data["areas"]) if code]
        bad = [code for code in codes if not is_gss_code(code)]
        if bad:
            raise forms.ValidationError(
                f"Enter ONS area codes like E08000007 ({', '.join(bad[:3])} {'is' if len(bad) == 1 else 'are'} not)"
            )
        return list(dict.fromkeys(codes))


class DatasetUploadForm(forms.Form):
    """A group's equality data: the file is read by representativeness.populations, never kept."""

    title = forms.CharField(
        label="Name of the group",
        max_length=200,
        help_text="For example, Adult social care users 2026, or Youth forum.",
        error_messages={"required": "Enter the name of the group"},
    )
    team = forms.ModelChoiceField(queryset=None, label="Team", empty_label=None)  # type: ignore[arg-type]
    file = forms.FileField(
        label="Equality data file",
        required=False,
        error_messages={"empty": "The selected file is empty"},
    )
    counts = forms.CharField(
        label="Or type the counts",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=(
            "One a line: characteristic, category, count. For example: sex, Female, 12. Ages in whole years "
            "or in bands: age, 16 to 24, 30 (or 16-24, 65 and over, 65+, under 16)."
        ),
    )
    minimum_age = forms.IntegerField(
        label="Youngest age compared",
        required=False,
        min_value=0,
        max_value=120,
        help_text="Leave empty to start at the youngest age in the file (0 to include children).",
        error_messages={
            "invalid": "Youngest age must be a whole number, like 18",
            "min_value": "Youngest age must be 0 or more",
            "max_value": "Youngest age must be 120 or less",
        },
    )
    mappings = forms.CharField(
        label="How to read labels this service does not know",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One a line: column = label = census category, for example Ethnicity = Other - Arab = Arab.",
    )

    def __init__(self, *args: object, teams: object, max_bytes: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]
        self.max_bytes = max_bytes

    def clean_file(self) -> UploadedFile | None:
        upload: UploadedFile | None = self.cleaned_data["file"]
        if upload is not None and upload.size is not None and upload.size > self.max_bytes:
            raise forms.ValidationError(
                f"The selected file must be smaller than {self.max_bytes / (1024 * 1024):.0f} MB"
            )
        return upload

    def clean(self) -> dict:
        data = super().clean() or {}
        if "file" in data and not data.get("file") and not data.get("counts", "").strip():
            self.add_error("file", "Select a CSV or XLSX file, or type the counts")
        return data

    def upload(self) -> tuple[str, bytes, str | None]:
        """The file's name and bytes, or the typed counts (read by representativeness.populations)."""
        upload = self.cleaned_data.get("file")
        if upload is not None:
            return upload.name, upload.read(), None
        return "counts typed in", b"", self.cleaned_data["counts"]
