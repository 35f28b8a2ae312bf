"""The template's ``<path>`` elements onto the cairo context through fontTools' path parser.

cairosvg parses every ``d`` in pure Python on every draw and works out the angle at every vertex
(for markers, which our paths do not have): for a QR code or an icon that was a third of the
drawing time. For a path with no markers and no elliptical arcs, :func:`_draw_path` appends a
cairo path built once by fontTools' SVG path parser and a cairo pen (the same parser and pen
as glyph outlines, ``glyphs.py``) and kept in a cache bounded by bytes; cairosvg fills and
strokes it as its own. Anything else (arcs, markers, path data fontTools refuses) is drawn by
cairosvg as before. The pixels are cairosvg's (tests/test_raster.py compares them).
"""

from __future__ import annotations

from typing import Any

from ..cairo_ffi import load_cairocffi

load_cairocffi()  # before cairosvg and cairocffi load: see infographic/cairo_ffi.py
import cairocffi
from cairocffi import ffi
from cairosvg import surface as cairosvg_surface
from fontTools.svgLib.path import parse_path

from ..cache import LRUCache
from ..limits import SHAPE_PATH_CACHE_BYTES
from .glyphs import RECORD_BYTES, CairoPen

_ORIGINAL = cairosvg_surface.TAGS["path"]
_MARKERS = ("marker", "marker-start", "marker-mid", "marker-end")
_NOT_FOR_US = frozenset("aA")  # elliptical arcs: cairosvg draws them with cairo's own arcs


class _Built:
    """A cairo path and what it costs to keep."""

    __slots__ = ("path", "nbytes")

    def __init__(self, path: Any, nbytes: int) -> None:
        self.path, self.nbytes = path, nbytes


_REFUSED = _Built(None, 0)  # fontTools refused the data: cairosvg draws it
#: Path data → cairo path.
PATHS: LRUCache[_Built] = LRUCache(max_bytes=SHAPE_PATH_CACHE_BYTES,
                                   max_item_bytes=SHAPE_PATH_CACHE_BYTES // 8,
                                   size=lambda built: built.nbytes + 64)
_scratch = cairocffi.Context(cairocffi.ImageSurface(cairocffi.FORMAT_A8, 1, 1))


def _build(data: str) -> _Built:
    context = cairocffi.Context(_scratch.get_target())
    try:
        parse_path(data, CairoPen(context))
    except (ValueError, IndexError, TypeError, cairocffi.CairoError):
        return _REFUSED
    pointer = cairocffi.cairo.cairo_copy_path(context._pointer)
    if pointer.status != 0:
        cairocffi.cairo.cairo_path_destroy(pointer)
        return _REFUSED
    return _Built(ffi.gc(pointer, cairocffi.cairo.cairo_path_destroy),
                  pointer.num_data * RECORD_BYTES)


def _draw_path(surface: Any, node: Any) -> None:
    """cairosvg's ``path`` tag: a cached cairo path for plain path data, else cairosvg's."""
    data = node.get("d", "")
    if (not data or any(c in data for c in _NOT_FOR_US)
            or any(m in node for m in _MARKERS)):
        return _ORIGINAL(surface, node)
    built = PATHS.get(data)
    if built is None:
        built = _build(data)
        PATHS.put(data, built)
    if built.path is None:
        return _ORIGINAL(surface, node)
    cairocffi.cairo.cairo_append_path(surface.context._pointer, built.path)


def install() -> None:
    """Route cairosvg's ``path`` tag through :func:`_draw_path` (``raster.install_hooks``)."""
    cairosvg_surface.TAGS["path"] = _draw_path
