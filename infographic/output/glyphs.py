"""Fast text drawing: a scene's glyph runs go straight onto the cairo context.

The drawing stage hands cairosvg the scene's skeleton (``infographic/scene.py``), where each text
block holds one placeholder element instead of one ``<path>`` per glyph (cairosvg parses every
``d`` in pure Python, which was most of the raster time). When cairosvg reaches a placeholder —
in document order, under the same transforms, opacity groups and clip as the glyphs, so z-order
is unchanged — :func:`_draw_glyph_run` appends the cached cairo path of each glyph under its
matrix, and cairosvg fills the run with the group's paint as it would fill a ``<path>``.

Outlines become cairo paths through fontTools' SVG path parser and a pen (the fontTools pen
protocol), cached by their path data in the package's LRU cache — and between processes in the
per-user cache (infographic/usercache.py) as cairo's own path records, checked record by record
when read back, so a one-shot command does not parse the same letters again.
"""

from __future__ import annotations

import atexit
import hashlib
import struct
import sys
from typing import Any, Iterable

from ..cairo_ffi import load_cairocffi

load_cairocffi()  # before cairosvg and cairocffi load: see infographic/cairo_ffi.py
import cairocffi
from cairocffi import ffi
from cairosvg import surface as cairosvg_surface
from fontTools.pens.basePen import BasePen
from fontTools.svgLib.path import parse_path

from .. import usercache
from ..cache import LRUCache
from ..limits import GLYPH_OUTLINE_CACHE_SIZE
from ..scene import RUN_ATTR, RUN_TAG, TextRun

__all__ = ["OUTLINES", "RECORD_BYTES", "RUN_TAG", "CairoPen", "GlyphRun", "glyph_runs", "install"]


class CairoPen(BasePen):
    """A fontTools pen drawing onto a cairo context (quadratics become cubics exactly)."""

    def __init__(self, context: cairocffi.Context) -> None:
        super().__init__(glyphSet=None)
        self.context = context

    def _moveTo(self, pt: tuple[float, float]) -> None:  # noqa: N802 (pen protocol)
        self.context.move_to(*pt)

    def _lineTo(self, pt: tuple[float, float]) -> None:  # noqa: N802
        self.context.line_to(*pt)

    def _curveToOne(self, pt1: Any, pt2: Any, pt3: Any) -> None:  # noqa: N802
        self.context.curve_to(*pt1, *pt2, *pt3)

    def _closePath(self) -> None:  # noqa: N802
        self.context.close_path()


class _OutlineCache:
    """Path data (font units) → cairo path, least recently used dropped beyond ``max_size``."""

    def __init__(self, max_size: int) -> None:
        self.max_size = max_size
        self._paths: LRUCache[Any] = LRUCache(max_items=max_size)
        self._scratch = cairocffi.Context(cairocffi.ImageSurface(cairocffi.FORMAT_A8, 1, 1))

    def __len__(self) -> int:
        return len(self._paths)

    def get(self, data: str) -> Any | None:
        path = self._paths.get(data)
        if path is None:
            path = SAVED.path(data) or self._build(data)
            if path is not None:
                self._paths.put(data, path)
        return path

    def _build(self, data: str) -> Any | None:
        """Our outline path data as a cairo path, or None if it cannot be drawn."""
        context = cairocffi.Context(self._scratch.get_target())
        try:
            parse_path(data, CairoPen(context))
        except (ValueError, IndexError, cairocffi.CairoError):
            return None
        pointer = cairocffi.cairo.cairo_copy_path(context._pointer)
        SAVED.keep(data, bytes(ffi.buffer(pointer.data, pointer.num_data * _RECORD)))
        return ffi.gc(pointer, cairocffi.cairo.cairo_path_destroy)


RECORD_BYTES = _RECORD = 16  # sizeof(cairo_path_data_t): a header (type, length) or a point (x, y)
_POINTS = {0: 2, 1: 2, 2: 4, 3: 1}  # records per element: move_to, line_to, curve_to, close


def _well_formed(raw: bytes) -> bool:
    """True if ``raw`` is a sequence of complete cairo path elements (cairo trusts the lengths
    in the headers, so records read from disk are checked before cairo sees them)."""
    if len(raw) % _RECORD:
        return False
    index, count = 0, len(raw) // _RECORD
    while index < count:
        kind, length = struct.unpack_from("=ii", raw, index * _RECORD)
        if _POINTS.get(kind) != length:
            return False
        index += length
    return index == count


class _SavedOutlines:
    """Glyph outlines as cairo path records, kept per user between processes: one file of
    (16-byte key, length, records) entries, read on first use, written at exit when it grew,
    the most recently used :data:`MAX_SAVED` kept."""

    MAX_SAVED = 1500  # about 3 MB

    def __init__(self) -> None:
        self._records: dict[bytes, bytes] | None = None
        self._grown = False
        self._name = usercache.key("glyph-outlines-1", sys.byteorder, str(struct.calcsize("P")),
                                   str(ffi.sizeof("cairo_path_data_t")))

    @staticmethod
    def _key(data: str) -> bytes:
        return hashlib.blake2b(data.encode(), digest_size=16).digest()

    def _load(self) -> dict[bytes, bytes]:
        if self._records is None:
            self._records, raw, offset = {}, usercache.get("glyph-outlines", self._name) or b"", 0
            while offset + 20 <= len(raw):
                key, size = raw[offset:offset + 16], int.from_bytes(raw[offset + 16:offset + 20],
                                                                    "little")
                self._records[key] = raw[offset + 20:offset + 20 + size]
                offset += 20 + size
            atexit.register(self._save)
        return self._records

    def path(self, data: str) -> Any | None:
        """The kept cairo path of outline ``data``, or None."""
        records = self._load()
        raw = records.pop(self._key(data), None)
        if raw is None or not raw or not _well_formed(raw):
            return None
        records[self._key(data)] = raw  # now the most recently used
        count = len(raw) // _RECORD
        memory = ffi.new("cairo_path_data_t[]", count)
        ffi.memmove(memory, raw, len(raw))
        path = ffi.new("cairo_path_t *", {"status": 0, "data": memory, "num_data": count})
        return ffi.gc(path, lambda _path, memory=memory: None)  # the records live as long

    def keep(self, data: str, raw: bytes) -> None:
        records = self._load()
        records[self._key(data)] = raw
        self._grown = True

    def _save(self) -> None:
        if not self._grown or self._records is None:
            return
        kept = list(self._records.items())[-self.MAX_SAVED:]
        usercache.put("glyph-outlines", self._name, b"".join(
            key + len(raw).to_bytes(4, "little") + raw for key, raw in kept))


SAVED = _SavedOutlines()
OUTLINES = _OutlineCache(GLYPH_OUTLINE_CACHE_SIZE)


class GlyphRun:
    """The glyphs of one text group: an array of cairo matrices and the outline of each."""

    __slots__ = ("_numbers", "matrices", "paths")

    def __init__(self, numbers: list[float], paths: list[Any]) -> None:
        self._numbers = ffi.new("double[]", numbers)  # 6 per glyph = one cairo_matrix_t
        self.matrices = ffi.cast("cairo_matrix_t *", self._numbers)
        self.paths = paths

    def __len__(self) -> int:
        return len(self.paths)


def glyph_runs(texts: Iterable[TextRun]) -> list[GlyphRun]:
    """A scene's text runs as cairo matrices and cached outlines, in placeholder order."""
    runs = []
    found: dict[str, Any] = {}  # each distinct outline looked up in the LRU cache once
    for text in texts:
        numbers: list[float] = []
        paths = []
        for glyph in text.glyphs:
            path = found.get(glyph.outline)
            if path is None:
                path = found[glyph.outline] = OUTLINES.get(glyph.outline)
            if path is not None:
                numbers += (glyph.scale, 0.0, 0.0, -glyph.scale, glyph.x, glyph.y)
                paths.append(path)
        runs.append(GlyphRun(numbers, paths))
    return runs


def _draw_glyph_run(surface: Any, node: Any) -> None:
    """cairosvg tag handler: append the run's glyph outlines to the current path."""
    runs: list[GlyphRun] | None = getattr(surface, "glyph_runs", None)
    try:
        run = runs[int(node[RUN_ATTR])] if runs is not None else None
    except (KeyError, ValueError, IndexError):
        run = None
    if not run:
        return
    lib = cairocffi.cairo
    pointer = surface.context._pointer
    base = ffi.new("cairo_matrix_t *")
    lib.cairo_get_matrix(pointer, base)
    matrices = run.matrices
    for index, path in enumerate(run.paths):
        lib.cairo_transform(pointer, matrices + index)
        lib.cairo_append_path(pointer, path)
        lib.cairo_set_matrix(pointer, base)


def install() -> None:
    """Teach cairosvg the placeholder tag (only surfaces with ``glyph_runs`` draw anything).
    Called by ``raster.install_hooks`` when something is first drawn, not on import."""
    cairosvg_surface.TAGS.setdefault(RUN_TAG, _draw_glyph_run)
