"""Sessions in the database, as Django's own engine keeps them (django.contrib.sessions.backends.db), but
written in one statement where Django's takes three (SESSION_ENGINE in config/settings.py).

Django wraps each save in a transaction so that a failed INSERT or UPDATE cannot spoil a transaction
around it. Sessions are saved after the view, by the session middleware, where no transaction is open:
there a single INSERT or UPDATE is its own transaction in PostgreSQL (and SQLite), and BEGIN and COMMIT
were two more round trips to the database on every page that changes the session (each page of a
resident's journey). Inside a transaction the save still uses a savepoint, as Django's does.

A new session's key is not looked up first either: a clash of 32 random characters is refused by the
key's uniqueness (CreateError), and Django's create() then draws another key, as it would have.

Loading reads the row with SQL the ORM compiled once (common/prepared.py) instead of building the
queryset on every request: the same statement (the key, and an expiry still to come) and the same
outcome as Django's: no row, or an expired one, gives an empty session and forgets the key; data that
does not decode (tampered with, or signed with another key) gives an empty session, logged, by
Django's own decode(). A changed session is written with the same UPDATE as Django's, in plain SQL.

A change that must be committed with other rows (sending a response forgets the journey's answers) can
be written inside that transaction instead (`save_in_transaction`): one commit instead of two, and the
session says what the database says. The middleware's save after the view then writes nothing, unless
the session changed since.

What a session holds, and where, is unchanged: the same table, the same rows.
"""

import functools
from typing import Any

from django.contrib.sessions.backends.base import VALID_KEY_CHARS, CreateError, SessionBase, UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core import signing
from django.db import DatabaseError, IntegrityError, connections, router, transaction
from django.db.transaction import TransactionManagementError
from django.utils import timezone
from django.utils.crypto import get_random_string

from common.prepared import OneRow


@functools.cache
def _live_session_data() -> OneRow[Any]:
    """A session's data, if its key has a session that has not expired (made on first use: the model
    cannot be imported before Django's apps are ready, and this module may be)."""
    return OneRow(DatabaseSessionStore.get_model_class(), "session_key", "expire_date__gt", values=("session_data",))


def _update(model: Any, using: str, key: str, data: str, expiry: Any) -> int:
    """The UPDATE that `session.save(force_update=True)` sends, as plain SQL, from the session's key, its
    encoded data and its expiry: building it through the ORM, or a model instance to save, cost more than
    running it. Returns the number of rows updated: 0 when the session is gone."""
    connection = connections[using]
    sql, fields = _update_sql(model, using)
    params = [
        field.get_db_prep_save(value, connection) for field, value in zip(fields, (data, expiry, key), strict=True)
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)


@functools.cache
def _update_sql(model: Any, using: str) -> tuple[str, tuple[Any, ...]]:
    """`_update`'s statement for the database `using` (its quoting) and the fields of its three values, in
    order: made once."""
    quote = connections[using].ops.quote_name
    meta = model._meta
    fields = tuple(meta.get_field(name) for name in ("session_data", "expire_date", "session_key"))
    data_field, expiry_field, key_field = fields
    sql = (
        f"UPDATE {quote(meta.db_table)} SET {quote(data_field.column)} = %s, {quote(expiry_field.column)} = %s"
        f" WHERE {quote(key_field.column)} = %s"
    )
    return sql, fields


# Session data shorter than this, serialized, is signed as it is, not compressed first: zlib sets up about
# a quarter of a megabyte of state for each call, which cost sending (whose session, the answers
# forgotten, is about 300 bytes) 20 to 25 microseconds in the request to save about 100 bytes of a row
# (docs/decisions/0048). Django's `decode` reads both, as it always has (`signing.loads`).
COMPRESS_FROM_BYTES = 512


class _Serialized:
    """A "serializer" for `signing.dumps` of data serialized already (`SessionStore._encoded`)."""

    def dumps(self, serialized: bytes) -> bytes:
        return serialized


class SessionStore(DatabaseSessionStore):
    # The session's key and its data (serialized) as `save_in_transaction` wrote them, once committed.
    _committed: tuple[str | None, bytes] | None = None

    def load(self) -> dict[str, Any]:
        row = _live_session_data().values_of(self.session_key, timezone.now())
        if row is None:
            self._session_key = None
            return {}
        data: dict[str, Any] = self.decode(row[0])
        return data

    def _get_new_session_key(self) -> str:
        return get_random_string(32, VALID_KEY_CHARS)

    def save_in_transaction(self) -> bool:
        """Write the session now, inside the transaction open on its database, to be committed with it.

        Returns False, writing nothing, when there is no row to update (a session not yet saved, or
        deleted meanwhile): the middleware's save after the view then does what it always does. No
        savepoint: an UPDATE of one row by its key fails only as the transaction itself would (a lost
        connection, a full disk), and then nothing of it is stored. Once the transaction commits, the
        middleware's save writes nothing unless the session's data has changed since."""
        if self.session_key is None:
            return False
        # Serialized once, for the row and for the middleware's comparison after the commit; no model
        # instance is made to hold it (sending's time: docs/decisions/0044).
        serialized = self.serializer().dumps(self._get_session())
        using = router.db_for_write(self.model)
        if not transaction.get_connection(using).in_atomic_block:
            raise TransactionManagementError("save_in_transaction() needs a transaction open (transaction.atomic)")
        if _update(self.model, using, self.session_key, self._encoded(serialized), self.get_expiry_date()) == 0:
            return False
        written = (self.session_key, serialized)
        transaction.on_commit(lambda: setattr(self, "_committed", written), using=using)
        return True

    def encode(self, session_dict: dict[str, Any]) -> str:
        return self._encoded(self.serializer().dumps(session_dict))

    def _encoded(self, serialized: bytes) -> str:
        """`encode(data)` for data serialized already: signed text as Django's own `signing.dumps` makes
        it, with the same salt, compressed if at least `COMPRESS_FROM_BYTES` long (and only where that
        saves room, as Django decides), without serializing it again."""
        compress = len(serialized) >= COMPRESS_FROM_BYTES
        return signing.dumps(serialized, salt=self.key_salt, serializer=_Serialized, compress=compress)

    def save(self, must_create: bool = False) -> Any:
        if self.session_key is None:
            return self.create()
        if (
            not must_create
            and self._committed is not None
            and self._committed == (self.session_key, self.serializer().dumps(self._get_session()))
        ):
            return None  # committed by save_in_transaction in this request, and unchanged since
        data = self._get_session(no_load=must_create)
        using = router.db_for_write(self.model)
        try:
            if transaction.get_connection(using).in_atomic_block:
                with transaction.atomic(using=using):
                    session = self.create_model_instance(data)
                    session.save(force_insert=must_create, force_update=not must_create, using=using)
            elif must_create:
                self.create_model_instance(data).save(force_insert=True, using=using)
            elif _update(self.model, using, self.session_key, self.encode(data), self.get_expiry_date()) == 0:
                raise UpdateError  # the session is gone
        except IntegrityError as error:
            if must_create:
                raise CreateError from error
            raise
        except DatabaseError as error:
            if not must_create:
                raise UpdateError from error
            raise
        return None


def save_in_transaction(session: SessionBase) -> bool:
    """`SessionStore.save_in_transaction` for a session of this engine; False for any other, which the
    middleware saves after the view as usual."""
    return isinstance(session, SessionStore) and session.save_in_transaction()
