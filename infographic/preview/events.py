"""Server-Sent Events: every open page gets every update, as ``event: NAME`` + JSON data."""

from __future__ import annotations

import asyncio
import json
from typing import Any, AsyncIterator

KEEPALIVE_SECONDS = 15.0
QUEUE_LIMIT = 256


class Broadcaster:
    """Fan-out of events to the pages listening on ``/events``."""

    def __init__(self) -> None:
        self._queues: set[asyncio.Queue[str | None]] = set()

    @property
    def listeners(self) -> int:
        return len(self._queues)

    def publish(self, event: str, data: Any) -> None:
        message = f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
        for queue in list(self._queues):
            if queue.full():  # a page that stopped reading: drop its oldest update
                queue.get_nowait()
            queue.put_nowait(message)

    def close(self) -> None:
        """End every stream (server shutdown)."""
        for queue in list(self._queues):
            if queue.full():
                queue.get_nowait()
            queue.put_nowait(None)

    async def stream(self) -> AsyncIterator[str]:
        queue: asyncio.Queue[str | None] = asyncio.Queue(QUEUE_LIMIT)
        self._queues.add(queue)
        try:
            yield "retry: 1000\nevent: hello\ndata: {}\n\n"
            while True:
                try:
                    message = await asyncio.wait_for(queue.get(), KEEPALIVE_SECONDS)
                except asyncio.TimeoutError:
                    message = ": keep-alive\n\n"
                if message is None:
                    return
                yield message
        finally:
            self._queues.discard(queue)
