"""The live part of the preview: what to re-render when something changed, and telling the pages.

Every change (a saved file, an edit in the data form, another theme) starts a new *generation* of
a layout. Its sizes are rendered in the worker processes, its gallery thumbnail first, then screen
sizes, then paper; a job that a newer generation made stale is dropped before it starts. When the
preview starts, the workers wait until every layout's renders are queued (at most
``limits.PREVIEW_FIRST_PASS_SECONDS``), so all the gallery's thumbnails are drawn before any other
size. Results are cached by the hash of their inputs, so undoing an edit is instant. A failed
render keeps the last good one on the page and adds the error beside it.
"""

from __future__ import annotations

import asyncio
import itertools
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .. import limits
from ..cache import LRUCache
from ..paths import resolve_inside
from ..sizes import DEFAULT_BLEED_MM, parse_size
from .events import Broadcaster
from .session import PreviewLayout, PreviewProject, _jsonable, folder_digest, size_label
from .worker import PreviewJob, RenderWorker, Result, failure

PRIORITY_THUMBNAIL, PRIORITY_SCREEN, PRIORITY_PRINT, PRIORITY_DOWNLOAD, PRIORITY_EXACT = range(5)


def thumbnail_size(sizes: "list[str]") -> str | None:
    """The size the gallery shows for a layout: square, else its first size."""
    return "square" if "square" in sizes else (sizes[0] if sizes else None)


@dataclass
class SizeState:
    """What a page shows for one size: the last good render and the latest error, if any."""

    size: str
    key: str | None = None  # input hash of the last good render
    fit: dict[str, Any] | None = None
    width: int = 0
    height: int = 0
    canvas: list[float] = field(default_factory=lambda: [0.0, 0.0])
    error: dict[str, Any] | None = None
    pending: bool = False
    ms: int | None = None

    def to_dict(self) -> dict[str, Any]:
        preset = parse_size(self.size)
        return {"size": self.size, "label": size_label(self.size), "key": self.key,
                "px": [preset.width_px, preset.height_px], "print": preset.is_print,
                "paper_mm": list(preset.paper_mm) if preset.paper_mm else None,
                "bleed_mm": DEFAULT_BLEED_MM if preset.is_print else 0,
                "fit": self.fit, "width": self.width, "height": self.height,
                "canvas": self.canvas, "error": self.error, "pending": self.pending,
                "ms": self.ms}


def _field_view(spec: Any) -> dict[str, Any]:
    return {"name": spec.name, "type": spec.type, "required": spec.required,
            "label": spec.label, "help": spec.help, "max_length": spec.max_length,
            "min_items": spec.min_items, "max_items": spec.max_items,
            "choices": list(spec.choices), "minimum": spec.minimum, "maximum": spec.maximum,
            "default": _jsonable(spec.default),
            "columns": [_field_view(c) for c in getattr(spec, "columns", ())]}


#: Cache-key prefix of a paper-size render's print view (``preview_with_guides``).
PRINT_VIEW = "print-view:"


class LivePreview:
    """Schedules renders for a :class:`PreviewProject` and publishes their results."""

    def __init__(self, project: PreviewProject, workers: int = 2) -> None:
        self.project = project
        self.events = Broadcaster()
        self.worker_count = max(1, workers)
        self.sizes: dict[str, dict[str, SizeState]] = {slug: {} for slug in project.layouts}
        # key → result without the SVG; key → SVG bytes; (key, format) → file bytes
        self._results: LRUCache[Result] = LRUCache(max_items=limits.PREVIEW_RESULT_CACHE_SIZE)
        self._svgs: LRUCache[bytes] = LRUCache(max_items=limits.PREVIEW_RESULT_CACHE_SIZE)
        self._bytes: LRUCache[bytes] = LRUCache(max_items=limits.PREVIEW_BYTES_CACHE_SIZE)
        self._generation = {slug: 0 for slug in project.layouts}
        self._locks = {slug: asyncio.Lock() for slug in project.layouts}
        self._reload = {slug: (False, False) for slug in project.layouts}  # (manifest, data file)
        self._queue: asyncio.PriorityQueue | None = None
        self._first_pass: set[str] = set(project.layouts)  # layouts not yet queued once
        self._first_pass_queued: asyncio.Event | None = None
        self._sequence = itertools.count()
        self._workers: list[RenderWorker] = []
        self._tasks: set[asyncio.Task] = set()

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        self._queue = asyncio.PriorityQueue()
        self._first_pass_queued = asyncio.Event()
        if not self._first_pass:
            self._first_pass_queued.set()
        self._workers = await asyncio.gather(*(asyncio.to_thread(RenderWorker)
                                               for _ in range(self.worker_count)))
        for worker in self._workers:
            self._spawn(self._work(worker))
        for slug in self.project.layouts:
            self.refresh(slug)

    async def stop(self) -> None:
        self.events.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*(asyncio.to_thread(w.close) for w in self._workers),
                             return_exceptions=True)

    def _spawn(self, coroutine: Any) -> asyncio.Task:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _work(self, worker: RenderWorker) -> None:
        assert self._queue is not None and self._first_pass_queued is not None
        try:  # the gallery's thumbnails, queued first in priority, before anything else
            await asyncio.wait_for(self._first_pass_queued.wait(),
                                   limits.PREVIEW_FIRST_PASS_SECONDS)
        except asyncio.TimeoutError:
            pass
        while True:
            _, _, job, timeout, future, is_stale = await self._queue.get()
            if future.done() or is_stale():
                future.cancel()
                continue
            try:
                result = await asyncio.to_thread(worker.run, job, timeout)
            except Exception as exc:  # noqa: BLE001 - a bug here must not stall the queue
                result = failure("internal", f"the preview could not run this render: {exc}")
            if not future.done():
                future.set_result(result)

    async def submit(self, job: PreviewJob, priority: int, timeout: float,
                     is_stale: Callable[[], bool] = lambda: False) -> Result:
        """Run ``job`` in a worker; raises CancelledError if it went stale while queued."""
        return await self._enqueue(job, priority, timeout, is_stale)

    def _enqueue(self, job: PreviewJob, priority: int, timeout: float,
                 is_stale: Callable[[], bool] = lambda: False) -> "asyncio.Future[Result]":
        """Queue ``job`` now (no await: a layout's sizes are queued together)."""
        assert self._queue is not None
        future: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self._queue.put_nowait((priority, next(self._sequence), job, timeout, future, is_stale))
        return future

    def _first_pass_done(self, slug: str) -> None:
        self._first_pass.discard(slug)
        if not self._first_pass and self._first_pass_queued is not None:
            self._first_pass_queued.set()

    # -- what changed ----------------------------------------------------------------------

    def refresh(self, slug: str, *, spec: bool = False, data: bool = False) -> None:
        """Re-render a layout (re-reading its manifest and/or data file first if asked)."""
        self._generation[slug] += 1
        wants_spec, wants_data = self._reload[slug]  # a superseded refresh passes its reloads on
        self._reload[slug] = (wants_spec or spec, wants_data or data)
        self._spawn(self._refresh(slug, self._generation[slug]))

    def refresh_all(self) -> None:
        for slug in self.project.layouts:
            self.refresh(slug)

    def files_changed(self, paths: set[Path]) -> None:
        """Called by the watcher with the files that were saved, created or removed."""
        for slug, entry in self.project.layouts.items():
            in_folder = any(_inside(path, entry.folder) for path in paths)
            data = entry.data_path is not None and entry.data_path in paths
            theme = self.project.theme_path(entry)
            if in_folder or data or (theme is not None and theme in paths):
                self.refresh(slug, spec=in_folder, data=data)

    def set_form_data(self, slug: str, data: dict[str, Any]) -> None:
        self.project.layouts[slug].form_data = data
        self.refresh(slug)

    def reset_data(self, slug: str) -> None:
        self.refresh(slug, data=True)

    def set_theme(self, theme: str | None) -> None:
        self.project.set_theme(theme)
        self.events.publish("theme", {"theme": self.project.theme or ""})
        self.refresh_all()

    # -- rendering -------------------------------------------------------------------------

    async def _refresh(self, slug: str, generation: int) -> None:
        entry = self.project.layouts[slug]
        async with self._locks[slug]:
            if generation != self._generation[slug]:
                return  # the newer generation's refresh queues the renders
            try:
                queued = await self._queue_renders(slug, entry, generation)
            finally:
                self._first_pass_done(slug)
        await asyncio.gather(*(self._finish_size(slug, generation, size, key, future)
                               for size, key, future in queued), return_exceptions=True)

    async def _queue_renders(self, slug: str, entry: PreviewLayout, generation: int
                             ) -> "list[tuple[str, str, asyncio.Future[Result]]]":
        """Reload what changed, show cached renders, and queue the others (size, key, future)."""
        spec, data = self._reload[slug]
        self._reload[slug] = (False, False)
        if spec:
            had_spec = entry.spec
            loaded = await off_loop(entry.reload_spec)
            if loaded and entry.data_path is None and entry.spec is not had_spec:
                self._update_sample_data(entry)
        if data:
            await off_loop(entry.reload_data)
        self._sync_sizes(entry)
        if entry.spec is None or entry.spec_error or entry.data_error:
            self._publish(slug)
            return []
        theme_digest = await off_loop(self.project.theme_digest, entry)
        folder_hash = await off_loop(folder_digest, entry.folder)
        queued = []
        for size in entry.sizes:
            key = entry.input_key(size, theme_digest, folder_hash)
            cached = self._results.get(key)
            if cached is not None:
                self._apply(slug, size, key, cached)
            else:
                self.sizes[slug][size].pending = True
                future = self._enqueue(self._job(entry, size, "preview"),
                                       self._priority(entry, size), limits.PREVIEW_SECONDS,
                                       lambda: self._generation[slug] != generation)
                queued.append((size, key, future))
        self._publish(slug)
        return queued

    def _priority(self, entry: PreviewLayout, size: str) -> int:
        if size == thumbnail_size(entry.sizes):
            return PRIORITY_THUMBNAIL
        return PRIORITY_PRINT if parse_size(size).is_print else PRIORITY_SCREEN

    def _update_sample_data(self, entry: PreviewLayout) -> None:
        """A changed manifest brings new sample values; edits made in the page stay."""
        entry.file_data = entry.spec.sample_data() if entry.spec else {}
        if entry.form_data is None:
            entry.data_revision += 1

    def _job(self, entry: PreviewLayout, size: str, kind: str, fmt: str | None = None
             ) -> PreviewJob:
        return {"kind": kind, "folder": str(entry.folder), "data": dict(entry.data),
                "size": size, "theme": self.project.theme, "assets": entry.assets,
                "format": fmt}

    async def _finish_size(self, slug: str, generation: int, size: str, key: str,
                           future: "asyncio.Future[Result]") -> None:
        result = await future
        svg = result.pop("svg", None)
        print_svg = result.pop("print_svg", None)
        if result["ok"] or result["error"]["kind"] not in ("timeout", "internal"):
            if svg is not None:
                self._svgs.put(key, svg.encode("utf-8"))
            if print_svg is not None:
                self._svgs.put(PRINT_VIEW + key, print_svg.encode("utf-8"))
            self._results.put(key, result)
        if generation == self._generation[slug]:
            self._apply(slug, size, key, result)
            self._publish(slug)

    def _sync_sizes(self, entry: PreviewLayout) -> None:
        current = self.sizes[entry.slug]
        wanted = entry.sizes
        self.sizes[entry.slug] = {s: current.get(s) or SizeState(s) for s in wanted}

    def _apply(self, slug: str, size: str, key: str, result: Result) -> None:
        state = self.sizes[slug].get(size)
        if state is None:
            return
        state.pending, state.ms = False, result.get("ms")
        if result["ok"]:
            state.key, state.fit, state.error = key, result["fit"], None
            state.width, state.height, state.canvas = (result["width"], result["height"],
                                                       result["canvas"])
        else:
            state.error = result["error"]

    # -- answers for the pages --------------------------------------------------------------

    def svg(self, key: str, guides: bool = False) -> bytes | None:
        """The SVG of a render; with ``guides``, its print view (bleed, trim and safe-area
        guides; paper sizes only)."""
        return self._svgs.get(PRINT_VIEW + key if guides else key)

    async def export(self, slug: str, size: str, fmt: str) -> Result:
        """A full-resolution file of the current render (data and theme as on the page)."""
        entry = self.project.layouts[slug]
        theme_digest = await off_loop(self.project.theme_digest, entry)
        key = entry.input_key(size, theme_digest, await off_loop(folder_digest, entry.folder))
        cached = self._bytes.get((key, fmt))
        if cached is not None:
            return {"ok": True, "bytes": cached}
        result = await self.submit(self._job(entry, size, "export", fmt), PRIORITY_DOWNLOAD,
                                   limits.PREVIEW_EXPORT_SECONDS)
        if result["ok"]:
            self._bytes.put((key, fmt), result["bytes"])
        return result

    async def exact_png(self, slug: str, size: str, key: str) -> bytes | None:
        """The real PNG writer's pixels for the render ``key`` (None once it is outdated)."""
        state = self.sizes[slug].get(size)
        if state is None or state.key != key:
            return None
        cached = self._bytes.get((key, "exact"))
        if cached is not None:
            return cached
        entry = self.project.layouts[slug]
        try:
            result = await self.submit(self._job(entry, size, "exact"), PRIORITY_EXACT,
                                       limits.PREVIEW_EXPORT_SECONDS, lambda: state.key != key)
        except asyncio.CancelledError:
            return None
        if not result["ok"]:
            return None
        self._bytes.put((key, "exact"), result["bytes"])
        return result["bytes"]

    def layout_state(self, slug: str) -> dict[str, Any]:
        entry = self.project.layouts[slug]
        spec = entry.spec
        sizes = [s.to_dict() for s in self.sizes[slug].values()]
        return {
            "slug": slug,
            "name": spec.name if spec else slug,
            "title": spec.title if spec else slug,
            "description": spec.description if spec else "",
            "folder": str(entry.folder),
            "data_path": str(entry.data_path) if entry.data_path else None,
            "fields": [_field_view(f) for f in spec.fields.values()] if spec else [],
            "data": _jsonable(entry.data),
            "data_revision": entry.data_revision,
            "edited": entry.form_data is not None,
            "sizes": sizes,
            "thumbnail": thumbnail_size(list(self.sizes[slug])),
            "pending": sum(1 for s in sizes if s["pending"]),
            "problem": self._problem(entry, sizes),
        }

    @staticmethod
    def _problem(entry: PreviewLayout, sizes: list[dict[str, Any]]) -> dict[str, Any] | None:
        """The one error that stops the whole layout, if there is one (shown over the page)."""
        if entry.spec_error or entry.data_error:
            return entry.spec_error or entry.data_error
        errors = [s["error"] for s in sizes if s["error"]]
        data_errors = [e for e in errors if e["kind"] == "data"]
        if data_errors:
            return data_errors[0]
        if errors and len(errors) == len(sizes) and len({e["message"] for e in errors}) == 1:
            return errors[0]
        return None

    def state(self) -> dict[str, Any]:
        return {"theme": self.project.theme or "", "themes": self.project.theme_choices(),
                "layouts": [self.layout_state(slug) for slug in self.project.layouts]}

    def _publish(self, slug: str) -> None:
        self.events.publish("layout", self.layout_state(slug))


async def off_loop(function: Callable[..., Any], *args: Any) -> Any:
    """Run blocking file work (reading a manifest, hashing a folder) in a daemon thread.

    The event loop never waits on a file, and a thread stuck on one (a network folder that stopped
    answering) cannot keep the process alive after Ctrl+C, as a thread of asyncio.to_thread's pool
    would: those are joined when Python exits.
    """
    loop = asyncio.get_running_loop()
    future: asyncio.Future[Any] = loop.create_future()

    def settle(result: Any, error: BaseException | None) -> None:
        if future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)

    def run() -> None:
        try:
            outcome: tuple[Any, BaseException | None] = (function(*args), None)
        except BaseException as exc:  # noqa: BLE001 - handed to the awaiting coroutine
            outcome = (None, exc)
        try:
            loop.call_soon_threadsafe(settle, *outcome)
        except RuntimeError:  # the loop has closed: the server is gone
            pass

    threading.Thread(target=run, name="infographic-preview-files", daemon=True).start()
    return await future


def _inside(path: Path, folder: Path) -> bool:
    return resolve_inside(folder, path) is not None
