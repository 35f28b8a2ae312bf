"""Fast text drawing for the raster path: glyph outlines go straight onto the cairo context.

The final SVG (``Artwork.svg``) carries text as ``<g class="text">`` groups of one
``<path transform="matrix(s 0 0 -s x y)" d="…"/>`` per glyph (see ``infographic/text/svg.py``).
cairosvg parses each ``d`` in pure Python on every render, which is most of the raster time.
Before cairosvg sees the document, :func:`split_glyph_runs` swaps every such group's glyph paths
for one placeholder element that points at a list of ``(matrix, outline)`` pairs. When cairosvg
reaches the placeholder — in document order, under the same transforms, opacity groups and clip
as the glyphs it replaces, so z-order is unchanged — :func:`_draw_glyph_run` appends the cached
cairo path of each glyph under its matrix, and cairosvg fills the run with the group's paint as it
would fill a ``<path>``.

Groups that do not have exactly that shape (hand-written by a template, say) are left alone and
cairosvg draws them itself. Outlines are cached by their path data in a bounded cache (oldest dropped first).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from typing import Any

import cairocffi
from cairocffi import ffi
from cairosvg import surface as cairosvg_surface

from ..limits import GLYPH_OUTLINE_CACHE_SIZE

#: The placeholder element; only our raster surface knows how to draw it.
RUN_TAG = "infographic-glyph-run"
_RUN_ATTR = "data-glyph-run"

# A text group as infographic/text/svg.py writes it; the character classes leave no room for
# anything but numbers and path commands inside the glyph paths.
_TEXT_GROUP = re.compile(r'(<g class="text"[^>]*>)(<title>[^<]*</title>)?'
                         r'((?:<path transform="matrix\([-+\d. eE]*\)" d="[MLQCZ\d .eE+-]*"/>)*)</g>')
_GLYPH = re.compile(r'<path transform="matrix\(([^)]*)\)" d="([^"]*)"/>')
_PATH_TOKEN = re.compile(r"[MLQCZ]|-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_ARITY = {"M": 2, "L": 2, "Q": 4, "C": 6, "Z": 0}
#: Bounds of what our text engine writes: outlines in font units (int16 in fonts), glyph
#: matrices that scale by font size / units per em and translate within the canvas. A group
#: with larger numbers is not ours: cairosvg draws it, after the limits checked every number.
_MAX_OUTLINE_UNITS = 100_000.0
_MAX_GLYPH_SCALE = 10.0
_MAX_GLYPH_OFFSET = 10_000_000.0



class _OutlineCache:
    """Path data (font units) → cairo path; the oldest entry is dropped beyond ``max_size``."""

    def __init__(self, max_size: int) -> None:
        self.max_size = max_size
        self._paths: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._scratch = cairocffi.Context(cairocffi.ImageSurface(cairocffi.FORMAT_A8, 1, 1))

    def __len__(self) -> int:
        return len(self._paths)

    def get(self, data: str) -> Any | None:
        path = self._paths.get(data)  # hits need no lock; eviction is oldest-first
        if path is not None:
            return path
        with self._lock:
            path = self._build(data)
            if path is not None:
                self._paths[data] = path
                if len(self._paths) > self.max_size:
                    self._paths.popitem(last=False)
            return path

    def _build(self, data: str) -> Any | None:
        """Turn our outline path data (absolute M/L/Q/C/Z) into a cairo path, or None."""
        tokens = _PATH_TOKEN.findall(data)
        if "".join(tokens) != data.replace(" ", ""):
            return None  # not the shape our text engine writes
        ctx = self._scratch
        ctx.new_path()
        x = y = 0.0
        index = 0
        try:
            while index < len(tokens):
                command = tokens[index]
                arity = _ARITY.get(command)
                if arity is None:
                    return None
                values = [float(v) for v in tokens[index + 1:index + 1 + arity]]
                if len(values) != arity or not all(abs(v) <= _MAX_OUTLINE_UNITS for v in values):
                    return None
                index += 1 + arity
                if command == "M":
                    x, y = values
                    ctx.move_to(x, y)
                elif command == "L":
                    x, y = values
                    ctx.line_to(x, y)
                elif command == "C":
                    ctx.curve_to(*values)
                    x, y = values[4], values[5]
                elif command == "Q":  # quadratic → cubic, exactly
                    qx, qy, ex, ey = values
                    ctx.curve_to(x + 2 / 3 * (qx - x), y + 2 / 3 * (qy - y),
                                 ex + 2 / 3 * (qx - ex), ey + 2 / 3 * (qy - ey), ex, ey)
                    x, y = ex, ey
                else:
                    ctx.close_path()
        except cairocffi.CairoError:
            return None
        pointer = cairocffi.cairo.cairo_copy_path(ctx._pointer)
        ctx.new_path()
        return ffi.gc(pointer, cairocffi.cairo.cairo_path_destroy)


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


def _run(glyph_markup: str) -> GlyphRun | None:
    glyphs = _GLYPH.findall(glyph_markup)
    if len(glyphs) != glyph_markup.count("<"):
        return None  # something other than our glyph paths is in the group
    try:
        numbers = [float(v) for v in " ".join(m for m, _ in glyphs).replace(",", " ").split()]
    except ValueError:
        return None
    if len(numbers) != 6 * len(glyphs):
        return None
    for index in range(0, len(numbers), 6):
        a, b, c, d, e, f = numbers[index:index + 6]
        if not (max(abs(a), abs(b), abs(c), abs(d)) <= _MAX_GLYPH_SCALE
                and max(abs(e), abs(f)) <= _MAX_GLYPH_OFFSET):
            return None
    paths = [OUTLINES.get(d) for _, d in glyphs]
    if any(path is None for path in paths):
        return None
    return GlyphRun(numbers, paths)


def split_glyph_runs(svg: str) -> tuple[str, list[GlyphRun]]:
    """The SVG with each text group's glyph paths replaced by a placeholder, and the runs."""
    runs: list[GlyphRun] = []

    def replace(match: re.Match[str]) -> str:
        run = _run(match.group(3))
        if run is None:
            return match.group(0)
        runs.append(run)
        return (f'{match.group(1)}{match.group(2) or ""}'
                f'<{RUN_TAG} {_RUN_ATTR}="{len(runs) - 1}"/></g>')

    return _TEXT_GROUP.sub(replace, svg), runs


def strip_glyph_paths(svg: str) -> str:
    """The SVG without the glyph paths of its text groups (for checks that need no outlines)."""
    return _TEXT_GROUP.sub(lambda m: f'{m.group(1)}{m.group(2) or ""}</g>', svg)


def _draw_glyph_run(surface: Any, node: Any) -> None:
    """cairosvg tag handler: append the run's glyph outlines to the current path."""
    runs: list[GlyphRun] | None = getattr(surface, "glyph_runs", None)
    try:
        run = runs[int(node[_RUN_ATTR])] if runs is not None else None
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
