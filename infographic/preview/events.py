"""Server-Sent Events: every open page gets every update, as ``event: NAME`` + JSON data.

Bounded, because any local process can open streams and never read them: at most
:data:`~infographic.limits.PREVIEW_MAX_LISTENERS` streams at once, and a stream that falls :data:`~infographic.limits.PREVIEW_QUEUE_MESSAGES` messages or
:data:`~infographic.limits.PREVIEW_QUEUE_BYTES` behind is dropped (its queue freed). A dropped page reconnects by itself
(``retry:``) and re-reads the whole state on ``hello``, so it misses nothing.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any, AsyncIterator

from .. import limits

KEEPALIVE_SECONDS = 15.0


class TooManyListeners(Exception):
    """More than :data:`~infographic.limits.PREVIEW_MAX_LISTENERS` event streams are open."""


class _Listener:
    """One stream's backlog. ``None`` in the queue ends the stream."""

    def __init__(self) -> None:
        self.queue: asyncio.Queue[str | None] = asyncio.Queue()
        self.backlog = 0  # bytes waiting in the queue

    def offer(self, message: str) -> bool:
        """Queue ``message``; False (and the backlog freed) if the reader is too far behind."""
        size = len(message)
        if self.queue.qsize() >= limits.PREVIEW_QUEUE_MESSAGES or \
                (self.backlog and self.backlog + size > limits.PREVIEW_QUEUE_BYTES):
            self.end()
            return False
        self.backlog += size
        self.queue.put_nowait(message)
        return True

    def end(self) -> None:
        while not self.queue.empty():
            self.queue.get_nowait()
        self.backlog = 0
        self.queue.put_nowait(None)


class Broadcaster:
    """Fan-out of events to the pages listening on ``/events``."""

    def __init__(self) -> None:
        self._listeners: set[_Listener] = set()  # receiving updates
        self._open = 0  # streams not yet finished, dropped ones included

    @property
    def listeners(self) -> int:
        return len(self._listeners)

    def publish(self, event: str, data: Any) -> None:
        message = f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
        for listener in list(self._listeners):
            if not listener.offer(message):  # a page that stopped reading: drop it
                self._listeners.discard(listener)

    def close(self) -> None:
        """End every stream (server shutdown)."""
        for listener in list(self._listeners):
            listener.end()
        self._listeners.clear()

    def stream(self) -> AsyncIterator[str]:
        """A new stream; raises :class:`TooManyListeners` when :data:`~infographic.limits.PREVIEW_MAX_LISTENERS` are open
        (a dropped stream counts until its connection ends)."""
        if self._open >= limits.PREVIEW_MAX_LISTENERS:
            raise TooManyListeners(f"{limits.PREVIEW_MAX_LISTENERS} event streams are open already")
        listener = _Listener()
        self._listeners.add(listener)
        self._open += 1
        return self._run(listener)

    async def _run(self, listener: _Listener) -> AsyncIterator[str]:
        try:
            yield "retry: 1000\nevent: hello\ndata: {}\n\n"
            while True:
                try:
                    message = await asyncio.wait_for(listener.queue.get(), KEEPALIVE_SECONDS)
                except asyncio.TimeoutError:
                    yield ": keep-alive\n\n"
                    continue
                if message is None:
                    return
                listener.backlog -= len(message)
                yield message
        finally:
            self._listeners.discard(listener)
            self._open -= 1
