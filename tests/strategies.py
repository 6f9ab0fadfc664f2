"""Hypothesis strategies for malformed and random input, shared by the property tests of every upload:
the census importer (tests/representativeness/census/test_census_properties.py), the survey forms
(tests/surveys/test_form_properties.py), and the dataset upload when it comes (issue 15: feed its
parser `damaged_tables(<a good file of its own>)` and assert the same three things: it works or says
what is wrong, nothing changes when it refuses, never a server error)."""

import csv
import io

from hypothesis import strategies as st

# Text that breaks parsers: control characters, quotes, separators, right-to-left marks, emoji, huge
# numbers, negative and decimal counts, spreadsheet formulae.
NASTY_CELLS = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        ["", " ", "-1", "1e309", "NaN", "1,000", "12.5", '=HYPERLINK("x")', "\u202e", "\x00", '"', ";", "\t", "🙂"]
    ),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
)


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


@st.composite
def damaged_tables(draw: st.DrawFn, good: bytes) -> bytes:
    """A good CSV file, damaged in one or more of the ways real files are: cells changed, rows or
    columns dropped or repeated, the header renamed, the file cut short, re-encoded, or junk bytes."""
    rows = _rows(good)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        damage = draw(st.sampled_from(["cell", "drop_row", "repeat_row", "drop_column", "header", "ragged"]))
        row = draw(st.integers(min_value=0, max_value=len(rows) - 1)) if rows else 0
        if damage == "cell" and rows and rows[row]:
            column = draw(st.integers(min_value=0, max_value=len(rows[row]) - 1))
            rows[row][column] = draw(NASTY_CELLS)
        elif damage == "drop_row" and rows:
            rows.pop(row)
        elif damage == "repeat_row" and rows:
            rows.insert(row, list(rows[row]))
        elif damage == "drop_column" and rows and rows[0]:
            column = draw(st.integers(min_value=0, max_value=len(rows[0]) - 1))
            rows = [r[:column] + r[column + 1 :] for r in rows]
        elif damage == "header" and rows and rows[0]:
            column = draw(st.integers(min_value=0, max_value=len(rows[0]) - 1))
            rows[0][column] = draw(NASTY_CELLS)
        elif damage == "ragged" and rows:
            rows[row] = rows[row] + draw(st.lists(NASTY_CELLS, min_size=1, max_size=3))
    data = _csv(rows)
    ending = draw(st.sampled_from(["as is", "cut", "utf-16", "latin-1", "junk"]))
    if ending == "cut":
        data = data[: draw(st.integers(min_value=0, max_value=len(data)))]
    elif ending == "utf-16":
        data = data.decode("utf-8").encode("utf-16")
    elif ending == "latin-1":
        data = data.decode("utf-8").encode("latin-1", errors="replace")
    elif ending == "junk":
        data = data + draw(st.binary(min_size=1, max_size=64))
    return data


def random_files() -> st.SearchStrategy[bytes]:
    """Anything at all: empty, binary, a zip's signature, text."""
    return st.one_of(
        st.binary(max_size=2000),
        st.just(b""),
        st.binary(max_size=200).map(lambda b: b"PK\x03\x04" + b),
        st.text(max_size=500).map(lambda t: t.encode("utf-8")),
    )
