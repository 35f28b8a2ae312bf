"""One bounded, thread-safe LRU cache for everything the renderer keeps between renders.

A long run (thousands of renders in one process) must keep memory flat, so every cache has a
limit on its entries and, for caches of bytes, on their total size.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable, Generic, Hashable, TypeVar

V = TypeVar("V")


class LRUCache(Generic[V]):
    """Least recently used entries go first once ``max_items`` or ``max_bytes`` is passed.

    ``size`` tells the bytes of a value (needed with ``max_bytes``); a value larger than
    ``max_item_bytes`` is not kept, so one huge item cannot evict everything else.
    """

    def __init__(self, max_items: int | None = None, max_bytes: int | None = None,
                 size: Callable[[V], int] = len,  # type: ignore[assignment]
                 max_item_bytes: int | None = None) -> None:
        if max_items is None and max_bytes is None:
            raise ValueError("a cache needs max_items or max_bytes")
        self.max_items, self.max_bytes = max_items, max_bytes
        self.max_item_bytes = max_item_bytes if max_item_bytes is not None else max_bytes
        self._size = size
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self.total_bytes = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Hashable, value: V) -> None:
        nbytes = self._size(value) if self.max_bytes is not None else 0
        if self.max_item_bytes is not None and nbytes > self.max_item_bytes:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None and self.max_bytes is not None:
                self.total_bytes -= self._size(old)
            self._items[key] = value
            self.total_bytes += nbytes
            while self._items and (
                    (self.max_items is not None and len(self._items) > self.max_items)
                    or (self.max_bytes is not None and self.total_bytes > self.max_bytes)):
                _, dropped = self._items.popitem(last=False)
                if self.max_bytes is not None:
                    self.total_bytes -= self._size(dropped)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.total_bytes = 0
