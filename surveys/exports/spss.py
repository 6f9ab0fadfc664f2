"""A streaming writer of SPSS system files (.sav), a case at a time, holding no case once it is written.

Written from the format's public description (the GNU PSPP developers' guide, "System File Format"):

    with SavWriter(output, variables) as sav:  # the dictionary goes first: it must be whole before any case
        for case in cases:
            sav.write(case)  # numbers (float or None) and text (str or None), one per Variable

The file has: the header ($FL2, layout 2, bias 100, the case count patched in at the end), a variable
record per variable (plus continuation records for text wider than 8 bytes, and a 255-byte segment each
for text wider than 255 bytes, with the very long string record saying which segments make one variable),
variable labels, value labels (types 3 and 4), the machine integer and floating-point records, measurement
levels (subtype 11), long variable names (subtype 13), the character encoding (subtype 20: UTF-8) and the
dictionary's end (999); then the cases, bytecode-compressed (compression 1): an integer from -99 to 151 is
one byte, a blank number one byte, eight spaces of padding one byte, anything else 8 bytes after its code.

A text variable's width is in bytes and must be known before the first case; a value that does not fit is
refused (SavValueError), never cut short. The case count is written in place at the end, so the output
must be seekable; one that is not (a pipe) is written through a temporary file on disk.
"""

import datetime as dt
import shutil
import struct
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

# Format types (the PSPP guide's table): text, plain numbers, dates, date and time.
A, F, DATE, DATETIME = 1, 5, 20, 22
MEASURES = {"nominal": 1, "ordinal": 2, "scale": 3}
MAX_WIDTH = 32767  # the widest text variable SPSS has
SEGMENT = 252  # a very long string has one 255-byte segment per 252 bytes of its width
SEGMENT_DATA = 255
BIAS = 100
SPSS_EPOCH = dt.datetime(1582, 10, 14, tzinfo=dt.UTC)  # SPSS times count seconds from the Gregorian calendar's start
SYSMIS = -sys.float_info.max
HIGHEST = sys.float_info.max
LOWEST = -1.7976931348623155e308  # the number just above SYSMIS
RESERVED = {"ALL", "AND", "BY", "EQ", "GE", "GT", "LE", "LT", "NE", "NOT", "OR", "TO", "WITH"}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
CASE_COUNT_OFFSET = 80  # where the header's case count sits
BLANK, MISSING, RAW, PADDING = 254, 255, 253, 0
SPACES = b" " * 8
RAWS = [bytes([RAW]) * n for n in range(33)]  # codes for runs of up to 32 slots (a segment's 256 bytes)
BLANKS = [bytes([BLANK]) * n for n in range(33)]


class SavValueError(ValueError):
    """A value the file's dictionary cannot hold (text wider than its variable, or than SPSS allows)."""


@dataclass(frozen=True)
class Variable:
    name: str  # up to 64 bytes: a letter, then letters, digits and underscores
    label: str = ""
    width: int = 0  # 0 for a number; a text variable's width in bytes (UTF-8), 1 to 32,767
    format: tuple[int, int, int] = (F, 8, 2)  # a number's print and write format: type, width, decimals
    measure: str = "nominal"
    value_labels: tuple[tuple[float, str], ...] = ()  # numbers only

    @property
    def is_text(self) -> bool:
        return self.width > 0


def spss_seconds(moment: dt.date | dt.datetime) -> float:
    """A date (at midnight) or a time (UTC when it has no zone) as SPSS holds it: seconds since 14 October 1582."""
    if not isinstance(moment, dt.datetime):
        return (moment - SPSS_EPOCH.date()).days * 86400.0
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return (moment - SPSS_EPOCH) / dt.timedelta(microseconds=1) / 1e6


def _utf8_cut(data: bytes, limit: int) -> bytes:
    """At most `limit` bytes of UTF-8 text, never cutting a character in two."""
    if len(data) <= limit:
        return data
    end = limit
    while end > 0 and data[end] & 0xC0 == 0x80:  # a continuation byte: the character started earlier
        end -= 1
    return data[:end]


def _segments(width: int) -> list[int]:
    """The widths of a text variable's segments: one unless it is wider than 255 bytes."""
    if width <= SEGMENT_DATA:
        return [width]
    count = (width + SEGMENT - 1) // SEGMENT
    return [SEGMENT_DATA] * (count - 1) + [width - (count - 1) * SEGMENT]


def _slots(width: int) -> int:
    """8-byte slots a number (width 0) or a segment of text takes in each case."""
    return 1 if width == 0 else (width + 7) // 8


def _short_names(variables: Sequence[Variable]) -> list[list[str]]:
    """Unique names of at most 8 bytes (upper case) for each variable's segments, as the variable records need."""
    taken = set(RESERVED)

    def unique(base: str) -> str:
        candidate, number = base[:8], 0
        while candidate in taken:
            number += 1
            suffix = f"_{number}"
            candidate = base[: 8 - len(suffix)] + suffix
        taken.add(candidate)
        return candidate

    names = []
    for variable in variables:
        base = variable.name.upper()
        names.append([unique(base) for _ in _segments(variable.width)] if variable.is_text else [unique(base)])
    return names


def _padded(text: bytes, multiple: int, fill: bytes = b" ") -> bytes:
    return text + fill * (-len(text) % multiple)


class _Record:
    """Little-endian pieces of a dictionary record."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def ints(self, *values: int) -> "_Record":
        self.parts.append(struct.pack(f"<{len(values)}i", *values))
        return self

    def floats(self, *values: float) -> "_Record":
        self.parts.append(struct.pack(f"<{len(values)}d", *values))
        return self

    def raw(self, data: bytes) -> "_Record":
        self.parts.append(data)
        return self

    def extension(self, subtype: int, size: int, data: bytes) -> "_Record":
        """A type 7 record: `data` in items of `size` bytes."""
        return self.ints(7, subtype, size, len(data) // size).raw(data)

    def bytes(self) -> bytes:
        return b"".join(self.parts)


def _format(kind: int, width: int, decimals: int = 0) -> int:
    return kind << 16 | width << 8 | decimals


def _dictionary(variables: Sequence[Variable], created: dt.datetime) -> bytes:
    shorts = _short_names(variables)
    record = _Record()
    slots_per_case = sum(_slots(w) for v in variables for w in (_segments(v.width) if v.is_text else [0]))
    record.raw(b"$FL2" + b"@(#) SPSS DATA FILE Chorus".ljust(60))
    record.ints(2, slots_per_case, 1, 0, -1).floats(BIAS)
    month = MONTHS[created.month - 1]  # in English whatever the locale
    record.raw(f"{created:%d} {month} {created:%y}{created:%H:%M:%S}".encode())
    record.raw(b" " * 64 + b"\0" * 3)

    index = 1  # each variable's dictionary index: its first slot, counted from 1
    first_slot: list[int] = []
    display: list[int] = []
    for variable, names in zip(variables, shorts, strict=True):
        first_slot.append(index)
        label = _utf8_cut(variable.label.encode(), 255)
        widths = _segments(variable.width) if variable.is_text else [0]
        for number, (width, short) in enumerate(zip(widths, names, strict=True)):
            kind = (A, width, 0) if variable.is_text else variable.format
            has_label = number == 0 and bool(label)
            record.ints(2, width, int(has_label), 0, _format(*kind), _format(*kind))
            record.raw(short.encode().ljust(8))
            if has_label:
                record.ints(len(label)).raw(_padded(label, 4))
            for _ in range(_slots(width) - 1):  # text continuing into the next 8 bytes
                record.ints(2, -1, 0, 0, 0, 0).raw(b" " * 8)
            index += _slots(width)
            display += [
                MEASURES[variable.measure],
                min(max(width, 8), 40) if variable.is_text else max(kind[1], 8),
                0 if variable.is_text else 1,  # text to the left, numbers to the right
            ]

    for variable, slot in zip(variables, first_slot, strict=True):
        if variable.value_labels:
            record.ints(3, len(variable.value_labels))
            for value, text in variable.value_labels:
                encoded = _utf8_cut(text.encode(), 255)
                record.floats(value).raw(_padded(bytes([len(encoded)]) + encoded, 8))
            record.ints(4, 1, slot)

    record.ints(7, 3, 4, 8, 1, 0, 0, -1, 1, 1, 2, 65001)  # IEEE 754 floats, bytecode, little-endian, UTF-8
    record.ints(7, 4, 8, 3).floats(SYSMIS, HIGHEST, LOWEST)
    record.extension(11, 4, struct.pack(f"<{len(display)}i", *display))
    long_names = "\t".join(f"{names[0]}={v.name}" for v, names in zip(variables, shorts, strict=True))
    if long_names:
        record.extension(13, 1, long_names.encode())
    very_long = [
        f"{names[0]}={v.width:05d}\0\t" for v, names in zip(variables, shorts, strict=True) if v.width > SEGMENT_DATA
    ]
    if very_long:
        record.extension(14, 1, "".join(very_long).encode())
    record.extension(20, 1, b"UTF-8")
    record.ints(999, 0)
    return record.bytes()


class SavWriter:
    """Writes a .sav file to `output` a case at a time; `close` (or leaving the `with`) finishes it."""

    def __init__(self, output: IO[bytes], variables: Sequence[Variable], *, created: dt.datetime | None = None):
        for variable in variables:
            if variable.width > MAX_WIDTH:
                raise SavValueError(
                    f"{variable.name} needs {variable.width:,} bytes; SPSS holds at most {MAX_WIDTH:,} bytes of text"
                    " (CSV or XLSX hold any length)"
                )
        self.output = output
        self.file: IO[bytes] = output if output.seekable() else tempfile.TemporaryFile()  # noqa: SIM115
        self.start = self.file.tell()
        self.variables = list(variables)
        self.count = 0
        self.codes = bytearray()  # codes not yet written, and the 8-byte values their 253s stand for
        self.data = bytearray()
        self.encoders = [self._text_encoder(v) if v.is_text else self._number for v in self.variables]
        self.file.write(_dictionary(self.variables, created or dt.datetime.now()))

    def __enter__(self) -> "SavWriter":
        return self

    def __exit__(self, kind: Any, *_: Any) -> None:
        if kind is None:
            self.close()
        elif self.file is not self.output:
            self.file.close()

    def _number(self, value: float | None) -> None:
        if value is None or value != value:  # blank, or not a number: system-missing
            self.codes.append(MISSING)
        elif value.is_integer() and -BIAS < value <= 251 - BIAS:
            self.codes.append(int(value) + BIAS)
        else:
            self.codes.append(RAW)
            self.data += struct.pack("<d", value)

    def _text_encoder(self, variable: Variable) -> Any:
        layout = [_slots(w) for w in _segments(variable.width)]
        step = SEGMENT_DATA if len(layout) > 1 else variable.width  # packed tightly: 255 bytes a segment

        def encode(value: str | None) -> None:
            data = value.encode() if value else b""
            if len(data) > variable.width:
                raise SavValueError(f"{variable.name} has {len(data):,} bytes of text, over its {variable.width:,}")
            for slots in layout:
                piece, data = data[:step], data[step:]  # a character may span two segments: readers join them first
                used = (len(piece) + 7) // 8  # 8 bytes each after a 253; the spaces after the text, 254 each
                self.codes += RAWS[used] + BLANKS[slots - used]
                self.data += piece + SPACES[: -len(piece) % 8]

        return encode

    def write(self, case: Sequence[Any]) -> None:
        """One case: a value for each variable, in order (None where blank)."""
        for encode, value in zip(self.encoders, case, strict=True):
            encode(value)
        self.count += 1
        if len(self.codes) >= 8192:
            self._flush()

    def _flush(self, *, final: bool = False) -> None:
        codes, data = self.codes, self.data
        if final and len(codes) % 8:
            codes.extend(bytes([PADDING]) * (8 - len(codes) % 8))
        whole = len(codes) - len(codes) % 8
        out, used = bytearray(), 0
        for start in range(0, whole, 8):
            block = codes[start : start + 8]
            raw = block.count(RAW) * 8
            out += block
            out += data[used : used + raw]
            used += raw
        self.file.write(out)
        del codes[:whole]
        del data[:used]

    def close(self) -> None:
        """Write what is left, put the case count in the header and, through a temporary file, copy the file out."""
        self._flush(final=True)
        end = self.file.tell()
        self.file.seek(self.start + CASE_COUNT_OFFSET)
        self.file.write(struct.pack("<i", self.count if self.count < 2**31 else -1))
        self.file.seek(end)
        if self.file is not self.output:
            self.file.seek(self.start)
            shutil.copyfileobj(self.file, self.output, 1 << 20)
            self.file.close()
