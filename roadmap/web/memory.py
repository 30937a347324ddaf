"""Per-process memory: the one mechanism behind every in-process cache.

Two things are kept in each app process, in front of the database or the
shared cache: parsed roadmap graphs (roadmap/curriculum/loading.py) and
recently served pages (roadmap/web/page_cache.py); `make bench-caches` shows
what each earns. Each is a `ProcessMemory`: least recently used first out,
bounded by a budget (entries, or bytes for pages), and optionally expiring. None of them can serve
stale data, because every key names the token it was built from (a graph
token, or a learner's state token) and tokens are read from the database on
every request; the bound only limits memory.
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

Value = TypeVar("Value")


class ProcessMemory(Generic[Value]):
    """A thread-safe LRU map, bounded by the sum of its values' `cost` (1 each by default)."""

    def __init__(self, limit: int, *, cost: Callable[[Value], int] = lambda value: 1):
        self.limit = limit
        self.cost = cost
        self.used = 0
        # key → (value, its cost, expiry as time.time() or None)
        self._entries: OrderedDict[Hashable, tuple[Value, int, float | None]] = OrderedDict()
        self._lock = threading.Lock()  # gunicorn's threaded workers share it

    def get(self, key: Hashable) -> Value | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry[2] is not None and entry[2] < time.time():
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return entry[0]

    def set(self, key: Hashable, value: Value, *, expires: float | None = None) -> None:
        cost = self.cost(value)
        if cost > self.limit // 4:
            return  # one entry must not flush the rest (and a zero limit keeps nothing)
        with self._lock:
            if key in self._entries:
                self._drop(key)
            self._entries[key] = (value, cost, expires)
            self.used += cost
            while self.used > self.limit:
                self._drop(next(iter(self._entries)))

    def _drop(self, key: Hashable) -> None:
        self.used -= self._entries.pop(key)[1]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.used = 0

    def __len__(self) -> int:
        return len(self._entries)
