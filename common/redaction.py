"""Keeping equality answers, resume tokens and passwords out of the logs.

`RedactingFilter` sits on every handler in settings.LOGGING, so whatever logs through them (Django's
request and server loggers, the database backend, this project's code) passes through it:

- Exceptions keep their type and their stack, but not their message: messages quote values, such as
  PostgreSQL's "Failing row contains (...)", a date that would not parse, or a choice that was refused.
- SQL logged by django.db.backends (LOG_LEVEL=DEBUG) keeps its shape with every literal replaced by
  `?`, and its parameters are dropped: statements carry answers, session data and password hashes.
- Resume tokens in addresses (`?token=...`) and password-like `name=value` pairs are withheld from
  every message, the access log's request lines included.
- The request a record carries is dropped, so that no handler can print its POST data.

The database server's own log is the other place statements end up: see docs/decisions/0010.
"""

import logging
import re
import traceback
from typing import Any

WITHHELD = "[withheld]"
EXCEPTION_MESSAGE_WITHHELD = "[message withheld: it may quote personal data]"

# A resume token in an address: /s/<slug>/resume/?token=...
_TOKEN = re.compile(r"(?<![\w-])(token=)[^&\s\"'<>]+", re.IGNORECASE)
# password=..., "password": "...", password: ... (also passwd, secret, api_key and the like).
_SECRET = re.compile(
    r"""((?:password|passwd|secret|api_?key)\w*["']?\s*[:=]\s*)("[^"]*"|'[^']*'|[^\s&,;)}\]]+)""", re.IGNORECASE
)
# SQL literals: quoted strings ('' inside them is a quote) and numbers that are not part of a name or a
# $n placeholder.
_SQL_LITERAL = re.compile(r"""'(?:[^']|'')*'|(?<![\w$."])-?\b\d+(?:\.\d+)?(?:[eE][-+]?\d+)?\b""")


def redact_text(text: str) -> str:
    """A message with resume tokens and password-like values withheld."""
    return _SECRET.sub(rf"\g<1>{WITHHELD}", _TOKEN.sub(rf"\g<1>{WITHHELD}", text))


def redact_sql(sql: str) -> str:
    """A logged SQL statement with every literal value replaced by ?, its shape kept."""
    return _SQL_LITERAL.sub("?", sql)


_CAUSE = "The above exception was the direct cause of the following exception:"
_CONTEXT = "During handling of the above exception, another exception occurred:"


def exception_text(error: BaseException) -> str:
    """A traceback as Python prints it, chained exceptions included, with each exception's message withheld."""
    chain: list[tuple[BaseException, str]] = []  # from the last exception back: (exception, how it follows)
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None:
        seen.add(id(current))
        if current.__cause__ is not None:
            link, earlier = _CAUSE, current.__cause__
        elif current.__context__ is not None and not current.__suppress_context__:
            link, earlier = _CONTEXT, current.__context__
        else:
            link, earlier = "", None
        if earlier is not None and id(earlier) in seen:
            link, earlier = "", None
        chain.append((current, link))
        current = earlier
    parts: list[str] = []
    for exc, link in reversed(chain):
        if link:
            parts.append(f"\n{link}\n\n")
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.format_tb(exc.__traceback__))
        kind = type(exc)
        name = kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"
        parts.append(f"{name}: {EXCEPTION_MESSAGE_WITHHELD}\n")
    return "".join(parts).rstrip("\n")


def _database_args(args: Any) -> Any:
    """Arguments of a django.db.backends record: SQL redacted, parameters dropped, timings and aliases kept."""
    values = args if isinstance(args, tuple) else (args,)
    kept = []
    for value in values:
        if isinstance(value, str):
            kept.append(redact_sql(value))
        elif isinstance(value, int | float) and not isinstance(value, bool):
            kept.append(value)
        else:
            kept.append(WITHHELD)
    return tuple(kept)


class RedactingFilter(logging.Filter):
    """Withholds equality answers, resume tokens and passwords from every record (module docstring)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "chorus_redacted", False):
            return True  # a record reaching a second handler
        if record.name.startswith("django.db.backends"):
            if record.args:
                record.args = _database_args(record.args)
            if isinstance(getattr(record, "sql", None), str):
                record.sql = redact_sql(record.sql)
            if hasattr(record, "params"):
                record.params = None
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        record.msg, record.args = redact_text(message), ()
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = exception_text(record.exc_info[1])
            record.exc_info = None  # so no handler formats the original message again
        elif record.exc_text:
            record.exc_text = redact_text(record.exc_text)
        if hasattr(record, "request"):
            record.request = None
        record.chorus_redacted = True
        return True
