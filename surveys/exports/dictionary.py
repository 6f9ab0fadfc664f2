"""The data dictionary: what each column of an export holds, and what its answer codes mean."""

from collections.abc import Iterator, Sequence

from surveys.exports.columns import CODE, FLAG, Column

DICTIONARY_HEADER = ("column", "spss_name", "question", "label", "question_type", "column_type", "answer_codes")


def spss_name(name: str) -> str:
    """A column's name as SPSS allows it: a letter first, then letters, digits and underscores, 64 at most."""
    cleaned = "".join(ch if ch.isascii() and (ch.isalnum() or ch == "_") else "_" for ch in name)
    if not cleaned or not cleaned[0].isalpha():
        cleaned = "v_" + cleaned
    return cleaned[:64]


def spss_names(columns: Sequence[Column]) -> list[str]:
    """Each column's SPSS name, none repeated: SPSS allows a name once, whatever its case, and "how-often" and
    "how_often" would both be how_often (the second becomes how_often_2)."""
    names: list[str] = []
    taken: set[str] = set()
    for column in columns:
        base = name = spss_name(column.name)
        number = 1
        while name.casefold() in taken:
            number += 1
            suffix = f"_{number}"
            name = base[: 64 - len(suffix)] + suffix
        taken.add(name.casefold())
        names.append(name)
    return names


def spss_codes(column: Column) -> dict[str, int]:
    """The number SPSS stores for each answer code of a code column (1, 2, ... in the order offered)."""
    return {value: number for number, (value, _) in enumerate(column.codes, start=1)}


def _codes(column: Column) -> str:
    if column.kind == FLAG:
        return "1 = yes; 0 = no; blank = not answered"
    if column.kind != CODE:
        return ""
    numbers = spss_codes(column)
    return "; ".join(f"{value} ({numbers[value]} in SPSS) = {label}" for value, label in column.codes)


def dictionary_rows(columns: Sequence[Column]) -> Iterator[list[str]]:
    for column, name in zip(columns, spss_names(columns), strict=True):
        yield [
            column.name,
            name,
            column.question,
            column.label,
            column.question_type,
            column.kind,
            _codes(column),
        ]
