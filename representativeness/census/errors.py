"""What goes wrong in a census file, said so that an officer can find it: file, row and column."""

from collections.abc import Iterable
from dataclasses import dataclass

# Stop collecting after this many problems: a wrong file would otherwise list thousands.
MAX_ISSUES = 25


@dataclass(frozen=True)
class CensusIssue:
    file_name: str
    message: str
    row: int | None = None  # 1-based, the header being row 1, as a spreadsheet shows it
    column: int | None = None  # 1-based
    column_name: str | None = None

    @property
    def where(self) -> str:
        parts = [self.file_name]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            name = f" ({self.column_name!r})" if self.column_name else ""
            parts.append(f"column {self.column}{name}")
        elif self.column_name:
            parts.append(f"column {self.column_name!r}")
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class CensusFileError(ValueError):
    """One or more problems that stop a file being imported. Nothing is written when this is raised."""

    def __init__(self, issues: Iterable[CensusIssue]) -> None:
        self.issues = list(issues)
        super().__init__("\n".join(str(issue) for issue in self.issues))


class IssueCollector:
    """Gathers problems while a file is read, so that one run reports them all (up to MAX_ISSUES)."""

    def __init__(self, file_name: str) -> None:
        self.file_name = file_name
        self.issues: list[CensusIssue] = []

    def add(
        self, message: str, *, row: int | None = None, column: int | None = None, column_name: str | None = None
    ) -> None:
        if len(self.issues) < MAX_ISSUES:
            self.issues.append(CensusIssue(self.file_name, message, row, column, column_name))
        elif len(self.issues) == MAX_ISSUES:
            self.issues.append(CensusIssue(self.file_name, "further problems not listed"))

    def fail(
        self, message: str, *, row: int | None = None, column: int | None = None, column_name: str | None = None
    ) -> CensusFileError:
        """Add a problem that stops reading at once, and return the error to raise."""
        self.add(message, row=row, column=column, column_name=column_name)
        return CensusFileError(self.issues)

    def raise_if_any(self) -> None:
        if self.issues:
            raise CensusFileError(self.issues)
