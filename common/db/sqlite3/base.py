"""Django's SQLite backend, converting each statement's placeholders once per process, not on every run.

Django writes SQL with `%s` placeholders; its SQLite cursor rewrites them into SQLite's own `?` with a
regular expression every time a statement runs. For a resident sending a response that rewriting cost
more than a tenth of the time SQLite itself took (the answers' INSERT alone has over a hundred
placeholders: docs/decisions/0048). Here the rewritten statement is kept, by its text, for the
statements last run (`_MOST`): the same text gives the same rewriting, so the database receives the
very same SQL. Everything else (the connection, its settings, `vendor`, the debug cursor that tests
read queries from, which shows the statement as Django wrote it) is Django's backend unchanged.

Settings use it for every SQLite database (config/settings.py): its name ends in `sqlite3`, as the
checks of the engine's name expect.
"""

import functools
from typing import Any

from django.db.backends.sqlite3 import base

_MOST = 1024


class SQLiteCursorWrapper(base.SQLiteCursorWrapper):
    def convert_query(self, query: str, *, param_names: Any = None) -> str:
        if param_names is None:
            return _qmark(query)
        return str(super().convert_query(query, param_names=param_names))


@functools.lru_cache(maxsize=_MOST)
def _qmark(query: str) -> str:
    """`query` with Django's `%s` placeholders as SQLite's `?`, as Django's SQLite cursor converts it."""
    return str(base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%"))


class DatabaseWrapper(base.DatabaseWrapper):
    def create_cursor(self, name: str | None = None) -> SQLiteCursorWrapper:
        return self.connection.cursor(factory=SQLiteCursorWrapper)  # type: ignore[no-any-return]
