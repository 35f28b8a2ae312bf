"""Resource limits for untrusted layouts and data, all in one place, with the checks that use them.

A layout folder is untrusted code and data is untrusted text: whatever they hold, a render ends
in an image or a :class:`~infographic.errors.LimitError` that says which limit was hit and what to
do — it never exhausts the machine. The numbers are module constants so that an operator can
raise one deliberately (``infographic.limits.MAX_CANVAS_PIXELS = …``) before rendering.
"""

from __future__ import annotations

import ctypes
import functools
import heapq
import itertools
import math
import os
import re
import threading
import time
from types import TracebackType
from typing import Literal
from urllib.parse import urlparse
from xml.etree.ElementTree import Element

from .errors import LimitError
from .svgsyntax import NUMBER, transform_steps

# --- sizes ----------------------------------------------------------------------------------------
#: Output pixels (width × height). A3 at 300 dpi is 17.4 MP and A0 139.5 MP; one pixel costs
#: 4 bytes of raster memory plus the encoder's copy (A0: about 1 GB). The size comes from the
#: caller, not the layout: a server that takes sizes from requests should lower this.
MAX_CANVAS_PIXELS = 140_000_000
#: Longest text accepted in any data field (characters), whatever the manifest says.
MAX_FIELD_CHARS = 20_000
#: Longest text tried as a number, a date, a boolean, a choice or a colour (a longer one is
#: reported as not one, without parsing it).
MAX_SCALAR_TEXT_CHARS = 100

# --- output sizes (infographic/sizes.py: ``WxH``, ``a4@300dpi``, ``210x297mm``) ---------------
#: Sides of a size given in pixels.
MIN_SIDE_PX, MAX_SIDE_PX = 200, 10000
#: Resolutions of a paper size.
MIN_DPI, MAX_DPI = 72, 1200
#: Sides of a size given in millimetres.
MIN_SIDE_MM, MAX_SIDE_MM = 50.0, 2000.0
#: cairo's largest image surface side: a paper size at a dpi beyond it cannot be rasterised.
MAX_RASTER_SIDE_PX = 32767
#: Widest bleed a print PDF takes (``--bleed``; 3 mm is usual, 5 mm for large posters).
MAX_BLEED_MM = 20.0

# --- data files (YAML, JSON, spreadsheets; see infographic/dataparse.py) -------------------------
#: YAML texts up to this long are parsed once per user: the result is kept as JSON between
#: processes (infographic/usercache.py). The bounded pure-Python parser takes about 10 ms for a
#: manifest; reading the kept JSON a tenth of a millisecond (cold start of every command).
CACHED_YAML_CHARS = 256 * 1024
#: Largest magnitude of a number in data (number and integer fields, table columns): 10^15
#: keeps every whole number exact as a float; a bigger one is a field error.
MAX_DATA_NUMBER = 10**15
#: Digits of an integer that the YAML and JSON readers turn into a number; a longer one stays
#: text (a number field then reports it out of range): ``int()`` of huge digit strings is slow.
MAX_INTEGER_DIGITS = 40
#: Nesting levels of lists and mappings in a data, mapping, theme or manifest file.
MAX_DATA_DEPTH = 32
#: Characters that YAML aliases (``*name``) may add to a document when expanded: stops the
#: "billion laughs" (300 bytes of nested aliases that expand to gigabytes when printed).
MAX_YAML_ALIAS_EXPANSION = 1_000_000

# --- the laid-out SVG -----------------------------------------------------------------------------
#: Bytes of the final SVG (outline text is about 0.5 KB per glyph).
MAX_SVG_BYTES = 32 * 1024 * 1024
#: Elements in the final SVG (the announcement at `square` has about 1,000).
MAX_SVG_ELEMENTS = 200_000
#: Nesting depth of elements (cairosvg recurses per level; 3,000 levels crash it).
MAX_SVG_DEPTH = 100
#: Elements drawn through ``<use>`` references, counting nested references (cairosvg's own
#: guard stops at 100,000 references only after about 28 s).
MAX_USE_EXPANSION = 20_000

#: Every coordinate, length, radius, stroke width and font size, after the transforms above it,
#: lies within this many canvas sizes (the larger side of the root viewBox) of the origin.
#: cairo draws a ``<circle r="1e40">`` for minutes at 1 GB, and a PDF of it is 236 MB.
MAX_COORDINATE_CANVASES = 100
#: Pixels of one ``<pattern>`` or ``<mask>`` tile. cairosvg rasterises a tile at its size in
#: user units, whatever the output size: a 20000² pattern in a 350-byte logo took 3.57 GB.
MAX_TILE_PIXELS = 16_000_000

# --- embedded images (checked from their headers before cairo decodes them) -----------------------
#: The only image formats decoded from a layout, data or asset folder (Pillow's ``formats=``
#: allow-list). Pillow would otherwise also open EPS — by running Ghostscript on the file — and
#: a dozen rarely used decoders: nothing a user gives us reaches an external program.
IMAGE_FORMATS = ("PNG", "JPEG", "WEBP", "GIF", "BMP", "TIFF")
#: Pixels of one embedded image. A PNG "bomb" of 12000² px is 140 KB of data but 576 MB decoded.
MAX_IMAGE_PIXELS = 36_000_000
#: Pixels of all images decoded in one render.
MAX_TOTAL_IMAGE_PIXELS = 80_000_000
#: Bytes of a photo or logo file read by ``image(...)`` or the header's logo.
MAX_IMAGE_FILE_BYTES = 40 * 1024 * 1024
#: Bytes of an SVG logo read by ``image(...)`` (logos are small; anything bigger is not a logo).
MAX_LOGO_SVG_BYTES = 2 * 1024 * 1024
#: Bytes of one fetched resource (file or data: URI).
MAX_RESOURCE_BYTES = 25 * 1024 * 1024
#: Resources fetched in one render (nested SVG images that include each other, for instance).
MAX_RESOURCES = 500

# --- files read from a layout folder -------------------------------------------------------------
#: Bytes of ``layout.yaml`` (the bundled manifests are under 10 KB).
MAX_MANIFEST_BYTES = 1024 * 1024

# --- hashing inputs for a render key (infographic/renderkey.py: batch reruns, preview cache) -----
#: Files bigger than this are hashed by size and modification time instead of content.
HASH_CONTENT_LIMIT = 4 * 1024 * 1024
#: Bytes of content hashed per folder; past it, files are hashed by size and modification time.
HASH_FOLDER_BUDGET = 64 * 1024 * 1024
#: Files looked at per folder (a layout has a handful; a wrong folder may have millions).
HASH_MAX_FILES = 10_000

# --- templates ------------------------------------------------------------------------------------
#: Length of a string or list a template may build with any operator, filter or method
#: (``~ + * % join replace format``, padding widths…); a list counts the text of what it holds.
MAX_TEMPLATE_SEQUENCE = 1_000_000
#: What one template run may print with ``{{ }}`` in all, as a multiple of its output limit
#: (blocks and macros print text that is joined, or thrown away, later).
TEMPLATE_PRINT_FACTOR = 2
#: Largest exponent of ``**`` in a template (``10 ** 10 ** 10`` would hang the interpreter).
MAX_TEMPLATE_EXPONENT = 1_000
#: Bits of an integer a template may compute (checked before ``*`` and ``**`` run: one
#: ``b ** 1000`` of a huge ``b`` is a single C call no time limit can stop). About 3,000 digits.
MAX_TEMPLATE_INT_BITS = 10_000

# --- text slots -----------------------------------------------------------------------------------
#: Largest text size (canvas units; the canvas is 1080 wide) in a slot, a template's ``text()``
#: call or a chart. Fitting tries every 0.5 step from ``size`` down to ``min_size``.
MAX_TEXT_SIZE = 2_000.0

# --- maps (infographic/blocks/maps) --------------------------------------------------------------
#: Bytes of one GeoJSON or TopoJSON file, checked before it is read: all wards of a large city
#: at survey detail are a few MB; a 50 MB file fails at once instead of after a minute of parsing.
MAX_MAP_FILE_BYTES = 16 * 1024 * 1024
#: Vertices of all areas of one map, after decoding (Vietnam's 63 provinces are 7,400 in the
#: bundled TopoJSON; 700 detailed wards about 150,000).
MAX_MAP_VERTICES = 400_000
#: Areas (features) of one map.
MAX_MAP_AREAS = 5_000
#: Map files kept read (with their shared borders) between renders, by content.
MAP_FILES_KEPT = 8
#: Outlines kept per map file: one per map box and output size a batch draws.
MAP_OUTLINES_KEPT = 16

# --- batch output names (infographic/batch/naming.py) -------------------------------------------
#: Longest output name (one folder or file stem), in bytes of UTF-8.
MAX_NAME_BYTES = 200
#: Bytes a stem needs beside it within the file system's limit: "-2", "-a4-landscape", ".webp"
#: and the temporary name of an atomic write (".NAME.xxxxxxxx.part").
NAME_RESERVE_BYTES = 55

# --- per-user cache between processes (infographic/usercache.py) --------------------------------
#: Entries kept per kind; past it, the least recently written go.
USER_CACHE_ENTRIES = 512
#: Bytes of one entry; a bigger one is not kept.
USER_CACHE_ENTRY_BYTES = 4 * 1024 * 1024

# --- live preview (infographic/preview) ----------------------------------------------------------
#: Largest request body (the data form as JSON; a field holds at most 20,000 characters).
PREVIEW_MAX_BODY_BYTES = 2 * 1024 * 1024
#: Event streams open at once (each browser tab has one).
PREVIEW_MAX_LISTENERS = 32
#: Messages an event stream may fall behind before it is dropped.
PREVIEW_QUEUE_MESSAGES = 64
#: Bytes an event stream may fall behind before it is dropped.
PREVIEW_QUEUE_BYTES = 4 * 1024 * 1024
#: Seconds for one size's SVG in the preview.
PREVIEW_SECONDS = 30.0
#: Seconds for one download from the preview (A0 at 300 dpi is large).
PREVIEW_EXPORT_SECONDS = 600.0
#: Rendered SVGs the preview keeps (about 0.5 MB each).
PREVIEW_RESULT_CACHE_SIZE = 96
#: Downloads and exact rasters the preview keeps.
PREVIEW_BYTES_CACHE_SIZE = 24
#: The longest side of an "exact pixels" view: every social preset fits at full size.
PREVIEW_EXACT_MAX_SIDE = 1920
#: Bytes of a file read to show an excerpt around an error (larger or irregular files get none).
PREVIEW_EXCERPT_BYTES = 4 * 1024 * 1024
#: Seconds the workers wait at start for every layout's first renders to be queued (reading a
#: manifest and hashing a folder), so the gallery's thumbnails come first; past it they start
#: anyway (a folder that stopped answering).
PREVIEW_FIRST_PASS_SECONDS = 5.0

# --- time -----------------------------------------------------------------------------------------
#: Seconds for the layout stage (template, text fitting) of one render.
LAYOUT_SECONDS = 30.0
#: Seconds for drawing and encoding one raster or PDF.
RASTER_SECONDS = 60.0
#: Hard deadline of a render in a worker process (infographic/isolation.py: the batch, the
#: preview, ``render(..., isolated=True)``): the process is killed, even inside one C call.
ISOLATED_SECONDS = 90.0
#: Seconds a fresh worker interpreter may take to import the renderer before its first task
#: (not counted in the task's deadline).
ISOLATED_STARTUP_SECONDS = 120
#: Seconds a worker lets its own alarm wait past the deadline: a backstop that ends a worker
#: whose caller died while it was busy.
ISOLATED_ALARM_GRACE_SECONDS = 30
#: Seconds a worker that was asked to stop may take before it is killed.
ISOLATED_STOP_SECONDS = 5
#: Idle workers ``run_isolated`` keeps for the next call.
ISOLATED_SPARE_WORKERS = 4
#: Seconds Ghostscript may take to flatten and convert one print PDF to CMYK (infographic/print).
GHOSTSCRIPT_SECONDS = 300
#: Memory an isolated render may allocate (RLIMIT_AS above what its process holds already):
#: this base (fonts, the SVG, cairo's tables) plus bytes per output pixel (the raster, the
#: encoder's copy). Square 1080² is about 540 MB, A3 at 300 dpi 930 MB, A0 3.9 GB.
ISOLATED_MEMORY_BASE = 512 * 1024 * 1024
ISOLATED_MEMORY_PER_PIXEL = 24

# --- caches ---------------------------------------------------------------------------------------
#: Fitted texts remembered per font registry: at most about 30 MB (120 glyphs × 250 bytes each).
FIT_CACHE_SIZE = 1024
#: Font matches and fallback chains remembered per registry (family, weight, style → faces).
FONT_MATCH_CACHE_SIZE = 512
#: Shaped short lines (up to ``text.shaping.CACHED_LINE_CHARS`` characters) kept between renders.
SHAPE_CACHE_SIZE = 512
#: Cached cairo glyph outlines (distinct glyphs; about 1–3 KB each).
GLYPH_OUTLINE_CACHE_SIZE = 4096
#: Pillow memory blocks (16 MB each) kept for the next image instead of being given back to the
#: system: a warm render then draws and encodes into memory it already has (about 2 ms of page
#: faults at 1080², more at A3).
PILLOW_BLOCKS_KEPT = 2
#: Bytes of cairo paths kept for the templates' own ``<path>`` shapes (icons, QR codes, charts).
SHAPE_PATH_CACHE_BYTES = 16 * 1024 * 1024
#: Bytes of raster pixel memory kept per thread for the next raster (1080² is 4.7 MB, a 1080×1920
#: story 8.3 MB): drawing into memory already mapped saves the page faults of a fresh surface.
RASTER_PIXELS_KEPT_BYTES = 16 * 1024 * 1024
#: Bytes of prepared embedded images kept between renders (logos and photos reused by a batch).
IMAGE_CACHE_BYTES = 64 * 1024 * 1024


def check_canvas(width: int, height: int, layout: str | None = None) -> None:
    pixels = width * height
    if pixels > MAX_CANVAS_PIXELS:
        raise LimitError(f"the output would be {width}×{height} = {pixels / 1e6:.1f} megapixels; "
                         f"the limit is {MAX_CANVAS_PIXELS / 1e6:g} MP: choose a smaller size "
                         "(A3 at 300 dpi is 17.4 MP)", layout=layout)


def check_image_size(width: int, height: int, where: str) -> None:
    if width * height > MAX_IMAGE_PIXELS:
        raise LimitError(f"image {where} is {width}×{height} px ({width * height / 1e6:.1f} MP); "
                         f"the limit for one embedded image is {MAX_IMAGE_PIXELS / 1e6:g} MP: "
                         "scale it down before using it")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _href(element: Element) -> str | None:
    for key, value in element.attrib.items():
        if _local(key) == "href":
            return value
    return None


def _local_target(href: str) -> str:
    """The id a reference points at, read as cairosvg reads it (``url(…)`` unwrapped, then
    ``urlparse``, which drops leading white space and any tab or newline)."""
    wrapped = _URL.search(href)
    return urlparse(wrapped.group(1) if wrapped else href).fragment


def _describe(element: Element) -> str:
    ident = element.get("id")
    return f'<{_local(element.tag)} id="{ident}">' if ident else f"<{_local(element.tag)}>"


_URL = re.compile(r"url\((.+)\)")
#: Attributes (and style properties) holding lengths or coordinates that cairo will draw.
_LENGTHS = frozenset((
    "x", "y", "width", "height", "cx", "cy", "r", "rx", "ry", "fx", "fy", "fr", "x1", "y1", "x2",
    "y2", "dx", "dy", "stroke-width", "font-size", "stroke-dashoffset", "stroke-dasharray",
    "letter-spacing", "word-spacing", "markerWidth", "markerHeight", "refX", "refY",
    "startOffset", "textLength", "d", "points", "viewBox"))
#: Units → user units (CSS at 96 dpi; em and ex as cairosvg's default 12 pt font).
_UNITS = {"px": 1.0, "pt": 4 / 3, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96.0,
          "em": 16.0, "ex": 8.0}


def _canvas_extent(root: Element) -> float:
    """The larger side of the document's canvas, in its user units."""
    box = [float(v) for v in NUMBER.findall(root.get("viewBox") or "")[:4]]
    if len(box) == 4 and all(math.isfinite(v) for v in box):
        return max(abs(box[2]), abs(box[3]), 1.0)
    sides = [_magnitude(root.get(name) or "", 1.0) for name in ("width", "height")]
    return max(*sides, 1.0) if all(math.isfinite(v) for v in sides) else 1.0


def _magnitude(value: str, extent: float) -> float:
    """The largest absolute number in an attribute value, in user units (inf if not finite)."""
    largest = 0.0
    for token in NUMBER.findall(value):
        number = abs(float(token))
        if not number <= largest:
            largest = number if number == number else math.inf  # nan counts as infinite
    text = value.strip()
    if text.endswith("%"):
        return largest * extent / 100
    return largest * _UNITS.get(text[-2:].lower(), 1.0) if text[-1:].isalpha() else largest


#: Attributes whose numbers carry no unit (the others may end in mm, in, %…).
_UNITLESS = frozenset(("d", "points", "viewBox"))


@functools.lru_cache(maxsize=32)
def _could_exceed(digits: int) -> re.Pattern[str]:
    """A pattern that finds anything in a unitless value that may exceed a limit of ``digits``
    digits: an exponent, ``inf`` or ``nan``, or an integer part of that many digits (the fast
    path that keeps the check cheap on long chart paths; fractions are not looked at)."""
    return re.compile(rf"[eEiInN]|(?<![.\d])\d{{{digits},}}")


#: ASCII text mapped for :func:`_may_exceed`: digits → ``0``, ``.`` kept, the letters of an
#: exponent, ``inf`` and ``nan`` → ``e``, anything else → a space.
_NUMBER_SHAPE = bytes(ord("0") if chr(c) in "0123456789" else ord("e") if chr(c) in "eEiInN"
                      else c if c == ord(".") else ord(" ") for c in range(256))


def _may_exceed(value: str, digits: int) -> bool:
    """Whether :func:`_could_exceed` (``digits``) finds anything in ``value``: the same answer,
    found by byte operations for ASCII text (a map's paths run to hundreds of KB, and the
    regular expression scanned them at about 30 µs per KB; this is ten times quicker)."""
    if not value.isascii():
        return _could_exceed(digits).search(value) is not None
    shape = value.encode("ascii").translate(_NUMBER_SHAPE)
    run = b"0" * digits
    return b"e" in shape or shape.startswith(run) or b" " + run in shape


_DECLARATION = re.compile(r"([A-Za-z-]+)\s*:\s*([^;{}]*)")


def _transform_reach(text: str) -> tuple[float, float]:
    """An upper bound of how much a ``transform`` stretches lengths, and of how far it moves
    the origin (in the parent's units): enough to bound what cairo is asked to draw."""
    stretch, offset = 1.0, 0.0
    for name, values in transform_steps(text):
        values = values or [0.0]
        if name == "matrix" and len(values) == 6:
            a, b, c, d, e, f = values
            step, move = max(abs(a) + abs(c), abs(b) + abs(d)), max(abs(e), abs(f))
        elif name == "scale":
            step, move = max(abs(v) for v in values[:2]), 0.0
        elif name in ("skewX", "skewY"):
            step, move = 1.0 + abs(math.tan(math.radians(values[0]))), 0.0
        elif name == "rotate":  # about (cx, cy): the origin moves by at most twice that far
            step, move = 1.0, 2 * max((abs(v) for v in values[1:3]), default=0.0)
        else:  # translate
            step, move = 1.0, max(abs(v) for v in values[:2])
        offset += move * stretch
        stretch *= step
    return stretch, offset


def _viewbox_scale(element: Element, extent: float) -> float:
    """How much a nested ``<svg>``/``<symbol>``/``<marker>`` viewBox magnifies its content."""
    box = [abs(float(v)) for v in NUMBER.findall(element.get("viewBox") or "")[:4]]
    if len(box) < 4 or not box[2] or not box[3]:
        return 1.0
    width = _magnitude(element.get("width") or element.get("markerWidth") or "", extent)
    height = _magnitude(element.get("height") or element.get("markerHeight") or "", extent)
    return max(width / box[2], height / box[3], 1.0)


class _Geometry:
    """Bounds every number the SVG asks cairo to draw, relative to the canvas."""

    def __init__(self, root: Element, layout: str | None, what: str) -> None:
        self.extent = _canvas_extent(root)
        self.bound = MAX_COORDINATE_CANVASES * self.extent
        self.layout, self.what = layout, what
        self.unscaled = self._digits(1.0)

    def _digits(self, scale: float) -> int:
        """Integer digits a number needs to pass the bound at ``scale``."""
        limit = self.bound / scale
        return len(str(int(limit))) if limit >= 1 else 1

    def _refuse(self, element: Element, name: str, value: str, reach: float,
                scale: float = 1.0) -> LimitError:
        shown = value if len(value) <= 40 else value[:37] + "…"
        shown_reach = f"{reach:,.0f}" if reach < 1e12 else f"{reach:.1e}"
        scaled = f" (scaled {scale:.3g}× by the transforms around it)" if scale > 1 else ""
        problem = (f"reaches {shown_reach} units{scaled}, beyond {MAX_COORDINATE_CANVASES} "
                   f"canvas sizes ({self.bound:,.0f} units)" if math.isfinite(reach)
                   else "is not a finite number")
        return LimitError(f"{self.what}: {_describe(element)} {name}=\"{shown}\" {problem}; keep "
                          "coordinates, sizes and stroke widths near the canvas",
                          layout=self.layout)

    def check(self, element: Element, scale: float) -> float:
        """Check ``element``'s own numbers at ``scale`` (user units → canvas units of the
        parent); the scale of its children."""
        attrib = element.attrib
        transform = attrib.get("transform")
        if transform:
            scale = self._check_transform(element, transform, scale)
        digits = self.unscaled if scale <= 1 else self._digits(scale)
        for name, value in attrib.items():
            if name in _LENGTHS:
                if (name in _UNITLESS or value[-1:].isdigit()) and \
                        not _may_exceed(value, digits):
                    continue  # no exponent, inf, nan, or number with as many digits as the limit
                self._check_value(element, name, value, scale)
            elif name == "style":
                for declaration in value.split(";"):
                    prop, _, text = declaration.partition(":")
                    if prop.strip() in _LENGTHS:
                        self._check_value(element, prop.strip(), text, scale)
        if "viewBox" in attrib and _local(element.tag) in ("svg", "symbol", "marker"):
            scale *= _viewbox_scale(element, self.extent)
        return scale

    def _check_transform(self, element: Element, transform: str, scale: float) -> float:
        """The scale under ``transform``; it may neither move the origin nor magnify a unit
        beyond the bound (a stylesheet can give any element a size the tree does not show)."""
        stretch, offset = _transform_reach(transform)
        if not (offset * scale <= self.bound and stretch * scale <= self.bound):
            raise self._refuse(element, "transform", transform,
                               max(offset * scale, stretch * scale), scale)
        return stretch * scale

    def check_stylesheet(self, element: Element, css: str) -> None:
        """Lengths and transforms in a ``<style>`` element (cairosvg applies them to the
        elements its selectors match, whatever their attributes say)."""
        for prop, value in _DECLARATION.findall(css):
            if prop == "transform":
                self._check_transform(element, value, 1.0)
            elif prop in _LENGTHS:
                self._check_value(element, prop, value, 1.0)

    def _check_value(self, element: Element, name: str, value: str, scale: float) -> None:
        reach = _magnitude(value, self.extent) * max(scale, 1.0)
        if not reach <= self.bound:  # also refuses inf and nan
            raise self._refuse(element, name, value, reach, scale)


def check_svg_tree(root: Element, layout: str | None = None, what: str = "the laid-out SVG",
                   drawn_elsewhere: int = 0) -> None:
    """Element count, nesting depth, ``<use>`` fan-out and geometry of a parsed SVG, before it
    is drawn. ``drawn_elsewhere`` counts elements taken out of the tree but still drawn (the
    glyphs of text groups)."""
    count = drawn_elsewhere
    by_id: dict[str, Element] = {}
    geometry = _Geometry(root, layout, what)
    stack: list[tuple[Element, int, float]] = [(root, 1, 1.0)]
    uses: list[Element] = []
    while stack:
        element, depth, scale = stack.pop()
        count += 1
        if count > MAX_SVG_ELEMENTS:
            raise LimitError(f"{what} has more than {MAX_SVG_ELEMENTS:,} elements; simplify the "
                             "template (or draw repeated shapes as one path)", layout=layout)
        if depth > MAX_SVG_DEPTH:
            raise LimitError(f"{what} nests elements more than {MAX_SVG_DEPTH} levels deep; "
                             "flatten the groups in the template", layout=layout)
        ident = element.get("id")
        if ident:
            by_id.setdefault(ident, element)
        tag = _local(element.tag)
        if tag == "use":
            uses.append(element)
        elif tag == "style" and element.text:
            geometry.check_stylesheet(element, element.text)
        if element.attrib:
            scale = geometry.check(element, scale)
        stack.extend((child, depth + 1, scale) for child in element)
    if uses:
        _check_use_fanout(uses, by_id, layout, what)


def check_stylesheet(css: str, what: str) -> None:
    """A stylesheet fetched from the layout folder (``@import``), before cairosvg applies it:
    bounded as if the canvas were as large as any size allows (10,000 units a side)."""
    root = Element("svg", viewBox="0 0 10000 10000")
    _Geometry(root, None, what).check_stylesheet(Element("style"), css)


def check_tile(width: float, height: float, element: str) -> None:
    """A pattern or mask tile of width × height user units, before cairo allocates it."""
    if not width * height <= MAX_TILE_PIXELS:  # also refuses inf and nan
        raise LimitError(f"{element} is a tile of {width:,.0f}×{height:,.0f} units; cairo "
                         f"draws a tile at full size and the limit is "
                         f"{MAX_TILE_PIXELS / 1e6:g} megapixels: make the pattern or mask "
                         "region smaller (or scale its content down)")


def _check_use_fanout(uses: list[Element], by_id: dict[str, Element], layout: str | None,
                      what: str) -> None:
    """Count the elements that ``<use>`` references make cairosvg draw, nested uses included."""
    sizes: dict[int, int] = {}

    def drawn(element: Element, visiting: frozenset[int]) -> int:
        key = id(element)
        if key in sizes:
            return sizes[key]
        if key in visiting:
            raise LimitError(f"{what} has a <use> reference cycle; remove it", layout=layout)
        total = 1
        for child in element.iter():
            if child is not element and _local(child.tag) == "use":
                total += expand(child, visiting | {key})
            elif child is not element:
                total += 1
            if total > MAX_USE_EXPANSION:
                break
        sizes[key] = total
        return total

    def expand(use: Element, visiting: frozenset[int]) -> int:
        target = by_id.get(_local_target(_href(use) or ""))
        return drawn(target, visiting) if target is not None else 0

    total = 0
    for use in uses:
        total += expand(use, frozenset())
        if total > MAX_USE_EXPANSION:
            raise LimitError(f"{what} makes <use> draw more than {MAX_USE_EXPANSION:,} elements; "
                             "use fewer or smaller references", layout=layout)


class _Timeout(BaseException):
    """Injected into the rendering thread when its time is up (BaseException: not swallowed)."""


def _inject(thread_id: int, exception: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id),
                                               ctypes.py_object(exception) if exception else None)


class _Watchdog:
    """One daemon thread that fires every expired :class:`time_limit` (starting a thread per
    render would cost milliseconds on a busy machine)."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._pending: list[tuple[float, int, "time_limit"]] = []
        self._thread: threading.Thread | None = None
        self._order = itertools.count()

    def watch(self, limit: "time_limit") -> None:
        with self._condition:
            if len(self._pending) > 256:  # drop finished entries (they are removed lazily)
                self._pending = [e for e in self._pending if e[2]._active]
                heapq.heapify(self._pending)
            heapq.heappush(self._pending, (limit.deadline, next(self._order), limit))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="infographic-watchdog",
                                                daemon=True)
                self._thread.start()
            if self._pending[0][2] is limit:  # the new deadline is the next one to wake for
                self._condition.notify()

    def _run(self) -> None:
        with self._condition:
            while True:
                now = time.monotonic()
                while self._pending and (self._pending[0][0] <= now
                                         or not self._pending[0][2]._active):
                    _, _, limit = heapq.heappop(self._pending)
                    if limit._active:
                        limit._fire()
                self._condition.wait(self._pending[0][0] - now if self._pending else None)


_WATCHDOG = _Watchdog()


def _new_watchdog_after_fork() -> None:
    """A forked worker (infographic/isolation.py) has no watchdog thread, and the parent's
    may have held its lock at the fork: start afresh."""
    global _WATCHDOG
    _WATCHDOG = _Watchdog()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_new_watchdog_after_fork)


class time_limit:  # noqa: N801 (used like a function: ``with time_limit(30, "drawing"):``)
    """Stop the block if it runs longer than ``seconds``: raises :class:`LimitError`.

    A watchdog thread raises an exception asynchronously in the thread that runs the block, at its
    next Python instruction, so a template stuck in nested loops or cairosvg walking a huge
    document is interrupted wherever it is (work inside one C call finishes that call first —
    which is why the size limits above keep each C call small). Works in any thread.
    """

    def __init__(self, seconds: float, stage: str, layout: str | None = None) -> None:
        self.seconds, self.stage, self.layout = seconds, stage, layout
        self._lock = threading.Lock()
        self._active = False
        self._fired = False
        self.deadline = 0.0

    def _fire(self) -> None:
        with self._lock:
            if self._active:
                self._fired = True
                _inject(self._thread, _Timeout)

    def __enter__(self) -> "time_limit":
        self._thread = threading.get_ident()
        self.deadline = time.monotonic() + self.seconds
        self._active = True
        if self.seconds and self.seconds > 0:
            _WATCHDOG.watch(self)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> Literal[False]:
        fired = exc_type is _Timeout
        try:
            with self._lock:
                self._active = False
                fired = fired or self._fired
            if fired:
                _inject(self._thread, None)  # drop the exception if it is still pending
        except _Timeout:
            fired = True
        if fired:
            raise LimitError(f"{self.stage} took longer than {self.seconds:g} s and was stopped; "
                             "the layout or data asks for too much work", layout=self.layout
                             ) from None
        return False
