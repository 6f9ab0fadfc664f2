"""What a process keeps in memory for a short while: the newest few entries, each for a limited age.

Surveys' structures (surveys/structure_cache.py) and the survey "Check your answers" read for sending
(surveys/wizard/view.py) are kept this way: per process, bounded in number (the least recently used
goes first) and in age (an entry older than the `max_age` its reader asks for is never given back; read
at each call, so that a setting or a test can change it), safe across threads.
"""

import threading
import time
from collections import OrderedDict


class KeptInProcess[K, V]:
    def __init__(self, *, most: int) -> None:
        self.most = most
        self._lock = threading.Lock()
        self._entries: OrderedDict[K, tuple[float, V]] = OrderedDict()

    def get(self, key: K, *, max_age: float) -> V | None:
        """The value kept under `key` if it was kept less than `max_age` seconds ago, else None."""
        now = time.monotonic()
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or now - entry[0] >= max_age:
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def keep(self, key: K, value: V) -> None:
        """Keep `value` under `key` from now, letting the least recently used go beyond `most` entries."""
        now = time.monotonic()
        with self._lock:
            self._entries[key] = (now, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.most:
                self._entries.popitem(last=False)

    def forget(self, key: K) -> None:
        with self._lock:
            self._entries.pop(key, None)
