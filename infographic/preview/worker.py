"""Render jobs run in worker processes, so the server survives anything a layout does.

A template that loops for minutes, a render that asks for gigabytes, or a crash deep in a native
library only costs a worker: the job is stopped after its time limit or at its memory cap (the
isolated renders' budget, :func:`~infographic.isolation.memory_budget`, for the pixels the job
draws), or the dead process noticed; the worker is replaced, and the page shows an error. Workers
also render in parallel with the server, which stays responsive.

This module has no web dependencies: a job is a plain dict in, a plain dict out.
"""

from __future__ import annotations

import base64
import multiprocessing
import re
import signal
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from .. import limits
from ..errors import InfographicError, LimitError
from ..fileio import read_regular
from ..isolation import capped_memory, memory_budget
from ..sizes import parse_size
from .problems import describe


#: What the preview asks a worker to render (named apart from the batch's ``Job``):
#: {"kind": "preview" | "exact" | "export", "folder", "data", "size", "theme", "assets", "format"}.
PreviewJob = dict[str, Any]
Result = dict[str, Any]

_HREF = re.compile(r'((?:xlink:)?href=")([^"#][^"]*)(")')
_MIME = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp",
         ".gif": "image/gif", ".svg": "image/svg+xml"}


def inline_local_assets(svg: str, roots: list[Path]) -> str:
    """Embed files a template links by relative path (``href="logo.png"``) as ``data:`` URIs.

    A browser shows an SVG in ``<img>`` without loading anything it links to; the writers read
    such files from the layout folder. Inlining them (only files the writers' allow-list would
    read) makes the browser show what the writers draw.
    """
    from ..output.fetcher import AllowListFetcher

    if not roots or "href=" not in svg:
        return svg
    fetcher = AllowListFetcher(list(roots))
    base = roots[0]

    def embed(match: re.Match[str]) -> str:
        target = match.group(2)
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target) and not target.startswith("file:"):
            return match.group(0)  # data:, http: … are left as they are
        path = unquote(target[5:] if target.startswith("file:") else target)
        allowed = fetcher.allowed_path((base / path).resolve().as_uri())
        if allowed is None:
            return match.group(0)
        mime = _MIME.get(Path(allowed).suffix.lower(), "application/octet-stream")
        try:
            content = read_regular(allowed, limits.MAX_RESOURCE_BYTES)
        except OSError:  # not a regular file, or too large: the writers refuse it too
            return match.group(0)
        payload = base64.b64encode(content).decode("ascii")
        return f"{match.group(1)}data:{mime};base64,{payload}{match.group(3)}"

    return _HREF.sub(embed, svg)


def _screen_png(art: Any) -> bytes:
    """The raster writer's pixels at screen resolution (social sizes are drawn at full size;
    print sizes at most limits.PREVIEW_EXACT_MAX_SIDE px, instead of tens of megapixels)."""
    import io

    from ..authoring.thumbnails import thumbnail

    out = io.BytesIO()
    thumbnail(art, limits.PREVIEW_EXACT_MAX_SIDE).save(out, "PNG", compress_level=1)
    return out.getvalue()


def _print_view(folder: Path, art: Any) -> str:
    """The paper-size artwork as it prints (grown by the bleed) with bleed, trim and
    safe-area guides on top, the layout's own safe margin."""
    from ..layout.manifest import load_layout
    from ..print.guides import preview_with_guides

    return preview_with_guides(art, safe_area_mm=load_layout(folder).safe_area_mm)


def run_job(job: PreviewJob) -> Result:
    """Render one job; failures come back as a described error, never as an exception."""
    from ..render import render

    folder = Path(job["folder"])
    started = time.perf_counter()
    try:
        art = render(folder, job["data"], size=job["size"], theme=job.get("theme"),
                     assets=job.get("assets") or None)
        result: Result = {"ok": True, "width": art.width, "height": art.height,
                          "canvas": [art.size.canvas_width, art.size.canvas_height],
                          "fit": art.fit_report.to_dict()}
        if job["kind"] == "preview":
            result["svg"] = inline_local_assets(art.svg, art.asset_roots)
            if art.size.is_print:  # the "print" view: bleed shown, trim/safe-area guides
                result["print_svg"] = inline_local_assets(_print_view(folder, art),
                                                          art.asset_roots)
        elif job["kind"] == "exact":
            result["bytes"] = _screen_png(art)
        else:
            result["bytes"] = art.to_bytes(job["format"])
    except Exception as exc:  # noqa: BLE001 - every failure is shown on the page
        if isinstance(exc, MemoryError) or "NO_MEMORY" in str(exc):  # the address-space cap
            exc = LimitError(f"the render needed more than {job_memory(job) // 1024 ** 2:,} MB "
                             "of memory and was stopped; the layout or data asks for too much")
        result = {"ok": False, "error": describe(exc, folder)}
    result["ms"] = round((time.perf_counter() - started) * 1000)
    return result


def job_memory(job: PreviewJob) -> int:
    """What a job may allocate: the isolated renders' budget for the pixels it draws (none for
    the page's SVG, the screen-size PNG for "exact", the full size for a download)."""
    if job.get("kind") == "export":
        try:
            size = parse_size(job["size"])
        except InfographicError:  # run_job reports it
            return memory_budget(0)
        pixels = size.width_px * size.height_px
    else:
        pixels = limits.PREVIEW_EXACT_MAX_SIDE ** 2 if job.get("kind") == "exact" else 0
    return memory_budget(pixels)


def _serve(conn: Connection) -> None:
    """Worker process main loop: receive a job, send its result, until told to stop."""
    from ..text.fonts import default_registry

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is for the server, which stops us
    default_registry()  # load the fonts once, before the first job
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if job is None:
            return
        with capped_memory(job_memory(job)):
            result = run_job(job)
        try:
            conn.send(result)
        except (BrokenPipeError, OSError):
            return


class RenderWorker:
    """One worker process. :meth:`run` is blocking: call it from a thread."""

    def __init__(self) -> None:
        self._context = multiprocessing.get_context("spawn")
        self._start()

    def _start(self) -> None:
        self._conn, child = self._context.Pipe()
        self._process = self._context.Process(target=_serve, args=(child,), daemon=True,
                                              name="infographic-preview-worker")
        self._process.start()
        child.close()

    @property
    def pid(self) -> int | None:
        return self._process.pid

    def _restart(self) -> None:
        self.close(grace=0)
        self._start()

    def run(self, job: PreviewJob, timeout: float) -> Result:
        """The job's result; a job over ``timeout`` seconds is stopped and reported."""
        try:
            self._conn.send(job)
            if self._conn.poll(timeout):
                return self._conn.recv()
            self._restart()
            return failure("timeout", f"rendering took longer than {timeout:g} s and was "
                            "stopped: look for a loop in the template that never ends")
        except (EOFError, OSError):
            code = self._process.exitcode
            self._restart()
            return failure("internal", f"the renderer process died (exit code {code}) while "
                            "rendering this, perhaps at its memory limit of "
                            f"{job_memory(job) // 1024 ** 2:,} MB; it has been restarted")

    def close(self, grace: float = 2.0) -> None:
        try:
            self._conn.send(None)
        except (OSError, ValueError):
            pass
        self._process.join(grace)
        if self._process.is_alive():
            self._process.kill()
            self._process.join(2)
        self._conn.close()


def failure(kind: str, message: str) -> Result:
    """A result that reports an error the renderer itself could not describe."""
    return {"ok": False, "ms": 0, "error": {"kind": kind, "message": message, "detail": message,
                                           "field": None, "file": None, "line": None,
                                           "column": None, "excerpt": []}}
